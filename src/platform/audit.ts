import { actorName } from '../kernel/actor.ts';
import type { Ctx } from './context.ts';
import { nowIso } from './context.ts';
import { newId } from './ids.ts';

export interface AuditInput {
  eventId?: string | null;
  action: string;
  target?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/** Appends to the audit log inside the caller's transaction (ctx.db may be a transaction). */
export async function audit(ctx: Ctx, input: AuditInput): Promise<void> {
  await ctx.db
    .insertInto('audit_log')
    .values({
      id: newId(),
      event_id: input.eventId ?? null,
      actor_id:
        ctx.actor.kind === 'user' ? ctx.actor.userId : ctx.actor.kind === 'judge' ? ctx.actor.judgeId : null,
      actor_name: actorName(ctx.actor),
      action: input.action,
      target: input.target ?? null,
      before_json: input.before === undefined ? null : JSON.stringify(input.before),
      after_json: input.after === undefined ? null : JSON.stringify(input.after),
      reason: input.reason ?? null,
      created_at: nowIso(ctx),
    })
    .execute();
}
