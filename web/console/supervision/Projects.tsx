// 民生实事: the projects with their computed status and progress, by level and lead unit; the office
// imports them (and their milestones) from the familiar Excel list and exports the 工作清单 and 责任清单.
import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Progress, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../common/api.ts';
import { formatDate } from '../../common/format.ts';
import { useAuth } from '../auth.tsx';
import { DownloadButton } from '../components/DownloadButton.tsx';
import { ExcelImportButton } from '../components/ExcelImport.tsx';
import { useTableScroll } from '../components/responsive.ts';
import { LoadError } from '../components/States.tsx';
import { rowData } from '../components/testId.ts';
import { useLoad } from '../hooks.ts';
import { NS, type ProjectSummary, StatusTag } from './common.tsx';
import { ProjectFormModal } from './ProjectForm.tsx';

export function ProjectsPage() {
  const { t } = useTranslation(NS);
  const navigate = useNavigate();
  const { user } = useAuth();
  const scroll = useTableScroll();
  const projects = useLoad(() => api.get<ProjectSummary[]>('/api/supervision/projects'), []);
  const [creating, setCreating] = useState(false);
  const columns: TableColumnsType<ProjectSummary> = [
    {
      title: t('project.name'),
      dataIndex: 'name',
      render: (v: string, r) => <Link to={`/supervision/projects/${r.id}`}>{v}</Link>,
    },
    { title: t('project.level'), dataIndex: 'level', render: (l: string) => t(`level.${l}`), width: 90 },
    { title: t('project.leadUnit'), dataIndex: 'leadUnitName' },
    { title: t('project.deadline'), dataIndex: 'deadline', render: (d: string) => formatDate(d) },
    {
      title: t('project.progress'),
      dataIndex: 'progress',
      width: 160,
      render: (p: number, r) => (
        <Progress
          percent={Math.round(p * 100)}
          size="small"
          status={r.status === 'overdue' ? 'exception' : undefined}
        />
      ),
    },
    {
      title: t('project.status'),
      dataIndex: 'status',
      render: (s: ProjectSummary['status'], r) => (
        <Space wrap size={4}>
          <StatusTag status={s} />
          {r.updateMissing && <Tag color="orange">{t('project.updateMissing')}</Tag>}
          {r.openTasks > 0 && <Tag>{`${t('project.openTasks')} ${r.openTasks}`}</Tag>}
        </Space>
      ),
    },
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('menu.projects')}
        </Typography.Title>
        <Space wrap>
          {user?.role === 'organizer' && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              data-testid="project-new"
              onClick={() => setCreating(true)}
            >
              {t('project.new')}
            </Button>
          )}
          {user?.role === 'organizer' && (
            <ExcelImportButton
              path="/api/supervision/projects/import"
              testId="projects-import"
              onImported={() => void projects.reload()}
            />
          )}
          {user?.role !== 'reporter' && (
            <DownloadButton
              path="/api/supervision/lists/export"
              fileName="工作清单和责任清单.xlsx"
              testId="lists-export"
            >
              {t('project.export')}
            </DownloadButton>
          )}
        </Space>
      </Space>
      {user?.role === 'organizer' && <Alert type="info" showIcon title={t('project.importHint')} />}
      {projects.error ? (
        <LoadError error={projects.error} onRetry={projects.reload} />
      ) : (
        <Table
          rowKey="id"
          data-testid="projects-table"
          loading={projects.loading}
          dataSource={projects.data ?? []}
          columns={columns}
          scroll={scroll}
          locale={{ emptyText: t('project.empty') }}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          onRow={(r) => ({
            ...rowData({ 'data-id': r.id }),
            onClick: () => navigate(`/supervision/projects/${r.id}`),
            style: { cursor: 'pointer' },
          })}
        />
      )}
      <ProjectFormModal
        open={creating}
        project={null}
        onClose={() => setCreating(false)}
        onSaved={(p) => {
          setCreating(false);
          navigate(`/supervision/projects/${p.id}`);
        }}
      />
    </Space>
  );
}
