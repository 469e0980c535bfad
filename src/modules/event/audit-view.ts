// The audit trail of one event, for the organizer and the observer (纪检监督): who changed what, when,
// why, with the state before and after. Judges are anonymous to all but the organizer, so the observer's
// trail names no judge and shows no judge's values.
import { requireUser } from '../../kernel/actor.ts';
import type { Ctx } from '../../platform/context.ts';
import type { AuditLogTable } from '../../platform/db/schema.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { findEvent } from './results.ts';
import type { AuditEntryView } from './schemas.ts';

/** Stored JSON back to a value; text that is not JSON (written by hand or by an old version) as is. */
function parseStored(json: string | null): unknown {
  if (json === null) return null;
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

/** Actions whose target, before and after name a judge (the judge list and its invites). */
const NAMES_A_JUDGE = /^(judge|invite)\./;
/** Actions whose before and after carry a judge's values (a late score kept for the record). */
const CARRIES_VALUES = /^score\./;

const present = (r: AuditLogTable): AuditEntryView => ({
  id: r.id,
  actorName: r.actor_name,
  action: r.action,
  target: r.target,
  before: parseStored(r.before_json),
  after: parseStored(r.after_json),
  reason: r.reason,
  createdAt: r.created_at,
});

/** Newest first. */
export async function listEventAudit(ctx: Ctx, eventId: string): Promise<AuditEntryView[]> {
  const user = requireUser(ctx.actor, 'organizer', 'observer');
  await findEvent(ctx.db, eventId);
  const rows = await ctx.db
    .selectFrom('audit_log')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  if (user.role === 'organizer') return rows.map(present);

  // An entry written by a judge has the judge's id as its actor (users act under their user id): any
  // actor id that is not a user's is a judge's, including a judge deleted since.
  const actorIds = [...new Set(rows.flatMap((r) => (r.actor_id ? [r.actor_id] : [])))];
  const userIds = new Set(
    actorIds.length === 0
      ? []
      : (await ctx.db.selectFrom('users').select('id').where('id', 'in', actorIds).execute()).map(
          (u) => u.id,
        ),
  );
  const judge = translator(ctx.locale)('results:anonymousJudge');
  return rows.map((r) => {
    const entry = present(r);
    const byJudge = r.actor_id !== null && !userIds.has(r.actor_id);
    const namesJudge = NAMES_A_JUDGE.test(r.action);
    const hidden = namesJudge || CARRIES_VALUES.test(r.action) || byJudge;
    return {
      ...entry,
      actorName: byJudge ? judge : entry.actorName,
      target: namesJudge ? judge : entry.target,
      before: hidden ? null : entry.before,
      after: hidden ? null : entry.after,
    };
  });
}
