// The overview's caches, per database handle and view: the snapshot of the year's indicator rows and
// the period's largest ranking changes.
//
// Reading every indicator of the year with its actual (200,000 rows in the benchmark) costs seconds on
// SQLite, most of it building the rows in JavaScript. So the overview keeps, per database and view, a
// snapshot of those rows (definitions and the period's value and status, never a light) and computes the
// lights from it on every request, with the current rules, framework, deadlines and clock. The snapshot
// stays current by itself in this process: actual saves and reviews patch it (noteActualsChanged in
// indicators.ts), indicator writes outdate it (indicatorDataChanged). A cheap stamp (row counts, checked
// on every request) catches rows other writers insert or delete, and a snapshot older than
// SNAPSHOT_TTL_MS is rebuilt in the background (the old one served meanwhile), so a value changed by
// another process shows soon after.
import type { Ctx } from '../../../platform/context.ts';
import type { Plan } from '../domain/completion.ts';
import type { PeriodDef } from '../domain/periods.ts';
import { indicatorDataGeneration, onActualsChanged } from '../indicators.ts';
import { rankingDataGeneration } from '../rankings.ts';
import type { RankingView } from '../schemas.ts';
import type { ViewPeriods } from './status.ts';

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
const refreshing = new WeakSet<Snapshot>();

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

/** The index of `id` in `list`, appended on first sight: ids counted in typed arrays by position. */
export function denseIndex(index: Map<string, number>, list: string[], id: string): number {
  let i = index.get(id);
  if (i === undefined) {
    i = list.length;
    list.push(id);
    index.set(id, i);
  }
  return i;
}

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
        unit: denseIndex(unitIdx, snap.unitIds, i.unit_id),
        node: denseIndex(nodeIdx, snap.nodeIds, i.node_id),
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

export async function overviewSnapshot(ctx: Ctx, periods: ViewPeriods): Promise<Snapshot> {
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

// The period's largest ranking changes need every earlier ranking of the same subjects (28,800 rows
// in the benchmark, a third of the overview's time), so they are cached per database and view like the
// snapshot: outdated by ranking writes of this process (a generation; imports count too), by rows
// other processes add or delete (a count of the table), and after RANKING_CHANGES_TTL_MS anyway. Names
// are not cached: they are read for the 50 rows on every request.
const RANKING_CHANGES_TTL_MS = 30_000;
const rankingChangeCache = new WeakMap<
  object,
  Map<string, { stamp: string; builtAt: number; views: RankingView[] }>
>();

/** The period's largest ranking changes from the cache, or from `build` when outdated. */
export async function cachedRankingChanges(
  ctx: Ctx,
  periods: ViewPeriods,
  build: () => Promise<RankingView[]>,
): Promise<RankingView[]> {
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
      views: await build(),
    });
  }
  return cached.views;
}
