// 主控台: the one page from which the organizer runs the event day. The agenda with the speaker on
// stage and the next one; for the selected slot the stage timer, scoring (open / close / reopen,
// "N / M 已评分" with the names — never the values — of the judges still missing) and the overtime
// and penalty corrections; the big screen (preview, mode, theme, reveal, screen links); and, always in
// view, whether the console itself is connected. Everything comes from the live host state
// (useHostFeed); every action that cannot be undone asks first.
import {
  CheckCircleOutlined,
  DisconnectOutlined,
  LockOutlined,
  PlayCircleOutlined,
  RedoOutlined,
  StopOutlined,
  SyncOutlined,
  UserSwitchOutlined,
  WifiOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Empty,
  Form,
  InputNumber,
  Progress,
  Row,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  EventDetail,
  HostState,
  ScreenMode,
  ScreenState,
  SlotProgress,
  TimerView,
} from '../../../src/modules/event/schemas.ts';
import { api } from '../../common/api.ts';
import { formatTime } from '../../common/format.ts';
import type { LiveStatus } from '../../common/live-client.ts';
import { trackLabel } from '../accounts/Units.tsx';
import { useReasonPrompt } from '../components/ReasonPrompt.tsx';
import { LoadError, PageLoading } from '../components/States.tsx';
import { withTestId } from '../components/testId.ts';
import { useAction, useBusyKey, useErrorText, validValues } from '../hooks.ts';
import { slotStateColor } from './AgendaTab.tsx';
import { ScreenPanel } from './HostScreen.tsx';
import { overtimePenalty, TimerPanel } from './HostTimer.tsx';
import { type EventTabProps, requireDetail } from './types.ts';
import { useHostFeed } from './useHostFeed.ts';

type HostSlot = HostState['slots'][number];

/** The banner waits this long before saying the connection is gone: a normal (re)connect is quicker. */
const BANNER_GRACE_MS = 1500;

const idleTimer = (slotId: string, limitSec: number): TimerView => ({
  slotId,
  limitSec,
  startedAt: null,
  pausedAt: null,
  pausedMs: 0,
  extendedSec: 0,
  stoppedAt: null,
  status: 'idle',
});

/**
 * Observers have no host state (it is the organizer's): the same shape from what they may read — the
 * event detail, the progress counts and the big screen's view (which carries the timer on stage).
 */
function observerHost(
  d: EventDetail,
  progress: SlotProgress[] | null,
  screen: ScreenState | null,
): HostState {
  const byId = new Map((progress ?? []).map((p) => [p.slotId, p]));
  const current = screen?.current ?? null;
  return {
    eventId: d.event.id,
    status: d.event.status,
    currentSlotId: current?.slotId ?? null,
    screen: {
      mode: screen?.mode ?? 'title',
      trackId: screen?.reveal?.trackId ?? null,
      theme: screen?.theme ?? 'red',
    },
    autoOpenOnStop: false,
    slots: d.slots.map((s) => ({
      ...s,
      state: byId.get(s.id)?.state ?? s.state,
      timer: current?.slotId === s.id ? current.timer : idleTimer(s.id, s.timeLimitSec),
    })),
    progress:
      progress ?? d.slots.map((s) => ({ slotId: s.id, state: s.state, scored: 0, eligible: 0, missing: [] })),
    revealedTrackIds: d.event.revealedTrackIds,
  };
}

/** On stage: the slot the organizer put there, else the one being scored (as the big screen decides). */
function stageOf(slots: HostSlot[], currentSlotId: string | null): { stage?: HostSlot; next?: HostSlot } {
  const stage =
    (currentSlotId ? slots.find((s) => s.id === currentSlotId) : undefined) ??
    slots.find((s) => s.state === 'open');
  const at = stage ? slots.indexOf(stage) : -1;
  const next = [...slots.slice(at + 1), ...slots.slice(0, Math.max(0, at))].find(
    (s) => s.state === 'pending',
  );
  return { stage, next };
}

const statusColor: Record<LiveStatus, string> = { connected: 'green', connecting: 'orange', offline: 'red' };

function ConnectionStatus({ status }: { status: LiveStatus }) {
  const { t } = useTranslation();
  const icon =
    status === 'connected' ? (
      <WifiOutlined />
    ) : status === 'connecting' ? (
      <SyncOutlined spin />
    ) : (
      <DisconnectOutlined />
    );
  return (
    <Tag color={statusColor[status]} icon={icon} data-testid="connection-status" data-status={status}>
      {t(`host.connection.${status}`)}
    </Tag>
  );
}

function SlotScoring({
  eventId,
  d,
  slot,
  progress,
  canAct,
  readOnly,
  onChanged,
}: {
  eventId: string;
  d: EventDetail;
  slot: HostSlot;
  progress: SlotProgress | undefined;
  canAct: boolean;
  readOnly: boolean;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const act = useAction();
  const [ask, reasonModal] = useReasonPrompt();
  const { busy, whileBusy } = useBusyKey();
  const [form] = Form.useForm<{ overtimeSec: number; manualPenalty: number }>();
  const state = slot.state;
  const overtimeSec = Form.useWatch('overtimeSec', form) ?? slot.overtimeSec;

  useEffect(() => {
    form.setFieldsValue({ overtimeSec: slot.overtimeSec, manualPenalty: slot.manualPenalty });
  }, [slot.overtimeSec, slot.manualPenalty, form]);

  const run = async (key: string, fn: () => Promise<unknown>, success: string) => {
    const ok = await whileBusy(key, () => act(fn, success));
    if (ok !== undefined) await onChanged();
  };
  const open = () =>
    run(
      'open',
      () => api.post(`/api/events/${eventId}/slots/${slot.id}/open`),
      t('live.opened', { unit: slot.unitName }),
    );
  const close = () =>
    modal.confirm({
      title: t('live.closeConfirm', { unit: slot.unitName }),
      content:
        progress && progress.scored < progress.eligible
          ? t('live.closeMissing', { count: progress.eligible - progress.scored })
          : t('live.closeAll'),
      okText: t('live.close'),
      okButtonProps: withTestId('confirm-ok', { danger: true }),
      onOk: () =>
        run(
          'close',
          () => api.post(`/api/events/${eventId}/slots/${slot.id}/close`),
          t('live.closed', { unit: slot.unitName }),
        ),
    });
  const reopen = async () => {
    const reason = await ask(t('live.reopenTitle', { unit: slot.unitName }), t('live.reopenWarning'));
    if (reason === null) return;
    await run(
      'reopen',
      () => api.post(`/api/events/${eventId}/slots/${slot.id}/reopen`, { reason }),
      t('live.reopened'),
    );
  };
  const saveAdjust = async () => {
    const v = await validValues(form);
    if (!v) return;
    let reason: string | undefined;
    if (state === 'closed') {
      const r = await ask(t('live.adjustReasonTitle'), t('live.adjustReasonWarning'));
      if (r === null) return;
      reason = r;
    }
    await run(
      'adjust',
      () =>
        api.patch(`/api/events/${eventId}/slots/${slot.id}`, {
          overtimeSec: v.overtimeSec,
          manualPenalty: v.manualPenalty,
          ...(reason ? { reason } : {}),
        }),
      t('actions.saved'),
    );
  };

  const scored = progress?.scored ?? 0;
  const eligible = progress?.eligible ?? 0;
  const complete = eligible > 0 && scored >= eligible;
  const missing = progress?.missing ?? [];
  const rule = d.event.settings.overtimePenalty;

  return (
    <>
      {reasonModal}
      <Card size="small" title={t('host.scoring.title')} style={{ marginTop: 12 }}>
        <Row gutter={16} align="middle">
          <Col xs={24} md={10} style={{ textAlign: 'center' }}>
            <div
              data-testid="progress-counter"
              data-scored={scored}
              data-eligible={eligible}
              style={{
                fontSize: 48,
                fontWeight: 700,
                lineHeight: 1.1,
                color: complete ? '#389e0d' : '#262626',
              }}
            >
              {scored} / {eligible}
            </div>
            <Typography.Text style={{ fontSize: 16 }}>{t('live.scoredLabel')}</Typography.Text>
            <Progress
              percent={eligible > 0 ? Math.round((scored / eligible) * 100) : 0}
              showInfo={false}
              status={complete ? 'success' : state === 'open' ? 'active' : 'normal'}
            />
          </Col>
          <Col xs={24} md={14}>
            <Typography.Text strong>{t('live.missing')}</Typography.Text>
            <div style={{ marginTop: 8, minHeight: 40 }} data-testid="missing-judges">
              {readOnly && missing.length === 0 && state === 'open' && !complete ? (
                <Typography.Text type="secondary">{t('live.missingHidden')}</Typography.Text>
              ) : missing.length === 0 ? (
                <Typography.Text type="secondary">{complete ? t('live.allScored') : '—'}</Typography.Text>
              ) : (
                <Space size={[6, 6]} wrap>
                  {missing.map((m) => (
                    <Tag
                      key={m.judgeId}
                      color="orange"
                      style={{ fontSize: 14, padding: '2px 8px' }}
                      data-testid="missing-judge"
                    >
                      {m.name}
                    </Tag>
                  ))}
                </Space>
              )}
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('live.openedClosed')}: {formatTime(slot.openedAt) || '—'} →{' '}
              {formatTime(slot.closedAt) || '—'}
            </Typography.Text>
          </Col>
        </Row>
        {canAct ? (
          <Space wrap size="middle" style={{ marginTop: 12 }}>
            {state === 'pending' ? (
              <Button
                type="primary"
                size="large"
                icon={<PlayCircleOutlined />}
                loading={busy === 'open'}
                onClick={() => void open()}
                data-testid="slot-open"
              >
                {t('live.open')}
              </Button>
            ) : null}
            {state === 'open' ? (
              <Button
                danger
                type="primary"
                size="large"
                icon={<StopOutlined />}
                loading={busy === 'close'}
                onClick={close}
                data-testid="slot-close"
              >
                {t('live.close')}
              </Button>
            ) : null}
            {state === 'closed' ? (
              <Button
                size="large"
                icon={<RedoOutlined />}
                loading={busy === 'reopen'}
                onClick={() => void reopen()}
                data-testid="slot-reopen"
              >
                {t('live.reopen')}
              </Button>
            ) : null}
          </Space>
        ) : null}
      </Card>
      <Card size="small" title={t('live.adjustments')} style={{ marginTop: 12 }}>
        <Form
          form={form}
          layout="inline"
          disabled={!canAct}
          initialValues={{ overtimeSec: slot.overtimeSec, manualPenalty: slot.manualPenalty }}
        >
          <Form.Item
            name="overtimeSec"
            label={t('live.overtimeSec')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <InputNumber
              min={0}
              max={36000}
              precision={0}
              suffix={t('settings.seconds')}
              style={{ width: 130 }}
              data-testid="slot-overtime"
            />
          </Form.Item>
          <Form.Item
            name="manualPenalty"
            label={t('live.manualPenalty')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <InputNumber
              min={0}
              max={100}
              step={0.5}
              suffix={t('settings.points')}
              style={{ width: 130 }}
              data-testid="slot-penalty"
            />
          </Form.Item>
          {canAct ? (
            <Form.Item>
              <Button
                loading={busy === 'adjust'}
                onClick={() => void saveAdjust()}
                data-testid="slot-adjust-save"
              >
                {t('actions.save')}
              </Button>
            </Form.Item>
          ) : null}
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {rule.points > 0
            ? t('live.penaltyPreview', {
                points: overtimePenalty(overtimeSec ?? 0, rule).toFixed(d.event.settings.decimals),
                rule: t('live.penaltyRule', { points: rule.points, seconds: rule.perSeconds }),
              })
            : t('live.penaltyDisabled')}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0, fontSize: 12 }}>
          {t('host.scoring.timerRecords')}
        </Typography.Paragraph>
      </Card>
    </>
  );
}

export function HostConsole({ eventId, detail, reload, readOnly, organizer }: EventTabProps) {
  const d = requireDetail(detail);
  const { t, i18n } = useTranslation();
  const { modal } = App.useApp();
  const act = useAction();
  const errorText = useErrorText();
  const feed = useHostFeed(eventId, organizer);
  const [pick, setPick] = useState<{ slotId: string; stageId: string | null } | null>(null);
  const [showBanner, setShowBanner] = useState(false);

  const host = organizer ? feed.host : observerHost(d, feed.progress, feed.screen);
  const connected = feed.status === 'connected';

  // The banner after a grace period: a normal (re)connect must not flash a warning.
  useEffect(() => {
    if (connected) {
      setShowBanner(false);
      return;
    }
    const id = setTimeout(() => setShowBanner(true), BANNER_GRACE_MS);
    return () => clearTimeout(id);
  }, [connected]);

  // Agenda order: tracks as the event lists them, then position within the track.
  const slots = useMemo(() => {
    if (!host) return [];
    const trackIndex = new Map(d.tracks.map((tr, i) => [tr.id, i]));
    const ti = (s: HostSlot) => trackIndex.get(s.trackId) ?? d.tracks.length;
    return [...host.slots].sort((a, b) => ti(a) - ti(b) || a.position - b.position);
  }, [host, d.tracks]);
  const progressOf = useMemo(() => new Map((host?.progress ?? []).map((p) => [p.slotId, p])), [host]);

  // The event detail feeds the other tabs: refetch it when the live state shows it is out of date.
  const liveKey = host
    ? `${host.status}|${host.slots.map((s) => `${s.id}:${s.state}:${s.overtimeSec}:${s.manualPenalty}`).join(',')}`
    : '';
  const detailKey = `${d.event.status}|${d.slots.map((s) => `${s.id}:${s.state}:${s.overtimeSec}:${s.manualPenalty}`).join(',')}`;
  const lastKey = useRef('');
  useEffect(() => {
    if (!organizer || !liveKey || liveKey === detailKey || liveKey === lastKey.current) return;
    lastKey.current = liveKey;
    void reload();
  }, [organizer, liveKey, detailKey, reload]);

  if (!host) {
    if (feed.error) return <LoadError error={feed.error} onRetry={() => void feed.refresh()} />;
    return <PageLoading />;
  }
  if (slots.length === 0) return <Empty description={t('live.noAgenda')} />;

  const locked = host.status === 'locked' || d.event.status === 'locked';
  const canAct = organizer && !locked && !readOnly;
  const { stage, next } = stageOf(slots, host.currentSlotId);
  // A pick holds until the speaker on stage changes; then the console follows the stage again.
  const picked =
    pick && pick.stageId === (stage?.id ?? null) ? slots.find((s) => s.id === pick.slotId) : undefined;
  const selected =
    picked ??
    stage ??
    slots.find((s) => s.state === 'open') ??
    slots.find((s) => s.state === 'pending') ??
    slots[0];
  const allClosed = slots.every((s) => s.state === 'closed');

  /**
   * After an action: the push brings the new state; without the socket, fetch it. The event detail
   * follows through the effect above when slots or the status changed.
   */
  const changed = async () => {
    if (!connected) await feed.refresh();
  };

  const setCurrent = async (slot: HostSlot) => {
    const next = await act(
      () => api.post<HostState>(`/api/events/${eventId}/current`, { slotId: slot.id }),
      t('host.stage.setCurrentDone', { unit: slot.unitName }),
    );
    if (next) {
      feed.applyHost(next);
      setPick(null);
    }
  };

  const timerAction = async (
    slot: HostSlot,
    action: 'start' | 'pause' | 'resume' | 'extend' | 'stop' | 'reset',
    seconds?: number,
  ) => {
    const timer = await act(() =>
      api.post<TimerView>(`/api/events/${eventId}/slots/${slot.id}/timer`, {
        action,
        ...(seconds ? { seconds } : {}),
      }),
    );
    if (!timer) return;
    feed.applyTimer(timer, action === 'start');
    if (action === 'start') setPick(null);
    await changed();
  };

  const screenSettings = async (patch: {
    mode?: ScreenMode;
    trackId?: string | null;
    theme?: 'red' | 'neutral';
    autoOpenOnStop?: boolean;
  }): Promise<boolean> => {
    const next = await act(() => api.patch<HostState>(`/api/events/${eventId}/screen`, patch));
    if (next) feed.applyHost(next);
    return next !== undefined;
  };

  const lock = () =>
    modal.confirm({
      title: t('live.lockConfirm'),
      content: allClosed ? t('live.lockWarning') : t('live.lockNotAllClosed'),
      okText: t('live.lock'),
      okButtonProps: withTestId('confirm-ok', { danger: true }),
      onOk: async () => {
        const ok = await act(() => api.post<EventDetail>(`/api/events/${eventId}/lock`), t('live.locked'));
        if (ok) await changed();
      },
    });

  const selectedProgress = selected ? progressOf.get(selected.id) : undefined;
  const trackName = (id: string) =>
    trackLabel(
      d.tracks.find((tr) => tr.id === id),
      i18n.language,
    );

  return (
    <div data-testid="host-console">
      <div
        style={{
          display: 'flex',
          flexWrap: 'wrap',
          alignItems: 'center',
          justifyContent: 'space-between',
          gap: 8,
          marginBottom: 12,
        }}
      >
        <Space wrap>
          <Typography.Text strong style={{ fontSize: 16 }}>
            {t('host.title')}
          </Typography.Text>
          <ConnectionStatus status={feed.status} />
          {feed.updatedAt ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="host-updated">
              {t('host.connection.updatedAt', { time: formatTime(new Date(feed.updatedAt).toISOString()) })}
            </Typography.Text>
          ) : null}
        </Space>
        <Space wrap data-testid="stage-summary">
          <Typography.Text>
            {t('host.stage.onStage')}: <Typography.Text strong>{stage?.unitName ?? '—'}</Typography.Text>
          </Typography.Text>
          <Typography.Text type="secondary">
            {t('host.stage.next')}: {next?.unitName ?? '—'}
          </Typography.Text>
          {canAct && next ? (
            <Button
              size="small"
              icon={<UserSwitchOutlined />}
              onClick={() => void setCurrent(next)}
              data-testid="stage-advance"
            >
              {t('host.stage.advance', { unit: next.unitName })}
            </Button>
          ) : null}
        </Space>
      </div>

      {showBanner && !connected ? (
        <Alert
          type={feed.refused ? 'error' : 'warning'}
          showIcon
          icon={<DisconnectOutlined />}
          style={{ marginBottom: 12 }}
          data-testid="connection-banner"
          title={feed.refused ? t('host.connection.refusedTitle') : t('host.connection.lostTitle')}
          description={
            feed.error
              ? `${t('host.connection.lostPolling')} ${t('host.connection.pollFailed', { error: errorText(feed.error) })}`
              : t('host.connection.lostPolling')
          }
          action={
            feed.refused ? undefined : (
              <Button size="small" onClick={feed.reconnect} data-testid="connection-retry">
                {t('host.connection.retry')}
              </Button>
            )
          }
        />
      ) : null}
      {locked ? (
        <Alert
          type="info"
          showIcon
          icon={<LockOutlined />}
          title={t('live.lockedInfo')}
          style={{ marginBottom: 12 }}
        />
      ) : null}

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={6}>
          {/* The agenda scrolls on its own so the controls stay in view. */}
          <div
            style={{ maxHeight: 'calc(100vh - 280px)', minHeight: 240, overflowY: 'auto', marginBottom: 12 }}
          >
            {d.tracks.map((tr) => {
              const items = slots.filter((s) => s.trackId === tr.id);
              if (items.length === 0) return null;
              return (
                <Card
                  key={tr.id}
                  size="small"
                  title={trackLabel(tr, i18n.language)}
                  style={{ marginBottom: 12 }}
                >
                  {items.map((s, i) => {
                    const p = progressOf.get(s.id);
                    const active = selected?.id === s.id;
                    const onStage = stage?.id === s.id;
                    const isNext = next?.id === s.id;
                    return (
                      <button
                        type="button"
                        key={s.id}
                        onClick={() => setPick({ slotId: s.id, stageId: stage?.id ?? null })}
                        data-testid={`live-slot-${s.unitName}`}
                        data-slot-state={s.state}
                        data-current={onStage}
                        data-next={isNext}
                        data-selected={active}
                        style={{
                          display: 'block',
                          width: '100%',
                          cursor: 'pointer',
                          background: onStage ? '#fff1f0' : active ? '#fafafa' : 'transparent',
                          border: 'none',
                          borderLeft: active ? '3px solid #b71c1c' : '3px solid transparent',
                          borderBottom: '1px solid #f0f0f0',
                          padding: '6px 6px',
                          textAlign: 'left',
                          font: 'inherit',
                        }}
                      >
                        {/* Two lines, so long unit names never squeeze the state into a column. */}
                        <span style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
                          <span
                            style={{
                              flex: 1,
                              minWidth: 0,
                              overflow: 'hidden',
                              textOverflow: 'ellipsis',
                              whiteSpace: 'nowrap',
                              fontWeight: active || onStage ? 600 : 400,
                            }}
                            title={s.unitName}
                          >
                            <span style={{ color: '#8c8c8c' }}>{i + 1}. </span>
                            {s.unitName}
                          </span>
                          {onStage ? (
                            <Tag color="red" style={{ marginInlineEnd: 0 }}>
                              {t('host.stage.onStageTag')}
                            </Tag>
                          ) : null}
                          {isNext ? (
                            <Tag color="gold" style={{ marginInlineEnd: 0 }}>
                              {t('host.stage.nextTag')}
                            </Tag>
                          ) : null}
                        </span>
                        <span
                          style={{
                            display: 'flex',
                            alignItems: 'center',
                            gap: 6,
                            marginTop: 2,
                            fontSize: 12,
                          }}
                        >
                          {s.state === 'open' ? <Badge status="processing" /> : null}
                          {s.state === 'closed' ? <CheckCircleOutlined style={{ color: '#1677ff' }} /> : null}
                          <Tag color={slotStateColor[s.state]} style={{ marginInlineEnd: 0, fontSize: 12 }}>
                            {t(`live.states.${s.state}`)}
                          </Tag>
                          {p && s.state !== 'pending' ? (
                            <span style={{ color: '#8c8c8c' }}>
                              {t('host.stage.scoredShort', { scored: p.scored, eligible: p.eligible })}
                            </span>
                          ) : null}
                        </span>
                      </button>
                    );
                  })}
                </Card>
              );
            })}
          </div>
          {canAct ? (
            <Button danger block icon={<LockOutlined />} onClick={lock} data-testid="event-lock">
              {t('live.lock')}
            </Button>
          ) : null}
        </Col>

        <Col xs={24} lg={11}>
          {selected ? (
            <Card
              key={selected.id}
              data-testid="slot-control"
              data-slot-id={selected.id}
              data-slot-state={selected.state}
              data-current={stage?.id === selected.id}
              title={
                <Space wrap>
                  <Typography.Title level={3} style={{ margin: 0 }} data-testid="slot-unit">
                    {selected.unitName}
                  </Typography.Title>
                  <Tag
                    color={slotStateColor[selected.state]}
                    data-testid="slot-state"
                    style={{ fontSize: 14, padding: '2px 10px' }}
                  >
                    {t(`live.states.${selected.state}`)}
                  </Tag>
                  {stage?.id === selected.id ? <Tag color="red">{t('host.stage.onStageTag')}</Tag> : null}
                </Space>
              }
              extra={
                <Space>
                  <Typography.Text type="secondary">
                    {t('host.stage.position', { track: trackName(selected.trackId), n: selected.position })}
                  </Typography.Text>
                  {canAct && stage?.id !== selected.id ? (
                    <Button
                      icon={<UserSwitchOutlined />}
                      onClick={() => void setCurrent(selected)}
                      data-testid="set-current"
                    >
                      {t('host.stage.setCurrent')}
                    </Button>
                  ) : null}
                </Space>
              }
            >
              <TimerPanel
                slotName={selected.unitName}
                timer={selected.timer}
                serverNow={feed.serverNow}
                overtimeSec={selected.overtimeSec}
                penalty={d.event.settings.overtimePenalty}
                decimals={d.event.settings.decimals}
                slotClosed={selected.state === 'closed'}
                canAct={canAct}
                autoOpenOnStop={host.autoOpenOnStop}
                showSetting={organizer}
                onAction={(action, seconds) => timerAction(selected, action, seconds)}
                onAutoOpen={async (on) => {
                  await screenSettings({ autoOpenOnStop: on });
                }}
              />
              <SlotScoring
                key={selected.id}
                eventId={eventId}
                d={d}
                slot={selected}
                progress={selectedProgress}
                canAct={canAct}
                readOnly={!organizer}
                onChanged={changed}
              />
            </Card>
          ) : null}
        </Col>

        <Col xs={24} lg={7}>
          <ScreenPanel
            eventId={eventId}
            d={d}
            host={host}
            screen={feed.screen}
            serverNow={feed.serverNow}
            organizer={organizer}
            canAct={canAct}
            canReveal={organizer}
            onSettings={screenSettings}
            onRevealed={() => {
              // The results tab reads the revealed tracks from the event detail.
              void changed();
              void reload();
            }}
          />
        </Col>
      </Row>
    </div>
  );
}
