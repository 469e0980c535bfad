// The stage timer in very large digits. The server sends only the timer's state; the face is computed
// here every animation frame from readTimer(state, Date.now() + clock offset), and the DOM is touched
// only when the text or the phase changes (React never re-renders per frame).
import { useRef } from 'react';
import type { TimerView } from '../../src/modules/event/schemas.ts';
import { useFrameLoop, useLatest } from '../common/frame-loop.ts';
import { timerFace } from '../common/stage-timer.ts';
import type { T } from './i18n.ts';

interface Props {
  timer: TimerView;
  /** Server time minus this computer's time, in ms (read each frame: it improves as pings return). */
  offsetRef: { readonly current: number };
  t: T;
}

export function StageTimer({ timer, offsetRef, t }: Props) {
  const boxRef = useRef<HTMLDivElement>(null);
  const digitsRef = useRef<HTMLDivElement>(null);
  const labelRef = useRef<HTMLDivElement>(null);
  const timerRef = useLatest(timer);
  const tRef = useLatest(t);

  useFrameLoop(() => {
    let shownText = '';
    let shownPhase = '';
    let shownLabel = '';
    return () => {
      const current = timerRef.current;
      const { text, phase } = timerFace(current, Date.now() + offsetRef.current);
      const paused = current.status === 'paused';
      const label = tRef.current(`speaker.timer.${paused ? 'paused' : phase}`);
      const box = boxRef.current;
      if (box && digitsRef.current && labelRef.current) {
        if (text !== shownText) {
          digitsRef.current.textContent = text;
          shownText = text;
        }
        const phaseKey = `${phase}${paused ? ' paused' : ''}`;
        if (phaseKey !== shownPhase) {
          box.className = `timer timer-${phase}${paused ? ' timer-is-paused' : ''}`;
          box.dataset.phase = phase;
          box.dataset.status = current.status;
          shownPhase = phaseKey;
        }
        if (label !== shownLabel) {
          labelRef.current.textContent = label;
          shownLabel = label;
        }
      }
    };
  }, [offsetRef]);

  return (
    <div ref={boxRef} className="timer" data-testid="timer">
      <div ref={digitsRef} className="timer-digits" data-testid="timer-digits" />
      <div ref={labelRef} className="timer-label" data-testid="timer-label" />
    </div>
  );
}
