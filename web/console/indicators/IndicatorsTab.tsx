// 指标管理's indicators tab: the indicators of a year (search; filter by unit, program and the light of a
// period; sort), with create, edit and delete, and Excel out and in.
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { IndicatorStatusView } from '../../../src/modules/indicators/schemas.ts';
import { api, XLSX_MIME } from '../../common/api.ts';
import { DownloadButton } from '../components/DownloadButton.tsx';
import { useFilePicker, XLSX_ACCEPT } from '../components/FilePicker.tsx';
import { FilterBar, FilterSelect, SearchBox } from '../components/Filters.tsx';
import { DeleteButton, EditButton } from '../components/RowButtons.tsx';
import { LoadError } from '../components/States.tsx';
import { rowData } from '../components/testId.ts';
import { type Loaded, useErrorText, useLoad } from '../hooks.ts';
import {
  type FrameworkNodeView,
  fmtNumber,
  fmtValue,
  type IndicatorImportResult,
  type IndicatorView,
  indicatorPath,
  LightTag,
  lightSeverity,
  lights,
  NS,
  PeriodPicker,
  type PeriodState,
  periodLabeler,
  programsOf,
  type UnitView,
} from './common.tsx';
import { failedImport, type ImportOutcome, ImportResultModal } from './ImportResult.tsx';
import { IndicatorDrawer } from './IndicatorDrawer.tsx';
import { uploadFile } from './upload.ts';

/** The light of every indicator the reader may open, for a period: one request, whatever the units. */
async function loadLights(periodKey: string): Promise<Map<string, IndicatorStatusView>> {
  const view = await api.get<{ items: IndicatorStatusView[] }>(
    `/api/dashboard/lights?period=${encodeURIComponent(periodKey)}`,
  );
  return new Map(view.items.map((s) => [s.indicatorId, s]));
}

export function IndicatorsTab({
  ps,
  indicators,
  nodes,
  units,
  canEdit,
}: {
  ps: PeriodState;
  indicators: Loaded<IndicatorView[]>;
  nodes: FrameworkNodeView[];
  units: UnitView[];
  canEdit: boolean;
}) {
  const { t } = useTranslation(NS);
  const errorText = useErrorText();
  const [search, setSearch] = useState('');
  const [unitFilter, setUnitFilter] = useState<string | null>(null);
  const [programFilter, setProgramFilter] = useState<string | null>(null);
  const [lightFilter, setLightFilter] = useState<string | null>(null);
  const [editing, setEditing] = useState<IndicatorView | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  const [result, setResult] = useState<ImportOutcome | null>(null);
  const { programs, programOf, byId } = useMemo(() => programsOf(nodes), [nodes]);
  const year = ps.period?.year ?? new Date().getFullYear();
  const ofYear = useMemo(
    () => (indicators.data ?? []).filter((i) => i.year === year),
    [indicators.data, year],
  );
  const statuses = useLoad(
    () => (ps.key ? loadLights(ps.key) : Promise.resolve(new Map<string, IndicatorStatusView>())),
    [ps.key],
  );
  const periodLabel = useMemo(() => periodLabeler(ps.periods), [ps.periods]);

  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    return ofYear.filter(
      (i) =>
        (!q || i.code.toLowerCase().includes(q) || i.name.toLowerCase().includes(q)) &&
        (!unitFilter || i.unitId === unitFilter || i.coUnitIds.includes(unitFilter)) &&
        (!programFilter || programOf.get(i.nodeId)?.id === programFilter) &&
        (!lightFilter || statuses.data?.get(i.id)?.light === lightFilter),
    );
  }, [ofYear, search, unitFilter, programFilter, lightFilter, programOf, statuses.data]);

  const upload = async (file: File) => {
    setImporting(true);
    try {
      setResult(
        await uploadFile<IndicatorImportResult>('/api/indicators/import', file, { contentType: XLSX_MIME }),
      );
    } catch (e) {
      setResult(failedImport(e, errorText(e)));
    } finally {
      setImporting(false);
      void indicators.reload();
    }
  };
  const file = useFilePicker({ accept: XLSX_ACCEPT, testId: 'indicators-import-input', onFile: upload });

  const columns: TableColumnsType<IndicatorView> = [
    {
      title: t('fields.name'),
      dataIndex: 'name',
      width: 260,
      sorter: (a, b) => a.code.localeCompare(b.code),
      render: (_v, i) => (
        <Space orientation="vertical" size={0}>
          <Link to={indicatorPath(i.id, ps.key)}>{i.name}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {i.code} · {t(`frequency.${i.frequency}`)} · {t(`planShort.${i.plan.kind}`)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('fields.task'),
      dataIndex: 'nodeId',
      width: 190,
      render: (id: string) => {
        const n = byId.get(id);
        const p = programOf.get(id);
        return n ? (
          <Space orientation="vertical" size={0}>
            <span>{n.name}</span>
            {p && p.id !== n.id ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {p.name}
              </Typography.Text>
            ) : null}
          </Space>
        ) : (
          '—'
        );
      },
    },
    {
      title: t('fields.unit'),
      dataIndex: 'unitName',
      width: 170,
      sorter: (a, b) => a.unitName.localeCompare(b.unitName, 'zh-CN'),
      render: (v: string, i) => (
        <Space orientation="vertical" size={0}>
          <span>{v}</span>
          {i.coUnitIds.length > 0 ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('manage.coUnitCount', { count: i.coUnitIds.length })}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('fields.target'),
      dataIndex: 'target',
      width: 160,
      align: 'right',
      render: (_v, i) => (
        <Space orientation="vertical" size={0} style={{ alignItems: 'flex-end' }}>
          <span style={{ whiteSpace: 'nowrap' }}>{fmtValue(i.target, i.measure)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('manage.baselineShort', { value: fmtValue(i.baseline, i.measure) })} ·{' '}
            {t(`direction.${i.direction}`)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('fields.weight'),
      dataIndex: 'weight',
      width: 80,
      align: 'right',
      sorter: (a, b) => a.weight - b.weight,
      render: (v: number) => fmtNumber(v),
    },
    {
      title: t('manage.lightOf', { period: ps.period?.label ?? '' }),
      key: 'light',
      width: 130,
      sorter: (a, b) =>
        lightSeverity[statuses.data?.get(a.id)?.light ?? 'grey'] -
        lightSeverity[statuses.data?.get(b.id)?.light ?? 'grey'],
      render: (_v, i) => {
        const s = statuses.data?.get(i.id);
        return s ? <LightTag light={s.light} code={i.code} explanation={s.explanation} /> : '—';
      },
    },
    ...(canEdit
      ? [
          {
            title: t('actions.title'),
            key: 'actions',
            width: 140,
            fixed: 'right' as const,
            render: (_v: unknown, i: IndicatorView) => (
              <Space size="small">
                <EditButton testId={`indicator-edit-${i.code}`} onClick={() => setEditing(i)} />
                <DeleteButton
                  path={`/api/indicators/${i.id}`}
                  confirmTitle={t('manage.deleteConfirm', { name: i.name })}
                  testId={`indicator-delete-${i.code}`}
                  onDeleted={() => void indicators.reload()}
                />
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <FilterBar>
        <Space wrap>
          <SearchBox
            placeholder={t('manage.searchPlaceholder')}
            onSearch={setSearch}
            width={220}
            testId="indicators-search"
          />
          <FilterSelect
            searchable
            placeholder={t('fields.unit')}
            width={190}
            value={unitFilter}
            onChange={setUnitFilter}
            options={units.map((u) => ({ value: u.id, label: u.name }))}
            testId="indicators-filter-unit"
          />
          <FilterSelect
            placeholder={t('manage.program')}
            width={170}
            value={programFilter}
            onChange={setProgramFilter}
            options={programs.map((p) => ({ value: p.id, label: p.name }))}
            testId="indicators-filter-program"
          />
          <FilterSelect
            placeholder={t('fields.light')}
            width={140}
            value={lightFilter}
            onChange={setLightFilter}
            options={lights.map((l) => ({ value: l, label: t(`lights.${l}`) }))}
            testId="indicators-filter-light"
          />
          <PeriodPicker state={ps} />
        </Space>
        <Space wrap>
          {canEdit ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing('new')}
              data-testid="indicators-create"
            >
              {t('manage.create')}
            </Button>
          ) : null}
          <DownloadButton
            path={`/api/indicators/export.xlsx?year=${year}`}
            fileName={`indicators-${year}.xlsx`}
            testId="indicators-export"
          >
            {t('manage.export')}
          </DownloadButton>
          {canEdit ? (
            <>
              {file.input}
              <Button
                icon={<UploadOutlined />}
                loading={importing}
                data-testid="indicators-import"
                onClick={file.pick}
              >
                {t('manage.import')}
              </Button>
            </>
          ) : null}
        </Space>
      </FilterBar>
      {indicators.error ? (
        <LoadError error={indicators.error} onRetry={() => void indicators.reload()} />
      ) : null}
      <Table<IndicatorView>
        data-testid="indicators-table"
        rowKey="id"
        size="middle"
        loading={indicators.loading}
        dataSource={rows}
        columns={columns}
        scroll={{ x: 1150 }}
        pagination={{
          pageSize: 20,
          showSizeChanger: true,
          showTotal: (n) => t('manage.total', { count: n }),
        }}
        onRow={(i) => rowData({ 'data-testid': `indicator-row-${i.code}` })}
      />
      <IndicatorDrawer
        editing={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void indicators.reload();
        }}
        nodes={nodes}
        units={units}
        periodLabel={periodLabel}
        defaultYear={year}
      />
      <ImportResultModal result={result} onClose={() => setResult(null)} />
    </>
  );
}
