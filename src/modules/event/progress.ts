// "N of M" per slot for the organizer and the observers: counts, never values.
import { requireUser } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { loadSlots } from './event-view.ts';
import type { ProgressView } from './schemas.ts';

/**
 * M = the event's judges not affiliated with the unit, N = those of them with an entry. Observers
 * watch fairness, not people: they get the counts without names.
 */
export async function getProgress(ctx: Ctx, eventId: string): Promise<ProgressView> {
  const user = requireUser(ctx.actor, 'organizer', 'observer');
  const event = await ctx.db.selectFrom('events').select('id').where('id', '=', eventId).executeTakeFirst();
  if (!event) throw new AppError('not_found', { what: 'event' });

  const [slots, judges, affiliations, scored] = await Promise.all([
    loadSlots(ctx, eventId),
    ctx.db
      .selectFrom('judges')
      .select(['id', 'name'])
      .where('event_id', '=', eventId)
      .orderBy('sort')
      .orderBy('id')
      .execute(),
    ctx.db
      .selectFrom('judge_affiliations')
      .innerJoin('judges', 'judges.id', 'judge_affiliations.judge_id')
      .select(['judge_affiliations.judge_id', 'judge_affiliations.unit_id'])
      .where('judges.event_id', '=', eventId)
      .execute(),
    ctx.db
      .selectFrom('score_entries')
      .select(['slot_id', 'judge_id'])
      .distinct()
      .where('event_id', '=', eventId)
      .execute(),
  ]);

  const recused = new Set(affiliations.map((a) => `${a.judge_id}\u0000${a.unit_id}`));
  const hasEntry = new Set(scored.map((s) => `${s.slot_id}\u0000${s.judge_id}`));
  const showNames = user.role === 'organizer';

  return {
    slots: slots.map((slot) => {
      const eligible = judges.filter((j) => !recused.has(`${j.id}\u0000${slot.unitId}`));
      const missing = eligible.filter((j) => !hasEntry.has(`${slot.id}\u0000${j.id}`));
      return {
        slotId: slot.id,
        state: slot.state,
        scored: eligible.length - missing.length,
        eligible: eligible.length,
        missing: showNames ? missing.map((j) => ({ judgeId: j.id, name: j.name })) : [],
      };
    }),
  };
}
