// The speaker's stage timer, small, at the top of the judge page: the same reading as the big screen,
// computed on the phone from the server's timer state and the measured clock offset.
import { useEffect, useState } from 'react';
import { readTimer } from '../../src/modules/event/domain/timer.ts';
import type { JudgeSlotView, TimerView } from '../../src/modules/event/schemas.ts';
import type { T } from './i18n.ts';

/** The judge state may carry each slot's timer (when the server sends it); nothing shows otherwise. */
export type SlotWithTimer = JudgeSlotView & { timer?: TimerView | null };

/** The timer worth showing: the one running or paused, else the shown slot's once it has started. */
export function pickTimer(
  slots: SlotWithTimer[],
  shownSlotId: string | null,
): { slot: SlotWithTimer; timer: TimerView } | null {
  const live = slots.find((s) => s.timer && (s.timer.status === 'running' || s.timer.status === 'paused'));
  if (live?.timer) return { slot: live, timer: live.timer };
  const shown = slots.find((s) => s.id === shownSlotId);
  if (shown?.timer && shown.timer.status !== 'idle') return { slot: shown, timer: shown.timer };
  return null;
}

/** m:ss of a duration, rounded the way a countdown is read: 0.2 s left still shows 0:01. */
export function clock(ms: number, roundUp: boolean): string {
  const total = Math.max(0, roundUp ? Math.ceil(ms / 1000) : Math.floor(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

export function StageTimer({
  slot,
  timer,
  offsetMs,
  shownSlotId,
  t,
}: {
  slot: JudgeSlotView;
  timer: TimerView;
  /** serverTime − phoneTime. */
  offsetMs: number;
  shownSlotId: string | null;
  t: T;
}) {
  const [now, setNow] = useState(() => Date.now());
  const running = timer.status === 'running';
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    // Four times a second keeps the displayed second within 250 ms of the big screen's.
    const h = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(h);
  }, [running]);

  const reading = readTimer(timer, now + offsetMs);
  const over = reading.remainingMs < 0;
  const tone = over ? 'over' : reading.remainingMs <= 60_000 ? 'last-minute' : 'normal';
  let text: string;
  if (timer.status === 'stopped') {
    text = over
      ? t('timer.stoppedOver', {
          time: clock(reading.elapsedMs, false),
          over: clock(reading.overtimeMs, true),
        })
      : t('timer.stopped', { time: clock(reading.elapsedMs, false) });
  } else if (over) {
    text = t('timer.over', { over: clock(reading.overtimeMs, true) });
  } else {
    text = clock(reading.remainingMs, true);
  }
  return (
    <div
      className={`stage-timer ${tone} ${timer.status}`}
      data-testid="stage-timer"
      data-status={timer.status}
      role="timer"
    >
      {slot.id !== shownSlotId && <span className="stage-timer-unit">{slot.unitName}</span>}
      <span className="stage-timer-label">
        {timer.status === 'paused' ? t('timer.paused') : t('timer.label')}
      </span>
      <span className="stage-timer-value">{text}</span>
    </div>
  );
}
