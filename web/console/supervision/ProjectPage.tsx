// One livelihood project: what was promised (outputs with targets and what is done), the milestones,
// the progress updates with their photos, the follow-up tasks; the lead unit reports progress here and
// the office acknowledges or returns each update.
import { ArrowLeftOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Progress,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../common/api.ts';
import { formatDate, formatDateTime } from '../../common/format.ts';
import { useAuth } from '../auth.tsx';
import { useReasonPrompt } from '../components/ReasonPrompt.tsx';
import { LoadError, PageLoading } from '../components/States.tsx';
import { withTestId } from '../components/testId.ts';
import { useAction, useLoad, validValues } from '../hooks.ts';
import { type EvidencePhoto, LightTag, NS, type ProjectDetail, StateTag, StatusTag } from './common.tsx';
import { PhotoGrid, PhotoUpload } from './Photos.tsx';
import { ProjectFormModal } from './ProjectForm.tsx';

export function ProjectPage() {
  const { projectId = '' } = useParams();
  const { t } = useTranslation(NS);
  const navigate = useNavigate();
  const { user } = useAuth();
  const act = useAction();
  const [reason, reasonModal] = useReasonPrompt();
  const project = useLoad(
    () => api.get<ProjectDetail>(`/api/supervision/projects/${projectId}`),
    [projectId],
  );
  const [reporting, setReporting] = useState(false);
  const [editing, setEditing] = useState(false);
  if (project.error) return <LoadError error={project.error} onRetry={project.reload} />;
  if (!project.data) return <PageLoading />;
  const p = project.data;
  const canReport = user?.role === 'organizer' || (user?.role === 'reporter' && user.unitId === p.leadUnitId);
  const review = async (id: string, decision: 'verify' | 'return') => {
    const comment = decision === 'return' ? await reason(t('project.returnReason')) : '';
    if (comment === null) return;
    const next = await act(() =>
      api.post<ProjectDetail>(`/api/supervision/updates/${id}/review`, { decision, comment }),
    );
    if (next) project.setData(next);
  };
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="project-page">
      {reasonModal}
      <Button
        type="link"
        icon={<ArrowLeftOutlined />}
        style={{ padding: 0 }}
        onClick={() => navigate('/supervision/projects')}
      >
        {t('menu.projects')}
      </Button>
      <Card
        title={<span style={{ whiteSpace: 'normal' }}>{p.name}</span>}
        extra={
          <Space wrap>
            <StatusTag status={p.status} />
            {p.updateMissing && <Tag color="orange">{t('project.updateMissing')}</Tag>}
          </Space>
        }
      >
        <Progress percent={Math.round(p.progress * 100)} data-testid="project-progress" />
        {p.manualProgress && (
          <Typography.Text type="secondary">
            {t('project.manual', {
              value: Math.round(p.manualProgress.value * 100),
              reason: p.manualProgress.reason,
            })}
          </Typography.Text>
        )}
        <Descriptions size="small" bordered column={{ xs: 1, sm: 2 }} style={{ marginTop: 12 }}>
          <Descriptions.Item label={t('project.code')}>{p.code}</Descriptions.Item>
          <Descriptions.Item label={t('project.level')}>{t(`level.${p.level}`)}</Descriptions.Item>
          <Descriptions.Item label={t('project.leadUnit')}>{p.leadUnitName}</Descriptions.Item>
          <Descriptions.Item label={t('project.coUnits')}>
            {p.coUnitNames.join('、') || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('project.contactLeader')}>{p.contactLeader || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('project.deadline')}>{formatDate(p.deadline)}</Descriptions.Item>
          <Descriptions.Item label={t('project.content')} span={2}>
            {p.content || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('project.sites')} span={2}>
            {p.sites.join('、') || '—'}
          </Descriptions.Item>
          {p.indicators.length > 0 && (
            <Descriptions.Item label={t('project.indicators')} span={2}>
              <Space wrap>
                {p.indicators.map((i) => (
                  <Link key={i.id} to={`/indicators/items/${i.id}`}>
                    {i.code} {i.name}
                  </Link>
                ))}
              </Space>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('project.outputs')} span={2}>
            <Space wrap>
              {p.outputs.map((o) => (
                <Tag key={o.name} color={o.actual >= o.target ? 'success' : 'default'}>
                  {o.name} {o.actual} / {o.target}
                  {o.unit}
                </Tag>
              ))}
            </Space>
          </Descriptions.Item>
        </Descriptions>
        <Space wrap style={{ marginTop: 16 }}>
          {canReport && (
            <Button
              type="primary"
              size="large"
              data-testid="project-report"
              onClick={() => setReporting(true)}
            >
              {t('project.report')}
            </Button>
          )}
          {user?.role === 'organizer' && (
            <Button size="large" data-testid="project-edit" onClick={() => setEditing(true)}>
              {t('project.edit')}
            </Button>
          )}
        </Space>
      </Card>
      <Card title={t('project.milestones')} size="small">
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={p.milestones}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('project.milestones'), dataIndex: 'title' },
            { title: t('project.planned'), dataIndex: 'plannedDate', render: (d: string) => formatDate(d) },
            {
              title: t('project.done'),
              dataIndex: 'doneDate',
              render: (d: string | null) => (d ? formatDate(d) : '—'),
            },
            { title: t('project.weight'), dataIndex: 'weight' },
          ]}
        />
      </Card>
      <Card title={t('project.updates')} size="small">
        <List
          data-testid="project-updates"
          dataSource={p.updates}
          renderItem={(u) => (
            <List.Item data-testid="project-update" data-status={u.status}>
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Space wrap>
                  <Tag
                    color={u.status === 'verified' ? 'success' : u.status === 'returned' ? 'error' : 'gold'}
                  >
                    {t(`project.status_${u.status}`)}
                  </Tag>
                  <Typography.Text type="secondary">
                    {u.authorName} · {formatDateTime(u.createdAt)}
                  </Typography.Text>
                </Space>
                <div style={{ whiteSpace: 'pre-wrap' }}>{u.text}</div>
                {u.outputs.length > 0 && (
                  <Space wrap>
                    {u.outputs.map((o) => (
                      <Tag key={o.name}>
                        {o.name} {o.value}
                      </Tag>
                    ))}
                  </Space>
                )}
                {u.reviewComment && <Typography.Text type="danger">{u.reviewComment}</Typography.Text>}
                <PhotoGrid photos={u.photos} testId="project-update-photos" />
                {user?.role === 'organizer' && u.status === 'submitted' && (
                  <Space>
                    <Button
                      type="primary"
                      data-testid="update-acknowledge"
                      onClick={() => void review(u.id, 'verify')}
                    >
                      {t('project.acknowledge')}
                    </Button>
                    <Button danger data-testid="update-return" onClick={() => void review(u.id, 'return')}>
                      {t('project.return')}
                    </Button>
                  </Space>
                )}
              </Space>
            </List.Item>
          )}
        />
      </Card>
      {p.tasks.length > 0 && (
        <Card title={t('project.tasks')} size="small">
          {p.tasks.map((task) => (
            <Space key={task.id} wrap style={{ display: 'flex', marginBottom: 6 }}>
              <LightTag light={task.light} />
              <Link to={`/supervision/tasks/${task.id}`}>{task.title}</Link>
              <StateTag state={task.state} />
            </Space>
          ))}
        </Card>
      )}
      <ProjectFormModal
        open={editing}
        project={p}
        onClose={() => setEditing(false)}
        onSaved={(next) => {
          setEditing(false);
          project.setData(next);
        }}
      />
      {reporting && (
        <UpdateModal
          project={p}
          onClose={() => setReporting(false)}
          onDone={(next) => {
            setReporting(false);
            project.setData(next);
          }}
        />
      )}
    </Space>
  );
}

function UpdateModal({
  project,
  onClose,
  onDone,
}: {
  project: ProjectDetail;
  onClose: () => void;
  onDone: (p: ProjectDetail) => void;
}) {
  const { t } = useTranslation(NS);
  const [form] = Form.useForm<{
    text: string;
    outputs: Record<string, number | null>;
    milestoneIdsDone: string[];
  }>();
  const act = useAction(form);
  const [photos, setPhotos] = useState<EvidencePhoto[]>([]);
  const send = async () => {
    const v = await validValues(form);
    if (!v) return;
    const next = await act(
      () =>
        api.post<ProjectDetail>(`/api/supervision/projects/${project.id}/updates`, {
          text: v.text,
          outputs: Object.entries(v.outputs ?? {})
            .filter(([, value]) => typeof value === 'number')
            .map(([name, value]) => ({ name, value })),
          milestoneIdsDone: v.milestoneIdsDone ?? [],
          photoIds: photos.map((p) => p.id),
        }),
      t('project.submitted'),
    );
    if (next) onDone(next);
  };
  return (
    <Modal
      open
      title={t('project.report')}
      onCancel={onClose}
      onOk={send}
      okButtonProps={withTestId('update-ok')}
      width={640}
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="text"
          label={t('project.reportText')}
          rules={[{ required: true, whitespace: true, max: 5000 }]}
        >
          <Input.TextArea rows={4} data-testid="update-text" />
        </Form.Item>
        {project.outputs.map((o) => (
          <Form.Item
            key={o.name}
            name={['outputs', o.name]}
            label={t('project.outputValue', { name: o.name, target: o.target, unit: o.unit })}
          >
            <InputNumber min={0} max={1e9} style={{ width: 200 }} />
          </Form.Item>
        ))}
        <Form.Item name="milestoneIdsDone" label={t('project.milestonesDone')}>
          <Checkbox.Group
            options={project.milestones
              .filter((m) => !m.doneDate)
              .map((m) => ({ value: m.id, label: `${m.title}（${formatDate(m.plannedDate)}）` }))}
          />
        </Form.Item>
        <PhotoGrid photos={photos} testId="update-photos" />
        <PhotoUpload
          path={`/api/supervision/projects/${project.id}/photos`}
          testId="update-photo"
          onUploaded={(p) => setPhotos((x) => [...x, p])}
        />
      </Form>
    </Modal>
  );
}
