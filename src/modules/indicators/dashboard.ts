// Dashboards over indicators: the city overview of a period, a unit's page and an indicator's history.
//
// Which actual counts: the value stored for the indicator and period. Reporters enter cumulative
// indicators as the cumulative-to-date value of the period, so no summing over periods happens here.
// A period with no counted actual still gets a light (grey before due + grace, overdue after).
//
// Mixed frequencies: a view of period P takes each indicator at its own period that ends on the same
// day (Q2 ↔ M06); an indicator with no such period (a quarterly one in May) is not in the view.
//
// Performance: the overview reads one period's actuals for every indicator of the year (200 units ×
// 1,000 indicators in the benchmark) in two narrow queries, and decides most lights in floating point
// (quickLight below), calling the exact domain rule only near a boundary and for the rows it shows.

import type { z } from 'zod';
import { requireOrganizer, requireUser, type UserActor } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import type { ActualsTable, IndicatorsTable } from '../../platform/db/schema.ts';
import { actualViewsOf } from './actuals.ts';
import {
  assessmentScore,
  completionDisplayMax,
  expectedCompletion,
  expectedValue,
  explainLight,
  type IndicatorDef,
  indicatorScore,
  type Light,
  type LightResult,
  lightSeverity,
  type Plan,
  starGrade,
  statusLight,
} from './domain/indicators.ts';
import { type PeriodDef, parsePeriodKey, periodKey, periodLabel } from './domain/periods.ts';
import { loadFramework } from './framework.ts';
import {
  canReadUnitData,
  indicatorDataGeneration,
  indicatorDefOf,
  indicatorForRead,
  onActualsChanged,
  presentIndicator,
} from './indicators.ts';
import { currentRules, type RulesBundle } from './light-rules.ts';
import { kindOfFrequency, type PeriodRow, periodDefOf } from './periods.ts';
import {
  periodOrder,
  presentRankings,
  type RankingRow,
  rankingDataGeneration,
  rankingsOfSubjects,
} from './rankings.ts';
import type {
  ActualStatus,
  IndicatorStatusView,
  indicatorHistoryView,
  OverviewView,
  RankingView,
  ReviewQueueView,
  unitIndicatorsView,
} from './schemas.ts';

export type UnitIndicatorsView = z.infer<typeof unitIndicatorsView>;
export type IndicatorHistoryView = z.infer<typeof indicatorHistoryView>;

const LIGHTS: Light[] = ['green', 'yellow', 'red', 'grey', 'overdue'];
const zeroCounts = (): Record<Light, number> => ({ green: 0, yellow: 0, red: 0, grey: 0, overdue: 0 });
/**
 * Laggards: the lights from yellow up, worst first by the domain's one order (lightSeverity: overdue,
 * red, yellow); within a light the widest gap first. The heat map's "worst light" uses the same order.
 */
const laggardOrder: Partial<Record<Light, number>> = Object.fromEntries(
  LIGHTS.filter((l) => lightSeverity[l] >= lightSeverity.yellow).map((l) => [
    l,
    lightSeverity.overdue - lightSeverity[l],
  ]),
);
const LAGGARDS = 10;
const RANKING_CHANGES = 50;

function readerOf(ctx: Ctx): UserActor {
  return requireUser(ctx.actor, 'organizer', 'leader', 'observer', 'reporter');
}

// ---------- periods of a view ----------

/** The period of the other kind that ends on the same day: 2023-Q2 ↔ 2023-M06. */
function twinKey(key: string): string | null {
  const p = parsePeriodKey(key);
  if (!p) return null;
  if (p.kind === 'quarter') return periodKey(p.year, 'month', p.index * 3);
  return p.index % 3 === 0 ? periodKey(p.year, 'quarter', p.index / 3) : null;
}

interface ViewPeriods {
  key: string;
  year: number;
  /** The period each frequency is evaluated at, when it has one. */
  byKind: Map<PeriodDef['kind'], { row: PeriodRow; def: PeriodDef }>;
}

async function viewPeriods(ctx: Ctx, key: string): Promise<ViewPeriods> {
  const keys = [key, twinKey(key)].filter((k): k is string => k !== null);
  const rows = await ctx.db.selectFrom('periods').selectAll().where('key', 'in', keys).execute();
  const main = rows.find((r) => r.key === key);
  if (!main) throw new AppError('not_found', { what: 'period' });
  const byKind = new Map<PeriodDef['kind'], { row: PeriodRow; def: PeriodDef }>();
  for (const r of rows) byKind.set(r.kind as PeriodDef['kind'], { row: r, def: periodDefOf(r) });
  return { key, year: main.year, byKind };
}

// ---------- lights ----------

/** What every indicator of one period shares: the linear expectation and the light of "no data". */
export interface PeriodFacts {
  def: PeriodDef;
  linearExpected: number;
  noDataLight: Light;
}

export function periodFacts(def: PeriodDef, rules: RulesBundle, now: string): PeriodFacts {
  const probe: IndicatorDef = {
    id: '',
    direction: 'higher',
    kind: 'cumulative',
    baseline: 0,
    target: 1,
    plan: { kind: 'linear' },
    weight: 1,
  };
  return {
    def,
    linearExpected: expectedCompletion(probe, def),
    // Without a counted actual the light depends on the period's deadlines only (statusLight rule 2).
    noDataLight: statusLight({ indicator: probe, period: def, actual: null, now }, rules.light).light,
  };
}

const LINEAR_PLAN = '{"kind":"linear"}';
const planCache = new Map<string, Plan>();
function planOf(text: string): Plan {
  if (text === LINEAR_PLAN) return { kind: 'linear' };
  let p = planCache.get(text);
  if (!p) {
    p = JSON.parse(text) as Plan;
    if (planCache.size > 10_000) planCache.clear();
    planCache.set(text, p);
  }
  return p;
}

// Light codes of the overview's hot loop (no allocation per indicator): an index into LIGHTS, or
// NEEDS_EXACT. The gap of the last decided light is left in quickGap.
const NEEDS_EXACT = -1;
const CODE: Record<Light, number> = { green: 0, yellow: 1, red: 2, grey: 3, overdue: 4 };
let quickGap: number | null = null;

function quickLightCode(
  direction: string,
  b: number,
  t: number,
  plan: Plan,
  lightSource: string,
  a: number | null,
  status: string | null,
  facts: PeriodFacts,
  threshold: number,
): number {
  quickGap = null;
  if (lightSource === 'rank') return NEEDS_EXACT;
  if (a === null || (status !== 'submitted' && status !== 'verified')) return CODE[facts.noDataLight];
  const span = t - b;
  if (direction === 'higher' ? !(span > 0) : !(span < 0)) return NEEDS_EXACT;
  let expected = facts.linearExpected;
  let magnitude = (a < 0 ? -a : a) + (b < 0 ? -b : b) + (t < 0 ? -t : t);
  if (plan.kind === 'phased') {
    const planned = Object.hasOwn(plan.expected, facts.def.key) ? plan.expected[facts.def.key] : undefined;
    if (planned !== undefined) {
      expected = (planned - b) / span;
      magnitude += Math.abs(planned);
    }
  }
  const gap = expected - (a - b) / span;
  const tol = 1e-9 * (1 + magnitude / (span < 0 ? -span : span));
  if (!Number.isFinite(gap) || !Number.isFinite(tol)) return NEEDS_EXACT;
  quickGap = gap * 100;
  if (gap < -tol) return CODE.green;
  if (gap > tol && gap < threshold - tol) return CODE.yellow;
  if (gap > threshold + tol) return CODE.red;
  quickGap = null;
  return NEEDS_EXACT;
}

/**
 * The light of an indicator decided in floating point, or null when the exact rule must decide. It
 * mirrors statusLight's rules 2 and 4 and only answers when every comparison clears its boundary by a
 * margin far above the rounding error of the doubles involved (1e-9 relative to the sum of the magnitudes, against
 * errors of about 1e-15), so it never disagrees with the exact rule; targets equal to or against the
 * baseline, rank-sourced indicators and near-ties go to statusLight. statusLight costs tens of
 * microseconds (exact rationals): fine for a page of rows, seconds for 200,000.
 * test/integration/dashboard.test.ts checks the agreement on random inputs.
 */
export function quickLight(
  ind: { direction: string; baseline: number; target: number; plan: Plan; lightSource: string },
  actual: { value: number; status: string } | null,
  facts: PeriodFacts,
  yellowWithinPoints: number,
): { light: Light; gapPoints: number | null } | null {
  const code = quickLightCode(
    ind.direction,
    ind.baseline,
    ind.target,
    ind.plan,
    ind.lightSource,
    actual?.value ?? null,
    actual?.status ?? null,
    facts,
    yellowWithinPoints / 100,
  );
  return code === NEEDS_EXACT ? null : { light: LIGHTS[code]!, gapPoints: quickGap };
}

/** The ranking a rank-sourced light reads: the latest at or before the period, any scope. */
function rankAt(rows: readonly RankingRow[] | undefined, key: string): RankingRow | null {
  const limit = periodOrder(key);
  let best: RankingRow | null = null;
  for (const r of rows ?? []) {
    const o = periodOrder(r.period_key);
    if (o > limit) continue;
    if (best === null || o > periodOrder(best.period_key)) best = r;
  }
  return best;
}

function exactLight(
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
    completion:
      result.completion === null ? null : Math.min(Math.max(result.completion, 0), completionDisplayMax),
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
async function statusViews(
  ctx: Ctx,
  inds: FullIndicator[],
  periods: ViewPeriods,
  rules: RulesBundle,
  programOf: Map<string, string>,
  rankings: RankingRow[],
): Promise<{
  views: IndicatorStatusView[];
  results: Map<string, { result: LightResult; stars: number | null }>;
}> {
  const now = ctx.now.toISOString();
  const actuals = new Map<string, Pick<ActualsTable, 'indicator_id' | 'value' | 'status'>>();
  const keys = [...periods.byKind.values()].map((p) => p.row.key);
  const ids = inds.map((i) => i.id);
  for (let i = 0; i < ids.length; i += 500) {
    for (const a of await ctx.db
      .selectFrom('actuals')
      .select(['indicator_id', 'period_key', 'value', 'status'])
      .where('indicator_id', 'in', ids.slice(i, i + 500))
      .where('period_key', 'in', keys)
      .execute())
      actuals.set(`${a.indicator_id}|${a.period_key}`, a);
  }
  const byIndicator = new Map<string, RankingRow[]>();
  for (const r of rankings) {
    if (!r.indicator_id) continue;
    const list = byIndicator.get(r.indicator_id) ?? [];
    list.push(r);
    byIndicator.set(r.indicator_id, list);
  }
  const presented = new Map(presentRankings(rankings).map((v) => [v.id, v]));
  const views: IndicatorStatusView[] = [];
  const results = new Map<string, { result: LightResult; stars: number | null }>();
  for (const ind of inds) {
    const p = periods.byKind.get(kindOfFrequency(ind.frequency));
    if (!p) continue;
    const actual = actuals.get(`${ind.id}|${p.row.key}`) ?? null;
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

// ---------- overview ----------
//
// Reading every indicator of the year with its actual (200,000 rows in the benchmark) costs seconds on
// SQLite, most of it building the rows in JavaScript. So the overview keeps, per database and view, a
// snapshot of those rows (definitions and the period's value and status, never a light) and computes the
// lights from it on every request, with the current rules, framework, deadlines and clock. The snapshot
// stays current by itself in this process: actual saves and reviews patch it (noteActualsChanged in
// indicators.ts), indicator writes outdate it (indicatorDataChanged). A cheap stamp (row counts, checked on every request)
// catches rows other writers insert or delete, and a snapshot older than SNAPSHOT_TTL_MS is rebuilt in
// the background (the old one served meanwhile), so a value changed by another process shows soon after.

interface Entry {
  id: string;
  /** Index into Snapshot.unitIds / nodeIds: the hot loop counts cells without building strings. */
  unit: number;
  node: number;
  direction: string;
  baseline: number;
  target: number;
  plan: Plan;
  lightSource: string;
  sort: number;
  value: number | null;
  status: string | null;
}

interface Snapshot {
  stamp: string;
  builtAt: number;
  generation: number;
  unitIds: string[];
  nodeIds: string[];
  /** Per period kind of the view: the period key read and its entries. */
  parts: { kind: PeriodDef['kind']; periodKey: string; entries: Entry[] }[];
  /** `${indicatorId}|${periodKey}` → entry, for patching. */
  byKey: Map<string, Entry>;
}

const SNAPSHOT_TTL_MS = 30_000;
/** Views (periods) cached per database handle, by the snapshot and by the ranking changes below. */
const VIEWS_PER_DATABASE = 4;

/** The cached views of one database handle (created empty on first use). */
function viewsOf<V>(
  cache: WeakMap<object, Map<string, V>>,
  db: object,
  onCreate?: (views: Map<string, V>) => void,
): Map<string, V> {
  let views = cache.get(db);
  if (!views) {
    views = new Map();
    cache.set(db, views);
    onCreate?.(views);
  }
  return views;
}

/** Stores a view as the most recent one, dropping the least recent beyond VIEWS_PER_DATABASE. */
function keepView<V>(views: Map<string, V>, key: string, view: V): V {
  views.delete(key);
  views.set(key, view);
  while (views.size > VIEWS_PER_DATABASE) views.delete(views.keys().next().value!);
  return view;
}

const snapshots = new WeakMap<object, Map<string, Snapshot>>();
/** Every snapshot cached, for patching without knowing its database (ids are unique across them). */
const allSnapshots = new Set<Map<string, Snapshot>>();

onActualsChanged((rows) => {
  for (const m of allSnapshots) {
    for (const snap of m.values()) {
      for (const r of rows) {
        const e = snap.byKey.get(`${r.indicator_id}|${r.period_key}`);
        if (e) {
          e.value = r.value;
          e.status = r.status;
        }
      }
    }
  }
});

async function snapshotStamp(ctx: Ctx, periods: ViewPeriods): Promise<string> {
  const keys = [...periods.byKind.values()].map((p) => p.row.key);
  const [ind, act] = await Promise.all([
    ctx.db
      .selectFrom('indicators')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('year', '=', periods.year)
      .executeTakeFirst(),
    ctx.db
      .selectFrom('actuals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('period_key', 'in', keys)
      .executeTakeFirst(),
  ]);
  return `${keys.join(',')}|${Number(ind?.n ?? 0)}|${Number(act?.n ?? 0)}`;
}

async function buildSnapshot(ctx: Ctx, periods: ViewPeriods, stamp: string): Promise<Snapshot> {
  const snap: Snapshot = {
    stamp,
    builtAt: Date.now(),
    generation: indicatorDataGeneration(),
    unitIds: [],
    nodeIds: [],
    parts: [],
    byKey: new Map(),
  };
  const unitIdx = new Map<string, number>();
  const nodeIdx = new Map<string, number>();
  const indexOf = (m: Map<string, number>, list: string[], id: string): number => {
    let i = m.get(id);
    if (i === undefined) {
      i = list.length;
      list.push(id);
      m.set(id, i);
    }
    return i;
  };
  for (const [kind, p] of periods.byKind) {
    // Two narrow queries, joined here: the period's actuals come by their period index.
    const [inds, acts] = await Promise.all([
      ctx.db
        .selectFrom('indicators')
        .select([
          'id',
          'unit_id',
          'node_id',
          'direction',
          'baseline',
          'target',
          'plan',
          'light_source',
          'sort',
        ])
        .where('year', '=', periods.year)
        .where('frequency', '=', kind === 'month' ? 'monthly' : 'quarterly')
        .execute(),
      ctx.db
        .selectFrom('actuals')
        .select(['indicator_id', 'value', 'status'])
        .where('period_key', '=', p.row.key)
        .execute(),
    ]);
    const actualOf = new Map<string, { value: number; status: string }>();
    for (const a of acts) actualOf.set(a.indicator_id, a);
    const entries: Entry[] = [];
    for (const i of inds) {
      const a = actualOf.get(i.id);
      const e: Entry = {
        id: i.id,
        unit: indexOf(unitIdx, snap.unitIds, i.unit_id),
        node: indexOf(nodeIdx, snap.nodeIds, i.node_id),
        direction: i.direction,
        baseline: i.baseline,
        target: i.target,
        plan: planOf(i.plan),
        lightSource: i.light_source,
        sort: i.sort,
        value: a ? a.value : null,
        status: a ? a.status : null,
      };
      entries.push(e);
      snap.byKey.set(`${i.id}|${p.row.key}`, e);
    }
    snap.parts.push({ kind, periodKey: p.row.key, entries });
  }
  return snap;
}

async function overviewSnapshot(ctx: Ctx, periods: ViewPeriods): Promise<Snapshot> {
  const perDb = viewsOf(snapshots, ctx.db, (views) => allSnapshots.add(views));
  const stamp = await snapshotStamp(ctx, periods);
  const cached = perDb.get(periods.key);
  const store = (snap: Snapshot): Snapshot => keepView(perDb, periods.key, snap);
  if (cached && cached.stamp === stamp && cached.generation === indicatorDataGeneration()) {
    // Old but not contradicted by the stamp: served while a fresh one is built in the background.
    if (Date.now() - cached.builtAt >= SNAPSHOT_TTL_MS && !refreshing.has(cached)) {
      refreshing.add(cached);
      buildSnapshot(ctx, periods, stamp)
        .then((fresh) => {
          if (perDb.get(periods.key) === cached) store(fresh);
        })
        .catch(() => {})
        .finally(() => refreshing.delete(cached));
    }
    return cached;
  }
  return store(await buildSnapshot(ctx, periods, stamp));
}

const refreshing = new WeakSet<Snapshot>();

export async function overview(ctx: Ctx, input: { period: string }): Promise<OverviewView> {
  readerOf(ctx);
  const periods = await viewPeriods(ctx, input.period);
  const [rules, tree, units, snap] = await Promise.all([
    currentRules(ctx),
    loadFramework(ctx),
    ctx.db.selectFrom('units').select(['id', 'name', 'sort', 'code']).execute(),
    overviewSnapshot(ctx, periods),
  ]);
  const now = ctx.now.toISOString();
  const unitById = new Map(units.map((u) => [u.id, u]));

  // Rank-sourced lights need the indicator's latest ranking: fetched for those indicators only.
  const rankSourced = snap.parts.flatMap((p) =>
    p.entries.filter((e) => e.lightSource === 'rank').map((e) => e.id),
  );
  const rankRows = rankSourced.length > 0 ? await rankingsOfSubjects(ctx, { indicatorIds: rankSourced }) : [];
  const rankByIndicator = new Map<string, RankingRow[]>();
  for (const r of rankRows) {
    const list = rankByIndicator.get(r.indicator_id!) ?? [];
    list.push(r);
    rankByIndicator.set(r.indicator_id!, list);
  }

  // Cells by index: unit × program × light, counted in one typed array.
  const programIds: string[] = [];
  const programIdx = new Map<string, number>();
  const programOfNode = snap.nodeIds.map((nodeId) => {
    const programId = tree.programOf.get(nodeId) ?? nodeId;
    let i = programIdx.get(programId);
    if (i === undefined) {
      i = programIds.length;
      programIds.push(programId);
      programIdx.set(programId, i);
    }
    return i;
  });
  const nPrograms = Math.max(programIds.length, 1);
  const cellCounts = new Int32Array(snap.unitIds.length * nPrograms * LIGHTS.length);
  const unitSort = snap.unitIds.map((id) => unitById.get(id)?.sort ?? 0);

  type Candidate = { id: string; light: Light; gap: number | null; unitSort: number; sort: number };
  const byLaggard = (a: Candidate, b: Candidate): number =>
    laggardOrder[a.light]! - laggardOrder[b.light]! ||
    (b.gap ?? Number.NEGATIVE_INFINITY) - (a.gap ?? Number.NEGATIVE_INFINITY) ||
    a.unitSort - b.unitSort ||
    a.sort - b.sort ||
    a.id.localeCompare(b.id);
  const top: Candidate[] = [];
  const offer = (c: Candidate): void => {
    if (top.length === LAGGARDS && byLaggard(c, top[LAGGARDS - 1]!) >= 0) return;
    let i = top.length;
    while (i > 0 && byLaggard(c, top[i - 1]!) < 0) i--;
    top.splice(i, 0, c);
    if (top.length > LAGGARDS) top.pop();
  };

  const threshold = rules.light.yellowWithinPoints / 100;
  for (const part of snap.parts) {
    const p = periods.byKind.get(part.kind)!;
    const facts = periodFacts(p.def, rules, now);
    for (const e of part.entries) {
      let code = quickLightCode(
        e.direction,
        e.baseline,
        e.target,
        e.plan,
        e.lightSource,
        e.value,
        e.status,
        facts,
        threshold,
      );
      let gap = quickGap;
      if (code === NEEDS_EXACT) {
        const def: IndicatorDef = {
          id: e.id,
          direction: e.direction as IndicatorDef['direction'],
          kind: 'cumulative',
          baseline: e.baseline,
          target: e.target,
          plan: e.plan,
          weight: 1,
          lightSource: e.lightSource as 'completion' | 'rank',
        };
        const actual = e.value === null || e.status === null ? null : { value: e.value, status: e.status };
        const r = exactLight(
          def,
          facts.def,
          actual,
          rankAt(rankByIndicator.get(e.id), facts.def.key),
          rules,
          now,
        );
        code = CODE[r.light];
        gap = r.gapPoints;
      }
      const cell = (e.unit * nPrograms + programOfNode[e.node]!) * LIGHTS.length + code;
      cellCounts[cell] = cellCounts[cell]! + 1;
      const light = LIGHTS[code]!;
      const order = laggardOrder[light];
      if (order === undefined) continue;
      // Cheap pre-check before allocating a candidate: most rows cannot enter a full top 10.
      const last = top.length === LAGGARDS ? top[LAGGARDS - 1]! : null;
      if (
        last &&
        (order > laggardOrder[last.light]! ||
          (order === laggardOrder[last.light] &&
            (gap ?? Number.NEGATIVE_INFINITY) < (last.gap ?? Number.NEGATIVE_INFINITY)))
      )
        continue;
      offer({ id: e.id, light, gap, unitSort: unitSort[e.unit]!, sort: e.sort });
    }
  }

  const counts = zeroCounts();
  const cells: { unitId: string; programId: string; counts: Record<Light, number> }[] = [];
  for (let u = 0; u < snap.unitIds.length; u++) {
    for (let g = 0; g < programIds.length; g++) {
      const base = (u * nPrograms + g) * LIGHTS.length;
      let any = 0;
      const c = zeroCounts();
      LIGHTS.forEach((l, k) => {
        c[l] = cellCounts[base + k]!;
        counts[l] += c[l];
        any += c[l];
      });
      if (any > 0) cells.push({ unitId: snap.unitIds[u]!, programId: programIds[g]!, counts: c });
    }
  }
  const laggards = await laggardViews(ctx, top, periods, rules, tree.programOf, byLaggard);

  const heatmap = cells
    .map((c) => {
      const worst =
        LIGHTS.filter((l) => c.counts[l] > 0).sort((x, y) => lightSeverity[y] - lightSeverity[x])[0] ??
        'grey';
      return {
        unitId: c.unitId,
        unitName: unitById.get(c.unitId)?.name ?? '',
        programId: c.programId,
        programName: tree.nodes.get(c.programId)?.name ?? '',
        worst,
        counts: c.counts,
      };
    })
    .sort(
      (x, y) =>
        (unitById.get(x.unitId)?.sort ?? 0) - (unitById.get(y.unitId)?.sort ?? 0) ||
        x.unitName.localeCompare(y.unitName) ||
        (tree.nodes.get(x.programId)?.sort ?? 0) - (tree.nodes.get(y.programId)?.sort ?? 0) ||
        x.programName.localeCompare(y.programName),
    );

  return {
    periodKey: periods.key,
    counts,
    heatmap,
    laggards,
    rankingChanges: await rankingChangesOf(ctx, periods, unitById),
  };
}

async function laggardViews(
  ctx: Ctx,
  picked: { id: string; light: Light; gap: number | null; unitSort: number; sort: number }[],
  periods: ViewPeriods,
  rules: RulesBundle,
  programOf: Map<string, string>,
  order: (a: (typeof picked)[number], b: (typeof picked)[number]) => number,
): Promise<IndicatorStatusView[]> {
  if (picked.length === 0) return [];
  const inds = await fullIndicators(ctx, (q) =>
    q.where(
      'i.id',
      'in',
      picked.map((p) => p.id),
    ),
  );
  const rankings = await rankingsOfSubjects(ctx, { indicatorIds: inds.map((i) => i.id) });
  const { views } = await statusViews(ctx, inds, periods, rules, programOf, rankings);
  const meta = new Map(picked.map((p) => [p.id, p]));
  // Re-sorted on the exact gaps the rows show.
  return views.sort((a, b) =>
    order(
      { ...meta.get(a.indicatorId)!, light: a.light, gap: a.gapPoints },
      { ...meta.get(b.indicatorId)!, light: b.light, gap: b.gapPoints },
    ),
  );
}

type IndicatorQuery = ReturnType<typeof indicatorQuery>;
const indicatorQuery = (ctx: Ctx) =>
  ctx.db
    .selectFrom('indicators as i')
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .selectAll('i')
    .select('u.name as unit_name');

async function fullIndicators(
  ctx: Ctx,
  where: (q: IndicatorQuery) => IndicatorQuery,
): Promise<FullIndicator[]> {
  return where(indicatorQuery(ctx)).orderBy('i.sort').orderBy('i.code').execute();
}

// The period's largest ranking changes need every earlier ranking of the same subjects (28,800 rows
// in the benchmark, a third of the overview's time), so they are cached per database and view like the
// snapshot above: outdated by ranking writes of this process (a generation; imports count too), by rows
// other processes add or delete (a count of the table), and after RANKING_CHANGES_TTL_MS anyway. Names
// are not cached: they are read for the 50 rows on every request.
const RANKING_CHANGES_TTL_MS = 30_000;
const rankingChangeCache = new WeakMap<
  object,
  Map<string, { stamp: string; builtAt: number; views: RankingView[] }>
>();

async function rankingChangesOf(
  ctx: Ctx,
  periods: ViewPeriods,
  unitById: Map<string, { name: string }>,
): Promise<OverviewView['rankingChanges']> {
  const total = await ctx.db
    .selectFrom('rankings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  const stamp = `${Number(total?.n ?? 0)}|${rankingDataGeneration()}`;
  const perDb = viewsOf(rankingChangeCache, ctx.db);
  let cached = perDb.get(periods.key);
  if (!cached || cached.stamp !== stamp || Date.now() - cached.builtAt >= RANKING_CHANGES_TTL_MS) {
    cached = keepView(perDb, periods.key, {
      stamp,
      builtAt: Date.now(),
      views: await largestRankingChanges(ctx, periods),
    });
  }
  const views = cached.views;
  if (views.length === 0) return [];
  const indicatorIds = views.flatMap((v) => (v.indicatorId ? [v.indicatorId] : []));
  const names = new Map<string, { name: string; unitId: string }>();
  for (let i = 0; i < indicatorIds.length; i += 500) {
    for (const r of await ctx.db
      .selectFrom('indicators')
      .select(['id', 'name', 'unit_id'])
      .where('id', 'in', indicatorIds.slice(i, i + 500))
      .execute())
      names.set(r.id, { name: r.name, unitId: r.unit_id });
  }
  return views.map((v) => {
    const ind = v.indicatorId ? names.get(v.indicatorId) : undefined;
    const unitId = v.unitId ?? ind?.unitId ?? null;
    return {
      ...v,
      indicatorName: ind?.name ?? null,
      unitName: unitId ? (unitById.get(unitId)?.name ?? null) : null,
    };
  });
}

/** The period's rankings with their change, the largest moves first (then new entries), at most 50. */
async function largestRankingChanges(ctx: Ctx, periods: ViewPeriods): Promise<RankingView[]> {
  const keys = [...periods.byKind.values()].map((p) => p.row.key);
  const rows = await ctx.db.selectFrom('rankings').selectAll().where('period_key', 'in', keys).execute();
  if (rows.length === 0) return [];
  const pool = await rankingsOfSubjects(ctx, {
    indicatorIds: rows.flatMap((r) => (r.indicator_id ? [r.indicator_id] : [])),
    unitIds: rows.flatMap((r) => (r.indicator_id || !r.unit_id ? [] : [r.unit_id])),
  });
  return presentRankings(rows, pool)
    .sort(
      (a, b) =>
        Math.abs(b.change.delta ?? -1) - Math.abs(a.change.delta ?? -1) ||
        (b.change.delta ?? 0) - (a.change.delta ?? 0) ||
        a.scope.localeCompare(b.scope),
    )
    .slice(0, RANKING_CHANGES);
}

// ---------- the organizer's review queue ----------

/**
 * Every value of the period waiting for the organizer (submitted), across units, each with its light:
 * one request for the review tab instead of one per unit.
 */
export async function reviewQueue(ctx: Ctx, input: { period: string }): Promise<ReviewQueueView> {
  requireOrganizer(ctx.actor);
  const periods = await viewPeriods(ctx, input.period);
  const rows = await ctx.db
    .selectFrom('actuals')
    .selectAll()
    .where('period_key', '=', periods.key)
    .where('status', '=', 'submitted')
    .execute();
  if (rows.length === 0) return { periodKey: periods.key, items: [] };
  const ids = [...new Set(rows.map((r) => r.indicator_id))];
  const inds: Awaited<ReturnType<typeof fullIndicators>> = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    inds.push(...(await fullIndicators(ctx, (q) => q.where('i.id', 'in', chunk))));
  }
  const [rules, tree, rankings, actuals] = await Promise.all([
    currentRules(ctx),
    loadFramework(ctx),
    rankingsOfSubjects(ctx, { indicatorIds: ids }),
    actualViewsOf(ctx, rows),
  ]);
  const { views } = await statusViews(ctx, inds, periods, rules, tree.programOf, rankings);
  const actualOf = new Map(actuals.map((a) => [a.indicatorId, a]));
  const unitSort = new Map(
    (await ctx.db.selectFrom('units').select(['id', 'sort']).execute()).map((u) => [u.id, u.sort]),
  );
  return {
    periodKey: periods.key,
    items: views
      .flatMap((status) => {
        const actual = actualOf.get(status.indicatorId);
        return actual ? [{ status, actual }] : [];
      })
      .sort(
        (a, b) =>
          (unitSort.get(a.status.unitId) ?? 0) - (unitSort.get(b.status.unitId) ?? 0) ||
          a.status.unitName.localeCompare(b.status.unitName) ||
          a.status.code.localeCompare(b.status.code),
      ),
  };
}

// ---------- a unit's page ----------

export async function unitPage(
  ctx: Ctx,
  unitId: string,
  input: { period: string },
): Promise<UnitIndicatorsView> {
  const user = readerOf(ctx);
  if (!canReadUnitData(user, unitId)) throw new AppError('forbidden');
  const unit = await ctx.db
    .selectFrom('units')
    .select(['id', 'name'])
    .where('id', '=', unitId)
    .executeTakeFirst();
  if (!unit) throw new AppError('not_found', { what: 'unit' });
  const periods = await viewPeriods(ctx, input.period);
  const [rules, tree, inds] = await Promise.all([
    currentRules(ctx),
    loadFramework(ctx),
    fullIndicators(ctx, (q) => q.where('i.unit_id', '=', unitId).where('i.year', '=', periods.year)),
  ]);
  const rankings = await rankingsOfSubjects(ctx, { indicatorIds: inds.map((i) => i.id), unitIds: [unitId] });
  const { views, results } = await statusViews(ctx, inds, periods, rules, tree.programOf, rankings);
  const weightOf = new Map(inds.map((i) => [i.id, i.weight]));
  const assessment = assessmentScore(
    views.map((v) => {
      const r = results.get(v.indicatorId)!;
      return {
        indicatorId: v.indicatorId,
        weight: weightOf.get(v.indicatorId) ?? 0,
        // With star grades on, an indicator scores its stars (五星 = 100); without, its completion.
        score: rules.stars
          ? indicatorScore({ stars: r.stars as 1 | 2 | 3 | 4 | 5 | null })
          : indicatorScore({ completion: r.result.completion }),
      };
    }),
  );
  return {
    unitId: unit.id,
    unitName: unit.name,
    periodKey: periods.key,
    items: views,
    assessment,
    rankings: presentRankings(rankings),
  };
}

// ---------- an indicator's page ----------

export async function indicatorPage(ctx: Ctx, indicatorId: string): Promise<IndicatorHistoryView> {
  readerOf(ctx);
  const { row, unitName, coUnitIds } = await indicatorForRead(ctx, indicatorId);
  const kind = kindOfFrequency(row.frequency);
  const [periodRows, actuals, rules, rankings, revisions] = await Promise.all([
    ctx.db
      .selectFrom('periods')
      .selectAll()
      .where('year', '=', row.year)
      .where('kind', '=', kind)
      .orderBy('idx')
      .execute(),
    ctx.db.selectFrom('actuals').selectAll().where('indicator_id', '=', indicatorId).execute(),
    currentRules(ctx),
    rankingsOfSubjects(ctx, { indicatorIds: [indicatorId] }),
    ctx.db
      .selectFrom('actual_revisions as r')
      .innerJoin('actuals as a', 'a.id', 'r.actual_id')
      .select([
        'a.period_key',
        'r.version',
        'r.value',
        'r.note',
        'r.status',
        'r.reason',
        'r.actor_name',
        'r.created_at',
      ])
      .where('a.indicator_id', '=', indicatorId)
      .orderBy('a.period_key')
      .orderBy('r.version')
      .execute(),
  ]);
  const now = ctx.now.toISOString();
  const def = indicatorDefOf(row);
  const actualOf = new Map(actuals.map((a) => [a.period_key, a]));
  const points = periodRows.map((p) => {
    const period = periodDefOf(p);
    const actual = actualOf.get(p.key) ?? null;
    const result = exactLight(def, period, actual, rankAt(rankings, p.key), rules, now);
    return {
      periodKey: p.key,
      label: periodLabel(p.key, ctx.locale),
      expected: result.expected,
      expectedValue: expectedValue(def, period),
      actual: actual?.value ?? null,
      completion:
        result.completion === null ? null : Math.min(Math.max(result.completion, 0), completionDisplayMax),
      light: result.light,
      explanation: explainLight(result, ctx.locale),
    };
  });
  return {
    indicator: presentIndicator(row, unitName, coUnitIds),
    points,
    rankings: presentRankings(rankings),
    revisions: revisions.map((r) => ({
      periodKey: r.period_key,
      version: r.version,
      value: r.value,
      note: r.note,
      status: r.status as ActualStatus,
      reason: r.reason,
      actorName: r.actor_name,
      createdAt: r.created_at,
    })),
  };
}
