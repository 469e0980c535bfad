// A slot's stage timer as stored (its timer_* columns) and as the API presents it. Apart from
// timer.ts (the organizer's actions) so that readers of the timer (judge state, host console, big
// screen) do not import the actions.

import type { Ctx } from '../../platform/context.ts';
import type { SlotRow } from '../../platform/db/schema.ts';
import { type TimerState, timerStatus } from './domain/timer.ts';
import type { TimerView } from './schemas.ts';

export type TimerColumns = Pick<
  SlotRow,
  | 'time_limit_sec'
  | 'timer_started_at'
  | 'timer_paused_at'
  | 'timer_paused_ms'
  | 'timer_extended_sec'
  | 'timer_stopped_at'
>;

/** The timer as stored in a slot row (PostgreSQL may hand integers back as strings: Number()). */
export function timerStateOf(row: TimerColumns): TimerState {
  return {
    limitSec: Number(row.time_limit_sec),
    startedAt: row.timer_started_at,
    pausedAt: row.timer_paused_at,
    pausedMs: Number(row.timer_paused_ms),
    extendedSec: Number(row.timer_extended_sec),
    stoppedAt: row.timer_stopped_at,
  };
}

export function presentTimer(slotId: string, s: TimerState): TimerView {
  return {
    slotId,
    limitSec: s.limitSec,
    startedAt: s.startedAt,
    pausedAt: s.pausedAt,
    pausedMs: Math.round(s.pausedMs),
    extendedSec: s.extendedSec,
    stoppedAt: s.stoppedAt,
    status: timerStatus(s),
  };
}

/** The timer columns of every slot of an event. */
export function loadSlotTimers(
  ctx: Pick<Ctx, 'db'>,
  eventId: string,
): Promise<(TimerColumns & { id: string })[]> {
  return ctx.db
    .selectFrom('slots')
    .select([
      'id',
      'time_limit_sec',
      'timer_started_at',
      'timer_paused_at',
      'timer_paused_ms',
      'timer_extended_sec',
      'timer_stopped_at',
    ])
    .where('event_id', '=', eventId)
    .execute();
}
