// The city overview of a period: light counts, the heat map of units × programs with each cell's worst
// light, the laggards and the period's largest ranking changes.
//
// Performance: the overview reads one period's actuals for every indicator of the year (200 units ×
// 1,000 indicators in the benchmark) from a cached snapshot (cache.ts), and decides most lights in
// floating point (quick-light.ts), calling the exact domain rule only near a boundary and for the rows it
// shows.
import type { Ctx } from '../../../platform/context.ts';
import { chunks } from '../chunks.ts';
import type { IndicatorDef } from '../domain/completion.ts';
import { type Light, lightSeverity } from '../domain/lights.ts';
import { loadFramework } from '../framework.ts';
import { answeredForBy } from '../indicators.ts';
import { currentRules, type RulesBundle } from '../light-rules.ts';
import { presentRankings, rankingsOfSubjects } from '../rankings.ts';
import type { IndicatorStatusView, OverviewView, RankingView } from '../schemas.ts';
import { cachedRankingChanges, denseIndex, overviewSnapshot } from './cache.ts';
import { CODE, LIGHTS, NEEDS_EXACT, periodFacts, quickGap, quickLightCode } from './quick-light.ts';
import {
  exactLight,
  fullIndicators,
  rankAt,
  rankingsByIndicator,
  readerOf,
  statusViews,
  type ViewPeriods,
  viewPeriods,
} from './status.ts';

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
  const rankByIndicator = rankingsByIndicator(rankRows);

  // Cells by index: unit × program × light, counted in one typed array.
  const programIds: string[] = [];
  const programIdx = new Map<string, number>();
  const programOfNode = snap.nodeIds.map((nodeId) =>
    denseIndex(programIdx, programIds, tree.programOf.get(nodeId) ?? nodeId),
  );
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

async function rankingChangesOf(
  ctx: Ctx,
  periods: ViewPeriods,
  unitById: Map<string, { name: string }>,
): Promise<OverviewView['rankingChanges']> {
  const all = await cachedRankingChanges(ctx, periods, () => largestRankingChanges(ctx, periods));
  const views = await readableRankings(ctx, all);
  if (views.length === 0) return [];
  const indicatorIds = views.flatMap((v) => (v.indicatorId ? [v.indicatorId] : []));
  const names = new Map<string, { name: string; unitId: string }>();
  for (const part of chunks(indicatorIds)) {
    for (const r of await ctx.db
      .selectFrom('indicators')
      .select(['id', 'name', 'unit_id'])
      .where('id', 'in', part)
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

/**
 * The rankings the reader may list (GET /api/rankings gives a reporter the same): everything for the
 * organizer, leaders and observers; for a reporter, the unit's own and those of the indicators it answers
 * for (owns or co-owns).
 */
async function readableRankings(ctx: Ctx, views: RankingView[]): Promise<RankingView[]> {
  const user = readerOf(ctx);
  if (user.role !== 'reporter' || views.length === 0) return views;
  const own = user.unitId ?? '';
  const answered = new Set(
    (await ctx.db.selectFrom('indicators as i').select('i.id').where(answeredForBy(own)).execute()).map(
      (r) => r.id,
    ),
  );
  return views.filter((v) => (v.indicatorId ? answered.has(v.indicatorId) : v.unitId === own));
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
