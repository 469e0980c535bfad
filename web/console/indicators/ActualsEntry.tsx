// 数据填报, the entry tab: a unit's indicators for a period, each with what is expected by now (序时进度),
// the actual to enter, a note and evidence; save as a draft or submit. A returned value shows its
// reason at the top.
import { SaveOutlined, SendOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Empty,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { expectedValue } from '../../../src/modules/indicators/domain/indicators.ts';
import type { ActualView, IndicatorStatusView } from '../../../src/modules/indicators/schemas.ts';
import { api } from '../../common/api.ts';
import { formatDate, formatDateTime } from '../../common/format.ts';
import { useConfirmRefusal } from '../components/ConfirmRefusal.tsx';
import { RowCards } from '../components/RowCards.tsx';
import { usePhone } from '../components/responsive.ts';
import { LoadError } from '../components/States.tsx';
import { rowData } from '../components/testId.ts';
import { useAction, useLoad } from '../hooks.ts';
import { EvidenceCell, IndicatorCell } from './ActualsCells.tsx';
import { ExcelButtons } from './ActualsExcel.tsx';
import {
  type Access,
  ActualStatusTag,
  fmtPercent,
  fmtValue,
  type IndicatorView,
  LightTag,
  NS,
  PeriodPicker,
  type PeriodState,
  type PeriodView,
  runLimited,
  useUnits,
} from './common.tsx';

interface Row {
  indicator: IndicatorView;
  status: IndicatorStatusView | null;
  actual: ActualView | null;
}

interface Draft {
  value: number | null;
  note: string;
}

const kindOf = (p: PeriodView) => (p.kind === 'month' ? 'monthly' : 'quarterly');

/** Indicators of a unit with their status and the actual of the period (one request per indicator). */
async function loadRows(unitId: string, period: PeriodView): Promise<Row[]> {
  const q = new URLSearchParams({ year: String(period.year), unitId });
  const [indicators, unit] = await Promise.all([
    api.get<IndicatorView[]>(`/api/indicators?${q}`),
    api.get<{ items: IndicatorStatusView[] }>(
      `/api/dashboard/units/${encodeURIComponent(unitId)}?period=${encodeURIComponent(period.key)}`,
    ),
  ]);
  const own = indicators.filter((i) => i.frequency === kindOf(period));
  const statusById = new Map(unit.items.map((s) => [s.indicatorId, s]));
  const actuals = await runLimited(
    own.map((i) => () => api.get<ActualView[]>(`/api/indicators/${i.id}/actuals`)),
    6,
  );
  return own.map((indicator, n) => ({
    indicator,
    status: statusById.get(indicator.id) ?? null,
    actual: actuals[n]?.find((a) => a.periodKey === period.key) ?? null,
  }));
}

export function EntryTab({ ps, access }: { ps: PeriodState; access: Access }) {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const act = useAction();
  const confirmRefusal = useConfirmRefusal();
  const [params, setParams] = useSearchParams();
  const units = useUnits();
  const phone = usePhone();
  const period = ps.period;
  const unitId =
    access.role === 'reporter' ? access.unitId : (params.get('unit') ?? units.data?.[0]?.id ?? null);
  const rows = useLoad(
    () => (period && unitId ? loadRows(unitId, period) : Promise.resolve([] as Row[])),
    [period?.key, unitId],
  );
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [saving, setSaving] = useState<Record<string, boolean>>({});

  // Inputs start from what is stored; a reload (after saving or an upload) resets them.
  useEffect(() => {
    const next: Record<string, Draft> = {};
    for (const r of rows.data ?? [])
      next[r.indicator.id] = { value: r.actual?.value ?? null, note: r.actual?.note ?? '' };
    setDrafts(next);
  }, [rows.data]);

  const writable = useCallback(
    (r: Row) =>
      Boolean(period) &&
      !period?.locked &&
      r.actual?.status !== 'verified' &&
      (access.role === 'organizer' || (access.role === 'reporter' && r.indicator.unitId === access.unitId)),
    [period, access],
  );
  const dirty = (r: Row) => {
    const d = drafts[r.indicator.id];
    if (!d || d.value === null) return false;
    return d.value !== (r.actual?.value ?? null) || d.note !== (r.actual?.note ?? '');
  };
  const submittable = (r: Row) =>
    writable(r) &&
    drafts[r.indicator.id]?.value !== null &&
    drafts[r.indicator.id]?.value !== undefined &&
    (dirty(r) || r.actual === null || r.actual.status === 'draft' || r.actual.status === 'returned');

  const save = async (r: Row, submit: boolean): Promise<boolean> => {
    const d = drafts[r.indicator.id];
    if (!period || !d || d.value === null) return false;
    setSaving((s) => ({ ...s, [r.indicator.id]: true }));
    // A negative count (a stray minus sign) is saved only once the reporter confirms it.
    const a = await act(() =>
      confirmRefusal('actual_unusual', (confirmUnusual) =>
        api.put<ActualView>(`/api/indicators/${r.indicator.id}/actuals/${encodeURIComponent(period.key)}`, {
          value: d.value,
          note: d.note,
          submit,
          confirmUnusual,
        }),
      ),
    );
    setSaving((s) => ({ ...s, [r.indicator.id]: false }));
    return a !== undefined;
  };

  const submitAll = async () => {
    const todo = (rows.data ?? []).filter(submittable);
    let ok = 0;
    for (const r of todo) if (await save(r, true)) ok++;
    if (todo.length > 0) void rows.reload();
    return ok;
  };

  const returned = (rows.data ?? []).filter((r) => r.actual?.status === 'returned');
  const anyWritable = (rows.data ?? []).some(writable);

  const columns: TableColumnsType<Row> = [
    {
      title: t('fields.indicator'),
      key: 'name',
      width: 200,
      fixed: 'left',
      render: (_v, r) => (
        <IndicatorCell
          indicator={r.indicator}
          periodKey={period?.key ?? null}
          otherUnit={r.indicator.unitId !== unitId}
        />
      ),
    },
    {
      title: t('fields.status'),
      key: 'status',
      width: 150,
      render: (_v, r) => (
        <Space orientation="vertical" size={4}>
          <Space size={4} wrap>
            <span data-testid={`actual-status-${r.indicator.code}`} data-status={r.actual?.status ?? 'none'}>
              <ActualStatusTag status={r.actual?.status ?? null} />
            </span>
            {r.status ? (
              <LightTag light={r.status.light} code={r.indicator.code} explanation={r.status.explanation} />
            ) : null}
          </Space>
          {r.actual?.status === 'returned' && r.actual.returnReason ? (
            <Typography.Text type="danger" strong data-testid={`actual-return-reason-${r.indicator.code}`}>
              {t('actuals.returnedBecause', { reason: r.actual.returnReason })}
            </Typography.Text>
          ) : null}
          {r.actual?.submittedAt ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('actuals.submittedAt', { at: formatDateTime(r.actual.submittedAt) })}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('actuals.targetAndExpected'),
      key: 'expected',
      width: 190,
      align: 'right',
      render: (_v, r) =>
        period ? (
          <Space orientation="vertical" size={0} style={{ alignItems: 'flex-end' }}>
            <span style={{ whiteSpace: 'nowrap' }}>{fmtValue(r.indicator.target, r.indicator.measure)}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              {t('actuals.expectedShort', {
                value: fmtValue(r.status ? expectedValue(r.indicator, period) : null, r.indicator.measure),
                percent: fmtPercent(r.status?.expected ?? null),
              })}
            </Typography.Text>
          </Space>
        ) : null,
    },
    {
      title: t('actuals.actual'),
      key: 'value',
      width: 150,
      render: (_v, r) => (
        <InputNumber<number>
          data-testid={`actual-input-${r.indicator.code}`}
          style={{ width: '100%' }}
          value={drafts[r.indicator.id]?.value ?? null}
          disabled={!writable(r)}
          suffix={r.indicator.measure}
          controls={false}
          onChange={(v) =>
            setDrafts((ds) => ({
              ...ds,
              [r.indicator.id]: {
                note: ds[r.indicator.id]?.note ?? '',
                value: typeof v === 'number' ? v : null,
              },
            }))
          }
        />
      ),
    },
    {
      title: t('actuals.noteAndEvidence'),
      key: 'note',
      width: 210,
      render: (_v, r) => (
        <Space orientation="vertical" size={4} style={{ width: '100%' }}>
          <Input.TextArea
            data-testid={`actual-note-${r.indicator.code}`}
            autoSize={{ minRows: 1, maxRows: 4 }}
            maxLength={2000}
            placeholder={writable(r) ? t('actuals.note') : undefined}
            value={drafts[r.indicator.id]?.note ?? ''}
            disabled={!writable(r)}
            onChange={(e) =>
              setDrafts((ds) => ({
                ...ds,
                [r.indicator.id]: { value: ds[r.indicator.id]?.value ?? null, note: e.target.value },
              }))
            }
          />
          {period ? <EvidenceCell row={r} period={period} writable={writable(r)} /> : null}
        </Space>
      ),
    },
    {
      title: t('actions.title'),
      key: 'actions',
      width: 170,
      fixed: 'right',
      render: (_v, r) =>
        writable(r) ? (
          <Space size={4} wrap>
            <Button
              size="small"
              icon={<SaveOutlined />}
              data-testid={`actual-save-${r.indicator.code}`}
              disabled={!dirty(r)}
              loading={saving[r.indicator.id]}
              onClick={async () => {
                if (await save(r, false)) void rows.reload();
              }}
            >
              {t('actuals.saveDraft')}
            </Button>
            <Button
              size="small"
              type="primary"
              icon={<SendOutlined />}
              data-testid={`actual-submit-${r.indicator.code}`}
              disabled={!submittable(r)}
              loading={saving[r.indicator.id]}
              onClick={async () => {
                if (await save(r, true)) void rows.reload();
              }}
            >
              {t('actuals.submit')}
            </Button>
          </Space>
        ) : (
          <Typography.Text type="secondary">
            {r.actual?.status === 'verified' ? t('actuals.verifiedLocked') : t('actuals.readOnly')}
          </Typography.Text>
        ),
    },
  ];

  const pending = (rows.data ?? []).filter(submittable).length;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          {access.role !== 'reporter' ? (
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              style={{ width: 240 }}
              loading={units.loading}
              value={unitId ?? undefined}
              placeholder={t('fields.unit')}
              data-testid="actuals-unit-picker"
              options={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
              onChange={(id: string) =>
                setParams((prev) => {
                  const next = new URLSearchParams(prev);
                  next.set('unit', id);
                  return next;
                })
              }
            />
          ) : null}
          <PeriodPicker state={ps} />
        </Space>
        {period && (access.role === 'organizer' || access.role === 'reporter') ? (
          <Space wrap>
            <ExcelButtons
              period={period}
              unitId={unitId}
              disabled={period.locked}
              onImported={() => void rows.reload()}
            />
            <Button
              type="primary"
              icon={<SendOutlined />}
              data-testid="actuals-submit"
              disabled={pending === 0}
              onClick={async () => {
                const n = await submitAll();
                if (n > 0) void message.success(t('actuals.submittedCount', { count: n }));
              }}
            >
              {t('actuals.submitAll', { count: pending })}
            </Button>
          </Space>
        ) : null}
      </Space>
      {period ? (
        <Typography.Text type="secondary" data-testid="actuals-deadline">
          {t('actuals.deadline', { due: formatDate(period.dueDate), grace: period.graceDays })}
        </Typography.Text>
      ) : null}
      {period?.locked ? (
        <Alert type="warning" showIcon title={t('actuals.locked', { period: period.label })} />
      ) : null}
      {returned.length > 0 ? (
        <Alert
          type="error"
          showIcon
          data-testid="returned-alert"
          title={t('actuals.returnedTitle', { count: returned.length })}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {returned.map((r) => (
                <li key={r.indicator.id}>
                  <Typography.Text strong>{r.indicator.name}</Typography.Text>：{r.actual?.returnReason}
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
      {!anyWritable &&
      rows.data &&
      rows.data.length > 0 &&
      access.role !== 'reporter' &&
      access.role !== 'organizer' ? (
        <Alert type="info" showIcon title={t('actuals.readOnlyRole')} />
      ) : null}
      {rows.error ? <LoadError error={rows.error} onRetry={() => void rows.reload()} /> : null}
      {phone ? (
        // On a phone each indicator is a card with the same cells, one under the other.
        <RowCards<Row>
          testId="actuals-table"
          rowKey={(r) => r.indicator.id}
          loading={rows.loading}
          dataSource={rows.data ?? []}
          columns={columns}
          pageSize={20}
          emptyText={<Empty description={t('actuals.noIndicators')} />}
          onRow={(r) => rowData({ 'data-testid': `actual-row-${r.indicator.code}` })}
        />
      ) : (
        <Table<Row>
          data-testid="actuals-table"
          rowKey={(r) => r.indicator.id}
          size="middle"
          loading={rows.loading}
          dataSource={rows.data ?? []}
          columns={columns}
          scroll={{ x: 1070 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t('actuals.noIndicators')} /> }}
          onRow={(r) => rowData({ 'data-testid': `actual-row-${r.indicator.code}` })}
        />
      )}
    </Space>
  );
}
