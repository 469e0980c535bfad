// The judge's page: what one judge's phone shows.
import { requireJudge } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { loadCriteria, loadSlots } from './event-view.ts';
import type { JudgeSlotView, JudgeState } from './schemas.ts';
import { loadSlotTimers, presentTimer, timerStateOf } from './timer-view.ts';

type EventStatus = JudgeState['event']['status'];

/** The rubric, the slots and the judge's own latest scores, nobody else's. */
export async function getJudgeState(ctx: Ctx): Promise<JudgeState> {
  const actor = requireJudge(ctx.actor);
  const me = await ctx.db
    .selectFrom('judges')
    .innerJoin('panels', 'panels.id', 'judges.panel_id')
    .innerJoin('events', 'events.id', 'judges.event_id')
    .select([
      'judges.id',
      'judges.name',
      'panels.name as panel_name',
      'events.id as event_id',
      'events.title',
      'events.status',
    ])
    .where('judges.id', '=', actor.judgeId)
    .where('judges.event_id', '=', actor.eventId)
    .executeTakeFirst();
  if (!me) throw new AppError('not_found', { what: 'judge' });

  const [criteria, slots, timers, affiliations, entries] = await Promise.all([
    loadCriteria(ctx, me.event_id),
    loadSlots(ctx, me.event_id),
    loadSlotTimers(ctx, me.event_id),
    ctx.db.selectFrom('judge_affiliations').select('unit_id').where('judge_id', '=', me.id).execute(),
    ctx.db
      .selectFrom('score_entries')
      .select(['slot_id', 'score_values', 'total', 'created_at', 'seq'])
      .where('event_id', '=', me.event_id)
      .where('judge_id', '=', me.id)
      .orderBy('seq')
      .execute(),
  ]);
  const trackIds = [...new Set(slots.map((s) => s.trackId))];
  const tracks =
    trackIds.length === 0
      ? []
      : await ctx.db
          .selectFrom('tracks')
          .select(['id', 'name_zh', 'name_en'])
          .where('id', 'in', trackIds)
          .execute();
  const trackName = new Map(
    tracks.map((t) => [t.id, ctx.locale === 'zh-CN' ? t.name_zh : t.name_en || t.name_zh] as const),
  );

  const timerOf = new Map(timers.map((t) => [t.id, presentTimer(t.id, timerStateOf(t))]));
  const affiliated = new Set(affiliations.map((a) => a.unit_id));
  const mine = new Map<string, NonNullable<JudgeSlotView['mine']>>();
  for (const e of entries) {
    const version = (mine.get(e.slot_id)?.version ?? 0) + 1;
    mine.set(e.slot_id, {
      values: JSON.parse(e.score_values) as Record<string, number>,
      total: Number(e.total),
      version,
      createdAt: e.created_at,
    });
  }
  const views: JudgeSlotView[] = slots.map((s) => ({
    id: s.id,
    unitId: s.unitId,
    unitName: s.unitName,
    trackName: trackName.get(s.trackId) ?? '',
    position: s.position,
    state: s.state,
    recused: affiliated.has(s.unitId),
    timer: timerOf.get(s.id) ?? null,
    mine: mine.get(s.id) ?? null,
  }));
  // Stable sort: open slots move to the front, everything else keeps agenda order.
  views.sort((a, b) => Number(b.state === 'open') - Number(a.state === 'open'));

  return {
    event: { id: me.event_id, title: me.title, status: me.status as EventStatus },
    judge: { id: me.id, name: me.name, panelName: me.panel_name },
    criteria,
    slots: views,
  };
}
