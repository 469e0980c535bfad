// 督办事项: every task with its light, filtered by state, light, unit and words; the office issues new
// ones here (or from a visit's instruction, with the instruction filled in).
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Select, Space, Table, type TableColumnsType, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { CADENCES } from '../../../src/modules/supervision/domain/deadlines.ts';
import { TASK_STATES } from '../../../src/modules/supervision/domain/task-workflow.ts';
import { SOURCE_KINDS, type TaskBody, URGENCIES } from '../../../src/modules/supervision/schemas.ts';
import { api } from '../../common/api.ts';
import { formatDate } from '../../common/format.ts';
import { useAuth } from '../auth.tsx';
import { DateItem } from '../components/DateItems.tsx';
import { FormModal } from '../components/FormModal.tsx';
import { useTableScroll } from '../components/responsive.ts';
import { LoadError } from '../components/States.tsx';
import { rowData } from '../components/testId.ts';
import { useAction, useLoad } from '../hooks.ts';
import {
  DaysText,
  LightTag,
  NS,
  StateTag,
  type TaskDetail,
  type TaskSummary,
  useLeaders,
  useUnitList,
} from './common.tsx';

type TaskForm = Omit<TaskBody, 'deadline'> & { deadline: dayjs.Dayjs };

/** The form that issues a task; `preset` fills in what a visit's instruction already says. */
export function TaskFormModal({
  open,
  preset,
  onClose,
  onCreated,
}: {
  open: boolean;
  preset?: Partial<TaskBody> | undefined;
  onClose: () => void;
  onCreated: (t: TaskDetail) => void;
}) {
  const { t } = useTranslation(NS);
  const [form] = Form.useForm<TaskForm>();
  const act = useAction(form);
  const units = useUnitList();
  const leaders = useLeaders();
  const unitOptions = (units.data ?? []).map((u) => ({ value: u.id, label: u.name }));
  // Filled as the dialog opens, before anyone can type (not after its opening animation).
  // biome-ignore lint/correctness/useExhaustiveDependencies: filled once per opening, from what it opened with
  useEffect(() => {
    if (!open) return;
    form.setFieldsValue({
      sourceKind: 'instruction',
      urgency: 'normal',
      cadence: 'none',
      coUnitIds: [],
      issuerUserId: null,
      sourceText: '',
      ...preset,
      // No default: a deadline is chosen on purpose.
      deadline: preset?.deadline ? dayjs(preset.deadline) : undefined,
    } as TaskForm);
  }, [open]);
  return (
    <FormModal
      form={form}
      open={open}
      title={t('task.new')}
      okTestId="task-form-ok"
      destroyOnHidden
      width={640}
      onCancel={onClose}
      onSubmit={async (v) => {
        const created = await act(
          () =>
            api.post<TaskDetail>('/api/supervision/tasks', {
              ...preset,
              ...v,
              deadline: v.deadline.format('YYYY-MM-DD'),
            }),
          t('task.created'),
        );
        if (created) onCreated(created);
      }}
    >
      <Form.Item
        name="title"
        label={t('task.title')}
        rules={[{ required: true, whitespace: true, max: 200 }]}
      >
        <Input data-testid="task-form-title" />
      </Form.Item>
      <Form.Item
        name="standard"
        label={t('task.standard')}
        rules={[{ required: true, whitespace: true, max: 2000 }]}
      >
        <Input.TextArea rows={2} data-testid="task-form-standard" />
      </Form.Item>
      <Space wrap style={{ width: '100%' }} align="start">
        <Form.Item name="sourceKind" label={t('task.source')}>
          <Select
            style={{ width: 160 }}
            options={SOURCE_KINDS.map((k) => ({ value: k, label: t(`source.${k}`) }))}
          />
        </Form.Item>
        <DateItem name="deadline" label={t('task.deadline')} required testId="task-form-deadline" />
        <Form.Item name="urgency" label={t('task.urgency')}>
          <Select
            style={{ width: 120 }}
            options={URGENCIES.map((k) => ({ value: k, label: t(`urgency.${k}`) }))}
          />
        </Form.Item>
      </Space>
      <Form.Item name="sourceText" label={t('task.sourceText')} rules={[{ max: 2000 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="unitId" label={t('task.unit')} rules={[{ required: true }]}>
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          options={unitOptions}
          data-testid="task-form-unit"
        />
      </Form.Item>
      <Form.Item name="coUnitIds" label={t('task.coUnits')}>
        <Select
          mode="multiple"
          showSearch={{ optionFilterProp: 'label' }}
          options={unitOptions}
          data-testid="task-form-co-units"
        />
      </Form.Item>
      <Space wrap style={{ width: '100%' }} align="start">
        <Form.Item name="issuerUserId" label={t('task.issuer')}>
          <Select
            style={{ width: 240 }}
            data-testid="task-form-issuer"
            options={[
              { value: null, label: t('task.issuerOffice') },
              ...(leaders.data ?? []).map((l) => ({ value: l.id, label: l.name })),
            ]}
          />
        </Form.Item>
        <Form.Item name="cadence" label={t('task.cadence')}>
          <Select
            style={{ width: 180 }}
            options={CADENCES.map((k) => ({ value: k, label: t(`cadence.${k}`) }))}
          />
        </Form.Item>
      </Space>
    </FormModal>
  );
}

export function TasksPage() {
  const { t } = useTranslation(NS);
  const navigate = useNavigate();
  const { user } = useAuth();
  const [state, setState] = useState<string | undefined>();
  const [light, setLight] = useState<string | undefined>();
  const [unitId, setUnitId] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [params, setParams] = useSearchParams();
  // Sent here from another page (newTaskLink): the form opens with what that page knew.
  const linked =
    params.get('new') === '1' && user?.role === 'organizer'
      ? {
          sourceKind: (params.get('sourceKind') ?? 'other') as TaskBody['sourceKind'],
          unitId: params.get('unitId') ?? '',
          title: (params.get('title') ?? '').slice(0, 200),
          sourceText: (params.get('sourceText') ?? '').slice(0, 2000),
        }
      : undefined;
  const [creating, setCreating] = useState(false);
  const units = useUnitList();
  const scroll = useTableScroll();
  const query = new URLSearchParams({
    ...(state ? { state } : {}),
    ...(light ? { light } : {}),
    ...(unitId ? { unitId } : {}),
    ...(q ? { q } : {}),
  }).toString();
  const tasks = useLoad(() => api.get<TaskSummary[]>(`/api/supervision/tasks?${query}`), [query]);
  const columns: TableColumnsType<TaskSummary> = [
    {
      title: t('task.light'),
      dataIndex: 'light',
      width: 80,
      render: (l: TaskSummary['light']) => <LightTag light={l} />,
    },
    {
      title: t('task.title'),
      dataIndex: 'title',
      render: (v: string, r) => <Link to={`/supervision/tasks/${r.id}`}>{r.parentId ? `↳ ${v}` : v}</Link>,
    },
    { title: t('task.unit'), dataIndex: 'unitName' },
    {
      title: t('task.deadline'),
      dataIndex: 'deadline',
      render: (d: string) => formatDate(d),
      sorter: (a, b) => a.deadline.localeCompare(b.deadline),
    },
    { title: t('task.daysLeft'), key: 'days', render: (_: unknown, r) => <DaysText task={r} /> },
    {
      title: t('task.state'),
      dataIndex: 'state',
      render: (s: TaskSummary['state']) => <StateTag state={s} />,
    },
    { title: t('task.issuer'), dataIndex: 'issuerName' },
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('menu.tasks')}
        </Typography.Title>
        {user?.role === 'organizer' && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="task-new"
            onClick={() => setCreating(true)}
          >
            {t('task.new')}
          </Button>
        )}
      </Space>
      <Card size="small">
        <Space wrap>
          <Select
            allowClear
            placeholder={t('task.state')}
            style={{ width: 150 }}
            value={state}
            onChange={setState}
            options={TASK_STATES.map((s) => ({ value: s, label: t(`state.${s}`) }))}
          />
          <Select
            allowClear
            placeholder={t('task.light')}
            style={{ width: 120 }}
            value={light}
            onChange={setLight}
            options={(['red', 'yellow', 'green', 'closed'] as const).map((l) => ({
              value: l,
              label: t(`light.${l}`),
            }))}
          />
          {user?.role !== 'reporter' && (
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('task.unit')}
              style={{ width: 200 }}
              value={unitId}
              onChange={setUnitId}
              options={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
            />
          )}
          <Input.Search
            allowClear
            placeholder={t('task.filters.search')}
            onSearch={setQ}
            style={{ width: 220 }}
          />
        </Space>
      </Card>
      {tasks.error ? (
        <LoadError error={tasks.error} onRetry={tasks.reload} />
      ) : (
        <Table
          rowKey="id"
          data-testid="tasks-table"
          loading={tasks.loading}
          dataSource={tasks.data ?? []}
          columns={columns}
          scroll={scroll}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          onRow={(r) => ({
            ...rowData({ 'data-id': r.id, 'data-state': r.state }),
            onClick: () => navigate(`/supervision/tasks/${r.id}`),
            style: { cursor: 'pointer' },
          })}
        />
      )}
      <TaskFormModal
        open={creating || linked !== undefined}
        preset={linked}
        onClose={() => {
          setCreating(false);
          if (linked) setParams({}, { replace: true });
        }}
        onCreated={(task) => {
          setCreating(false);
          navigate(`/supervision/tasks/${task.id}`);
        }}
      />
    </Space>
  );
}
