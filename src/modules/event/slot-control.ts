// The organizer opens and closes each unit's scoring window and, at the end, locks the event.
//
// Concurrency: the events row is the per-event lock. Every slot transition and every ledger append
// starts its transaction by updating that row, so on PostgreSQL they queue on its row lock and on
// SQLite on the write lock. A submission re-reads the slot state after taking the lock (see
// commit-queue.ts): a close that committed first makes it fail, a close that comes second waits for it.

import { requireOrganizer } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { notify, nowIso } from '../../platform/context.ts';
import type { EventRow } from '../../platform/db/schema.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { meetsQuorum } from './domain/scoring.ts';
import { nextState, type SlotAction, type SlotState } from './domain/slot-window.ts';
import { assertNotLocked, eventSettings, loadEventDetail, loadSlotRow, lockEventRow } from './event-view.ts';
import { withdrawPublicationFor } from './results.ts';
import type { EventDetail, SlotView } from './schemas.ts';

type SlotRowWithUnit = Awaited<ReturnType<typeof loadSlotRow>>;

/** The one slot just changed, presented from the row in hand rather than re-reading the agenda. */
function presentSlot(s: SlotRowWithUnit): SlotView {
  return {
    id: s.id,
    trackId: s.track_id,
    unitId: s.unit_id,
    unitName: s.unit_name,
    position: Number(s.position),
    timeLimitSec: Number(s.time_limit_sec),
    overtimeSec: Number(s.overtime_sec),
    manualPenalty: Number(s.manual_penalty),
    state: s.state as SlotState,
    openedAt: s.opened_at,
    closedAt: s.closed_at,
  };
}

async function changeSlot(
  ctx: Ctx,
  eventId: string,
  slotId: string,
  action: SlotAction,
  reason: string | null,
  withdrawPublication = false,
  confirmBelowQuorum = false,
): Promise<SlotView> {
  requireOrganizer(ctx.actor);
  const now = nowIso(ctx);
  const { view, changed } = await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const event = await lockEventRow(tctx, eventId);
    assertNotLocked(event);
    const slot = await loadSlotRow(trx, eventId, slotId);
    const state = slot.state as SlotState;
    const next = nextState(action, state);
    if (next === null) return { view: presentSlot(slot), changed: false };
    // Reopening a published event's slot would let the ledger move under the published figures.
    if (action === 'reopen')
      await withdrawPublicationFor(tctx, event, { confirmed: withdrawPublication, reason });
    if (action === 'close' && !confirmBelowQuorum) await assertQuorum(tctx, event, slot);

    const patch =
      next === 'open' ? { state: next, opened_at: now, closed_at: null } : { state: next, closed_at: now };
    await trx.updateTable('slots').set(patch).where('id', '=', slotId).execute();
    if (next === 'open' && (event.status !== 'active' || Number(event.scoring_started) !== 1)) {
      await trx
        .updateTable('events')
        .set({ status: 'active', scoring_started: 1 })
        .where('id', '=', eventId)
        .execute();
    }
    const updated = { ...slot, ...patch };
    await audit(tctx, {
      eventId,
      action: `slot.${action}`,
      target: slot.unit_name,
      before: { state, openedAt: slot.opened_at, closedAt: slot.closed_at },
      after: { state: next, openedAt: updated.opened_at, closedAt: updated.closed_at },
      reason,
    });
    return { view: presentSlot(updated), changed: true };
  });
  if (changed) notify(ctx, eventId, 'slots', 'progress', 'event', 'results');
  return view;
}

/**
 * Closing a unit below the quorum is refused (with each short panel's counts) until the organizer has
 * seen the counts and confirmed: a result from 1 of 30 judges should not slip into the ranking unnoticed.
 */
async function assertQuorum(ctx: Ctx, event: EventRow, slot: SlotRowWithUnit): Promise<void> {
  const percent = eventSettings(event).quorumPercent;
  if (percent === 0) return;
  // Sequential: ctx.db is the transaction, one connection.
  const panels = await ctx.db
    .selectFrom('panels')
    .select(['id', 'name'])
    .where('event_id', '=', event.id)
    .orderBy('sort')
    .execute();
  const judges = await ctx.db
    .selectFrom('judges')
    .select(['id', 'panel_id'])
    .where('event_id', '=', event.id)
    .execute();
  const recused = await ctx.db
    .selectFrom('judge_affiliations')
    .select('judge_id')
    .where('unit_id', '=', slot.unit_id)
    .execute();
  const scored = await ctx.db
    .selectFrom('score_entries')
    .select('judge_id')
    .distinct()
    .where('slot_id', '=', slot.id)
    .execute();

  const out = new Set(recused.map((r) => r.judge_id));
  const did = new Set(scored.map((s) => s.judge_id));
  const short = panels.flatMap((p) => {
    const eligible = judges.filter((j) => j.panel_id === p.id && !out.has(j.id));
    const counts = { eligible: eligible.length, scored: eligible.filter((j) => did.has(j.id)).length };
    return meetsQuorum(counts, percent) ? [] : [{ panel: p.name, ...counts }];
  });
  if (short.length === 0) return;
  const t = translator(ctx.locale);
  throw new AppError(
    'below_quorum',
    {
      unit: slot.unit_name,
      percent,
      counts: short.map((s) => t('print:messages.panelCount', s)).join(t('print:messages.listSeparator')),
    },
    { panels: short },
  );
}

/** Opens a unit's scoring window; the first one opened makes the event active. */
export function openSlot(ctx: Ctx, eventId: string, slotId: string): Promise<SlotView> {
  return changeSlot(ctx, eventId, slotId, 'open', null);
}

export function closeSlot(
  ctx: Ctx,
  eventId: string,
  slotId: string,
  options: { confirmBelowQuorum?: boolean | undefined } = {},
): Promise<SlotView> {
  return changeSlot(ctx, eventId, slotId, 'close', null, false, options.confirmBelowQuorum === true);
}

/**
 * Reopening changes what counts after judges saw the window close, so it needs a reason on record;
 * after publication it also withdraws the publication, which the organizer must have confirmed.
 */
export function reopenSlot(
  ctx: Ctx,
  eventId: string,
  slotId: string,
  reason: string,
  options: { withdrawPublication?: boolean | undefined } = {},
): Promise<SlotView> {
  requireOrganizer(ctx.actor);
  const why = reason.trim();
  if (why === '') throw new AppError('reopen_reason_required');
  return changeSlot(ctx, eventId, slotId, 'reopen', why, options.withdrawPublication === true);
}

/** Ends the event: open windows close, and from now on nothing about it changes. */
export async function lockEvent(ctx: Ctx, eventId: string): Promise<EventDetail> {
  requireOrganizer(ctx.actor);
  const now = nowIso(ctx);
  const changed = await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const event = await lockEventRow(tctx, eventId);
    if (event.status === 'locked') return false;
    const open = await trx
      .selectFrom('slots')
      .innerJoin('units', 'units.id', 'slots.unit_id')
      .select(['slots.id', 'units.name'])
      .where('slots.event_id', '=', eventId)
      .where('slots.state', '=', 'open')
      .execute();
    if (open.length > 0) {
      await trx
        .updateTable('slots')
        .set({ state: 'closed', closed_at: now })
        .where('event_id', '=', eventId)
        .where('state', '=', 'open')
        .execute();
    }
    await trx.updateTable('events').set({ status: 'locked' }).where('id', '=', eventId).execute();
    await audit(tctx, {
      eventId,
      action: 'event.lock',
      target: event.title,
      before: { status: event.status },
      after: { status: 'locked', closedSlots: open.map((s) => s.name) },
    });
    return true;
  });
  if (changed) notify(ctx, eventId, 'event', 'slots', 'progress');
  return loadEventDetail(ctx, eventId);
}
