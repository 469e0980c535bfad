// 指标驾驶舱: the city at a glance for a period — how many indicators are red, yellow, green, grey or
// unreported; a units × programs heat map of the worst light; the worst laggards, each with its
// one-sentence reason; and the ranking changes of the period. Click a cell or a name for the detail.
import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, List, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { readsUnitData } from '../../../src/modules/indicators/domain/access.ts';
import type { OverviewView } from '../../../src/modules/indicators/schemas.ts';
import { api } from '../../common/api.ts';
import { usePhone, useTableScroll } from '../components/responsive.ts';
import { LoadError, PageLoading } from '../components/States.tsx';
import { useLoad } from '../hooks.ts';
import {
  comparePeriods,
  indicatorPath,
  LightTag,
  lightColor,
  lightSeverity,
  lights,
  NS,
  PeriodPicker,
  programsOf,
  RankChange,
  RankText,
  unitPath,
  useAccess,
  useFramework,
  usePeriod,
} from './common.tsx';
import { EChart } from './EChart.tsx';

type Change = OverviewView['rankingChanges'][number];

function CountCards({ counts, onPick }: { counts: OverviewView['counts']; onPick?: (l: string) => void }) {
  const { t } = useTranslation(NS);
  return (
    <Row gutter={[16, 16]}>
      {lights.map((l) => (
        <Col key={l} xs={12} sm={8} lg={{ flex: '20%' }}>
          <Card
            size="small"
            hoverable={Boolean(onPick)}
            onClick={() => onPick?.(l)}
            styles={{ body: { borderTop: `4px solid ${lightColor[l]}` } }}
          >
            <Statistic
              title={t(`lights.${l}`)}
              value={counts[l]}
              suffix={t('overview.countSuffix')}
              styles={{ content: { color: lightColor[l], fontSize: 34, fontWeight: 600 } }}
              formatter={(v) => <span data-testid={`count-${l}`}>{String(v)}</span>}
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

function Heatmap({
  data,
  periodKey,
  programOrder,
  opens,
}: {
  data: OverviewView;
  periodKey: string;
  programOrder: Map<string, number>;
  /** Whether the reader may open a unit's page (a reporter: their own only). */
  opens: (unitId: string) => boolean;
}) {
  const { t } = useTranslation(NS);
  const navigate = useNavigate();
  const phone = usePhone();
  const { units, programs, cells } = useMemo(() => {
    const units: { id: string; name: string }[] = [];
    const programs: { id: string; name: string }[] = [];
    for (const c of data.heatmap) {
      if (!units.some((u) => u.id === c.unitId)) units.push({ id: c.unitId, name: c.unitName });
      if (!programs.some((p) => p.id === c.programId))
        programs.push({ id: c.programId, name: c.programName });
    }
    // Columns in the framework's order (三条先行路径 first), whatever order the cells came in.
    programs.sort((a, b) => (programOrder.get(a.id) ?? 1e9) - (programOrder.get(b.id) ?? 1e9));
    const cells = data.heatmap.map((c) => ({
      value: [
        programs.findIndex((p) => p.id === c.programId),
        units.findIndex((u) => u.id === c.unitId),
        lightSeverity[c.worst],
      ],
      unitId: c.unitId,
      worst: c.worst,
      counts: c.counts,
      total: Object.values(c.counts).reduce((s, n) => s + (n ?? 0), 0),
    }));
    return { units, programs, cells };
  }, [data.heatmap, programOrder]);

  if (cells.length === 0) return <Empty description={t('overview.noHeatmap')} />;
  // Many units: thinner rows, and the card scrolls instead of growing without bound.
  const height = Math.max(220, units.length * (units.length > 40 ? 20 : 30) + 90);
  const byIndex = [...lights].sort((a, b) => lightSeverity[a] - lightSeverity[b]);
  const option = {
    tooltip: {
      formatter: (p: { data: (typeof cells)[number] }) => {
        const c = p.data;
        const [x, y] = c.value as [number, number];
        const lines = lights
          .filter((l) => (c.counts[l] ?? 0) > 0)
          .map((l) => `${t(`lights.${l}`)} ${c.counts[l]}`)
          .join('　');
        return `${units[y]?.name} · ${programs[x]?.name}<br/>${t('overview.worst')}: ${t(`lights.${c.worst}`)}<br/>${lines}`;
      },
    },
    grid: { left: 8, right: 16, top: 8, bottom: 56, containLabel: true },
    xAxis: {
      type: 'category',
      data: programs.map((p) => p.name),
      splitArea: { show: true },
      // On a phone a program's name wraps under its own column instead of running into the next.
      axisLabel: phone ? { interval: 0, width: 64, overflow: 'break' } : { interval: 0 },
    },
    yAxis: {
      type: 'category',
      data: units.map((u) => u.name),
      inverse: true,
      splitArea: { show: true },
      ...(phone ? { axisLabel: { width: 96, overflow: 'truncate' } } : {}),
    },
    visualMap: {
      type: 'piecewise',
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      dimension: 2,
      ...(phone ? { itemGap: 6, itemWidth: 14, textGap: 3 } : {}),
      pieces: byIndex.map((l) => ({
        value: lightSeverity[l],
        label: t(`lights.${l}`),
        color: lightColor[l],
      })),
    },
    series: [
      {
        type: 'heatmap',
        data: cells,
        label: {
          show: true,
          color: '#fff',
          formatter: (p: { data: (typeof cells)[number] }) => String(p.data.total),
        },
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        emphasis: { itemStyle: { shadowBlur: 6, shadowColor: 'rgba(0,0,0,0.3)' } },
      },
    ],
  };
  return (
    <div style={{ maxHeight: 960, overflowY: 'auto' }}>
      <EChart
        testId="overview-heatmap"
        option={option}
        height={height}
        onClick={(p) => {
          const unitId = (p.data as { unitId?: string } | undefined)?.unitId;
          if (unitId && opens(unitId)) navigate(unitPath(unitId, periodKey));
        }}
      />
    </div>
  );
}

export function OverviewPage() {
  const { t } = useTranslation(NS);
  const tableScroll = useTableScroll();
  const navigate = useNavigate();
  const ps = usePeriod();
  const framework = useFramework();
  const programOrder = useMemo(
    () => new Map(programsOf(framework.data ?? []).programs.map((p, i) => [p.id, i])),
    [framework.data],
  );
  const overview = useLoad(
    () =>
      ps.key
        ? api.get<OverviewView>(`/api/dashboard/overview?period=${encodeURIComponent(ps.key)}`)
        : Promise.resolve(null),
    [ps.key],
  );

  // Arriving without a chosen period, step back from a period almost nobody has reported yet (not due,
  // or a past period never filled in — e.g. the demo's 2023 seen years later) to the latest one with
  // figures, so the first screen shows something to read. The period label says which one it is.
  const autoStep = useRef<boolean | null>(null);
  useEffect(() => {
    if (ps.loading || ps.key === null) return;
    if (autoStep.current === null) autoStep.current = !ps.chosen;
    const d = overview.data;
    if (!autoStep.current || overview.loading || !d || d.periodKey !== ps.key) return;
    const c = d.counts;
    const total = c.green + c.yellow + c.red + c.grey + c.overdue;
    const unreported = total === 0 || (c.grey + c.overdue) / total >= 0.9;
    const earlier = ps.periods.filter((p) => comparePeriods(p, ps.period ?? p) < 0).sort(comparePeriods);
    const prev = earlier[earlier.length - 1];
    if (unreported && prev) ps.setKey(prev.key, { auto: true });
    else autoStep.current = false;
  }, [ps, overview.data, overview.loading]);

  const changeColumns = [
    {
      title: t('rankings.subject'),
      key: 'subject',
      render: (_: unknown, r: Change) =>
        r.indicatorId ? (
          <Link to={indicatorPath(r.indicatorId, ps.key)}>{r.indicatorName}</Link>
        ) : r.unitId ? (
          <Link to={unitPath(r.unitId, ps.key)}>{r.unitName}</Link>
        ) : (
          '—'
        ),
    },
    { title: t('rankings.unit'), dataIndex: 'unitName', render: (v: string | null) => v ?? '—' },
    { title: t('rankings.scope'), dataIndex: 'scope', width: 80 },
    {
      title: t('rankings.rank'),
      key: 'rank',
      width: 130,
      render: (_: unknown, r: Change) => <RankText rank={r.rank} outOf={r.outOf} />,
    },
    {
      title: t('rankings.change'),
      key: 'change',
      width: 140,
      render: (_: unknown, r: Change) => <RankChange ranking={r} />,
    },
    { title: t('rankings.source'), dataIndex: 'source', ellipsis: true },
  ];

  const access = useAccess();
  const opens = useCallback(
    (unitId: string) => readsUnitData({ role: access.role ?? '', unitId: access.unitId }, unitId),
    [access.role, access.unitId],
  );
  const unitOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const c of overview.data?.heatmap ?? []) if (opens(c.unitId)) seen.set(c.unitId, c.unitName);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [overview.data, opens]);

  if (ps.error) return <LoadError error={ps.error} onRetry={() => void ps.reload()} />;
  if (ps.loading) return <PageLoading />;
  if (ps.periods.length === 0) {
    return (
      <Card>
        <Empty description={t('period.noneYet')} />
      </Card>
    );
  }
  const d = overview.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="indicators-overview">
      <Card size="small">
        <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('overview.title')}
            {ps.period ? (
              <Typography.Text type="secondary" style={{ fontSize: 14, marginInlineStart: 12 }}>
                {ps.period.label}
              </Typography.Text>
            ) : null}
          </Typography.Title>
          <Space wrap>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('overview.goToUnit')}
              style={{ width: 220 }}
              options={unitOptions}
              onChange={(id: string) => navigate(unitPath(id, ps.key))}
              data-testid="overview-unit-picker"
            />
            <PeriodPicker state={ps} />
            <Button
              icon={<ReloadOutlined />}
              onClick={() => void overview.reload()}
              aria-label={t('actions.refresh')}
            />
          </Space>
        </Space>
      </Card>
      {overview.error ? <LoadError error={overview.error} onRetry={() => void overview.reload()} /> : null}
      {!d ? (
        overview.loading ? (
          <PageLoading />
        ) : null
      ) : (
        <>
          <CountCards counts={d.counts} />
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={14}>
              <Card title={t('overview.heatmap')} size="small" loading={overview.loading}>
                <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                  {t('overview.heatmapHint')}
                </Typography.Paragraph>
                {ps.key ? (
                  <Heatmap data={d} periodKey={ps.key} programOrder={programOrder} opens={opens} />
                ) : null}
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card title={t('overview.laggards')} size="small" loading={overview.loading}>
                <List
                  data-testid="overview-laggards"
                  dataSource={d.laggards}
                  locale={{ emptyText: t('overview.noLaggards') }}
                  renderItem={(s) => (
                    <List.Item key={s.indicatorId} data-testid={`laggard-${s.code}`}>
                      <List.Item.Meta
                        avatar={<LightTag light={s.light} code={s.code} />}
                        title={
                          // Another unit's row, for a reporter: read here, not opened (its pages are the unit's).
                          opens(s.unitId) ? (
                            <Space wrap size={8}>
                              <Link to={indicatorPath(s.indicatorId, ps.key)}>{s.name}</Link>
                              <Link to={unitPath(s.unitId, ps.key)}>
                                <Typography.Text type="secondary">{s.unitName}</Typography.Text>
                              </Link>
                            </Space>
                          ) : (
                            <Space wrap size={8}>
                              <Typography.Text>{s.name}</Typography.Text>
                              <Typography.Text type="secondary">{s.unitName}</Typography.Text>
                            </Space>
                          )
                        }
                        description={s.explanation}
                      />
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
          </Row>
          <Card title={t('overview.rankingChanges')} size="small">
            <Table<Change>
              scroll={tableScroll}
              data-testid="overview-ranking-changes"
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={d.rankingChanges}
              columns={changeColumns}
              locale={{ emptyText: t('overview.noRankingChanges') }}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
