// Shared pieces of the indicator pages: the namespace, data hooks (periods, units, framework, the server's
// clock), number formatting with units of measure, the light tag, the ranking change, the period
// picker and the dashboards' head. The chosen period travels in the URL (?period=) and is remembered
// for the session, so moving between the overview, a unit and the data entry keeps the same period.
import { ArrowLeftOutlined, LockOutlined } from '@ant-design/icons';
import { Button, Card, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { z } from 'zod';
import type { UnitView } from '../../../src/modules/accounts/schemas.ts';
import type {
  ActualStatus,
  FrameworkNodeView,
  IndicatorView,
  indicatorHistoryView,
  indicatorImportResult,
  LightView,
  lightRulesView,
  PeriodView,
  RankingView,
  unitIndicatorsView,
} from '../../../src/modules/indicators/schemas.ts';
import { api } from '../../common/api.ts';
import { currentLocale } from '../../common/i18n.ts';
import { useAuth } from '../auth.tsx';
import { useLoad } from '../hooks.ts';

export const NS = 'indicators-web';

export type UnitIndicatorsView = z.infer<typeof unitIndicatorsView>;
export type IndicatorHistoryView = z.infer<typeof indicatorHistoryView>;
export type LightRulesView = z.infer<typeof lightRulesView>;
export type IndicatorImportResult = z.infer<typeof indicatorImportResult>;
export type { ActualStatus, FrameworkNodeView, IndicatorView, LightView, PeriodView, RankingView, UnitView };

export const lights: LightView[] = ['red', 'yellow', 'green', 'grey', 'overdue'];
/** Worst first, for sorting: 未按期报送 and red lead (the domain's order, as the server sorts). */
export { lightSeverity } from '../../../src/modules/indicators/domain/indicators.ts';
export const lightColor: Record<LightView, string> = {
  green: '#389e0d',
  yellow: '#d48806',
  red: '#cf1322',
  grey: '#8c8c8c',
  overdue: '#531dab',
};
const lightTagColor: Record<LightView, string> = {
  green: 'success',
  yellow: 'warning',
  red: 'error',
  grey: 'default',
  overdue: 'purple',
};

// ---------- roles ----------

export interface Access {
  role: 'organizer' | 'reporter' | 'leader' | 'observer' | null;
  /** Organizers change things; leaders and observers read everything; reporters their own unit. */
  canEdit: boolean;
  unitId: string | null;
}

export function useAccess(): Access {
  const { user } = useAuth();
  return {
    role: user?.role ?? null,
    canEdit: user?.role === 'organizer',
    unitId: user?.unitId ?? null,
  };
}

// ---------- numbers ----------

export function fmtNumber(v: number | null | undefined, maxDigits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return new Intl.NumberFormat(currentLocale(), { maximumFractionDigits: maxDigits }).format(v);
}

/** A value with its unit of measure: "1,261 亩", "99.1%", "1,020,000 万元". */
export function fmtValue(v: number | null | undefined, measure: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const n = fmtNumber(v);
  return measure === '%' ? `${n}%` : `${n} ${measure}`;
}

/** A completion ratio as a percentage: 0.525 → "52.5%". */
export function fmtPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${new Intl.NumberFormat(currentLocale(), { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(ratio * 100)}%`;
}

/** Rounded for charts (ECharts prints raw doubles otherwise). */
export const round = (v: number, digits = 1): number => Number(v.toFixed(digits));

/** Options for a choice among `values`, each labelled by its text `${group}.${value}`. */
export function choices<V extends string>(
  t: (key: string) => string,
  group: string,
  values: readonly V[],
): { value: V; label: string }[] {
  return values.map((value) => ({ value, label: t(`${group}.${value}`) }));
}

// ---------- light and ranking ----------

export function LightTag({
  light,
  code,
  explanation,
  testId,
}: {
  light: LightView;
  code?: string;
  explanation?: string;
  testId?: string;
}) {
  const { t } = useTranslation(NS);
  const tag = (
    <Tag
      color={lightTagColor[light]}
      data-testid={testId ?? (code ? `light-${code}` : undefined)}
      data-light={light}
      style={{ marginInlineEnd: 0 }}
    >
      {t(`lights.${light}`)}
    </Tag>
  );
  return explanation ? <Tooltip title={explanation}>{tag}</Tooltip> : tag;
}

/** "第 32 名 / 90". */
export function RankText({ rank, outOf }: { rank: number; outOf: number }) {
  const { t } = useTranslation(NS);
  return <span>{t('rank.of', { rank, outOf })}</span>;
}

/** The change from the previous period: "89 → 32 ↑57" (up is better: a smaller rank). */
export function RankChange({ ranking }: { ranking: Pick<RankingView, 'rank' | 'change'> }) {
  const { t } = useTranslation(NS);
  const { previousRank, delta, direction } = ranking.change;
  if (direction === 'new' || previousRank === null) {
    return (
      <Space size={4} data-testid="rank-change" data-direction="new">
        <span>{ranking.rank}</span>
        <Tag>{t('rank.new')}</Tag>
      </Space>
    );
  }
  const arrow = direction === 'up' ? '↑' : direction === 'down' ? '↓' : '';
  const color = direction === 'up' ? lightColor.green : direction === 'down' ? lightColor.red : undefined;
  return (
    <span data-testid="rank-change" data-direction={direction}>
      {previousRank} → {ranking.rank}{' '}
      <Typography.Text strong style={{ color }}>
        {direction === 'same' ? t('rank.same') : `${arrow}${Math.abs(delta ?? 0)}`}
      </Typography.Text>
    </span>
  );
}

export function ActualStatusTag({ status }: { status: ActualStatus | null }) {
  const { t } = useTranslation(NS);
  const color =
    status === 'verified'
      ? 'success'
      : status === 'submitted'
        ? 'processing'
        : status === 'returned'
          ? 'error'
          : status === 'draft'
            ? 'warning'
            : 'default';
  return <Tag color={color}>{t(`status.${status ?? 'none'}`)}</Tag>;
}

// ---------- data ----------

export const useUnits = () => useLoad(() => api.get<UnitView[]>('/api/units'), []);
export const useFramework = () => useLoad(() => api.get<FrameworkNodeView[]>('/api/framework'), []);
export const usePeriodList = () => useLoad(() => api.get<PeriodView[]>('/api/periods'), []);

/** The programs (top level) and, for every node, the program it belongs to. */
export function programsOf(nodes: FrameworkNodeView[]): {
  programs: FrameworkNodeView[];
  programOf: Map<string, FrameworkNodeView>;
  byId: Map<string, FrameworkNodeView>;
} {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const programOf = new Map<string, FrameworkNodeView>();
  for (const n of nodes) {
    let cur: FrameworkNodeView | undefined = n;
    const seen = new Set<string>();
    while (cur?.parentId && !seen.has(cur.id)) {
      seen.add(cur.id);
      cur = byId.get(cur.parentId);
    }
    if (cur) programOf.set(n.id, cur);
  }
  const programs = nodes
    .filter((n) => n.parentId === null)
    .sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code));
  return { programs, programOf, byId };
}

/** The server's clock (lights are computed with it), read once per page; the browser's as a fallback. */
export function useServerNow(): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    api
      .get<{ serverNow: number }>('/api/time')
      .then((r) => {
        if (live) setNow(r.serverNow);
      })
      .catch(() => {
        if (live) setNow(Date.now());
      });
    return () => {
      live = false;
    };
  }, []);
  return now;
}

const todayOf = (ms: number): string => {
  // Deadlines are dates in China Standard Time; the day is taken there, whatever the browser's zone.
  const d = new Date(ms + 8 * 3_600_000);
  return d.toISOString().slice(0, 10);
};

/** The period being reported now: the latest one that has ended, else the first one. */
export function defaultPeriodKey(periods: PeriodView[], nowMs: number): string | null {
  if (periods.length === 0) return null;
  const today = todayOf(nowMs);
  const ended = periods.filter((p) => p.endDate < today);
  const sorted = (ended.length > 0 ? ended : periods).slice().sort(comparePeriods);
  return (ended.length > 0 ? sorted[sorted.length - 1] : sorted[0])?.key ?? null;
}

export const comparePeriods = (
  a: Pick<PeriodView, 'endDate' | 'key'>,
  b: Pick<PeriodView, 'endDate' | 'key'>,
) => a.endDate.localeCompare(b.endDate) || a.key.localeCompare(b.key);

const PERIOD_STORE = 'shaipin.indicators.period';

function storedPeriod(): string | null {
  try {
    return sessionStorage.getItem(PERIOD_STORE);
  } catch {
    return null;
  }
}

/** A period's label by its key (a later entry wins); an unknown key reads as itself. */
export function periodLabeler(periods: readonly { key: string; label: string }[]): (key: string) => string {
  const labels = new Map(periods.map((p) => [p.key, p.label]));
  return (key) => labels.get(key) ?? key;
}

export interface PeriodState {
  periods: PeriodView[];
  loading: boolean;
  error: Error | null;
  reload: () => Promise<void>;
  key: string | null;
  period: PeriodView | null;
  /** True when the user picked the period (URL or this session), false when it is the default. */
  chosen: boolean;
  setKey: (key: string, opts?: { auto?: boolean }) => void;
}

/** The period of the page: ?period= in the URL, else the session's choice, else the default. */
export function usePeriod(): PeriodState {
  const list = usePeriodList();
  const nowMs = useServerNow();
  const [params, setParams] = useSearchParams();
  const fromUrl = params.get('period');
  const periods = list.data ?? [];
  const known = (k: string | null) => (k !== null && periods.some((p) => p.key === k) ? k : null);
  const urlKey = known(fromUrl);
  const storedKey = known(storedPeriod());
  const fallback = nowMs === null ? null : defaultPeriodKey(periods, nowMs);
  const key = urlKey ?? storedKey ?? fallback;
  const period = periods.find((p) => p.key === key) ?? null;

  const setKey = useCallback(
    (k: string, opts: { auto?: boolean } = {}) => {
      try {
        sessionStorage.setItem(PERIOD_STORE, k);
      } catch {
        // Not remembered; the URL still carries it.
      }
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.set('period', k);
          return next;
        },
        { replace: Boolean(opts.auto) },
      );
    },
    [setParams],
  );

  return {
    periods,
    loading: list.loading || (nowMs === null && !urlKey && !storedKey),
    error: list.error,
    reload: list.reload,
    key,
    period,
    chosen: urlKey !== null || storedKey !== null,
    setKey,
  };
}

export function PeriodPicker({ state, style }: { state: PeriodState; style?: React.CSSProperties }) {
  const { t } = useTranslation(NS);
  const options = useMemo(() => {
    const years = [...new Set(state.periods.map((p) => p.year))].sort((a, b) => b - a);
    return years.map((y) => ({
      label: t('period.year', { year: y }),
      title: String(y),
      options: state.periods
        .filter((p) => p.year === y)
        .sort(comparePeriods)
        .map((p) => ({
          value: p.key,
          label: (
            <span data-testid={`period-option-${p.key}`}>
              {p.label} {p.locked ? <LockOutlined /> : null}
            </span>
          ),
        })),
    }));
  }, [state.periods, t]);
  return (
    <Select
      data-testid="period-picker"
      aria-label={t('period.label')}
      style={{ minWidth: 180, ...style }}
      loading={state.loading}
      value={state.key ?? undefined}
      placeholder={t('period.placeholder')}
      options={options}
      onChange={(k: string) => state.setKey(k)}
      notFoundContent={t('period.none')}
    />
  );
}

/** The head of a unit's or an indicator's page: back, the name, what goes beside it, and the right side. */
export function DashboardHeader({
  onBack,
  title,
  titleTestId,
  wrapTitle,
  beside,
  extra,
  children,
}: {
  onBack: () => void;
  title: React.ReactNode;
  titleTestId: string;
  /** The name and what is beside it may wrap onto a second line. */
  wrapTitle?: boolean;
  beside?: React.ReactNode;
  extra?: React.ReactNode;
  /** Under the head, in the same card. */
  children?: React.ReactNode;
}) {
  const { t } = useTranslation(NS);
  return (
    <Card size="small">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space wrap={wrapTitle}>
          <Button icon={<ArrowLeftOutlined />} aria-label={t('actions.back')} onClick={onBack} />
          <Typography.Title level={4} style={{ margin: 0 }} data-testid={titleTestId}>
            {title}
          </Typography.Title>
          {beside}
        </Space>
        {extra}
      </Space>
      {children}
    </Card>
  );
}

/** Runs `tasks` with at most `limit` in flight (many small requests without flooding the server). */
export async function runLimited<T>(tasks: (() => Promise<T>)[], limit = 4): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}

export const unitPath = (unitId: string, periodKey: string | null) =>
  `/indicators/units/${unitId}${periodKey ? `?period=${encodeURIComponent(periodKey)}` : ''}`;
export const indicatorPath = (indicatorId: string, periodKey: string | null) =>
  `/indicators/items/${indicatorId}${periodKey ? `?period=${encodeURIComponent(periodKey)}` : ''}`;
