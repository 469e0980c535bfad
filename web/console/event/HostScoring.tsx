// 主控台's scoring card for the selected slot: "N / M 已评分" with the names — never the values — of the
// judges still missing, open / close / reopen (close asks first, reopen asks for a reason), and the
// overtime and penalty corrections (audited with a reason once the slot is closed).
import { PlayCircleOutlined, RedoOutlined, StopOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Form, InputNumber, Progress, Row, Space, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventDetail, SlotProgress } from '../../../src/modules/event/schemas.ts';
import { api } from '../../common/api.ts';
import { formatTime } from '../../common/format.ts';
import { useConfirmRefusal } from '../components/ConfirmRefusal.tsx';
import { useReasonPrompt } from '../components/ReasonPrompt.tsx';
import { withTestId } from '../components/testId.ts';
import { useAction, useBusyKey, validValues } from '../hooks.ts';
import { overtimePenalty } from './HostTimer.tsx';
import type { HostSlot } from './types.ts';

export function SlotScoring({
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
  const confirmRefusal = useConfirmRefusal();
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
          () =>
            confirmRefusal('below_quorum', (confirmBelowQuorum) =>
              api.post(`/api/events/${eventId}/slots/${slot.id}/close`, { confirmBelowQuorum }),
            ),
          t('live.closed', { unit: slot.unitName }),
        ),
    });
  const reopen = async () => {
    const reason = await ask(t('live.reopenTitle', { unit: slot.unitName }), t('live.reopenWarning'));
    if (reason === null) return;
    await run(
      'reopen',
      () =>
        confirmRefusal('publication_withdrawal_required', (withdrawPublication) =>
          api.post(`/api/events/${eventId}/slots/${slot.id}/reopen`, { reason, withdrawPublication }),
        ),
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
        confirmRefusal('publication_withdrawal_required', (withdrawPublication) =>
          api.patch(`/api/events/${eventId}/slots/${slot.id}`, {
            overtimeSec: v.overtimeSec,
            manualPenalty: v.manualPenalty,
            ...(reason ? { reason } : {}),
            withdrawPublication,
          }),
        ),
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
