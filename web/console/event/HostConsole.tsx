// 主控台: the one page from which the organizer runs the event day. The agenda with the speaker on
// stage and the next one; for the selected slot the stage timer, scoring (open / close / reopen,
// "N / M 已评分" with the names — never the values — of the judges still missing) and the overtime
// and penalty corrections; the big screen (preview, mode, theme, reveal, screen links); and, always in
// view, whether the console itself is connected. Everything comes from the live host state
// (useHostFeed); every action that cannot be undone asks first.
// The slot's scoring card is HostScoring.tsx, the agenda HostAgenda.tsx, the timer HostTimer.tsx, the big
// screen HostScreen.tsx; this file holds the page, its connection state and the actions it sends.
import {
  DisconnectOutlined,
  LockOutlined,
  SyncOutlined,
  UserSwitchOutlined,
  WifiOutlined,
} from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Empty, Row, Space, Tag, Typography } from 'antd';
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
import { useConfirmRefusal } from '../components/ConfirmRefusal.tsx';
import { LoadError, PageLoading } from '../components/States.tsx';
import { withTestId } from '../components/testId.ts';
import { useAction, useErrorText } from '../hooks.ts';
import { slotStateColor } from './AgendaTab.tsx';
import { HostAgenda } from './HostAgenda.tsx';
import { SlotScoring } from './HostScoring.tsx';
import { ScreenPanel } from './HostScreen.tsx';
import { TimerPanel } from './HostTimer.tsx';
import type { HostSlot } from './types.ts';
import { type EventTabProps, requireDetail } from './types.ts';
import { useHostFeed } from './useHostFeed.ts';

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
      revealCount: screen?.reveal ? screen.reveal.shown : null,
      slide: current?.slide ?? 0,
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
export function HostConsole({ eventId, detail, reload, readOnly, organizer }: EventTabProps) {
  const d = requireDetail(detail);
  const { t, i18n } = useTranslation();
  const { modal } = App.useApp();
  const act = useAction();
  const confirmRefusal = useConfirmRefusal();
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
    reason?: string,
  ) => {
    const timer = await act(() =>
      confirmRefusal('publication_withdrawal_required', (withdrawPublication) =>
        api.post<TimerView>(`/api/events/${eventId}/slots/${slot.id}/timer`, {
          action,
          ...(seconds ? { seconds } : {}),
          ...(reason ? { reason } : {}),
          ...(withdrawPublication ? { withdrawPublication } : {}),
        }),
      ),
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
    revealCount?: number | null;
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
          <HostAgenda
            tracks={d.tracks}
            slots={slots}
            progressOf={progressOf}
            selected={selected}
            stage={stage}
            next={next}
            onPick={(slotId) => setPick({ slotId, stageId: stage?.id ?? null })}
          />
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
                onAction={(action, seconds, reason) => timerAction(selected, action, seconds, reason)}
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
            onHost={feed.applyHost}
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
