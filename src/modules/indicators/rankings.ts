// External rankings (全省 / 金华 / a named scope) of an indicator or of a unit, per period, shown with the
// change from the previous ranking of the same subject and scope: 89 → 32 is up 57.
import { requireOrganizer, requireUser } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import type { RankingsTable } from '../../platform/db/schema.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { newId } from '../../platform/ids.ts';
import { readsUnitData } from './domain/access.ts';
import { rankingChange } from './domain/indicators.ts';
import { periodFromKey } from './domain/periods.ts';
import { answeredForBy, indicatorForRead } from './indicators.ts';
import type { RankingView } from './schemas.ts';

export type RankingRow = RankingsTable;

let rankingGeneration = 0;
/** Rankings changed (committed) in this process: views cached from them are outdated. */
export function rankingDataChanged(): void {
  rankingGeneration++;
}
export const rankingDataGeneration = (): number => rankingGeneration;

/** A validation error whose detail is a sentence in the caller's language. */
const invalid = (ctx: Pick<Ctx, 'locale'>, key: string, params: Record<string, unknown> = {}): AppError =>
  new AppError('validation_failed', { detail: translator(ctx.locale)(`indicators:invalid.${key}`, params) });

/** Orders periods of either kind on one calendar: by the day they end (2023-M06 and 2023-Q2 tie). */
export function periodOrder(key: string): string {
  // Called per ranking, and inside sort comparators: the few distinct keys are parsed once.
  let order = periodOrders.get(key);
  if (order === undefined) {
    order = `${periodFromKey(key)?.endDate ?? key}|${key}`;
    if (periodOrders.size >= 10_000) periodOrders.clear();
    periodOrders.set(key, order);
  }
  return order;
}
const periodOrders = new Map<string, string>();

const subjectOf = (r: Pick<RankingRow, 'indicator_id' | 'unit_id' | 'scope'>): string =>
  `${r.indicator_id ? `i:${r.indicator_id}` : `u:${r.unit_id ?? ''}`}|${r.scope}`;

/**
 * The rows presented with their change. `pool` holds the candidates for "previous" (any rows of the same
 * subjects; the rows themselves may be in it): the latest earlier period of the same subject and scope.
 */
export function presentRankings(
  rows: readonly RankingRow[],
  pool: readonly RankingRow[] = rows,
): RankingView[] {
  const bySubject = new Map<string, { order: string; rank: number }[]>();
  for (const r of pool) {
    const list = bySubject.get(subjectOf(r)) ?? [];
    list.push({ order: periodOrder(r.period_key), rank: r.rank });
    bySubject.set(subjectOf(r), list);
  }
  return rows.map((r) => {
    const order = periodOrder(r.period_key);
    let prev: { order: string; rank: number } | null = null;
    for (const c of bySubject.get(subjectOf(r)) ?? []) {
      if (c.order < order && (prev === null || c.order > prev.order)) prev = c;
    }
    const change = rankingChange(prev ? { rank: prev.rank } : null, { rank: r.rank });
    return {
      id: r.id,
      indicatorId: r.indicator_id,
      unitId: r.unit_id,
      scope: r.scope,
      periodKey: r.period_key,
      rank: r.rank,
      outOf: r.out_of,
      source: r.source,
      publishedOn: r.published_on,
      change: { previousRank: prev?.rank ?? null, delta: change.delta, direction: change.direction },
    };
  });
}

/** Sorted oldest period first, then scope: the order trend lines read. */
const byPeriod = (a: RankingRow, b: RankingRow): number =>
  periodOrder(a.period_key).localeCompare(periodOrder(b.period_key)) || a.scope.localeCompare(b.scope);

/**
 * Every ranking of the given indicators and units, in IN-list chunks (no authorization: for services
 * that already authorized).
 */
export async function rankingsOfSubjects(
  ctx: Pick<Ctx, 'db'>,
  subjects: { indicatorIds?: readonly string[]; unitIds?: readonly string[] },
): Promise<RankingRow[]> {
  const out: RankingRow[] = [];
  const ind = [...new Set(subjects.indicatorIds ?? [])];
  const units = [...new Set(subjects.unitIds ?? [])];
  for (let i = 0; i < ind.length; i += 500) {
    out.push(
      ...(await ctx.db
        .selectFrom('rankings')
        .selectAll()
        .where('indicator_id', 'in', ind.slice(i, i + 500))
        .execute()),
    );
  }
  for (let i = 0; i < units.length; i += 500) {
    out.push(
      ...(await ctx.db
        .selectFrom('rankings')
        .selectAll()
        .where('indicator_id', 'is', null)
        .where('unit_id', 'in', units.slice(i, i + 500))
        .execute()),
    );
  }
  return out.sort(byPeriod);
}

export async function listRankings(
  ctx: Ctx,
  filter: { indicatorId?: string | undefined; unitId?: string | undefined },
): Promise<RankingView[]> {
  const user = requireUser(ctx.actor);
  if (filter.indicatorId) {
    await indicatorForRead(ctx, filter.indicatorId);
    const rows = await rankingsOfSubjects(ctx, { indicatorIds: [filter.indicatorId] });
    return presentRankings(rows);
  }
  const unitId = filter.unitId ?? (user.role === 'reporter' ? user.unitId : null);
  if (unitId) {
    if (!readsUnitData(user, unitId)) throw new AppError('forbidden');
    // The unit's own rankings and those of the indicators it answers for (or co-owns).
    const indicatorIds = (
      await ctx.db.selectFrom('indicators as i').select('i.id').where(answeredForBy(unitId)).execute()
    ).map((r) => r.id);
    const rows = await rankingsOfSubjects(ctx, { indicatorIds, unitIds: [unitId] });
    return presentRankings(rows);
  }
  const rows = await ctx.db.selectFrom('rankings').selectAll().execute();
  return presentRankings(rows.sort(byPeriod));
}

export async function createRanking(
  ctx: Ctx,
  input: {
    indicatorId: string | null;
    unitId: string | null;
    scope: string;
    periodKey: string;
    rank: number;
    outOf: number;
    source: string;
    publishedOn: string | null;
  },
): Promise<RankingView> {
  requireOrganizer(ctx.actor);
  if ((input.indicatorId === null) === (input.unitId === null)) throw invalid(ctx, 'rankingSubject');
  if (input.rank > input.outOf) throw invalid(ctx, 'rankOutOf', { rank: input.rank, outOf: input.outOf });
  let target: string;
  if (input.indicatorId) {
    const ind = await ctx.db
      .selectFrom('indicators')
      .select(['code', 'name'])
      .where('id', '=', input.indicatorId)
      .executeTakeFirst();
    if (!ind) throw new AppError('not_found', { what: 'indicator' });
    target = `${ind.code} ${ind.name}`;
  } else {
    const unit = await ctx.db
      .selectFrom('units')
      .select('name')
      .where('id', '=', input.unitId!)
      .executeTakeFirst();
    if (!unit) throw new AppError('not_found', { what: 'unit' });
    target = unit.name;
  }
  const subjectRows = await rankingsOfSubjects(
    ctx,
    input.indicatorId ? { indicatorIds: [input.indicatorId] } : { unitIds: [input.unitId!] },
  );
  if (subjectRows.some((r) => r.scope === input.scope && r.period_key === input.periodKey))
    throw new AppError('conflict', { detail: `${input.scope} ${input.periodKey}` });
  const row: RankingRow = {
    id: newId(),
    indicator_id: input.indicatorId,
    unit_id: input.indicatorId ? null : input.unitId,
    scope: input.scope,
    period_key: input.periodKey,
    rank: input.rank,
    out_of: input.outOf,
    source: input.source,
    published_on: input.publishedOn,
    created_at: nowIso(ctx),
  };
  await ctx.db.insertInto('rankings').values(row).execute();
  rankingDataChanged();
  const [view] = presentRankings([row], [...subjectRows, row]);
  await audit(ctx, {
    action: 'ranking.created',
    target: `${target} ${row.scope} ${row.period_key}`,
    after: view,
  });
  return view!;
}

export async function deleteRanking(ctx: Ctx, id: string): Promise<void> {
  requireOrganizer(ctx.actor);
  const r = await ctx.db.selectFrom('rankings').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new AppError('not_found', { what: 'ranking' });
  await ctx.db.deleteFrom('rankings').where('id', '=', id).execute();
  rankingDataChanged();
  await audit(ctx, { action: 'ranking.deleted', target: `${r.scope} ${r.period_key}`, before: r });
}
