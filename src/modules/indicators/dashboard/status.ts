// What the dashboard views share: the periods a view reads and the exact status (light, stars, the row
// shown) of the indicators whose rows a view shows.
//
// Which actual counts: the value stored for the indicator and period. Reporters enter cumulative
// indicators as the cumulative-to-date value of the period, so no summing over periods happens here.
// A period with no counted actual still gets a light (grey before due + grace, overdue after).
//
// Mixed frequencies: a view of period P takes each indicator at its own period that ends on the same
// day (Q2 ↔ M06); an indicator with no such period (a quarterly one in May) is not in the view.
import { requireUser, type UserActor } from '../../../kernel/actor.ts';
import { AppError } from '../../../kernel/errors.ts';
import type { Ctx } from '../../../platform/context.ts';
import type { ActualsTable, IndicatorsTable } from '../../../platform/db/schema.ts';
import { chunks } from '../chunks.ts';
import { completionDisplayMax, type IndicatorDef } from '../domain/completion.ts';
import { explainLight, isReported, type LightResult, statusLight } from '../domain/lights.ts';
import { type PeriodDef, parsePeriodKey, periodKey } from '../domain/periods.ts';
import { starGrade } from '../domain/stars.ts';
import { indicatorDefOf, seesWorkInProgress } from '../indicators.ts';
import type { RulesBundle } from '../light-rules.ts';
import { kindOfFrequency, type PeriodRow, periodDefOf } from '../periods.ts';
import { periodOrder, presentRankings, type RankingRow } from '../rankings.ts';
import type { ActualStatus, IndicatorStatusView, RankingView } from '../schemas.ts';

export function readerOf(ctx: Ctx): UserActor {
  return requireUser(ctx.actor, 'organizer', 'leader', 'observer', 'reporter');
}

/** The period of the other kind that ends on the same day: 2023-Q2 ↔ 2023-M06. */
function twinKey(key: string): string | null {
  const p = parsePeriodKey(key);
  if (!p) return null;
  if (p.kind === 'quarter') return periodKey(p.year, 'month', p.index * 3);
  return p.index % 3 === 0 ? periodKey(p.year, 'quarter', p.index / 3) : null;
}

export interface ViewPeriods {
  key: string;
  year: number;
  /** The period each frequency is evaluated at, when it has one. */
  byKind: Map<PeriodDef['kind'], { row: PeriodRow; def: PeriodDef }>;
}

export async function viewPeriods(ctx: Ctx, key: string): Promise<ViewPeriods> {
  const keys = [key, twinKey(key)].filter((k): k is string => k !== null);
  const rows = await ctx.db.selectFrom('periods').selectAll().where('key', 'in', keys).execute();
  const main = rows.find((r) => r.key === key);
  if (!main) throw new AppError('not_found', { what: 'period' });
  const byKind = new Map<PeriodDef['kind'], { row: PeriodRow; def: PeriodDef }>();
  for (const r of rows) byKind.set(r.kind as PeriodDef['kind'], { row: r, def: periodDefOf(r) });
  return { key, year: main.year, byKind };
}

/** The ranking a rank-sourced light reads: the latest at or before the period, any scope. */
export function rankAt(rows: readonly RankingRow[] | undefined, key: string): RankingRow | null {
  const limit = periodOrder(key);
  let best: RankingRow | null = null;
  for (const r of rows ?? []) {
    const o = periodOrder(r.period_key);
    if (o > limit) continue;
    if (best === null || o > periodOrder(best.period_key)) best = r;
  }
  return best;
}

export function exactLight(
  def: IndicatorDef,
  period: PeriodDef,
  actual: { value: number; status: string } | null,
  rank: RankingRow | null,
  rules: RulesBundle,
  now: string,
): LightResult {
  return statusLight(
    {
      indicator: def,
      period,
      actual: actual ? { value: actual.value, status: actual.status as ActualStatus } : null,
      now,
      rank: rank ? { rank: rank.rank, outOf: rank.out_of } : null,
    },
    rules.light,
  );
}

function starsOf(rules: RulesBundle, result: LightResult, rank: RankingRow | null): number | null {
  if (!rules.stars) return null;
  return starGrade(rules.stars, {
    completion: result.completion,
    rank: rank ? { rank: rank.rank, outOf: rank.out_of } : null,
  });
}

/** The rankings of each indicator (rows ranking a unit are left out), for rankAt. */
export function rankingsByIndicator(rows: readonly RankingRow[]): Map<string, RankingRow[]> {
  const byIndicator = new Map<string, RankingRow[]>();
  for (const r of rows) {
    if (!r.indicator_id) continue;
    const list = byIndicator.get(r.indicator_id) ?? [];
    list.push(r);
    byIndicator.set(r.indicator_id, list);
  }
  return byIndicator;
}

/** A completion as bars and charts show it; the raw value stays unclamped. */
export const shownCompletion = (raw: number | null): number | null =>
  raw === null ? null : Math.min(Math.max(raw, 0), completionDisplayMax);

interface FullIndicator extends IndicatorsTable {
  unit_name: string;
}

function statusView(
  ctx: Ctx,
  ind: FullIndicator,
  programId: string | null,
  period: PeriodDef,
  actual: Pick<ActualsTable, 'value' | 'status'> | null,
  result: LightResult,
  stars: number | null,
  latestRanking: RankingView | null,
): IndicatorStatusView {
  return {
    indicatorId: ind.id,
    code: ind.code,
    name: ind.name,
    measure: ind.measure,
    unitId: ind.unit_id,
    unitName: ind.unit_name,
    nodeId: ind.node_id,
    programId,
    periodKey: period.key,
    actual: actual?.value ?? null,
    actualStatus: (actual?.status as ActualStatus | undefined) ?? null,
    target: ind.target,
    completion: shownCompletion(result.completion),
    completionRaw: result.completion,
    expected: result.expected,
    gapPoints: result.gapPoints,
    light: result.light,
    explanation: explainLight(result, ctx.locale),
    stars,
    rulesVersion: result.rulesVersion,
    latestRanking,
  };
}

/** Full status views of some indicators in a view (laggards, a unit page): a few queries, exact rules. */
export async function statusViews(
  ctx: Ctx,
  inds: FullIndicator[],
  periods: ViewPeriods,
  rules: RulesBundle,
  programOf: Map<string, string>,
  rankings: RankingRow[],
  /** Light only what was reported (submitted or verified), whoever reads: a deck never shows a draft. */
  opts: { reportedOnly?: boolean } = {},
): Promise<{
  views: IndicatorStatusView[];
  results: Map<string, { result: LightResult; stars: number | null }>;
}> {
  const user = readerOf(ctx);
  const now = ctx.now.toISOString();
  const actuals = new Map<string, Pick<ActualsTable, 'indicator_id' | 'value' | 'status'>>();
  const keys = [...periods.byKind.values()].map((p) => p.row.key);
  const ids = inds.map((i) => i.id);
  for (const part of chunks(ids)) {
    for (const a of await ctx.db
      .selectFrom('actuals')
      .select(['indicator_id', 'period_key', 'value', 'status'])
      .where('indicator_id', 'in', part)
      .where('period_key', 'in', keys)
      .execute())
      actuals.set(`${a.indicator_id}|${a.period_key}`, a);
  }
  const byIndicator = rankingsByIndicator(rankings);
  const presented = new Map(presentRankings(rankings).map((v) => [v.id, v]));
  const views: IndicatorStatusView[] = [];
  const results = new Map<string, { result: LightResult; stars: number | null }>();
  for (const ind of inds) {
    const p = periods.byKind.get(kindOfFrequency(ind.frequency));
    if (!p) continue;
    const stored = actuals.get(`${ind.id}|${p.row.key}`) ?? null;
    // Work in progress lights nothing (statusLight) and is shown only to those who may see it.
    const actual =
      stored && (isReported(stored.status) || (!opts.reportedOnly && seesWorkInProgress(user, ind.unit_id)))
        ? stored
        : null;
    const rank = rankAt(byIndicator.get(ind.id), p.row.key);
    const result = exactLight(indicatorDefOf(ind), p.def, actual, rank, rules, now);
    const stars = starsOf(rules, result, rank);
    results.set(ind.id, { result, stars });
    views.push(
      statusView(
        ctx,
        ind,
        programOf.get(ind.node_id) ?? null,
        p.def,
        actual,
        result,
        stars,
        rank ? (presented.get(rank.id) ?? null) : null,
      ),
    );
  }
  return { views, results };
}

type IndicatorQuery = ReturnType<typeof indicatorQuery>;
const indicatorQuery = (ctx: Ctx) =>
  ctx.db
    .selectFrom('indicators as i')
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .selectAll('i')
    .select('u.name as unit_name');

export async function fullIndicators(
  ctx: Ctx,
  where: (q: IndicatorQuery) => IndicatorQuery,
): Promise<FullIndicator[]> {
  return where(indicatorQuery(ctx)).orderBy('i.sort').orderBy('i.code').execute();
}
