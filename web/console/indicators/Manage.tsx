// 指标管理: the indicators of a year (search; filter by unit, program and the light of a period; sort),
// created and edited in a drawer — direction, kind, baseline, target and tiers, co-units, frequency,
// the plan (linear, or a value expected per period), weight and light source; Excel out and in. The
// work framework and the periods are tabs of the same page. Leaders and observers read, never edit.
import { DownloadOutlined, EditOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  Col,
  Divider,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  TreeSelect,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { periodsOfYear } from '../../../src/modules/indicators/domain/periods.ts';
import type { IndicatorStatusView } from '../../../src/modules/indicators/schemas.ts';
import { api, download, XLSX_MIME } from '../../common/api.ts';
import { EditorDrawer } from '../components/EditorDrawer.tsx';
import { useFilePicker, XLSX_ACCEPT } from '../components/FilePicker.tsx';
import { DeleteButton } from '../components/RowButtons.tsx';
import { requiredText } from '../components/rules.ts';
import { LoadError } from '../components/States.tsx';
import { type Loaded, useAction, useErrorText, useLoad, validValues } from '../hooks.ts';
import {
  choices,
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
  runLimited,
  type UnitView,
  useAccess,
  useFramework,
  usePeriod,
  useUnits,
} from './common.tsx';
import { FrameworkEditor, frameworkTree } from './Framework.tsx';
import { failedImport, type ImportOutcome, ImportResultModal } from './ImportResult.tsx';
import { PeriodsEditor } from './Periods.tsx';
import { uploadFile } from './upload.ts';

/** Above this many units the light column waits for a unit filter (one request per unit). */
const MAX_LIGHT_UNITS = 60;

const measures = ['亩', '个', '项', '家', '户', '人', '%', '万元', '亿元', '名'];

interface IndicatorForm {
  nodeId: string;
  code: string;
  name: string;
  measure: string;
  direction: 'higher' | 'lower';
  kind: 'cumulative' | 'point';
  year: number;
  baseline: number;
  target: number;
  tierFloor: number | null;
  tierStretch: number | null;
  unitId: string;
  coUnitIds: string[];
  frequency: 'monthly' | 'quarterly';
  planKind: 'linear' | 'phased';
  planValues: Record<string, number | null>;
  weight: number;
  lightSource: 'completion' | 'rank';
  sort: number;
}

/** The period keys a plan has values for: 2023-Q1…Q4 or 2023-M01…M12. */
export function planKeys(year: number, frequency: 'monthly' | 'quarterly'): string[] {
  return periodsOfYear(year, frequency).map((p) => p.key);
}

function IndicatorDrawer({
  editing,
  onClose,
  onSaved,
  nodes,
  units,
  periodLabel,
  defaultYear,
}: {
  editing: IndicatorView | 'new' | null;
  onClose: () => void;
  onSaved: () => void;
  nodes: FrameworkNodeView[];
  units: UnitView[];
  periodLabel: (key: string) => string;
  defaultYear: number;
}) {
  const { t } = useTranslation(NS);
  const act = useAction();
  const [form] = Form.useForm<IndicatorForm>();
  const [saving, setSaving] = useState(false);
  const planKind = Form.useWatch('planKind', form);
  const year = Form.useWatch('year', form);
  const frequency = Form.useWatch('frequency', form);
  const measure = Form.useWatch('measure', form);
  // Fill the form each time the drawer opens on an indicator (or on a new one).
  useEffect(() => {
    if (editing === null) return;
    form.resetFields();
    if (editing === 'new') {
      form.setFieldsValue({
        direction: 'higher',
        kind: 'cumulative',
        year: defaultYear,
        baseline: 0,
        frequency: 'quarterly',
        planKind: 'linear',
        planValues: {},
        weight: 1,
        lightSource: 'completion',
        sort: 0,
        coUnitIds: [],
        tierFloor: null,
        tierStretch: null,
      });
    } else {
      form.setFieldsValue({
        ...editing,
        planKind: editing.plan.kind,
        planValues: editing.plan.kind === 'phased' ? editing.plan.expected : {},
      });
    }
  }, [editing, form, defaultYear]);

  const nodeTree = useMemo(
    () =>
      frameworkTree(
        nodes,
        (n) => `${n.code} ${n.name}`,
        (n) => n.kind === 'task',
      ),
    [nodes],
  );
  const unitOptions = units.map((u) => ({ value: u.id, label: u.name }));
  const keys = year && frequency ? planKeys(year, frequency) : [];

  const save = async () => {
    const v = await validValues(form);
    if (!v) return;
    const plan =
      v.planKind === 'phased'
        ? {
            kind: 'phased' as const,
            expected: Object.fromEntries(
              planKeys(v.year, v.frequency)
                .map((k) => [k, v.planValues?.[k]] as const)
                .filter((e): e is readonly [string, number] => typeof e[1] === 'number'),
            ),
          }
        : { kind: 'linear' as const };
    const body = {
      nodeId: v.nodeId,
      code: v.code.trim(),
      name: v.name.trim(),
      measure: v.measure.trim(),
      direction: v.direction,
      kind: v.kind,
      baseline: v.baseline,
      target: v.target,
      tierFloor: v.tierFloor ?? null,
      tierStretch: v.tierStretch ?? null,
      unitId: v.unitId,
      coUnitIds: (v.coUnitIds ?? []).filter((u) => u !== v.unitId),
      frequency: v.frequency,
      plan,
      weight: v.weight ?? 1,
      lightSource: v.lightSource,
      sort: v.sort ?? 0,
    };
    setSaving(true);
    const ok = await act(
      () =>
        editing === 'new' || editing === null
          ? api.post('/api/indicators', { ...body, year: v.year })
          : api.patch(`/api/indicators/${editing.id}`, body),
      t('actions.saved'),
    );
    setSaving(false);
    if (ok !== undefined) onSaved();
  };

  const required = { required: true, message: t('form.required') };
  return (
    <EditorDrawer
      open={editing !== null}
      title={editing === 'new' ? t('manage.create') : t('manage.edit')}
      size={720}
      saving={saving}
      saveTestId="indicator-save"
      onClose={onClose}
      onSave={() => void save()}
    >
      <Form<IndicatorForm> form={form} layout="vertical" onFinish={() => void save()}>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="code" label={t('fields.code')} rules={requiredText(t('form.required'), 32)}>
              <Input data-testid="indicator-code" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="name" label={t('fields.name')} rules={requiredText(t('form.required'), 200)}>
              <Input data-testid="indicator-name" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="nodeId" label={t('fields.task')} rules={[required]}>
              <TreeSelect
                treeData={nodeTree}
                treeDefaultExpandAll
                showSearch
                treeNodeFilterProp="title"
                data-testid="indicator-node"
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="year" label={t('fields.year')} rules={[required]}>
              <InputNumber
                min={2000}
                max={2100}
                precision={0}
                style={{ width: '100%' }}
                disabled={editing !== 'new'}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="unitId" label={t('fields.unit')} rules={[required]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={unitOptions}
                data-testid="indicator-unit"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="coUnitIds" label={t('fields.coUnits')}>
              <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={unitOptions} />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('manage.measureAndTarget')}</Divider>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item
              name="measure"
              label={t('fields.measure')}
              rules={requiredText(t('form.required'), 20)}
            >
              <AutoComplete options={measures.map((m) => ({ value: m }))} data-testid="indicator-measure" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="direction" label={t('fields.direction')}>
              <Radio.Group optionType="button" options={choices(t, 'direction', ['higher', 'lower'])} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="kind" label={t('fields.kind')} tooltip={t('manage.kindHint')}>
              <Radio.Group optionType="button" options={choices(t, 'kind', ['cumulative', 'point'])} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="baseline" label={t('fields.baseline')} rules={[required]}>
              <InputNumber style={{ width: '100%' }} suffix={measure} data-testid="indicator-baseline" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item
              name="target"
              label={t('fields.target')}
              dependencies={['baseline', 'direction']}
              rules={[
                required,
                ({ getFieldValue }) => ({
                  validator: (_r, value: number | null) => {
                    const b = getFieldValue('baseline') as number | null;
                    if (value === null || value === undefined || b === null || b === undefined)
                      return Promise.resolve();
                    const dir = getFieldValue('direction') as string;
                    if (dir === 'higher' ? value < b : value > b)
                      return Promise.reject(new Error(t('manage.targetAgainstDirection')));
                    return Promise.resolve();
                  },
                }),
              ]}
            >
              <InputNumber style={{ width: '100%' }} suffix={measure} data-testid="indicator-target" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="tierFloor" label={t('fields.tierFloor')}>
              <InputNumber style={{ width: '100%' }} suffix={measure} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="tierStretch" label={t('fields.tierStretch')}>
              <InputNumber style={{ width: '100%' }} suffix={measure} />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('manage.planAndReporting')}</Divider>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="frequency" label={t('fields.frequency')}>
              <Radio.Group optionType="button" options={choices(t, 'frequency', ['quarterly', 'monthly'])} />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="planKind" label={t('fields.plan')} tooltip={t('manage.planHint')}>
              <Radio.Group
                optionType="button"
                data-testid="indicator-plan-kind"
                options={choices(t, 'plan', ['linear', 'phased'])}
              />
            </Form.Item>
          </Col>
        </Row>
        {planKind === 'phased' ? (
          <Card size="small" style={{ marginBottom: 16 }} data-testid="indicator-plan-editor">
            <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
              {t('manage.phasedHint')}
            </Typography.Paragraph>
            <Row gutter={[8, 8]}>
              {keys.map((k) => (
                <Col key={k} span={frequency === 'monthly' ? 4 : 6}>
                  <Form.Item name={['planValues', k]} label={periodLabel(k)} style={{ marginBottom: 0 }}>
                    <InputNumber style={{ width: '100%' }} data-testid={`indicator-plan-${k}`} />
                  </Form.Item>
                </Col>
              ))}
            </Row>
          </Card>
        ) : null}
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="weight" label={t('fields.weight')} tooltip={t('manage.weightHint')}>
              <InputNumber min={0} max={1000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="lightSource"
              label={t('fields.lightSource')}
              tooltip={t('manage.lightSourceHint')}
            >
              <Radio.Group optionType="button" options={choices(t, 'lightSource', ['completion', 'rank'])} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="sort" label={t('fields.sort')}>
              <InputNumber precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <button type="submit" hidden />
      </Form>
    </EditorDrawer>
  );
}

/** Light of every indicator for a period: one unit page per unit (small requests, a few at a time). */
async function loadLights(unitIds: string[], periodKey: string): Promise<Map<string, IndicatorStatusView>> {
  const views = await runLimited(
    unitIds.map(
      (u) => () =>
        api.get<{ items: IndicatorStatusView[] }>(
          `/api/dashboard/units/${encodeURIComponent(u)}?period=${encodeURIComponent(periodKey)}`,
        ),
    ),
    4,
  );
  const out = new Map<string, IndicatorStatusView>();
  for (const v of views) for (const s of v.items) out.set(s.indicatorId, s);
  return out;
}

function IndicatorsTab({
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
  const act = useAction();
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
  const unitIds = useMemo(() => [...new Set(ofYear.map((i) => i.unitId))], [ofYear]);
  // Lights come one unit page per unit: with many units, only for the unit filtered on.
  const lightUnits = useMemo(
    () => (unitFilter ? [unitFilter] : unitIds.length <= MAX_LIGHT_UNITS ? unitIds : []),
    [unitFilter, unitIds],
  );
  const statuses = useLoad(
    () =>
      ps.key && lightUnits.length > 0
        ? loadLights(lightUnits, ps.key)
        : Promise.resolve(new Map<string, IndicatorStatusView>()),
    [ps.key, lightUnits.join(',')],
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
                <Button
                  size="small"
                  type="link"
                  icon={<EditOutlined />}
                  data-testid={`indicator-edit-${i.code}`}
                  onClick={() => setEditing(i)}
                >
                  {t('actions.edit')}
                </Button>
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
      <Space wrap style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          <Input.Search
            allowClear
            placeholder={t('manage.searchPlaceholder')}
            onChange={(e) => setSearch(e.target.value)}
            style={{ width: 220 }}
            data-testid="indicators-search"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('fields.unit')}
            style={{ width: 190 }}
            value={unitFilter}
            onChange={(v) => setUnitFilter(v ?? null)}
            options={units.map((u) => ({ value: u.id, label: u.name }))}
            data-testid="indicators-filter-unit"
          />
          <Select
            allowClear
            placeholder={t('manage.program')}
            style={{ width: 170 }}
            value={programFilter}
            onChange={(v) => setProgramFilter(v ?? null)}
            options={programs.map((p) => ({ value: p.id, label: p.name }))}
            data-testid="indicators-filter-program"
          />
          <Select
            allowClear
            placeholder={t('fields.light')}
            style={{ width: 140 }}
            value={lightFilter}
            onChange={(v) => setLightFilter(v ?? null)}
            options={lights.map((l) => ({ value: l, label: t(`lights.${l}`) }))}
            data-testid="indicators-filter-light"
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
          <Button
            icon={<DownloadOutlined />}
            data-testid="indicators-export"
            onClick={() =>
              void act(() => download(`/api/indicators/export.xlsx?year=${year}`, `indicators-${year}.xlsx`))
            }
          >
            {t('manage.export')}
          </Button>
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
      </Space>
      {lightUnits.length === 0 && unitIds.length > 0 ? (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('manage.lightsNeedUnit')} />
      ) : null}
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
        onRow={(i) => ({ 'data-testid': `indicator-row-${i.code}` }) as React.HTMLAttributes<HTMLElement>}
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

export function ManagePage() {
  const { t } = useTranslation(NS);
  const { tab = 'indicators' } = useParams();
  const navigate = useNavigate();
  const access = useAccess();
  const ps = usePeriod();
  const units = useUnits();
  const framework = useFramework();
  const indicators = useLoad(() => api.get<IndicatorView[]>('/api/indicators'), []);

  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('menu.manage')}
      </Typography.Title>
      {units.error ? <LoadError error={units.error} onRetry={() => void units.reload()} /> : null}
      <Tabs
        activeKey={tab}
        destroyOnHidden
        onChange={(k) => navigate(`/indicators/manage/${k}${ps.key ? `?period=${ps.key}` : ''}`)}
        items={[
          {
            key: 'indicators',
            label: <span data-testid="tab-indicators">{t('manage.tabIndicators')}</span>,
            children: (
              <IndicatorsTab
                ps={ps}
                indicators={indicators}
                nodes={framework.data ?? []}
                units={units.data ?? []}
                canEdit={access.canEdit}
              />
            ),
          },
          {
            key: 'framework',
            label: <span data-testid="tab-framework">{t('manage.tabFramework')}</span>,
            children: (
              <FrameworkEditor
                nodes={framework.data ?? []}
                indicators={indicators.data ?? []}
                loading={framework.loading}
                error={framework.error}
                reload={() => void framework.reload()}
                canEdit={access.canEdit}
              />
            ),
          },
          {
            key: 'periods',
            label: <span data-testid="tab-periods">{t('manage.tabPeriods')}</span>,
            children: (
              <PeriodsEditor
                periods={ps.periods}
                loading={ps.loading}
                error={ps.error}
                reload={() => void ps.reload()}
                canEdit={access.canEdit}
                defaultYear={ps.period?.year ?? new Date().getFullYear()}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}
