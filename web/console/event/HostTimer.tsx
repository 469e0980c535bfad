// The stage timer in the host console. The server keeps the timer's state; the face is computed every
// animation frame from readTimer(state, server clock) by the big screen's own rule and rounding
// (web/common/stage-timer.ts) and written straight into the DOM, so React does not re-render sixty
// times a second.
import {
  CaretRightOutlined,
  PauseOutlined,
  PlusOutlined,
  StepForwardOutlined,
  StopOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import { App, Button, Space, Switch, Typography } from 'antd';
import { type CSSProperties, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimerView } from '../../../src/modules/event/schemas.ts';
import { useFrameLoop, useLatest } from '../../common/frame-loop.ts';
import { type TimerPhase, timerFace } from '../../common/stage-timer.ts';
import { useReasonPrompt } from '../components/ReasonPrompt.tsx';
import { withTestId } from '../components/testId.ts';
import { useBusyKey } from '../hooks.ts';
import { mmss } from './AgendaTab.tsx';

const phaseColor: Record<TimerPhase, string> = {
  idle: '#595959',
  running: '#262626',
  lastMinute: '#d48806',
  overtime: '#cf1322',
  paused: '#8c8c8c',
  stopped: '#262626',
};

/** Big digits; `size` is the digits' font size in px. */
export function TimerDisplay({
  timer,
  serverNow,
  size,
  testId,
  style,
}: {
  timer: TimerView;
  serverNow: () => number;
  size: number;
  testId?: string;
  style?: CSSProperties;
}) {
  const { t, i18n } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const digits = useRef<HTMLDivElement>(null);
  const label = useRef<HTMLDivElement>(null);
  const timerRef = useLatest(timer);
  const nowRef = useLatest(serverNow);
  const tRef = useLatest(t);

  // The language starts a new painter, so the label follows it.
  useFrameLoop(() => {
    let shownText = '';
    let shownPhase = '';
    return () => {
      const current = timerRef.current;
      const face = timerFace(current, nowRef.current());
      const el = box.current;
      if (el && digits.current && label.current) {
        el.dataset.remainingMs = String(Math.round(face.remainingMs));
        if (face.text !== shownText) {
          digits.current.textContent = face.text;
          shownText = face.text;
        }
        const over = face.remainingMs < 0;
        const phaseKey = `${face.phase}/${current.status}/${over}`;
        if (phaseKey !== shownPhase) {
          el.dataset.phase = face.phase;
          el.dataset.status = current.status;
          // A stopped timer that ran over stays red: the overtime is what the penalty is about.
          el.style.color = face.phase === 'stopped' && over ? phaseColor.overtime : phaseColor[face.phase];
          // Overtime while paused is still overtime in colour, but the label says it is paused.
          label.current.textContent = tRef.current(
            `host.timer.phases.${current.status === 'paused' ? 'paused' : face.phase}`,
          );
          shownPhase = phaseKey;
        }
      }
    };
  }, [i18n.language]);

  return (
    <div ref={box} data-testid={testId} style={{ textAlign: 'center', ...style }}>
      <div
        ref={digits}
        style={{
          fontSize: size,
          fontWeight: 700,
          lineHeight: 1.05,
          fontVariantNumeric: 'tabular-nums',
          letterSpacing: '0.02em',
        }}
      />
      <div ref={label} style={{ fontSize: Math.max(12, Math.round(size / 5)), fontWeight: 500 }} />
    </div>
  );
}

export interface TimerPanelProps {
  slotName: string;
  timer: TimerView;
  serverNow: () => number;
  /** The slot's recorded overtime (the timer's, or the organizer's correction). */
  overtimeSec: number;
  penalty: { points: number; perSeconds: number };
  decimals: number;
  slotClosed: boolean;
  canAct: boolean;
  autoOpenOnStop: boolean;
  /** Observers see the timer, not the setting. */
  showSetting: boolean;
  onAction: (
    action: 'start' | 'pause' | 'resume' | 'extend' | 'stop' | 'reset',
    seconds?: number,
    reason?: string,
  ) => Promise<void>;
  onAutoOpen: (on: boolean) => Promise<void>;
}

export function overtimePenalty(overtimeSec: number, rule: { points: number; perSeconds: number }): number {
  if (rule.points <= 0 || overtimeSec <= 0 || rule.perSeconds <= 0) return 0;
  return rule.points * Math.ceil(overtimeSec / rule.perSeconds);
}

export function TimerPanel(props: TimerPanelProps) {
  const { timer, canAct, slotClosed } = props;
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const { busy, whileBusy } = useBusyKey();
  const [savingSetting, setSavingSetting] = useState(false);

  const [ask, reasonModal] = useReasonPrompt();
  const run = (key: string, action: Parameters<TimerPanelProps['onAction']>[0], seconds?: number) =>
    whileBusy(key, () => props.onAction(action, seconds));
  // On a closed slot the stop changes a recorded overtime (and the score): it asks why, as a manual
  // correction does. On an open or pending one it stays one click: the click is the instant.
  const stop = async () => {
    if (!slotClosed) return run('stop', 'stop');
    const reason = await ask(
      t('host.timer.stopReasonTitle', { unit: props.slotName }),
      t('live.adjustReasonWarning'),
    );
    if (reason === null) return;
    return whileBusy('stop', () => props.onAction('stop', undefined, reason));
  };
  const reset = () =>
    modal.confirm({
      title: t('host.timer.resetConfirm', { unit: props.slotName }),
      content: t('host.timer.resetWarning'),
      okText: t('host.timer.reset'),
      okButtonProps: withTestId('confirm-ok', { danger: true }),
      onOk: () => run('reset', 'reset'),
    });

  const status = timer.status;
  const extendable = status !== 'stopped';
  const penalty = overtimePenalty(props.overtimeSec, props.penalty);
  const showRecord = status === 'stopped' || props.overtimeSec > 0;

  return (
    <div data-testid="timer-panel" data-timer-status={status}>
      {reasonModal}
      <TimerDisplay timer={timer} serverNow={props.serverNow} size={88} testId="timer-display" />
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginBottom: 12 }}>
        {t('host.timer.limit', { time: mmss(timer.limitSec) })}
        {timer.extendedSec > 0 ? ` · ${t('host.timer.extended', { time: mmss(timer.extendedSec) })}` : ''}
      </Typography.Paragraph>
      {showRecord ? (
        <div
          style={{ textAlign: 'center', marginBottom: 12, fontSize: 16 }}
          data-testid="timer-record"
          data-overtime-sec={props.overtimeSec}
          data-penalty={penalty}
        >
          <Typography.Text type={props.overtimeSec > 0 ? 'danger' : 'success'} strong>
            {props.overtimeSec > 0
              ? t('host.timer.recordedOvertime', { time: mmss(props.overtimeSec), sec: props.overtimeSec })
              : t('host.timer.recordedInTime')}
          </Typography.Text>
          {props.overtimeSec > 0 ? (
            <Typography.Text type="danger" style={{ marginLeft: 8 }}>
              {props.penalty.points > 0
                ? t('host.timer.impliedPenalty', { points: penalty.toFixed(props.decimals) })
                : t('host.timer.noPenaltyRule')}
            </Typography.Text>
          ) : null}
        </div>
      ) : null}
      {canAct ? (
        <Space wrap size="middle" style={{ width: '100%', justifyContent: 'center' }}>
          {status === 'idle' && !slotClosed ? (
            <Button
              type="primary"
              size="large"
              icon={<CaretRightOutlined />}
              loading={busy === 'start'}
              onClick={() => void run('start', 'start')}
              data-testid="timer-start"
            >
              {t('host.timer.start')}
            </Button>
          ) : null}
          {status === 'running' ? (
            <Button
              size="large"
              icon={<PauseOutlined />}
              loading={busy === 'pause'}
              onClick={() => void run('pause', 'pause')}
              data-testid="timer-pause"
            >
              {t('host.timer.pause')}
            </Button>
          ) : null}
          {status === 'paused' ? (
            <Button
              type="primary"
              size="large"
              icon={<StepForwardOutlined />}
              loading={busy === 'resume'}
              onClick={() => void run('resume', 'resume')}
              data-testid="timer-resume"
            >
              {t('host.timer.resume')}
            </Button>
          ) : null}
          {status === 'running' || status === 'paused' ? (
            // No confirmation: the click is the instant the speech ends, and a dialog would add the
            // organizer's reading time to the speaker's overtime. Reset undoes a stop by mistake.
            <Button
              danger
              type="primary"
              size="large"
              icon={<StopOutlined />}
              loading={busy === 'stop'}
              onClick={() => void stop()}
              data-testid="timer-stop"
            >
              {t('host.timer.stop')}
            </Button>
          ) : null}
          {extendable ? (
            <Space.Compact>
              <Button
                icon={<PlusOutlined />}
                loading={busy === 'extend30'}
                onClick={() => void run('extend30', 'extend', 30)}
                data-testid="timer-extend-30"
              >
                {t('host.timer.extend30')}
              </Button>
              <Button
                icon={<PlusOutlined />}
                loading={busy === 'extend60'}
                onClick={() => void run('extend60', 'extend', 60)}
                data-testid="timer-extend-60"
              >
                {t('host.timer.extend60')}
              </Button>
            </Space.Compact>
          ) : null}
          {status !== 'idle' && !slotClosed ? (
            <Button
              icon={<UndoOutlined />}
              loading={busy === 'reset'}
              onClick={reset}
              data-testid="timer-reset"
            >
              {t('host.timer.reset')}
            </Button>
          ) : null}
        </Space>
      ) : null}
      {props.showSetting ? (
        <div style={{ marginTop: 16, textAlign: 'center' }}>
          <Space>
            <Switch
              checked={props.autoOpenOnStop}
              disabled={!canAct}
              loading={savingSetting}
              onChange={async (on) => {
                setSavingSetting(true);
                try {
                  await props.onAutoOpen(on);
                } finally {
                  setSavingSetting(false);
                }
              }}
              data-testid="auto-open-toggle"
            />
            <Typography.Text>{t('host.timer.autoOpen')}</Typography.Text>
          </Space>
        </div>
      ) : null}
    </div>
  );
}
