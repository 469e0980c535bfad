// 排名: external rankings of indicators and units — scope (金华, 全省, or a named one), period, rank out of
// how many, source and date — each with its change from the previous period ("89 → 32 ↑57").
// Organizers record and delete them; everyone else reads (reporters: their own unit's).
import { PlusOutlined } from '@ant-design/icons';
import {
  AutoComplete,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import type dayjs from 'dayjs';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../common/api.ts';
import { formatDate } from '../../common/format.ts';
import { DateItem } from '../components/DateItems.tsx';
import { EditorDrawer } from '../components/EditorDrawer.tsx';
import { FilterBar, FilterSelect, SearchBox } from '../components/Filters.tsx';
import { DeleteButton } from '../components/RowButtons.tsx';
import { useTableScroll } from '../components/responsive.ts';
import { requiredText } from '../components/rules.ts';
import { LoadError } from '../components/States.tsx';
import { useAction, useLoad, validValues } from '../hooks.ts';
import {
  comparePeriods,
  type IndicatorView,
  indicatorPath,
  NS,
  periodLabeler,
  RankChange,
  type RankingView,
  RankText,
  unitPath,
  useAccess,
  usePeriodList,
  useUnits,
} from './common.tsx';

interface RankingForm {
  subject: 'indicator' | 'unit';
  indicatorId?: string;
  unitId?: string;
  scope: string;
  periodKey: string;
  rank: number;
  outOf: number;
  source?: string;
  publishedOn?: dayjs.Dayjs | null;
}

export function RankingsPage() {
  const { t } = useTranslation(NS);
  const tableScroll = useTableScroll();
  const act = useAction();
  const access = useAccess();
  const rankings = useLoad(() => api.get<RankingView[]>('/api/rankings'), []);
  const indicators = useLoad(() => api.get<IndicatorView[]>('/api/indicators'), []);
  const units = useUnits();
  const periods = usePeriodList();
  const [search, setSearch] = useState('');
  const [scope, setScope] = useState<string | null>(null);
  const [periodKey, setPeriodKey] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<RankingForm>();
  const subject = Form.useWatch('subject', form);

  const indicatorById = useMemo(
    () => new Map((indicators.data ?? []).map((i) => [i.id, i])),
    [indicators.data],
  );
  const unitName = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u.name])), [units.data]);
  const periodLabel = useMemo(() => periodLabeler(periods.data ?? []), [periods.data]);
  const nameOf = useCallback(
    (r: RankingView) =>
      r.indicatorId
        ? (indicatorById.get(r.indicatorId)?.name ?? '—')
        : r.unitId
          ? (unitName.get(r.unitId) ?? '—')
          : '—',
    [indicatorById, unitName],
  );
  const unitOf = useCallback(
    (r: RankingView) =>
      r.indicatorId
        ? (indicatorById.get(r.indicatorId)?.unitName ?? '')
        : r.unitId
          ? (unitName.get(r.unitId) ?? '')
          : '',
    [indicatorById, unitName],
  );

  const scopes = useMemo(
    () => [...new Set(['金华', '全省', ...(rankings.data ?? []).map((r) => r.scope)])],
    [rankings.data],
  );
  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (rankings.data ?? [])
      .filter(
        (r) =>
          (!scope || r.scope === scope) &&
          (!periodKey || r.periodKey === periodKey) &&
          (!q || nameOf(r).toLowerCase().includes(q) || unitOf(r).toLowerCase().includes(q)),
      )
      .sort((a, b) => b.periodKey.localeCompare(a.periodKey) || nameOf(a).localeCompare(nameOf(b), 'zh-CN'));
  }, [rankings.data, search, scope, periodKey, nameOf, unitOf]);

  const save = async () => {
    const v = await validValues(form);
    if (!v) return;
    setSaving(true);
    const ok = await act(
      () =>
        api.post('/api/rankings', {
          indicatorId: v.subject === 'indicator' ? (v.indicatorId ?? null) : null,
          unitId: v.subject === 'unit' ? (v.unitId ?? null) : null,
          scope: v.scope.trim(),
          periodKey: v.periodKey,
          rank: v.rank,
          outOf: v.outOf,
          source: (v.source ?? '').trim(),
          publishedOn: v.publishedOn ? v.publishedOn.format('YYYY-MM-DD') : null,
        }),
      t('actions.saved'),
    );
    setSaving(false);
    if (ok !== undefined) {
      setCreating(false);
      void rankings.reload();
    }
  };

  const columns: TableColumnsType<RankingView> = [
    {
      title: t('rankings.subject'),
      key: 'subject',
      render: (_v, r) =>
        r.indicatorId ? (
          <Link to={indicatorPath(r.indicatorId, r.periodKey)}>{nameOf(r)}</Link>
        ) : r.unitId ? (
          <Link to={unitPath(r.unitId, r.periodKey)}>{nameOf(r)}</Link>
        ) : (
          '—'
        ),
    },
    { title: t('rankings.unit'), key: 'unit', width: 190, render: (_v, r) => unitOf(r) || '—' },
    {
      title: t('rankings.scope'),
      dataIndex: 'scope',
      width: 90,
      filters: scopes.map((s) => ({ text: s, value: s })),
      onFilter: (v, r) => r.scope === v,
    },
    {
      title: t('period.label'),
      dataIndex: 'periodKey',
      width: 150,
      sorter: (a, b) => a.periodKey.localeCompare(b.periodKey),
      render: (k: string) => periodLabel(k),
    },
    {
      title: t('rankings.rank'),
      key: 'rank',
      width: 140,
      sorter: (a, b) => a.rank / a.outOf - b.rank / b.outOf,
      render: (_v, r) => <RankText rank={r.rank} outOf={r.outOf} />,
    },
    {
      title: t('rankings.change'),
      key: 'change',
      width: 150,
      sorter: (a, b) => (a.change.delta ?? 0) - (b.change.delta ?? 0),
      render: (_v, r) => <RankChange ranking={r} />,
    },
    {
      title: t('rankings.source'),
      dataIndex: 'source',
      render: (v: string, r) => (
        <Space orientation="vertical" size={0}>
          <span>{v || '—'}</span>
          {r.publishedOn ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDate(r.publishedOn)}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    ...(access.canEdit
      ? [
          {
            title: t('actions.title'),
            key: 'actions',
            width: 100,
            render: (_v: unknown, r: RankingView) => (
              <DeleteButton
                path={`/api/rankings/${r.id}`}
                confirmTitle={t('rankings.deleteConfirm', {
                  name: nameOf(r),
                  scope: r.scope,
                  period: periodLabel(r.periodKey),
                })}
                testId={`ranking-delete-${r.id}`}
                onDeleted={() => void rankings.reload()}
              />
            ),
          },
        ]
      : []),
  ];

  const periodOptions = (periods.data ?? [])
    .slice()
    .sort(comparePeriods)
    .reverse()
    .map((p) => ({ value: p.key, label: p.label }));
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('menu.rankings')}
      </Typography.Title>
      <FilterBar>
        <Space wrap>
          <SearchBox
            placeholder={t('rankings.searchPlaceholder')}
            onSearch={setSearch}
            width={220}
            testId="rankings-search"
          />
          <FilterSelect
            placeholder={t('rankings.scope')}
            width={140}
            value={scope}
            onChange={setScope}
            options={scopes.map((s) => ({ value: s, label: s }))}
          />
          <FilterSelect
            placeholder={t('period.label')}
            width={180}
            value={periodKey}
            onChange={setPeriodKey}
            options={periodOptions}
            testId="rankings-period"
          />
        </Space>
        {access.canEdit ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="rankings-create"
            onClick={() => {
              form.resetFields();
              form.setFieldsValue({
                subject: 'indicator',
                scope: '全省',
                periodKey: periodOptions[0]?.value,
              });
              setCreating(true);
            }}
          >
            {t('rankings.create')}
          </Button>
        ) : null}
      </FilterBar>
      {rankings.error ? <LoadError error={rankings.error} onRetry={() => void rankings.reload()} /> : null}
      <Table<RankingView>
        scroll={tableScroll}
        data-testid="rankings-table"
        rowKey="id"
        size="middle"
        loading={rankings.loading}
        dataSource={rows}
        columns={columns}
        pagination={{ pageSize: 20, showSizeChanger: true }}
        locale={{ emptyText: t('rankings.none') }}
      />
      <EditorDrawer
        open={creating}
        title={t('rankings.create')}
        size={460}
        saving={saving}
        saveTestId="ranking-save"
        onClose={() => setCreating(false)}
        onSave={() => void save()}
      >
        <Form<RankingForm> form={form} layout="vertical">
          <Form.Item name="subject" label={t('rankings.subjectKind')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'indicator', label: t('rankings.indicator') },
                { value: 'unit', label: t('rankings.unitWhole') },
              ]}
            />
          </Form.Item>
          {subject === 'unit' ? (
            <Form.Item
              name="unitId"
              label={t('fields.unit')}
              rules={[{ required: true, message: t('form.required') }]}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
              />
            </Form.Item>
          ) : (
            <Form.Item
              name="indicatorId"
              label={t('fields.indicator')}
              rules={[{ required: true, message: t('form.required') }]}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                data-testid="ranking-indicator"
                options={(indicators.data ?? []).map((i) => ({
                  value: i.id,
                  label: `${i.code} ${i.name}（${i.unitName}）`,
                }))}
              />
            </Form.Item>
          )}
          <Form.Item name="scope" label={t('rankings.scope')} rules={requiredText(t('form.required'), 50)}>
            <AutoComplete options={scopes.map((s) => ({ value: s }))} />
          </Form.Item>
          <Form.Item
            name="periodKey"
            label={t('period.label')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Select options={periodOptions} />
          </Form.Item>
          <Space>
            <Form.Item
              name="rank"
              label={t('rankings.rank')}
              dependencies={['outOf']}
              rules={[
                { required: true, message: t('form.required') },
                ({ getFieldValue }) => ({
                  validator: (_r, v: number | null) =>
                    v === null || v === undefined || !getFieldValue('outOf') || v <= getFieldValue('outOf')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('rankings.rankTooLarge'))),
                }),
              ]}
            >
              <InputNumber min={1} precision={0} data-testid="ranking-rank" />
            </Form.Item>
            <Form.Item
              name="outOf"
              label={t('rankings.outOf')}
              rules={[{ required: true, message: t('form.required') }]}
            >
              <InputNumber min={1} precision={0} data-testid="ranking-out-of" />
            </Form.Item>
          </Space>
          <Form.Item name="source" label={t('rankings.source')} rules={[{ max: 200 }]}>
            <Input />
          </Form.Item>
          <DateItem
            name="publishedOn"
            label={t('rankings.publishedOn')}
            format={t('period.dateFormat')}
            testId="ranking-published-on"
          />
        </Form>
      </EditorDrawer>
    </Card>
  );
}
