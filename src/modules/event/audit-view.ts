// The audit trail of one event, for the organizer and the observer (纪检监督): who changed what, when,
// why, with the state before and after.
import { requireUser } from '../../kernel/actor.ts';
import type { Ctx } from '../../platform/context.ts';
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

/** Newest first. */
export async function listEventAudit(ctx: Ctx, eventId: string): Promise<AuditEntryView[]> {
  requireUser(ctx.actor, 'organizer', 'observer');
  await findEvent(ctx.db, eventId);
  const rows = await ctx.db
    .selectFrom('audit_log')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    actorName: r.actor_name,
    action: r.action,
    target: r.target,
    before: parseStored(r.before_json),
    after: parseStored(r.after_json),
    reason: r.reason,
    createdAt: r.created_at,
  }));
}
