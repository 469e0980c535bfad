// A unit's page: its indicators for the period with their lights and reasons, completion against the
// expected progress (序时进度) as bars, its ranking trend lines, and its assessment score with the
// formula that produced it.
import {
  Card,
  Col,
  Empty,
  Rate,
  Row,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { IndicatorStatusView, RankingView } from '../../../src/modules/indicators/schemas.ts';
import { api } from '../../common/api.ts';
import { useAuth } from '../auth.tsx';
import { usePhone } from '../components/responsive.ts';
import { LoadError, PageLoading } from '../components/States.tsx';
import { rowData } from '../components/testId.ts';
import { useLoad } from '../hooks.ts';
import { newTaskLink } from '../supervision/common.tsx';
import {
  DashboardHeader,
  fmtPercent,
  fmtValue,
  indicatorPath,
  LightTag,
  lightColor,
  lightSeverity,
  lights,
  NS,
  PeriodPicker,
  periodLabeler,
  RankChange,
  RankText,
  round,
  type UnitIndicatorsView,
  usePeriod,
} from './common.tsx';
import { EChart } from './EChart.tsx';

/** Rank trend lines: one line per indicator (or the unit) and scope, rank 1 at the top. */
export function RankTrend({
  rankings,
  nameOf,
  periodLabel,
  testId,
}: {
  rankings: RankingView[];
  nameOf: (r: RankingView) => string;
  periodLabel: (key: string) => string;
  testId: string;
}) {
  const { t } = useTranslation(NS);
  const option = useMemo(() => {
    const keys = [...new Set(rankings.map((r) => r.periodKey))].sort();
    const groups = new Map<string, RankingView[]>();
    for (const r of rankings) {
      const g = `${nameOf(r)} · ${r.scope}`;
      groups.set(g, [...(groups.get(g) ?? []), r]);
    }
    return {
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (typeof v === 'number' ? t('rank.nth', { rank: v }) : '—'),
      },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: keys.map(periodLabel) },
      yAxis: { type: 'value', inverse: true, min: 1, name: t('rank.axis'), minInterval: 1 },
      series: [...groups].map(([name, rs]) => ({
        name,
        type: 'line',
        connectNulls: true,
        label: { show: true, position: 'top', formatter: (p: { value: number }) => String(p.value) },
        data: keys.map((k) => rs.find((r) => r.periodKey === k)?.rank ?? null),
      })),
    };
  }, [rankings, nameOf, periodLabel, t]);
  if (rankings.length === 0) return <Empty description={t('rankings.none')} />;
  return <EChart testId={testId} option={option} height={280} />;
}

/**
 * A page's main chart and, beside it when there are rankings, their trend lines (the main chart takes
 * the whole width otherwise).
 */
export function ChartWithRankTrend({
  title,
  span,
  children,
  rankings,
  nameOf,
  periodLabel,
  trendTestId,
}: {
  title: string;
  /** Columns (of 24) of the main chart on wide screens while the trend is shown. */
  span: number;
  children: ReactNode;
  rankings: RankingView[];
  nameOf: (r: RankingView) => string;
  periodLabel: (key: string) => string;
  trendTestId: string;
}) {
  const { t } = useTranslation(NS);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={rankings.length > 0 ? span : 24}>
        <Card size="small" title={title}>
          {children}
        </Card>
      </Col>
      {rankings.length > 0 ? (
        <Col xs={24} xl={24 - span}>
          <Card size="small" title={t('unit.rankingTrend')}>
            <RankTrend testId={trendTestId} rankings={rankings} periodLabel={periodLabel} nameOf={nameOf} />
          </Card>
        </Col>
      ) : null}
    </Row>
  );
}

export function UnitDashboardPage() {
  const { t } = useTranslation(NS);
  const { unitId = '' } = useParams();
  // Only the office issues tasks: a red light can become one from here.
  const canIssue = useAuth().user?.role === 'organizer';
  const navigate = useNavigate();
  const ps = usePeriod();
  const view = useLoad(
    () =>
      ps.key
        ? api.get<UnitIndicatorsView>(
            `/api/dashboard/units/${encodeURIComponent(unitId)}?period=${encodeURIComponent(ps.key)}`,
          )
        : Promise.resolve(null),
    [unitId, ps.key],
  );
  const d = view.data;
  const periodLabel = useMemo(() => periodLabeler(ps.periods), [ps.periods]);
  const indicatorNames = useMemo(() => new Map((d?.items ?? []).map((i) => [i.indicatorId, i.name])), [d]);

  const phone = usePhone();
  const barsOption = useMemo(() => {
    const items = (d?.items ?? []).filter((i) => i.completion !== null || i.light !== 'grey');
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v}%` : '—') },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'value', axisLabel: { formatter: '{value}%', hideOverlap: true } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: items.map((i) => i.name),
        // On a phone the names get about a third of the width, the bars the rest.
        axisLabel: { width: phone ? 110 : 180, overflow: phone ? 'break' : 'truncate' },
      },
      series: [
        {
          name: t('unit.completion'),
          type: 'bar',
          // Each bar takes its light's colour; the legend shows a neutral one.
          itemStyle: { color: '#595959' },
          data: items.map((i) => ({
            value: i.completion === null ? null : round(i.completion * 100),
            itemStyle: { color: lightColor[i.light] },
          })),
          label: { show: true, position: 'right', formatter: '{c}%' },
        },
        {
          name: t('unit.expected'),
          type: 'bar',
          data: items.map((i) => round(i.expected * 100)),
          itemStyle: { color: '#d9d9d9' },
        },
      ],
    };
  }, [d, t, phone]);

  const counts = useMemo(() => {
    const c = Object.fromEntries(lights.map((l) => [l, 0])) as Record<string, number>;
    for (const i of d?.items ?? []) c[i.light] = (c[i.light] ?? 0) + 1;
    return c;
  }, [d]);

  const columns: TableColumnsType<IndicatorStatusView> = [
    {
      title: t('fields.light'),
      dataIndex: 'light',
      width: 110,
      fixed: 'left',
      sorter: (a, b) => lightSeverity[a.light] - lightSeverity[b.light],
      defaultSortOrder: 'descend',
      filters: lights.map((l) => ({ text: t(`lights.${l}`), value: l })),
      onFilter: (v, r) => r.light === v,
      render: (_v, r) => <LightTag light={r.light} code={r.code} explanation={r.explanation} />,
    },
    {
      title: t('fields.name'),
      dataIndex: 'name',
      width: 240,
      render: (_v, r) => (
        <Space orientation="vertical" size={0}>
          <Link to={indicatorPath(r.indicatorId, ps.key)} data-testid={`unit-indicator-${r.code}`}>
            {r.name}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.code}
            {r.unitId !== unitId ? ` · ${t('unit.coOwned', { unit: r.unitName })}` : ''}
          </Typography.Text>
          {canIssue && r.light === 'red' && (
            <Link
              data-testid={`unit-indicator-${r.code}-to-task`}
              to={newTaskLink({
                sourceKind: 'indicator',
                unitId: r.unitId,
                title: r.name,
                sourceText: `${r.code} ${r.name}（${ps.key}）${r.explanation ?? ''}`,
              })}
            >
              {t('supervision-web:visit.toTask')}
            </Link>
          )}
        </Space>
      ),
    },
    {
      title: t('fields.actual'),
      dataIndex: 'actual',
      align: 'right',
      width: 140,
      render: (_v, r) => fmtValue(r.actual, r.measure),
    },
    {
      title: t('fields.target'),
      dataIndex: 'target',
      align: 'right',
      render: (_v, r) => fmtValue(r.target, r.measure),
    },
    {
      title: t('unit.completion'),
      dataIndex: 'completion',
      align: 'right',
      width: 100,
      sorter: (a, b) => (a.completion ?? -1e9) - (b.completion ?? -1e9),
      render: (_v, r) => fmtPercent(r.completion),
    },
    {
      title: t('unit.expected'),
      dataIndex: 'expected',
      align: 'right',
      render: (_v, r) => fmtPercent(r.expected),
    },
    { title: t('fields.explanation'), dataIndex: 'explanation', width: 300 },
    {
      title: t('fields.stars'),
      dataIndex: 'stars',
      width: 140,
      render: (_v, r) =>
        r.stars === null ? '—' : <Rate disabled count={5} value={r.stars} style={{ fontSize: 14 }} />,
    },
    {
      title: t('fields.latestRanking'),
      key: 'ranking',
      width: 170,
      render: (_v, r) =>
        r.latestRanking ? (
          <Space orientation="vertical" size={0}>
            <span>
              {r.latestRanking.scope} <RankText rank={r.latestRanking.rank} outOf={r.latestRanking.outOf} />
            </span>
            <RankChange ranking={r.latestRanking} />
          </Space>
        ) : (
          '—'
        ),
    },
  ];

  if (ps.error) return <LoadError error={ps.error} onRetry={() => void ps.reload()} />;
  if (ps.loading) return <PageLoading />;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="unit-dashboard">
      <DashboardHeader
        onBack={() => navigate(`/indicators/overview${ps.key ? `?period=${ps.key}` : ''}`)}
        title={d?.unitName ?? '…'}
        titleTestId="unit-dashboard-name"
        beside={ps.period ? <Typography.Text type="secondary">{ps.period.label}</Typography.Text> : null}
        extra={<PeriodPicker state={ps} />}
      />
      {view.error ? <LoadError error={view.error} onRetry={() => void view.reload()} /> : null}
      {!d ? (
        view.loading ? (
          <PageLoading />
        ) : null
      ) : (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={10}>
              <Card size="small" title={t('unit.assessment')} style={{ height: '100%' }}>
                <Statistic
                  value={d.assessment.score}
                  precision={2}
                  suffix={t('unit.points')}
                  styles={{ content: { color: '#b71c1c', fontSize: 36, fontWeight: 600 } }}
                  formatter={(v) => <span data-testid="unit-assessment-score">{String(v)}</span>}
                />
                <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                  {t('unit.formula')}
                </Typography.Paragraph>
                <Typography.Paragraph
                  code
                  style={{ whiteSpace: 'pre-wrap' }}
                  data-testid="unit-assessment-formula"
                >
                  {d.assessment.formula}
                </Typography.Paragraph>
              </Card>
            </Col>
            <Col xs={24} lg={14}>
              <Card size="small" title={t('unit.lights')} style={{ height: '100%' }}>
                <Row gutter={[8, 8]}>
                  {lights.map((l) => (
                    <Col key={l} span={Math.floor(24 / lights.length)} style={{ minWidth: 90 }}>
                      <Statistic
                        title={t(`lights.${l}`)}
                        value={counts[l]}
                        styles={{ content: { color: lightColor[l], fontWeight: 600 } }}
                        formatter={(v) => <span data-testid={`unit-count-${l}`}>{String(v)}</span>}
                      />
                    </Col>
                  ))}
                </Row>
              </Card>
            </Col>
          </Row>
          <ChartWithRankTrend
            title={t('unit.completionChart')}
            span={13}
            rankings={d.rankings}
            periodLabel={periodLabel}
            nameOf={(r) =>
              r.indicatorId ? (indicatorNames.get(r.indicatorId) ?? t('rankings.indicator')) : d.unitName
            }
            trendTestId="unit-ranking-chart"
          >
            {d.items.length === 0 ? (
              <Empty description={t('unit.noIndicators')} />
            ) : (
              <EChart
                testId="unit-completion-chart"
                option={barsOption}
                height={Math.max(240, d.items.length * 44 + 60)}
                onClick={(p) => {
                  const item = d.items.filter((i) => i.completion !== null || i.light !== 'grey')[
                    p.dataIndex
                  ];
                  if (item) navigate(indicatorPath(item.indicatorId, ps.key));
                }}
              />
            )}
          </ChartWithRankTrend>
          <Card size="small" title={t('unit.indicators')}>
            <Table<IndicatorStatusView>
              data-testid="unit-indicators"
              rowKey="indicatorId"
              size="middle"
              columns={columns}
              dataSource={d.items}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              scroll={{ x: 1450 }}
              onRow={(r) => rowData({ 'data-testid': `unit-ind-row-${r.code}` })}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
