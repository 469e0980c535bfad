// 督查简报: one visit as a briefing — who went where, what they found, the projects seen, and each
// instruction with the tasks it became and their states; the office turns an instruction into a task
// from here.
import { ArrowLeftOutlined, PrinterOutlined, SendOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, List, Progress, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../common/api.ts';
import { formatDate } from '../../common/format.ts';
import { useAuth } from '../auth.tsx';
import { LoadError, PageLoading } from '../components/States.tsx';
import { useLoad } from '../hooks.ts';
import { DaysText, LightTag, NS, StateTag, StatusTag, type VisitDetail } from './common.tsx';
import { TaskFormModal } from './Tasks.tsx';

export function VisitPage() {
  const { visitId = '' } = useParams();
  const { t } = useTranslation(NS);
  const navigate = useNavigate();
  const { user } = useAuth();
  const visit = useLoad(() => api.get<VisitDetail>(`/api/supervision/visits/${visitId}`), [visitId]);
  const [instruction, setInstruction] = useState<VisitDetail['instructions'][number] | null>(null);
  if (visit.error) return <LoadError error={visit.error} onRetry={visit.reload} />;
  if (!visit.data) return <PageLoading />;
  const v = visit.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="visit-page">
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Button
          type="link"
          icon={<ArrowLeftOutlined />}
          style={{ padding: 0 }}
          onClick={() => navigate('/supervision/visits')}
        >
          {t('menu.visits')}
        </Button>
        <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('visit.print')}
        </Button>
      </Space>
      <Card title={`${t('visit.briefing')}：${v.title}`}>
        <Descriptions size="small" bordered column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label={t('visit.date')}>{formatDate(v.visitDate)}</Descriptions.Item>
          <Descriptions.Item label={t('visit.leader')}>{v.leaderName}</Descriptions.Item>
          <Descriptions.Item label={t('visit.companions')} span={2}>
            {v.companions || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('visit.sites')} span={2}>
            {v.sites || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('visit.findings')} span={2}>
            <span style={{ whiteSpace: 'pre-wrap' }}>{v.findings || '—'}</span>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {v.projects.length > 0 && (
        <Card title={t('visit.projects')} size="small">
          <List
            dataSource={v.projects}
            renderItem={(p) => (
              <List.Item>
                <Space wrap style={{ width: '100%' }}>
                  <Link to={`/supervision/projects/${p.id}`}>{p.name}</Link>
                  <StatusTag status={p.status} />
                  <Progress percent={Math.round(p.progress * 100)} size="small" style={{ width: 160 }} />
                </Space>
              </List.Item>
            )}
          />
        </Card>
      )}
      <Card title={t('visit.instructions')} size="small">
        <List
          data-testid="visit-instructions"
          dataSource={v.instructions}
          renderItem={(i, n) => (
            <List.Item data-testid="visit-instruction" data-id={i.id}>
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Typography.Text strong>
                  {n + 1}. {i.text}
                </Typography.Text>
                {i.tasks.length === 0 && (
                  <Typography.Text type="secondary">{t('visit.noTasks')}</Typography.Text>
                )}
                {i.tasks.map((task) => (
                  <Space key={task.id} wrap>
                    <LightTag light={task.light} />
                    <Link to={`/supervision/tasks/${task.id}`}>{task.title}</Link>
                    <span>{task.unitName}</span>
                    <StateTag state={task.state} />
                    <DaysText task={task} />
                  </Space>
                ))}
                {user?.role === 'organizer' && (
                  <Button
                    size="small"
                    icon={<SendOutlined />}
                    data-testid={`visit-to-task-${n}`}
                    onClick={() => setInstruction(i)}
                  >
                    {t('visit.toTask')}
                  </Button>
                )}
              </Space>
            </List.Item>
          )}
        />
      </Card>
      <TaskFormModal
        open={instruction !== null}
        preset={
          instruction
            ? {
                instructionId: instruction.id,
                sourceKind: 'instruction',
                sourceText: instruction.text,
                title: instruction.text.slice(0, 60),
                projectId: instruction.projectId,
                issuerUserId: v.leaderUserId,
              }
            : undefined
        }
        onClose={() => setInstruction(null)}
        onCreated={() => {
          setInstruction(null);
          void visit.reload();
        }}
      />
    </Space>
  );
}
