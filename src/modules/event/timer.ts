// The stage timer of each slot, server-authoritative: the organizer's actions are stored in the slot's
// timer_* columns (rules in domain/timer.ts), every client derives the countdown from that state and
// its measured clock offset. Stopping the timer records the overtime that the penalty rule reads.
import { requireOrganizer } from '../../kernel/actor.ts';
import { AppError, isAppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { notify } from '../../platform/context.ts';
import {
  extendTimer,
  overtimeSeconds,
  pauseTimer,
  readTimer,
  resetTimer,
  resumeTimer,
  startTimer,
  stopTimer,
  type TimerState,
  timerStatus,
} from './domain/timer.ts';
import { assertNotLocked, loadSlotRow, lockEventRow, withTransaction } from './event-view.ts';
import { withdrawPublicationFor } from './results.ts';
import type { TimerView } from './schemas.ts';
import { invalid } from './setup-errors.ts';
import { openSlot } from './slot-control.ts';
import { presentTimer, timerStateOf } from './timer-view.ts';

export type TimerAction = 'start' | 'pause' | 'resume' | 'extend' | 'stop' | 'reset';

const timerColumns = (s: TimerState) => ({
  timer_started_at: s.startedAt,
  timer_paused_at: s.pausedAt,
  timer_paused_ms: Math.round(s.pausedMs),
  timer_extended_sec: s.extendedSec,
  timer_stopped_at: s.stoppedAt,
});

/** What the audit log keeps of a timer: the stored state, without the limit (a slot setting). */
const auditTimer = (s: TimerState) => ({
  status: timerStatus(s),
  startedAt: s.startedAt,
  pausedAt: s.pausedAt,
  pausedMs: Math.round(s.pausedMs),
  extendedSec: s.extendedSec,
  stoppedAt: s.stoppedAt,
});

function apply(action: TimerAction, s: TimerState, now: Date, seconds: number | undefined): TimerState {
  switch (action) {
    case 'start':
      return startTimer(s, now);
    case 'pause':
      return pauseTimer(s, now);
    case 'resume':
      return resumeTimer(s, now);
    case 'extend':
      if (seconds === undefined) throw new AppError('validation_failed', { detail: 'seconds' });
      return extendTimer(s, seconds);
    case 'stop':
      return stopTimer(s, now);
    case 'reset':
      return resetTimer(s);
  }
}

/**
 * One action on a slot's stage timer (organizer; the event must not be locked), under the per-event
 * lock like every slot change. Starting makes the slot the event's current one. Stopping records the
 * overtime (ceil seconds) in slots.overtime_sec — the organizer's later manual correction overrides
 * it — and, with the event's autoOpenOnStop, opens scoring of a pending slot. Reset clears both.
 * Stopping a closed slot's timer so that its overtime changes needs a reason, as a manual correction does.
 * Call it outside a transaction: the auto-open runs in its own, after this one committed.
 */
export async function timerAction(
  ctx: Ctx,
  eventId: string,
  slotId: string,
  input: {
    action: TimerAction;
    seconds?: number | undefined;
    reason?: string | undefined;
    withdrawPublication?: boolean | undefined;
  },
): Promise<TimerView> {
  requireOrganizer(ctx.actor);
  const { action } = input;
  const result = await withTransaction(ctx, async (tctx) => {
    const event = await lockEventRow(tctx, eventId);
    assertNotLocked(event);
    const slot = await loadSlotRow(tctx.db, eventId, slotId);
    // A closed slot's score may already be on the big screen: re-timing it, or wiping its recorded
    // overtime, would change a shown result without the reason a manual correction requires.
    if ((action === 'start' || action === 'reset') && slot.state === 'closed') {
      throw new AppError('slot_already_closed');
    }

    const before = timerStateOf(slot);
    const after = apply(action, before, ctx.now, input.seconds);
    const overtimeBefore = Number(slot.overtime_sec);
    const overtimeAfter =
      action === 'stop'
        ? overtimeSeconds(readTimer(after, ctx.now.getTime()))
        : action === 'reset'
          ? 0
          : overtimeBefore;
    // One rule with the manual correction (patchSlot): a closed slot's overtime, and so its penalty and
    // shown score, changes only with a stated reason.
    const reason = input.reason?.trim() || null;
    if (slot.state === 'closed' && overtimeAfter !== overtimeBefore) {
      if (!reason) throw invalid(tctx, 'reasonRequired');
      await withdrawPublicationFor(tctx, event, { confirmed: input.withdrawPublication === true, reason });
    }

    await tctx.db
      .updateTable('slots')
      .set({ ...timerColumns(after), overtime_sec: overtimeAfter })
      .where('id', '=', slotId)
      .execute();
    const currentBefore = event.current_slot_id;
    if (action === 'start' && currentBefore !== slotId) {
      await tctx.db
        .updateTable('events')
        .set({ current_slot_id: slotId })
        .where('id', '=', eventId)
        .execute();
    }
    const recordsOvertime = action === 'stop' || action === 'reset';
    await audit(tctx, {
      eventId,
      action: `timer.${action}`,
      target: slot.unit_name,
      before: {
        ...auditTimer(before),
        ...(recordsOvertime ? { overtimeSec: overtimeBefore } : {}),
        ...(action === 'start' ? { currentSlotId: currentBefore } : {}),
      },
      after: {
        ...auditTimer(after),
        ...(action === 'extend' ? { addedSec: input.seconds } : {}),
        ...(recordsOvertime ? { overtimeSec: overtimeAfter } : {}),
        ...(action === 'start' ? { currentSlotId: slotId } : {}),
      },
      reason,
    });
    return {
      view: presentTimer(slotId, after),
      autoOpen: action === 'stop' && Number(event.auto_open_on_stop) === 1 && slot.state === 'pending',
    };
  });

  notify(
    ctx,
    eventId,
    'timer',
    'screen',
    ...(action === 'stop' || action === 'reset' ? (['slots', 'results'] as const) : []),
  );
  if (result.autoOpen) {
    // After our commit, in its own transaction: openSlot takes the per-event lock itself, and holding
    // ours meanwhile would deadlock on PostgreSQL. A window closed in between is not the timer's
    // business: the stop stands.
    try {
      await openSlot(ctx, eventId, slotId);
    } catch (e) {
      if (!(isAppError(e) && (e.code === 'slot_already_closed' || e.code === 'event_locked'))) throw e;
    }
  }
  return result.view;
}
