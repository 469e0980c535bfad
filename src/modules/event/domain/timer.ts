// The stage timer, server-authoritative: the server keeps when it started, pauses and extensions;
// every client derives the remaining time from the same state and its measured clock offset.
import { AppError } from '../../../kernel/errors.ts';

export interface TimerState {
  /** The slot's time limit. */
  limitSec: number;
  startedAt: string | null;
  pausedAt: string | null;
  /** Total milliseconds spent paused before the current pause. */
  pausedMs: number;
  extendedSec: number;
  stoppedAt: string | null;
}

export type TimerStatus = 'idle' | 'running' | 'paused' | 'stopped';

export interface TimerReading {
  status: TimerStatus;
  /** limit + extensions, in ms. */
  allowedMs: number;
  elapsedMs: number;
  /** Negative once overtime. */
  remainingMs: number;
  overtimeMs: number;
}

export const idleTimer = (limitSec: number): TimerState => ({
  limitSec,
  startedAt: null,
  pausedAt: null,
  pausedMs: 0,
  extendedSec: 0,
  stoppedAt: null,
});

export function timerStatus(s: TimerState): TimerStatus {
  if (!s.startedAt) return 'idle';
  if (s.stoppedAt) return 'stopped';
  if (s.pausedAt) return 'paused';
  return 'running';
}

/** Reads the timer at `nowMs` (server time). Pure: the same state and instant give the same reading. */
export function readTimer(s: TimerState, nowMs: number): TimerReading {
  const allowedMs = (s.limitSec + s.extendedSec) * 1000;
  const status = timerStatus(s);
  let elapsedMs = 0;
  if (s.startedAt) {
    const end = s.stoppedAt ? Date.parse(s.stoppedAt) : s.pausedAt ? Date.parse(s.pausedAt) : nowMs;
    elapsedMs = Math.max(0, end - Date.parse(s.startedAt) - s.pausedMs);
  }
  const remainingMs = allowedMs - elapsedMs;
  return { status, allowedMs, elapsedMs, remainingMs, overtimeMs: Math.max(0, -remainingMs) };
}

/** Whole seconds over the allowed time, rounded up: a started second counts. */
export const overtimeSeconds = (r: TimerReading): number => Math.ceil(r.overtimeMs / 1000);

function invalid(action: string, s: TimerState): never {
  throw new AppError('timer_invalid', { action, status: timerStatus(s) });
}

export function startTimer(s: TimerState, now: Date): TimerState {
  if (timerStatus(s) !== 'idle') invalid('start', s);
  return { ...s, startedAt: now.toISOString() };
}

export function pauseTimer(s: TimerState, now: Date): TimerState {
  if (timerStatus(s) !== 'running') invalid('pause', s);
  return { ...s, pausedAt: now.toISOString() };
}

export function resumeTimer(s: TimerState, now: Date): TimerState {
  if (timerStatus(s) !== 'paused' || !s.pausedAt) invalid('resume', s);
  return { ...s, pausedAt: null, pausedMs: s.pausedMs + Math.max(0, now.getTime() - Date.parse(s.pausedAt)) };
}

export function extendTimer(s: TimerState, seconds: number): TimerState {
  const st = timerStatus(s);
  if (st === 'stopped' || !Number.isInteger(seconds) || seconds <= 0 || seconds > 3600) invalid('extend', s);
  return { ...s, extendedSec: s.extendedSec + seconds };
}

/** Stopping a paused timer ends the pause first, so paused time never counts as speaking time. */
export function stopTimer(s: TimerState, now: Date): TimerState {
  const st = timerStatus(s);
  if (st === 'idle' || st === 'stopped') invalid('stop', s);
  const resumed = st === 'paused' ? resumeTimer(s, now) : s;
  return { ...resumed, stoppedAt: now.toISOString() };
}

/** Back to idle, e.g. when a speaker started by mistake. */
export const resetTimer = (s: TimerState): TimerState => idleTimer(s.limitSec);
