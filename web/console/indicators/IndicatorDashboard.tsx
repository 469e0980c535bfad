// An indicator's page: what it is, its history over the periods against the plan (actual vs the value
// expected by each period's end, with the light of every period), its external rankings and every
// revision of its reported values.
import { Card, Descriptions, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../../common/api.ts';
import { formatDateTime } from '../../common/format.ts';
import { useTableScroll } from '../components/responsive.ts';
import { LoadError, PageLoading } from '../components/States.tsx';
import { useLoad } from '../hooks.ts';
import {
  ActualStatusTag,
  DashboardHeader,
  fmtNumber,
  fmtPercent,
  fmtValue,
  type IndicatorHistoryView,
  LightTag,
  lightColor,
  NS,
  periodLabeler,
  RankChange,
  type RankingView,
  RankText,
  unitPath,
  usePeriodList,
} from './common.tsx';
import { EChart } from './EChart.tsx';
import { ChartWithRankTrend } from './UnitDashboard.tsx';

type Point = IndicatorHistoryView['points'][number];
type Revision = IndicatorHistoryView['revisions'][number];

export function IndicatorDashboardPage() {
  const { t } = useTranslation(NS);
  const tableScroll = useTableScroll();
  const { indicatorId = '' } = useParams();
  const [params] = useSearchParams();
  const periodKey = params.get('period');
  const navigate = useNavigate();
  const periods = usePeriodList();
  const view = useLoad(
    () => api.get<IndicatorHistoryView>(`/api/dashboard/indicators/${encodeURIComponent(indicatorId)}`),
    [indicatorId],
  );
  const d = view.data;
  // The points' own labels win: they are the indicator's periods as the server named them.
  const periodLabel = useMemo(
    () =>
      periodLabeler([
        ...(periods.data ?? []),
        ...(d?.points ?? []).map((p) => ({ key: p.periodKey, label: p.label })),
      ]),
    [periods.data, d],
  );

  const option = useMemo(() => {
    if (!d) return {};
    const m = d.indicator.measure;
    const fmt = (v: unknown) => (typeof v === 'number' ? fmtValue(v, m) : '—');
    return {
      tooltip: { trigger: 'axis', valueFormatter: fmt },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: d.points.map((p) => p.label) },
      yAxis: { type: 'value', name: m, scale: true },
      series: [
        {
          name: t('indicator.actual'),
          type: 'line',
          connectNulls: false,
          symbolSize: 14,
          lineStyle: { width: 3, color: '#b71c1c' },
          itemStyle: { color: '#b71c1c' },
          label: { show: true, position: 'top', formatter: (p: { value: number }) => fmtNumber(p.value) },
          data: d.points.map((p) => ({ value: p.actual, itemStyle: { color: lightColor[p.light] } })),
        },
        {
          name: t('indicator.expected'),
          type: 'line',
          lineStyle: { type: 'dashed', color: '#8c8c8c' },
          itemStyle: { color: '#8c8c8c' },
          data: d.points.map((p) => p.expectedValue),
          markLine: {
            symbol: 'none',
            lineStyle: { color: '#389e0d' },
            label: {
              formatter: `${t('fields.target')} ${fmtValue(d.indicator.target, m)}`,
              position: 'insideEndTop',
            },
            data: [{ yAxis: d.indicator.target }],
          },
        },
      ],
    };
  }, [d, t]);

  const pointColumns: TableColumnsType<Point> = [
    { title: t('period.label'), dataIndex: 'label', width: 140 },
    {
      title: t('fields.light'),
      dataIndex: 'light',
      width: 120,
      render: (_v, p) => (
        <LightTag light={p.light} testId={`history-light-${p.periodKey}`} explanation={p.explanation} />
      ),
    },
    {
      title: t('indicator.expected'),
      dataIndex: 'expectedValue',
      align: 'right',
      render: (_v, p) =>
        `${fmtValue(p.expectedValue, d?.indicator.measure ?? '')}（${fmtPercent(p.expected)}）`,
    },
    {
      title: t('indicator.actual'),
      dataIndex: 'actual',
      align: 'right',
      render: (_v, p) => fmtValue(p.actual, d?.indicator.measure ?? ''),
    },
    {
      title: t('unit.completion'),
      dataIndex: 'completion',
      align: 'right',
      render: (_v, p) => fmtPercent(p.completion),
    },
    { title: t('fields.explanation'), dataIndex: 'explanation' },
  ];

  const rankingColumns: TableColumnsType<RankingView> = [
    { title: t('period.label'), dataIndex: 'periodKey', render: (k: string) => periodLabel(k) },
    { title: t('rankings.scope'), dataIndex: 'scope' },
    { title: t('rankings.rank'), key: 'rank', render: (_v, r) => <RankText rank={r.rank} outOf={r.outOf} /> },
    { title: t('rankings.change'), key: 'change', render: (_v, r) => <RankChange ranking={r} /> },
    { title: t('rankings.source'), dataIndex: 'source' },
  ];

  const revisionColumns: TableColumnsType<Revision> = [
    { title: t('period.label'), dataIndex: 'periodKey', width: 130, render: (k: string) => periodLabel(k) },
    { title: t('indicator.version'), dataIndex: 'version', width: 70 },
    {
      title: t('indicator.value'),
      dataIndex: 'value',
      align: 'right',
      width: 140,
      render: (v: number) => fmtValue(v, d?.indicator.measure ?? ''),
    },
    {
      title: t('fields.status'),
      dataIndex: 'status',
      width: 100,
      render: (_v, r) => <ActualStatusTag status={r.status} />,
    },
    {
      title: t('indicator.reasonOrNote'),
      key: 'reason',
      render: (_v, r) =>
        r.reason ? <Typography.Text type="danger">{r.reason}</Typography.Text> : <span>{r.note}</span>,
    },
    { title: t('indicator.actor'), dataIndex: 'actorName', width: 200 },
    {
      title: t('indicator.time'),
      dataIndex: 'createdAt',
      width: 200,
      render: (v: string) => formatDateTime(v),
    },
  ];

  if (view.error) return <LoadError error={view.error} onRetry={() => void view.reload()} />;
  if (!d) return <PageLoading />;
  const ind = d.indicator;
  const planText =
    ind.plan.kind === 'linear'
      ? t('plan.linear')
      : Object.entries(ind.plan.expected)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => `${periodLabel(k)} ${fmtValue(v, ind.measure)}`)
          .join('；');
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="indicator-dashboard">
      <DashboardHeader
        onBack={() => navigate(unitPath(ind.unitId, periodKey))}
        title={ind.name}
        titleTestId="indicator-dashboard-name"
        wrapTitle
        beside={
          <>
            <Tag>{ind.code}</Tag>
            <Link to={unitPath(ind.unitId, periodKey)}>{ind.unitName}</Link>
          </>
        }
      >
        <Descriptions
          size="small"
          style={{ marginTop: 12 }}
          column={{ xs: 1, sm: 2, lg: 4 }}
          items={[
            { key: 'measure', label: t('fields.measure'), children: ind.measure },
            { key: 'direction', label: t('fields.direction'), children: t(`direction.${ind.direction}`) },
            { key: 'kind', label: t('fields.kind'), children: t(`kind.${ind.kind}`) },
            { key: 'frequency', label: t('fields.frequency'), children: t(`frequency.${ind.frequency}`) },
            { key: 'baseline', label: t('fields.baseline'), children: fmtValue(ind.baseline, ind.measure) },
            { key: 'target', label: t('fields.target'), children: fmtValue(ind.target, ind.measure) },
            {
              key: 'tiers',
              label: t('fields.tiers'),
              children:
                ind.tierFloor === null && ind.tierStretch === null
                  ? '—'
                  : t('indicator.tiers', {
                      floor: fmtValue(ind.tierFloor, ind.measure),
                      stretch: fmtValue(ind.tierStretch, ind.measure),
                    }),
            },
            { key: 'weight', label: t('fields.weight'), children: fmtNumber(ind.weight) },
            { key: 'plan', label: t('fields.plan'), children: planText, span: 2 },
            {
              key: 'lightSource',
              label: t('fields.lightSource'),
              children: t(`lightSource.${ind.lightSource}`),
            },
          ]}
        />
      </DashboardHeader>
      <ChartWithRankTrend
        title={t('indicator.history')}
        span={14}
        rankings={d.rankings}
        periodLabel={periodLabel}
        nameOf={() => ind.name}
        trendTestId="indicator-ranking-chart"
      >
        <EChart testId="indicator-history-chart" option={option} height={320} />
      </ChartWithRankTrend>
      <Card size="small" title={t('indicator.periods')}>
        <Table<Point>
          scroll={tableScroll}
          data-testid="indicator-points"
          rowKey="periodKey"
          size="small"
          pagination={false}
          dataSource={d.points}
          columns={pointColumns}
          rowClassName={(p) => (p.periodKey === periodKey ? 'ant-table-row-selected' : '')}
        />
      </Card>
      {d.rankings.length > 0 ? (
        <Card size="small" title={t('indicator.rankings')}>
          <Table<RankingView>
            scroll={tableScroll}
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={d.rankings}
            columns={rankingColumns}
          />
        </Card>
      ) : null}
      <Card size="small" title={t('indicator.revisions')}>
        <Table<Revision>
          scroll={tableScroll}
          data-testid="indicator-revisions"
          rowKey={(r) => `${r.periodKey}-${r.version}`}
          size="small"
          dataSource={[...d.revisions].sort(
            (a, b) => b.periodKey.localeCompare(a.periodKey) || b.version - a.version,
          )}
          columns={revisionColumns}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: t('indicator.noRevisions') }}
        />
      </Card>
    </Space>
  );
}
