// 数据填报, the review tab (organizers): every submitted value of the period across units — verify it,
// or return it with a reason; several can be verified at once.
import { CheckOutlined, RollbackOutlined } from '@ant-design/icons';
import { Button, Empty, Form, Input, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { expectedValue } from '../../../src/modules/indicators/domain/indicators.ts';
import type {
  ActualView,
  IndicatorStatusView,
  ReviewQueueView,
} from '../../../src/modules/indicators/schemas.ts';
import { api } from '../../common/api.ts';
import { Confirm } from '../components/Confirm.tsx';
import { FormModal } from '../components/FormModal.tsx';
import { usePhone } from '../components/responsive.ts';
import { requiredText } from '../components/rules.ts';
import { LoadError } from '../components/States.tsx';
import { rowData } from '../components/testId.ts';
import { useAction, useLoad } from '../hooks.ts';
import { EvidenceLink, IndicatorCell } from './ActualsCells.tsx';
import {
  fmtValue,
  type IndicatorView,
  LightTag,
  NS,
  PeriodPicker,
  type PeriodState,
  type PeriodView,
} from './common.tsx';

interface QueueRow {
  indicator: IndicatorView;
  status: IndicatorStatusView;
  actual: ActualView | null;
}

/** Every submitted value of the period across units, waiting for the organizer (two requests). */
async function loadQueue(period: PeriodView): Promise<QueueRow[]> {
  const [indicators, queue] = await Promise.all([
    api.get<IndicatorView[]>(`/api/indicators?year=${period.year}`),
    api.get<ReviewQueueView>(`/api/dashboard/review?period=${encodeURIComponent(period.key)}`),
  ]);
  const byId = new Map(indicators.map((i) => [i.id, i]));
  return queue.items.flatMap((item) => {
    const indicator = byId.get(item.status.indicatorId);
    return indicator ? [{ indicator, status: item.status, actual: item.actual }] : [];
  });
}

export function ReviewTab({ ps }: { ps: PeriodState }) {
  const { t } = useTranslation(NS);
  const act = useAction();
  const phone = usePhone();
  const period = ps.period;
  const queue = useLoad(
    () => (period ? loadQueue(period) : Promise.resolve([] as QueueRow[])),
    [period?.key],
  );
  const [returning, setReturning] = useState<QueueRow | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [form] = Form.useForm<{ reason: string }>();

  const review = async (r: QueueRow, decision: 'verify' | 'return', reason?: string) => {
    if (!period) return false;
    setBusy(r.indicator.id);
    const a = await act(
      () =>
        api.post<ActualView>(
          `/api/indicators/${r.indicator.id}/actuals/${encodeURIComponent(period.key)}/review`,
          decision === 'verify' ? { decision } : { decision, reason },
        ),
      decision === 'verify' ? t('review.verified') : t('review.returned'),
    );
    setBusy(null);
    return a !== undefined;
  };

  const columns: TableColumnsType<QueueRow> = [
    { title: t('fields.unit'), key: 'unit', width: 170, render: (_v, r) => r.indicator.unitName },
    {
      title: t('fields.indicator'),
      key: 'name',
      render: (_v, r) => <IndicatorCell indicator={r.indicator} periodKey={period?.key ?? null} />,
    },
    {
      title: t('actuals.expected'),
      key: 'expected',
      align: 'right',
      render: (_v, r) => (period ? fmtValue(expectedValue(r.indicator, period), r.indicator.measure) : null),
    },
    {
      title: t('actuals.actual'),
      key: 'value',
      align: 'right',
      render: (_v, r) => (
        <Typography.Text strong data-testid={`review-value-${r.indicator.code}`}>
          {fmtValue(r.actual?.value ?? r.status.actual, r.indicator.measure)}
        </Typography.Text>
      ),
    },
    {
      title: t('fields.light'),
      key: 'light',
      width: 110,
      render: (_v, r) => <LightTag light={r.status.light} explanation={r.status.explanation} />,
    },
    { title: t('actuals.note'), key: 'note', render: (_v, r) => r.actual?.note || '—' },
    {
      title: t('actuals.evidence'),
      key: 'evidence',
      render: (_v, r) =>
        (r.actual?.evidence ?? []).length === 0 ? (
          '—'
        ) : (
          <Space orientation="vertical" size={0}>
            {(r.actual?.evidence ?? []).map((f) => (
              <EvidenceLink key={f.id} file={f} />
            ))}
          </Space>
        ),
    },
    {
      title: t('actions.title'),
      key: 'actions',
      width: 200,
      // A fixed column would take most of a phone's width.
      fixed: phone ? undefined : 'right',
      render: (_v, r) => (
        <Space size={4}>
          <Button
            size="small"
            type="primary"
            icon={<CheckOutlined />}
            loading={busy === r.indicator.id}
            data-testid={`review-verify-${r.indicator.code}`}
            onClick={async () => {
              if (await review(r, 'verify')) void queue.reload();
            }}
          >
            {t('review.verify')}
          </Button>
          <Button
            size="small"
            danger
            icon={<RollbackOutlined />}
            data-testid={`review-return-${r.indicator.code}`}
            onClick={() => {
              form.resetFields();
              setReturning(r);
            }}
          >
            {t('review.return')}
          </Button>
        </Space>
      ),
    },
  ];

  const rows = queue.data ?? [];
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <PeriodPicker state={ps} />
        <Confirm
          title={t('review.verifySelectedConfirm', { count: selected.length })}
          disabled={selected.length === 0}
          onConfirm={async () => {
            for (const r of rows.filter((x) => selected.includes(x.indicator.id))) await review(r, 'verify');
            setSelected([]);
            void queue.reload();
          }}
        >
          <Button
            icon={<CheckOutlined />}
            disabled={selected.length === 0}
            data-testid="review-verify-selected"
          >
            {t('review.verifySelected', { count: selected.length })}
          </Button>
        </Confirm>
      </Space>
      {queue.error ? <LoadError error={queue.error} onRetry={() => void queue.reload()} /> : null}
      <Table<QueueRow>
        data-testid="review-queue"
        rowKey={(r) => r.indicator.id}
        size="middle"
        loading={queue.loading}
        dataSource={rows}
        columns={columns}
        scroll={{ x: 1200 }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t('review.empty')} /> }}
        onRow={(r) => rowData({ 'data-testid': `review-row-${r.indicator.code}` })}
      />
      <FormModal
        form={form}
        open={returning !== null}
        title={t('review.returnTitle', { name: returning?.indicator.name ?? '' })}
        okText={t('review.return')}
        okTestId="review-return-ok"
        okButtonProps={{ danger: true }}
        onCancel={() => setReturning(null)}
        onSubmit={async (v) => {
          if (!returning) return;
          if (await review(returning, 'return', v.reason.trim())) {
            setReturning(null);
            void queue.reload();
          }
        }}
      >
        <Form.Item
          name="reason"
          label={t('review.reason')}
          rules={requiredText(t('review.reasonRequired'), 500)}
        >
          <Input.TextArea
            rows={3}
            data-testid="review-return-reason"
            placeholder={t('review.reasonPlaceholder')}
          />
        </Form.Item>
      </FormModal>
    </Space>
  );
}
