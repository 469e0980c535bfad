// 现场评分: the host console for the event day. One page: the agenda with each slot's state, and for
// the selected slot open / close / reopen, the "N / M 已评分" counter with the names (never values) of
// judges still missing, overtime and penalty corrections, and locking the event.
import {
  CheckCircleOutlined,
  LockOutlined,
  PlayCircleOutlined,
  RedoOutlined,
  StopOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  InputNumber,
  Progress,
  Row,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventDetail, SlotProgress, SlotView } from '../../../../src/shared/api.ts';
import { api } from '../../../common/api.ts';
import { formatTime } from '../../../common/format.ts';
import { useReasonPrompt } from '../../components/ReasonPrompt.tsx';
import { withTestId } from '../../components/testId.ts';
import { useAction, useErrorText, validValues } from '../../hooks.ts';
import { trackLabel } from '../Units.tsx';
import { mmss, slotStateColor } from './AgendaTab.tsx';
import { type EventTabProps, requireDetail } from './types.ts';

const POLL_MS = 2000;

/** Polls the progress every 2 s while the page is visible; pauses in a background tab. */
function useProgress(eventId: string) {
  const [progress, setProgress] = useState<Map<string, SlotProgress>>(new Map());
  const [error, setError] = useState<Error | null>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const alive = useRef(true);

  const poll = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    try {
      const p = await api.get<{ slots: SlotProgress[] }>(`/api/events/${eventId}/progress`);
      if (!alive.current) return;
      setProgress(new Map(p.slots.map((s) => [s.slotId, s])));
      setUpdatedAt(new Date());
      setError(null);
    } catch (e) {
      if (!alive.current) return;
      setError(e instanceof Error ? e : new Error(String(e)));
    }
    if (alive.current && document.visibilityState === 'visible')
      timer.current = setTimeout(() => void poll(), POLL_MS);
  }, [eventId]);

  useEffect(() => {
    alive.current = true;
    void poll();
    const onVisibility = () => {
      if (document.visibilityState === 'visible') void poll();
      else if (timer.current) {
        clearTimeout(timer.current);
        timer.current = null;
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      alive.current = false;
      if (timer.current) clearTimeout(timer.current);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [poll]);

  return { progress, error, updatedAt, refresh: poll };
}

/** Seconds since the slot opened (until it closed), ticking once a second while open. */
function useElapsed(slot: SlotView | undefined): number | null {
  const [now, setNow] = useState(() => Date.now());
  const open = slot?.state === 'open';
  useEffect(() => {
    if (!open) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [open]);
  if (!slot?.openedAt) return null;
  const end = slot.state === 'closed' && slot.closedAt ? Date.parse(slot.closedAt) : now;
  return Math.max(0, Math.floor((end - Date.parse(slot.openedAt)) / 1000));
}

function overtimePenalty(d: EventDetail, overtimeSec: number): number {
  const { points, perSeconds } = d.event.settings.overtimePenalty;
  if (points <= 0 || overtimeSec <= 0) return 0;
  return points * Math.ceil(overtimeSec / perSeconds);
}

function SlotControl({
  eventId,
  d,
  slot,
  progress,
  readOnly,
  onChanged,
}: {
  eventId: string;
  d: EventDetail;
  slot: SlotView;
  progress: SlotProgress | undefined;
  readOnly: boolean;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const act = useAction();
  const [ask, reasonModal] = useReasonPrompt();
  const [busy, setBusy] = useState<string | null>(null);
  const [form] = Form.useForm<{ overtimeSec: number; manualPenalty: number }>();
  const state = progress?.state ?? slot.state;
  const elapsed = useElapsed({ ...slot, state });
  const overtimeNow = elapsed === null ? 0 : Math.max(0, elapsed - slot.timeLimitSec);
  const overtimeSec = Form.useWatch('overtimeSec', form) ?? slot.overtimeSec;
  const decimals = d.event.settings.decimals;

  useEffect(() => {
    form.setFieldsValue({ overtimeSec: slot.overtimeSec, manualPenalty: slot.manualPenalty });
  }, [slot.overtimeSec, slot.manualPenalty, form]);

  const run = async (key: string, fn: () => Promise<unknown>, success: string) => {
    setBusy(key);
    const ok = await act(fn, success);
    setBusy(null);
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
  const locked = d.event.status === 'locked';

  return (
    <Card
      data-testid="slot-control"
      data-slot-id={slot.id}
      data-slot-state={state}
      title={
        <Space>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="slot-unit">
            {slot.unitName}
          </Typography.Title>
          <Tag
            color={slotStateColor[state]}
            data-testid="slot-state"
            style={{ fontSize: 14, padding: '2px 10px' }}
          >
            {t(`live.states.${state}`)}
          </Tag>
        </Space>
      }
    >
      {reasonModal}
      <Row gutter={24} align="middle">
        <Col xs={24} md={12} style={{ textAlign: 'center' }}>
          <div
            data-testid="progress-counter"
            data-scored={scored}
            data-eligible={eligible}
            style={{
              fontSize: 56,
              fontWeight: 700,
              lineHeight: 1.1,
              color: complete ? '#389e0d' : '#262626',
            }}
          >
            {scored} / {eligible}
          </div>
          <Typography.Text style={{ fontSize: 18 }}>{t('live.scoredLabel')}</Typography.Text>
          <Progress
            percent={eligible > 0 ? Math.round((scored / eligible) * 100) : 0}
            showInfo={false}
            status={complete ? 'success' : 'active'}
          />
        </Col>
        <Col xs={24} md={12}>
          <Typography.Text strong>{t('live.missing')}</Typography.Text>
          <div style={{ marginTop: 8, minHeight: 48 }} data-testid="missing-judges">
            {readOnly && (progress?.missing.length ?? 0) === 0 && !complete ? (
              <Typography.Text type="secondary">{t('live.missingHidden')}</Typography.Text>
            ) : (progress?.missing.length ?? 0) === 0 ? (
              <Typography.Text type="secondary">{complete ? t('live.allScored') : '—'}</Typography.Text>
            ) : (
              <Space size={[6, 6]} wrap>
                {progress?.missing.map((m) => (
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
        </Col>
      </Row>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        style={{ marginTop: 16 }}
        items={[
          { key: 'limit', label: t('agenda.timeLimit'), children: mmss(slot.timeLimitSec) },
          {
            key: 'elapsed',
            label: t('live.elapsed'),
            children: (
              <Typography.Text type={overtimeNow > 0 ? 'danger' : undefined} data-testid="slot-elapsed">
                {elapsed === null ? '—' : mmss(elapsed)}
                {overtimeNow > 0 ? ` (${t('live.overBy', { time: mmss(overtimeNow) })})` : ''}
              </Typography.Text>
            ),
          },
          {
            key: 'times',
            label: t('live.openedClosed'),
            children: `${formatTime(slot.openedAt) || '—'} → ${formatTime(slot.closedAt) || '—'}`,
          },
        ]}
      />
      {readOnly ? null : (
        <Space wrap size="middle" style={{ marginTop: 16 }}>
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
      )}
      <Card size="small" title={t('live.adjustments')} style={{ marginTop: 16 }}>
        <Form
          form={form}
          layout="inline"
          disabled={readOnly || locked}
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
          {overtimeNow > 0 && !readOnly ? (
            <Form.Item>
              <Button
                size="small"
                onClick={() => form.setFieldValue('overtimeSec', overtimeNow)}
                data-testid="slot-overtime-measured"
              >
                {t('live.useMeasured', { sec: overtimeNow })}
              </Button>
            </Form.Item>
          ) : null}
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
          {readOnly ? null : (
            <Form.Item>
              <Button
                loading={busy === 'adjust'}
                onClick={() => void saveAdjust()}
                data-testid="slot-adjust-save"
              >
                {t('actions.save')}
              </Button>
            </Form.Item>
          )}
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {d.event.settings.overtimePenalty.points > 0
            ? t('live.penaltyPreview', {
                points: overtimePenalty(d, overtimeSec).toFixed(decimals),
                rule: t('live.penaltyRule', {
                  points: d.event.settings.overtimePenalty.points,
                  seconds: d.event.settings.overtimePenalty.perSeconds,
                }),
              })
            : t('live.penaltyDisabled')}
        </Typography.Paragraph>
      </Card>
    </Card>
  );
}

export function LiveTab({ eventId, detail, reload, readOnly }: EventTabProps) {
  const d = requireDetail(detail);
  const { t, i18n } = useTranslation();
  const { modal } = App.useApp();
  const act = useAction();
  const errorText = useErrorText();
  const { progress, error, updatedAt, refresh } = useProgress(eventId);
  const [selected, setSelected] = useState<string | null>(null);

  // Agenda order: tracks as the event lists them, then position within the track.
  const slots = useMemo(() => {
    const trackIndex = new Map(d.tracks.map((tr, i) => [tr.id, i]));
    const ti = (s: SlotView) => trackIndex.get(s.trackId) ?? d.tracks.length;
    return [...d.slots].sort((a, b) => ti(a) - ti(b) || a.position - b.position);
  }, [d.slots, d.tracks]);
  const stateOf = (s: SlotView) => progress.get(s.id)?.state ?? s.state;
  const defaultSlot =
    slots.find((s) => stateOf(s) === 'open') ?? slots.find((s) => stateOf(s) === 'pending') ?? slots[0];
  const current = slots.find((s) => s.id === selected) ?? defaultSlot;
  const locked = d.event.status === 'locked';
  const allClosed = slots.length > 0 && slots.every((s) => stateOf(s) === 'closed');

  // A slot that changed state on the server (another organizer's console) refreshes the detail.
  const stateKey = slots.map((s) => `${s.id}:${progress.get(s.id)?.state ?? ''}`).join(',');
  const lastKey = useRef(stateKey);
  useEffect(() => {
    const mismatch = slots.some((s) => {
      const p = progress.get(s.id);
      return p !== undefined && p.state !== s.state;
    });
    if (mismatch && lastKey.current !== stateKey) void reload();
    lastKey.current = stateKey;
  }, [stateKey, slots, progress, reload]);

  const onChanged = async () => {
    await Promise.all([reload(), refresh()]);
  };

  const lock = () =>
    modal.confirm({
      title: t('live.lockConfirm'),
      content: allClosed ? t('live.lockWarning') : t('live.lockNotAllClosed'),
      okText: t('live.lock'),
      okButtonProps: withTestId('confirm-ok', { danger: true }),
      onOk: async () => {
        const ok = await act(() => api.post<EventDetail>(`/api/events/${eventId}/lock`), t('live.locked'));
        if (ok) await reload();
      },
    });

  if (slots.length === 0) return <Empty description={t('live.noAgenda')} />;

  return (
    <>
      {error ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('live.pollFailed')}
          description={errorText(error)}
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
      <Row gutter={16}>
        <Col xs={24} lg={8}>
          {/* The agenda scrolls on its own so the selected unit's controls stay in view. */}
          <div
            style={{ maxHeight: 'calc(100vh - 300px)', minHeight: 240, overflowY: 'auto', marginBottom: 12 }}
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
                    const p = progress.get(s.id);
                    const st = stateOf(s);
                    const active = current?.id === s.id;
                    return (
                      <button
                        type="button"
                        key={s.id}
                        onClick={() => setSelected(s.id)}
                        data-testid={`live-slot-${s.unitName}`}
                        data-slot-state={st}
                        style={{
                          display: 'flex',
                          width: '100%',
                          justifyContent: 'space-between',
                          alignItems: 'center',
                          gap: 8,
                          cursor: 'pointer',
                          background: active ? '#fff1f0' : 'transparent',
                          border: 'none',
                          borderLeft: active ? '3px solid #b71c1c' : '3px solid transparent',
                          borderBottom: '1px solid #f0f0f0',
                          padding: '8px 8px',
                          textAlign: 'left',
                          font: 'inherit',
                        }}
                      >
                        <Space>
                          <Typography.Text type="secondary">{i + 1}.</Typography.Text>
                          {st === 'open' ? <Badge status="processing" /> : null}
                          <Typography.Text strong={active}>{s.unitName}</Typography.Text>
                        </Space>
                        <Space size={4}>
                          {p && st !== 'pending' ? (
                            <Typography.Text type="secondary">
                              {p.scored}/{p.eligible}
                            </Typography.Text>
                          ) : null}
                          {st === 'closed' ? <CheckCircleOutlined style={{ color: '#1677ff' }} /> : null}
                          <Tag color={slotStateColor[st]}>{t(`live.states.${st}`)}</Tag>
                        </Space>
                      </button>
                    );
                  })}
                </Card>
              );
            })}
          </div>
          {readOnly || locked ? null : (
            <Button danger block icon={<LockOutlined />} onClick={lock} data-testid="event-lock">
              {t('live.lock')}
            </Button>
          )}
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
            {updatedAt
              ? t('live.updatedAt', { time: formatTime(updatedAt.toISOString()) })
              : t('app.loading')}
          </Typography.Paragraph>
        </Col>
        <Col xs={24} lg={16}>
          {current ? (
            <SlotControl
              key={current.id}
              eventId={eventId}
              d={d}
              slot={current}
              progress={progress.get(current.id)}
              readOnly={readOnly}
              onChanged={onChanged}
            />
          ) : null}
        </Col>
      </Row>
    </>
  );
}
