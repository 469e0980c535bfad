// One task: what was asked, by whom, by when, its light; every step it took (who, when, opinion,
// photos); the evidence with its flags; the co-units' sub-tasks; and the buttons of the steps this user
// may take now. A step that needs a reason asks for it; closing asks first.
import { ArrowLeftOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Form, Input, Modal, Space, Tag, Timeline, Typography } from 'antd';
import type dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { REASON_REQUIRED, type TaskAction } from '../../../src/modules/supervision/domain/task-workflow.ts';
import { api } from '../../common/api.ts';
import { formatDate, formatDateTime } from '../../common/format.ts';
import { DateItem } from '../components/DateItems.tsx';
import { usePhone } from '../components/responsive.ts';
import { LoadError, PageLoading } from '../components/States.tsx';
import { withTestId } from '../components/testId.ts';
import { useAction, useLoad, validValues } from '../hooks.ts';
import { DaysText, type EvidencePhoto, LightTag, NS, StateTag, type TaskDetail } from './common.tsx';
import { PhotoGrid, PhotoUpload } from './Photos.tsx';

const PRIMARY: TaskAction[] = ['accept', 'submit', 'verify', 'approve_extension'];
const DANGER: TaskAction[] = ['return', 'refuse_extension'];

export function TaskPage() {
  const { taskId = '' } = useParams();
  const { t } = useTranslation(NS);
  const navigate = useNavigate();
  const task = useLoad(() => api.get<TaskDetail>(`/api/supervision/tasks/${taskId}`), [taskId]);
  const [acting, setActing] = useState<TaskAction | null>(null);
  const phone = usePhone();
  if (task.error) return <LoadError error={task.error} onRetry={task.reload} />;
  if (!task.data) return <PageLoading />;
  const d = task.data;
  const canUpload = d.actions.includes('submit') || d.actions.includes('report_progress');
  return (
    <Space
      orientation="vertical"
      size={16}
      style={{ width: '100%' }}
      data-testid="task-page"
      data-state={d.state}
    >
      <Button
        type="link"
        icon={<ArrowLeftOutlined />}
        style={{ padding: 0 }}
        onClick={() => navigate('/supervision/tasks')}
      >
        {t('task.back')}
      </Button>
      <Card
        title={
          <Space wrap>
            <LightTag light={d.light} testId="task-light" />
            <span style={{ whiteSpace: 'normal' }}>{d.title}</span>
          </Space>
        }
        extra={<StateTag state={d.state} />}
      >
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2 }}
          bordered
          layout={phone ? 'vertical' : 'horizontal'}
        >
          <Descriptions.Item label={t('task.unit')}>{d.unitName}</Descriptions.Item>
          <Descriptions.Item label={t('task.deadline')}>
            <Space wrap>
              {formatDate(d.deadline)}
              <DaysText task={d} />
              {d.requestedDeadline && (
                <Tag color="purple">{t('task.requested', { date: formatDate(d.requestedDeadline) })}</Tag>
              )}
              {d.escalated && <Tag color="red">{t('task.escalated')}</Tag>}
              {d.reportMissing && <Tag color="orange">{t('task.reportMissing')}</Tag>}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('task.issuer')}>{d.issuerName}</Descriptions.Item>
          <Descriptions.Item label={t('task.urgency')}>{t(`urgency.${d.urgency}`)}</Descriptions.Item>
          <Descriptions.Item label={t('task.source')}>{t(`source.${d.sourceKind}`)}</Descriptions.Item>
          <Descriptions.Item label={t('task.cadence')}>{t(`cadence.${d.cadence}`)}</Descriptions.Item>
          <Descriptions.Item label={t('task.standard')} span={2}>
            {d.standard}
          </Descriptions.Item>
          {d.sourceText && (
            <Descriptions.Item label={t('task.sourceText')} span={2}>
              {d.sourceText}
            </Descriptions.Item>
          )}
        </Descriptions>
        <Space wrap style={{ marginTop: 16 }}>
          {d.actions.length === 0 && (
            <Typography.Text type="secondary">{t('task.noActions')}</Typography.Text>
          )}
          {d.actions.map((a) => (
            <Button
              key={a}
              type={PRIMARY.includes(a) ? 'primary' : 'default'}
              danger={DANGER.includes(a)}
              size="large"
              data-testid={`task-action-${a}`}
              onClick={() => setActing(a)}
            >
              {t(`action.${a}`)}
            </Button>
          ))}
        </Space>
      </Card>
      {(d.photos.length > 0 || canUpload) && (
        <Card title={t('task.photos')} size="small">
          <Space orientation="vertical" style={{ width: '100%' }}>
            <PhotoGrid photos={d.photos} testId="task-photos" />
            {canUpload && (
              <PhotoUpload
                path={`/api/supervision/tasks/${d.id}/photos`}
                testId="task-photo"
                onUploaded={(p: EvidencePhoto) =>
                  task.setData((prev) => (prev ? { ...prev, photos: [...prev.photos, p] } : prev!))
                }
              />
            )}
          </Space>
        </Card>
      )}
      {d.subtasks.length > 0 && (
        <Card title={t('task.subtasks')} size="small">
          {d.subtasks.map((s) => (
            <Space key={s.id} wrap style={{ display: 'flex', marginBottom: 6 }}>
              <LightTag light={s.light} />
              <Link to={`/supervision/tasks/${s.id}`}>{s.unitName}</Link>
              <StateTag state={s.state} />
            </Space>
          ))}
        </Card>
      )}
      <Card title={t('task.steps')} size="small">
        <Timeline
          data-testid="task-steps"
          items={[...d.steps].reverse().map((s) => ({
            key: s.id,
            content: (
              <div data-testid="task-step" data-action={s.action}>
                <Typography.Text strong>{t(`action.${s.action}`)}</Typography.Text>{' '}
                <Typography.Text type="secondary">
                  {s.actorName} · {formatDateTime(s.createdAt)}
                </Typography.Text>
                {s.opinion && <div>{s.opinion}</div>}
                {s.deadlineAfter && s.action !== 'issue' && (
                  <div>{t('task.requested', { date: formatDate(s.deadlineAfter) })}</div>
                )}
                {s.photoIds.length > 0 && (
                  <PhotoGrid
                    photos={d.photos.filter((p) => s.photoIds.includes(p.id))}
                    testId={`task-step-${s.action}-photos`}
                  />
                )}
              </div>
            ),
          }))}
        />
      </Card>
      <StepModal
        task={d}
        action={acting}
        onClose={() => setActing(null)}
        onDone={(next) => {
          setActing(null);
          task.setData(next);
        }}
      />
    </Space>
  );
}

function StepModal({
  task,
  action,
  onClose,
  onDone,
}: {
  task: TaskDetail;
  action: TaskAction | null;
  onClose: () => void;
  onDone: (t: TaskDetail) => void;
}) {
  const { t } = useTranslation(NS);
  const { modal } = App.useApp();
  const [form] = Form.useForm<{ opinion?: string; newDeadline?: dayjs.Dayjs }>();
  const act = useAction(form);
  const [busy, setBusy] = useState(false);
  // One key per opening: a second click or a retry of the same step is taken once by the server.
  // getRandomValues works on a plain-http intranet page, where crypto.randomUUID does not exist.
  const clientKey = useMemo(
    () =>
      action
        ? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(
            '',
          )
        : '',
    [action],
  );
  if (!action) return null;
  const needsReason = REASON_REQUIRED.has(action);
  // Photos uploaded but not yet attached to a step go with the answer.
  const attached = new Set(task.steps.flatMap((s) => s.photoIds));
  const loose = task.photos.filter((p) => !attached.has(p.id)).map((p) => p.id);
  const send = async () => {
    const v = await validValues(form);
    if (!v) return;
    const run = async () => {
      setBusy(true);
      const next = await act(
        () =>
          api.post<TaskDetail>(`/api/supervision/tasks/${task.id}/steps`, {
            action,
            opinion: v.opinion ?? '',
            photoIds: action === 'submit' || action === 'report_progress' ? loose : [],
            newDeadline: v.newDeadline ? v.newDeadline.format('YYYY-MM-DD') : null,
            clientKey,
          }),
        t('task.done', { action: t(`action.${action}`) }),
      );
      setBusy(false);
      if (next) {
        form.resetFields();
        onDone(next);
      }
    };
    if (action === 'verify')
      modal.confirm({
        title: t('task.confirmVerify'),
        okButtonProps: withTestId('task-verify-confirm'),
        onOk: run,
      });
    else await run();
  };
  return (
    <Modal
      open
      title={t(`action.${action}`)}
      onCancel={onClose}
      onOk={send}
      okButtonProps={withTestId('task-step-ok', { loading: busy })}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="opinion"
          label={t('task.opinion')}
          rules={[
            { required: needsReason, whitespace: true, message: t('task.opinionRequired') },
            { max: 2000 },
          ]}
        >
          <Input.TextArea rows={3} data-testid="task-step-opinion" />
        </Form.Item>
        {action === 'request_extension' && (
          <DateItem name="newDeadline" label={t('task.newDeadline')} required testId="task-step-deadline" />
        )}
        {(action === 'submit' || action === 'report_progress') && loose.length > 0 && (
          <PhotoGrid photos={task.photos.filter((p) => loose.includes(p.id))} testId="task-step-photos" />
        )}
      </Form>
    </Modal>
  );
}
