// 督查活动: the visits, newest first, with how many of their instructions became tasks and how many of
// those are open or overdue; the office records a visit with its instructions here.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Select, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { VisitBody } from '../../../src/modules/supervision/schemas.ts';
import { api } from '../../common/api.ts';
import { formatDate } from '../../common/format.ts';
import { useAuth } from '../auth.tsx';
import { DateItem } from '../components/DateItems.tsx';
import { FormModal } from '../components/FormModal.tsx';
import { useTableScroll } from '../components/responsive.ts';
import { LoadError } from '../components/States.tsx';
import { rowData } from '../components/testId.ts';
import { useAction, useLoad } from '../hooks.ts';
import { NS, type ProjectSummary, useLeaders, type VisitDetail, type VisitSummary } from './common.tsx';

type VisitForm = Omit<VisitBody, 'visitDate'> & { visitDate: dayjs.Dayjs };

function VisitFormModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (v: VisitDetail) => void;
}) {
  const { t } = useTranslation(NS);
  const [form] = Form.useForm<VisitForm>();
  const act = useAction(form);
  const leaders = useLeaders();
  const projects = useLoad(() => api.get<ProjectSummary[]>('/api/supervision/projects'), []);
  // Filled as the dialog opens, before anyone can type (not after its opening animation).
  // biome-ignore lint/correctness/useExhaustiveDependencies: filled once per opening, from what it opened with
  useEffect(() => {
    if (!open) return;
    form.setFieldsValue({
      visitDate: dayjs(),
      instructions: [{ text: '' }],
      projectIds: [],
      leaderUserId: null,
    } as never);
  }, [open]);
  return (
    <FormModal
      form={form}
      open={open}
      width={720}
      title={t('visit.new')}
      okTestId="visit-form-ok"
      destroyOnHidden
      onCancel={onClose}
      onSubmit={async (v) => {
        const created = await act(() =>
          api.post<VisitDetail>('/api/supervision/visits', {
            ...v,
            visitDate: v.visitDate.format('YYYY-MM-DD'),
            instructions: (v.instructions ?? [])
              .filter((i) => i.text?.trim())
              .map((i) => ({ text: i.text, projectId: i.projectId ?? null })),
          }),
        );
        if (created) onCreated(created);
      }}
    >
      <Form.Item
        name="title"
        label={t('visit.title')}
        rules={[{ required: true, whitespace: true, max: 200 }]}
      >
        <Input data-testid="visit-form-title" />
      </Form.Item>
      <Space wrap align="start">
        <DateItem name="visitDate" label={t('visit.date')} required testId="visit-form-date" />
        <Form.Item
          name="leaderName"
          label={t('visit.leader')}
          rules={[{ required: true, whitespace: true, max: 60 }]}
        >
          <Input data-testid="visit-form-leader" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="leaderUserId" label={t('visit.leaderUser')}>
          <Select
            style={{ width: 220 }}
            data-testid="visit-form-leader-user"
            options={[
              { value: null, label: '—' },
              ...(leaders.data ?? []).map((l) => ({ value: l.id, label: l.name })),
            ]}
          />
        </Form.Item>
      </Space>
      <Form.Item name="companions" label={t('visit.companions')} rules={[{ max: 500 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="projectIds" label={t('visit.projects')}>
        <Select
          mode="multiple"
          showSearch={{ optionFilterProp: 'label' }}
          options={(projects.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
        />
      </Form.Item>
      <Form.Item name="sites" label={t('visit.sites')} rules={[{ max: 1000 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="findings" label={t('visit.findings')} rules={[{ max: 5000 }]}>
        <Input.TextArea rows={3} data-testid="visit-form-findings" />
      </Form.Item>
      <Typography.Text strong>{t('visit.instructions')}</Typography.Text>
      <Form.List name="instructions">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Space key={f.key} align="start" style={{ display: 'flex', marginTop: 8 }}>
                <Form.Item
                  name={[f.name, 'text']}
                  rules={[{ max: 2000 }]}
                  style={{ flex: 1, marginBottom: 0, minWidth: 300 }}
                >
                  <Input.TextArea
                    rows={2}
                    placeholder={t('visit.instruction')}
                    data-testid={`visit-form-instruction-${i}`}
                  />
                </Form.Item>
                <Button
                  icon={<DeleteOutlined />}
                  onClick={() => remove(f.name)}
                  aria-label={t('console:actions.remove')}
                />
              </Space>
            ))}
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ text: '' })}
              style={{ marginTop: 8 }}
              data-testid="visit-form-add-instruction"
            >
              {t('visit.addInstruction')}
            </Button>
          </>
        )}
      </Form.List>
    </FormModal>
  );
}

export function VisitsPage() {
  const { t } = useTranslation(NS);
  const navigate = useNavigate();
  const { user } = useAuth();
  const [creating, setCreating] = useState(false);
  const scroll = useTableScroll();
  const visits = useLoad(() => api.get<VisitSummary[]>('/api/supervision/visits'), []);
  const columns: TableColumnsType<VisitSummary> = [
    { title: t('visit.date'), dataIndex: 'visitDate', render: (d: string) => formatDate(d), width: 130 },
    {
      title: t('visit.title'),
      dataIndex: 'title',
      render: (v: string, r) => <Link to={`/supervision/visits/${r.id}`}>{v}</Link>,
    },
    { title: t('visit.leader'), dataIndex: 'leaderName' },
    {
      title: t('menu.tasks'),
      key: 'tasks',
      render: (_: unknown, r) => (
        <Space wrap size={4}>
          <Tag>{t('visit.tasks', { count: r.tasks })}</Tag>
          {r.openTasks > 0 && <Tag color="processing">{t('visit.open', { count: r.openTasks })}</Tag>}
          {r.overdueTasks > 0 && <Tag color="error">{t('visit.overdue', { count: r.overdueTasks })}</Tag>}
        </Space>
      ),
    },
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('menu.visits')}
        </Typography.Title>
        {user?.role === 'organizer' && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="visit-new"
            onClick={() => setCreating(true)}
          >
            {t('visit.new')}
          </Button>
        )}
      </Space>
      {visits.error ? (
        <LoadError error={visits.error} onRetry={visits.reload} />
      ) : (
        <Table
          rowKey="id"
          data-testid="visits-table"
          loading={visits.loading}
          dataSource={visits.data ?? []}
          columns={columns}
          scroll={scroll}
          locale={{ emptyText: t('visit.empty') }}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          onRow={(r) => ({
            ...rowData({ 'data-id': r.id }),
            onClick: () => navigate(`/supervision/visits/${r.id}`),
            style: { cursor: 'pointer' },
          })}
        />
      )}
      <VisitFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(v) => {
          setCreating(false);
          navigate(`/supervision/visits/${v.id}`);
        }}
      />
    </Space>
  );
}
