// 督查看板: projects by status and level, tasks by state and light, each unit's tasks (overdue first),
// and the overdue list, for leaders and the office. Charts first, then the detail to click through.
import { Card, Col, Row, Space, Statistic, Table, type TableColumnsType, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { PROJECT_STATUSES } from '../../../src/modules/supervision/domain/projects.ts';
import { TASK_STATES } from '../../../src/modules/supervision/domain/task-workflow.ts';
import { api } from '../../common/api.ts';
import { formatDate } from '../../common/format.ts';
import { useTableScroll } from '../components/responsive.ts';
import { LoadError, PageLoading } from '../components/States.tsx';
import { rowData } from '../components/testId.ts';
import { useLoad } from '../hooks.ts';
import { EChart } from '../indicators/EChart.tsx';
import { type DashboardView, DaysText, lightHex, NS, type TaskSummary } from './common.tsx';

const statusHex = {
  not_started: '#8c8c8c',
  on_track: '#389e0d',
  at_risk: '#d48806',
  overdue: '#cf1322',
  done: '#1677ff',
} as const;

export function SupervisionDashboardPage() {
  const { t } = useTranslation(NS);
  const navigate = useNavigate();
  const scroll = useTableScroll();
  const d = useLoad(() => api.get<DashboardView>('/api/supervision/dashboard'), []);
  if (d.error) return <LoadError error={d.error} onRetry={d.reload} />;
  if (!d.data) return <PageLoading />;
  const { projects, tasks, overdue } = d.data;
  const lights = (['red', 'yellow', 'green', 'closed'] as const).map((l) => ({
    l,
    n: tasks.byLight[l] ?? 0,
  }));
  const levels = [...new Set(projects.byLevel.map((x) => x.level))];
  const unitColumns: TableColumnsType<DashboardView['tasks']['byUnit'][number]> = [
    { title: t('task.unit'), dataIndex: 'unitName' },
    { title: t('dashboard.total'), dataIndex: 'total' },
    { title: t('dashboard.open'), dataIndex: 'open' },
    {
      title: t('dashboard.overdueCount'),
      dataIndex: 'overdue',
      render: (n: number) => <span style={{ color: n > 0 ? lightHex.red : undefined }}>{n}</span>,
    },
    { title: t('dashboard.closed'), dataIndex: 'closed' },
  ];
  const overdueColumns: TableColumnsType<TaskSummary> = [
    {
      title: t('task.title'),
      dataIndex: 'title',
      render: (v: string, r) => <Link to={`/supervision/tasks/${r.id}`}>{v}</Link>,
    },
    { title: t('task.unit'), dataIndex: 'unitName' },
    { title: t('task.deadline'), dataIndex: 'deadline', render: (x: string) => formatDate(x) },
    { title: t('task.daysLeft'), key: 'days', render: (_: unknown, r) => <DaysText task={r} /> },
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="supervision-dashboard">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('dashboard.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {lights.map(({ l, n }) => (
          <Col xs={12} md={6} key={l}>
            <Card size="small">
              <Statistic
                title={t(`light.${l}`)}
                value={n}
                styles={{ content: { color: lightHex[l] } }}
                data-testid={`dashboard-light-${l}`}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.projects')} size="small">
            <EChart
              height={260}
              testId="dashboard-projects-chart"
              option={{
                tooltip: { trigger: 'item' },
                legend: { bottom: 0 },
                series: [
                  {
                    type: 'pie',
                    radius: ['40%', '68%'],
                    data: PROJECT_STATUSES.map((s) => ({
                      name: t(`projectStatus.${s}`),
                      value: projects.byStatus[s] ?? 0,
                      itemStyle: { color: statusHex[s] },
                    })).filter((x) => x.value > 0),
                  },
                ],
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.byLevel')} size="small">
            <EChart
              height={260}
              option={{
                tooltip: { trigger: 'axis' },
                legend: { bottom: 0 },
                grid: { left: 40, right: 16, top: 16, bottom: 48 },
                xAxis: { type: 'category', data: levels.map((l) => t(`level.${l}`)) },
                yAxis: { type: 'value', minInterval: 1 },
                series: PROJECT_STATUSES.map((s) => ({
                  type: 'bar',
                  stack: 'all',
                  name: t(`projectStatus.${s}`),
                  itemStyle: { color: statusHex[s] },
                  data: levels.map(
                    (l) => projects.byLevel.find((x) => x.level === l && x.status === s)?.count ?? 0,
                  ),
                })),
              }}
            />
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={t('dashboard.tasks')} size="small">
            <EChart
              height={220}
              testId="dashboard-tasks-chart"
              option={{
                tooltip: { trigger: 'axis' },
                grid: { left: 40, right: 16, top: 16, bottom: 32 },
                xAxis: { type: 'category', data: TASK_STATES.map((s) => t(`state.${s}`)) },
                yAxis: { type: 'value', minInterval: 1 },
                series: [
                  {
                    type: 'bar',
                    data: TASK_STATES.map((s) => tasks.byState[s] ?? 0),
                    itemStyle: { color: '#c41d1d' },
                  },
                ],
              }}
            />
          </Card>
        </Col>
      </Row>
      <Card title={t('dashboard.overdue')} size="small">
        <Table
          rowKey="id"
          size="small"
          data-testid="dashboard-overdue"
          dataSource={overdue}
          columns={overdueColumns}
          scroll={scroll}
          pagination={false}
          onRow={(r) => ({
            ...rowData({ 'data-id': r.id }),
            onClick: () => navigate(`/supervision/tasks/${r.id}`),
            style: { cursor: 'pointer' },
          })}
        />
      </Card>
      <Card title={t('dashboard.byUnit')} size="small">
        <Table
          rowKey="unitId"
          size="small"
          data-testid="dashboard-units"
          dataSource={tasks.byUnit}
          columns={unitColumns}
          scroll={scroll}
          pagination={false}
        />
      </Card>
    </Space>
  );
}
