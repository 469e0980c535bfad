// The stage timer's face, shared by the big screen and the host console so that both show the same
// digits and the same phase at the same moment: computed from readTimer(state, server clock), with the
// same rounding. Pure, and free of Ant Design (the big screen loads none).
import { readTimer } from '../../src/modules/event/domain/timer.ts';
import type { TimerView } from '../../src/modules/event/schemas.ts';

export const LAST_MINUTE_MS = 60_000;

export type TimerPhase = 'idle' | 'running' | 'lastMinute' | 'overtime' | 'paused' | 'stopped';

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * The timer's digits. Counting down, a started second still shows (08:00 until a full second has
 * passed, 00:00 only at the limit); over time a started second counts, as in the recorded overtime.
 */
export function formatClock(remainingMs: number): { text: string; overtime: boolean } {
  if (remainingMs >= 0) {
    const s = Math.ceil(remainingMs / 1000);
    return { text: `${pad(Math.floor(s / 60))}:${pad(s % 60)}`, overtime: false };
  }
  const s = Math.ceil(-remainingMs / 1000);
  return { text: `+${pad(Math.floor(s / 60))}:${pad(s % 60)}`, overtime: true };
}

/** The face and its phase. A timer paused over time is in 'overtime': the colour stays the overtime's. */
export function timerFace(
  timer: TimerView,
  serverNowMs: number,
): { text: string; phase: TimerPhase; remainingMs: number } {
  const r = readTimer(timer, serverNowMs);
  const { text, overtime } = formatClock(r.remainingMs);
  let phase: TimerPhase;
  if (r.status === 'idle') phase = 'idle';
  else if (r.status === 'stopped') phase = 'stopped';
  else if (overtime) phase = 'overtime';
  else if (r.status === 'paused') phase = 'paused';
  else phase = r.remainingMs <= LAST_MINUTE_MS ? 'lastMinute' : 'running';
  return { text, phase, remainingMs: r.remainingMs };
}
