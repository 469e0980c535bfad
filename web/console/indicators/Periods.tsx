// Periods of a year: create them in one go (months or quarters, with the due day and grace days), move a
// due date, change the grace, lock a period once its figures are final (asks first: a locked period
// takes no more changes from anyone).
import { LockOutlined, PlusOutlined, UnlockOutlined } from '@ant-design/icons';
import { Button, Form, InputNumber, Radio, Select, Space, Table, type TableColumnsType, Tag } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../common/api.ts';
import { formatDate } from '../../common/format.ts';
import { Confirm } from '../components/Confirm.tsx';
import { DateItem } from '../components/DateItems.tsx';
import { FormModal } from '../components/FormModal.tsx';
import { EditButton } from '../components/RowButtons.tsx';
import { useTableScroll } from '../components/responsive.ts';
import { LoadError } from '../components/States.tsx';
import { rowData } from '../components/testId.ts';
import { useAction } from '../hooks.ts';
import { choices, comparePeriods, NS, type PeriodView } from './common.tsx';

interface CreateForm {
  year: number;
  frequency: 'monthly' | 'quarterly';
  dueDayOffset: number;
  graceDays: number;
}

/** The grace days after the due date, asked when periods are created and when one is edited. */
function GraceDaysItem() {
  const { t } = useTranslation(NS);
  return (
    <Form.Item name="graceDays" label={t('period.graceDays')} extra={t('period.graceHint')}>
      <InputNumber min={0} max={60} precision={0} style={{ width: '100%' }} />
    </Form.Item>
  );
}

export function PeriodsEditor({
  periods,
  loading,
  error,
  reload,
  canEdit,
  defaultYear,
}: {
  periods: PeriodView[];
  loading: boolean;
  error: Error | null;
  reload: () => void;
  canEdit: boolean;
  defaultYear: number;
}) {
  const { t } = useTranslation(NS);
  const tableScroll = useTableScroll();
  const act = useAction();
  const years = useMemo(() => [...new Set(periods.map((p) => p.year))].sort((a, b) => b - a), [periods]);
  const [year, setYear] = useState<number | null>(null);
  const shownYear = year ?? (years.includes(defaultYear) ? defaultYear : (years[0] ?? defaultYear));
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<PeriodView | null>(null);
  const [createForm] = Form.useForm<CreateForm>();
  const [editForm] = Form.useForm<{ dueDate: dayjs.Dayjs; graceDays: number }>();

  const rows = periods.filter((p) => p.year === shownYear).sort(comparePeriods);

  const columns: TableColumnsType<PeriodView> = [
    { title: t('period.label'), dataIndex: 'label', width: 160 },
    { title: t('period.key'), dataIndex: 'key', width: 110 },
    {
      title: t('period.range'),
      key: 'range',
      render: (_v, p) => `${formatDate(p.startDate)} – ${formatDate(p.endDate)}`,
    },
    { title: t('period.dueDate'), dataIndex: 'dueDate', render: (v: string) => formatDate(v) },
    {
      title: t('period.graceDays'),
      dataIndex: 'graceDays',
      width: 110,
      render: (v: number) => t('period.days', { count: v }),
    },
    {
      title: t('period.state'),
      dataIndex: 'locked',
      width: 100,
      render: (locked: boolean) =>
        locked ? (
          <Tag icon={<LockOutlined />} color="default">
            {t('period.locked')}
          </Tag>
        ) : (
          <Tag color="green">{t('period.open')}</Tag>
        ),
    },
    ...(canEdit
      ? [
          {
            title: t('actions.title'),
            key: 'actions',
            width: 220,
            render: (_v: unknown, p: PeriodView) => (
              <Space size="small">
                <EditButton
                  testId={`period-edit-${p.key}`}
                  onClick={() => {
                    setEditing(p);
                    editForm.setFieldsValue({ dueDate: dayjs(p.dueDate), graceDays: p.graceDays });
                  }}
                />
                <Confirm
                  title={
                    p.locked
                      ? t('period.unlockConfirm', { period: p.label })
                      : t('period.lockConfirm', { period: p.label })
                  }
                  danger={!p.locked}
                  onConfirm={async () => {
                    const ok = await act(
                      () => api.patch(`/api/periods/${encodeURIComponent(p.key)}`, { locked: !p.locked }),
                      p.locked ? t('period.unlocked') : t('period.lockedDone'),
                    );
                    if (ok !== undefined) reload();
                  }}
                >
                  <Button
                    size="small"
                    type="link"
                    danger={!p.locked}
                    icon={p.locked ? <UnlockOutlined /> : <LockOutlined />}
                    data-testid={`period-lock-${p.key}`}
                  >
                    {p.locked ? t('period.unlock') : t('period.lock')}
                  </Button>
                </Confirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          style={{ width: 140 }}
          value={shownYear}
          onChange={setYear}
          options={(years.includes(shownYear) ? years : [shownYear, ...years]).map((y) => ({
            value: y,
            label: t('period.year', { year: y }),
          }))}
          data-testid="periods-year"
        />
        {canEdit ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="periods-create"
            onClick={() => {
              createForm.setFieldsValue({
                year: shownYear,
                frequency: 'quarterly',
                dueDayOffset: 10,
                graceDays: 5,
              });
              setCreating(true);
            }}
          >
            {t('period.create')}
          </Button>
        ) : null}
      </Space>
      {error ? <LoadError error={error} onRetry={reload} /> : null}
      <Table<PeriodView>
        scroll={tableScroll}
        rowKey="key"
        size="middle"
        loading={loading}
        dataSource={rows}
        columns={columns}
        pagination={false}
        locale={{ emptyText: t('period.noneYet') }}
        onRow={(p) => rowData({ 'data-testid': `period-row-${p.key}` })}
      />
      <FormModal
        form={createForm}
        open={creating}
        title={t('period.create')}
        okTestId="periods-create-ok"
        onCancel={() => setCreating(false)}
        onSubmit={async (v) => {
          const ok = await act(() => api.post('/api/periods', v), t('period.created'));
          if (ok !== undefined) {
            setCreating(false);
            setYear(v.year);
            reload();
          }
        }}
      >
        <Form.Item
          name="year"
          label={t('fields.year')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <InputNumber min={2000} max={2100} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="frequency" label={t('fields.frequency')}>
          <Radio.Group options={choices(t, 'frequency', ['quarterly', 'monthly'])} />
        </Form.Item>
        <Form.Item name="dueDayOffset" label={t('period.dueDayOffset')} extra={t('period.dueDayOffsetHint')}>
          <InputNumber min={0} max={60} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <GraceDaysItem />
      </FormModal>
      <FormModal
        form={editForm}
        open={editing !== null}
        title={t('period.edit', { period: editing?.label ?? '' })}
        okTestId="period-save"
        onCancel={() => setEditing(null)}
        onSubmit={async (v) => {
          if (!editing) return;
          const ok = await act(
            () =>
              api.patch(`/api/periods/${encodeURIComponent(editing.key)}`, {
                dueDate: v.dueDate.format('YYYY-MM-DD'),
                graceDays: v.graceDays,
              }),
            t('actions.saved'),
          );
          if (ok !== undefined) {
            setEditing(null);
            reload();
          }
        }}
      >
        <DateItem
          name="dueDate"
          label={t('period.dueDate')}
          required
          format={t('period.dateFormat')}
          testId="period-due-date"
        />
        <GraceDaysItem />
      </FormModal>
    </>
  );
}
