// 数据填报: a unit's indicators for a period, each with what is expected by now (序时进度), the actual to
// enter, a note and evidence; save as a draft or submit. A returned value shows its reason at the top.
// The Excel way: download the template (expected values filled in), fill it, upload it — every rejected
// row comes back with its row, column and reason, the good rows are applied. Organizers also review:
// verify, or return with a reason.
import {
  CheckOutlined,
  DownloadOutlined,
  PaperClipOutlined,
  RollbackOutlined,
  SaveOutlined,
  SendOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  InputNumber,
  Progress,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { expectedValue } from '../../../src/modules/indicators/domain/indicators.ts';
import type {
  ActualView,
  IndicatorStatusView,
  ReviewQueueView,
} from '../../../src/modules/indicators/schemas.ts';
import { api, download, XLSX_MIME } from '../../common/api.ts';
import { formatDate, formatDateTime } from '../../common/format.ts';
import { Confirm } from '../components/Confirm.tsx';
import { useFilePicker, XLSX_ACCEPT } from '../components/FilePicker.tsx';
import { FormModal } from '../components/FormModal.tsx';
import { requiredText } from '../components/rules.ts';
import { LoadError, PageLoading } from '../components/States.tsx';
import { useAction, useErrorText, useLoad } from '../hooks.ts';
import {
  type Access,
  ActualStatusTag,
  fmtPercent,
  fmtValue,
  type IndicatorImportResult,
  type IndicatorView,
  indicatorPath,
  LightTag,
  NS,
  PeriodPicker,
  type PeriodState,
  type PeriodView,
  runLimited,
  useAccess,
  usePeriod,
  useUnits,
} from './common.tsx';
import { failedImport, type ImportOutcome, ImportResultModal } from './ImportResult.tsx';
import { type UploadProgress, uploadFile } from './upload.ts';

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

/** The indicator's name (to its page) over its code, and its own unit when it is not the one shown. */
function IndicatorCell({
  indicator,
  periodKey,
  otherUnit,
}: {
  indicator: IndicatorView;
  periodKey: string | null;
  otherUnit?: boolean;
}) {
  return (
    <Space orientation="vertical" size={0}>
      <Link to={indicatorPath(indicator.id, periodKey)}>{indicator.name}</Link>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {indicator.code}
        {otherUnit ? ` · ${indicator.unitName}` : ''}
      </Typography.Text>
    </Space>
  );
}

/** An evidence file of an actual, downloaded with the session on a click. */
function EvidenceLink({ file }: { file: ActualView['evidence'][number] }) {
  const act = useAction();
  return (
    <Typography.Link
      onClick={() => void act(() => download(`/api/evidence/${file.id}`, file.fileName))}
      style={{ fontSize: 12 }}
    >
      <PaperClipOutlined /> {file.fileName}
    </Typography.Link>
  );
}

/** Template download and upload (with progress) for a unit or, for organizers, every unit. */
function ExcelButtons({
  period,
  unitId,
  disabled,
  onImported,
}: {
  period: PeriodView;
  unitId: string | null;
  disabled: boolean;
  onImported: () => void;
}) {
  const { t } = useTranslation(NS);
  const act = useAction();
  const errorText = useErrorText();
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [result, setResult] = useState<ImportOutcome | null>(null);

  const upload = async (file: File) => {
    setProgress({ sent: 0, processing: false });
    try {
      const r = await uploadFile<IndicatorImportResult>(
        `/api/indicators/actuals/import?period=${encodeURIComponent(period.key)}`,
        file,
        { contentType: XLSX_MIME, onProgress: setProgress },
      );
      setResult(r);
    } catch (e) {
      setResult(failedImport(e, errorText(e)));
    } finally {
      setProgress(null);
      onImported();
    }
  };
  const file = useFilePicker({ accept: XLSX_ACCEPT, testId: 'actuals-import-input', onFile: upload });

  const q = new URLSearchParams({ period: period.key });
  if (unitId) q.set('unitId', unitId);
  return (
    <>
      <Button
        icon={<DownloadOutlined />}
        data-testid="actuals-template"
        onClick={() => void act(() => download(`/api/indicators/template.xlsx?${q}`, `${period.key}.xlsx`))}
      >
        {t('actuals.template')}
      </Button>
      {file.input}
      <Button
        icon={<UploadOutlined />}
        data-testid="actuals-import"
        loading={progress !== null}
        disabled={disabled}
        onClick={file.pick}
      >
        {t('actuals.upload')}
      </Button>
      {progress ? (
        <Space data-testid="actuals-import-progress">
          <Progress
            type="line"
            size="small"
            style={{ width: 160, margin: 0 }}
            percent={Math.round(progress.sent * 100)}
            status="active"
          />
          <Typography.Text type="secondary">
            {progress.processing ? t('import.processing') : t('import.uploading')}
          </Typography.Text>
        </Space>
      ) : null}
      <ImportResultModal result={result} onClose={() => setResult(null)} />
    </>
  );
}

/** Evidence files of the period's actual; an upload updates this cell only, so unsaved inputs stay. */
function EvidenceCell({ row, period, writable }: { row: Row; period: PeriodView; writable: boolean }) {
  const { t } = useTranslation(NS);
  const act = useAction();
  const [busy, setBusy] = useState(false);
  const [uploaded, setUploaded] = useState<ActualView | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a reloaded actual replaces the local copy.
  useEffect(() => setUploaded(null), [row.actual]);
  const code = row.indicator.code;
  const files = (uploaded ?? row.actual)?.evidence ?? [];
  const file = useFilePicker({
    accept: '.pdf,.jpg,.jpeg,.png,.xlsx,.docx',
    testId: `actual-evidence-input-${code}`,
    onFile: async (f) => {
      setBusy(true);
      const a = await act(
        () =>
          uploadFile<ActualView>(
            `/api/indicators/${row.indicator.id}/actuals/${encodeURIComponent(period.key)}/evidence`,
            f,
            {
              contentType: f.type || 'application/octet-stream',
              headers: { 'x-file-name': encodeURIComponent(f.name) },
            },
          ),
        t('actuals.evidenceUploaded'),
      );
      setBusy(false);
      if (a) setUploaded(a);
    },
  });
  return (
    <Space orientation="vertical" size={2}>
      {files.map((f) => (
        <EvidenceLink key={f.id} file={f} />
      ))}
      {writable ? (
        <>
          {file.input}
          <Tooltip title={row.actual ? t('actuals.evidenceHint') : t('actuals.evidenceNeedsValue')}>
            <Button
              size="small"
              icon={<PaperClipOutlined />}
              loading={busy}
              disabled={!row.actual}
              data-testid={`actual-evidence-${code}`}
              onClick={file.pick}
            >
              {t('actuals.evidence')}
            </Button>
          </Tooltip>
        </>
      ) : null}
    </Space>
  );
}

function EntryTab({ ps, access }: { ps: PeriodState; access: Access }) {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const act = useAction();
  const [params, setParams] = useSearchParams();
  const units = useUnits();
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
    const a = await act(() =>
      api.put<ActualView>(`/api/indicators/${r.indicator.id}/actuals/${encodeURIComponent(period.key)}`, {
        value: d.value,
        note: d.note,
        submit,
      }),
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
        onRow={(r) =>
          ({ 'data-testid': `actual-row-${r.indicator.code}` }) as React.HTMLAttributes<HTMLElement>
        }
      />
    </Space>
  );
}

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

function ReviewTab({ ps }: { ps: PeriodState }) {
  const { t } = useTranslation(NS);
  const act = useAction();
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
      fixed: 'right',
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
        onRow={(r) =>
          ({ 'data-testid': `review-row-${r.indicator.code}` }) as React.HTMLAttributes<HTMLElement>
        }
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

export function ActualsPage() {
  const { t } = useTranslation(NS);
  const access = useAccess();
  const ps = usePeriod();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'review' && access.role === 'organizer' ? 'review' : 'entry';

  if (ps.error) return <LoadError error={ps.error} onRetry={() => void ps.reload()} />;
  if (ps.loading) return <PageLoading />;
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('menu.actuals')}
      </Typography.Title>
      {ps.periods.length === 0 ? (
        <Empty description={t('period.noneYet')} />
      ) : access.role === 'organizer' ? (
        <Tabs
          activeKey={tab}
          destroyOnHidden
          onChange={(k) =>
            setParams((prev) => {
              const next = new URLSearchParams(prev);
              next.set('tab', k);
              return next;
            })
          }
          items={[
            {
              key: 'entry',
              label: <span data-testid="tab-actuals-entry">{t('actuals.tabEntry')}</span>,
              children: <EntryTab ps={ps} access={access} />,
            },
            {
              key: 'review',
              label: <span data-testid="tab-actuals-review">{t('actuals.tabReview')}</span>,
              children: <ReviewTab ps={ps} />,
            },
          ]}
        />
      ) : (
        <EntryTab ps={ps} access={access} />
      )}
    </Card>
  );
}
