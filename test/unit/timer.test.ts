// The stage timer's pure rules: every transition, the arithmetic of pauses and extensions, overtime
// rounding, and the refusal of transitions that make no sense.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/kernel/errors.ts';
import {
  extendTimer,
  idleTimer,
  overtimeSeconds,
  pauseTimer,
  readTimer,
  resetTimer,
  resumeTimer,
  startTimer,
  stopTimer,
  type TimerState,
  timerStatus,
} from '../../src/modules/event/domain/timer.ts';

const T0 = Date.parse('2024-05-20T01:00:00.000Z');
/** The instant `sec` seconds after T0. */
const at = (sec: number): Date => new Date(T0 + sec * 1000);
const ms = (sec: number): number => T0 + sec * 1000;

function expectInvalid(fn: () => unknown, action: string, status: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('timer_invalid');
    expect((e as AppError).params).toEqual({ action, status });
    return;
  }
  throw new Error(`expected timer_invalid for ${action} on ${status}`);
}

describe('stage timer transitions', () => {
  const idle = idleTimer(480);
  const running = startTimer(idle, at(0));
  const paused = pauseTimer(running, at(100));
  const stopped = stopTimer(running, at(200));

  it('an idle timer reads its full limit and nothing elapsed', () => {
    expect(timerStatus(idle)).toBe('idle');
    expect(readTimer(idle, ms(1000))).toEqual({
      status: 'idle',
      allowedMs: 480_000,
      elapsedMs: 0,
      remainingMs: 480_000,
      overtimeMs: 0,
    });
  });

  it('start records the instant and runs with the clock', () => {
    expect(running.startedAt).toBe(at(0).toISOString());
    expect(timerStatus(running)).toBe('running');
    expect(readTimer(running, ms(60)).elapsedMs).toBe(60_000);
    expect(readTimer(running, ms(60)).remainingMs).toBe(420_000);
  });

  it('pause freezes the reading however long the pause lasts', () => {
    expect(timerStatus(paused)).toBe('paused');
    expect(readTimer(paused, ms(100)).elapsedMs).toBe(100_000);
    expect(readTimer(paused, ms(5000)).elapsedMs).toBe(100_000);
  });

  it('resume adds the pause to pausedMs, so paused time never counts', () => {
    const resumed = resumeTimer(paused, at(160));
    expect(timerStatus(resumed)).toBe('running');
    expect(resumed.pausedAt).toBeNull();
    expect(resumed.pausedMs).toBe(60_000);
    expect(readTimer(resumed, ms(200)).elapsedMs).toBe(140_000);
  });

  it('several pauses add up', () => {
    let s: TimerState = startTimer(idleTimer(300), at(0));
    s = pauseTimer(s, at(10));
    s = resumeTimer(s, at(15)); // 5 s paused
    s = pauseTimer(s, at(50));
    s = resumeTimer(s, at(80)); // 30 s paused
    expect(s.pausedMs).toBe(35_000);
    expect(readTimer(s, ms(100)).elapsedMs).toBe(65_000);
  });

  it('extend adds to the allowed time in any state but stopped, and extensions accumulate', () => {
    expect(readTimer(extendTimer(idle, 60), ms(0)).allowedMs).toBe(540_000);
    expect(extendTimer(running, 30).extendedSec).toBe(30);
    expect(extendTimer(extendTimer(running, 30), 45).extendedSec).toBe(75);
    const extendedWhilePaused = extendTimer(paused, 60);
    expect(timerStatus(extendedWhilePaused)).toBe('paused');
    expect(readTimer(extendedWhilePaused, ms(100)).remainingMs).toBe(440_000);
  });

  it('stop freezes the reading at the stop instant', () => {
    expect(timerStatus(stopped)).toBe('stopped');
    expect(stopped.stoppedAt).toBe(at(200).toISOString());
    expect(readTimer(stopped, ms(9999)).elapsedMs).toBe(200_000);
  });

  it('stopping a paused timer ends the pause first: the pause is not speaking time', () => {
    const s = stopTimer(paused, at(400));
    expect(timerStatus(s)).toBe('stopped');
    expect(s.pausedAt).toBeNull();
    expect(s.pausedMs).toBe(300_000);
    expect(readTimer(s, ms(10_000)).elapsedMs).toBe(100_000);
  });

  it('reset goes back to idle with the same limit, from any state', () => {
    for (const s of [idle, running, paused, stopped, extendTimer(running, 60)]) {
      expect(resetTimer(s)).toEqual(idleTimer(480));
    }
  });

  it('refuses transitions that make no sense, naming the action and the status', () => {
    expectInvalid(() => startTimer(running, at(1)), 'start', 'running');
    expectInvalid(() => startTimer(paused, at(1)), 'start', 'paused');
    expectInvalid(() => startTimer(stopped, at(1)), 'start', 'stopped');
    expectInvalid(() => pauseTimer(idle, at(1)), 'pause', 'idle');
    expectInvalid(() => pauseTimer(paused, at(1)), 'pause', 'paused');
    expectInvalid(() => pauseTimer(stopped, at(1)), 'pause', 'stopped');
    expectInvalid(() => resumeTimer(idle, at(1)), 'resume', 'idle');
    expectInvalid(() => resumeTimer(running, at(1)), 'resume', 'running');
    expectInvalid(() => resumeTimer(stopped, at(1)), 'resume', 'stopped');
    expectInvalid(() => stopTimer(idle, at(1)), 'stop', 'idle');
    expectInvalid(() => stopTimer(stopped, at(1)), 'stop', 'stopped');
    expectInvalid(() => extendTimer(stopped, 30), 'extend', 'stopped');
  });

  it('refuses extensions that are not a whole number of seconds between 1 and 3600', () => {
    for (const bad of [0, -5, 1.5, 3601, Number.NaN]) {
      expectInvalid(() => extendTimer(running, bad), 'extend', 'running');
    }
    expect(extendTimer(running, 1).extendedSec).toBe(1);
    expect(extendTimer(running, 3600).extendedSec).toBe(3600);
  });

  it('never mutates the state it was given', () => {
    const before = structuredClone(paused);
    resumeTimer(paused, at(500));
    stopTimer(paused, at(500));
    extendTimer(paused, 10);
    expect(paused).toEqual(before);
  });
});

describe('overtime', () => {
  const running = startTimer(idleTimer(60), at(0));

  it('is zero up to and including the allowed time', () => {
    expect(overtimeSeconds(readTimer(running, ms(30)))).toBe(0);
    expect(overtimeSeconds(readTimer(running, ms(60)))).toBe(0);
    expect(readTimer(running, ms(60)).remainingMs).toBe(0);
  });

  it('counts every started second: 1 ms over is 1 s, 10.001 s over is 11 s, exactly 10 s is 10 s', () => {
    expect(overtimeSeconds(readTimer(running, T0 + 60_001))).toBe(1);
    expect(overtimeSeconds(readTimer(running, T0 + 70_000))).toBe(10);
    expect(overtimeSeconds(readTimer(running, T0 + 70_001))).toBe(11);
    expect(readTimer(running, T0 + 70_001).remainingMs).toBe(-10_001);
    expect(readTimer(running, T0 + 70_001).overtimeMs).toBe(10_001);
  });

  it('is measured against the limit plus extensions, net of pauses', () => {
    let s = pauseTimer(running, at(30));
    s = resumeTimer(s, at(90)); // 60 s paused
    s = extendTimer(s, 20); // allowed 80 s
    s = stopTimer(s, new Date(T0 + 172_500)); // 112.5 s spoken
    const r = readTimer(s, ms(10_000));
    expect(r.elapsedMs).toBe(112_500);
    expect(r.allowedMs).toBe(80_000);
    expect(r.overtimeMs).toBe(32_500);
    expect(overtimeSeconds(r)).toBe(33);
  });

  it('a stopped timer keeps its overtime whenever it is read', () => {
    const s = stopTimer(running, at(75));
    expect(overtimeSeconds(readTimer(s, ms(75)))).toBe(15);
    expect(overtimeSeconds(readTimer(s, ms(100_000)))).toBe(15);
  });
});
