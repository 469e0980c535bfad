// The 排名 sheet of an indicator workbook: ranking rows validated and upserted by (indicator code, unit
// code, scope, period).
import type { ImportRowError } from '../../../kernel/schemas.ts';
import type { Ctx } from '../../../platform/context.ts';
import { nowIso } from '../../../platform/context.ts';
import { newId } from '../../../platform/ids.ts';
import { parsePeriodKey } from '../domain/periods.ts';
import { indicatorBounds } from '../schemas.ts';
import { boundProblem, NS, namesOf, parseNumber, type SheetTable, type T, textOf } from './common.ts';
import { RANKING_COLUMNS } from './year-workbook.ts';

export const RANKING_IMPORT_COLUMNS = (): Record<string, string[]> =>
  Object.fromEntries(RANKING_COLUMNS.map((k) => [k, namesOf(k)]));

interface RankingFields {
  row: number;
  indicatorCode: string | null;
  unitCode: string | null;
  scope: string;
  periodKey: string;
  rank: number;
  outOf: number;
  source: string;
  publishedOn: string | null;
}

const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function parseRankingRows(
  table: SheetTable,
  t: T,
  locale: string,
  knownIndicatorCodes: Set<string>,
  unitByCode: Map<string, string>,
  errors: ImportRowError[],
  rejected: Set<string>,
): RankingFields[] {
  const sheet = table.ws.name;
  const out: RankingFields[] = [];
  const seen = new Map<string, number>();
  for (const r of table.rows) {
    const before = errors.length;
    // The sheet name goes into the column: the 指标 and 排名 sheets' row numbers would otherwise collide.
    const bad = (k: string, message: string) => {
      errors.push({ row: r.row, column: `${sheet} · ${t(`${NS}:columns.${k}`)}`, message });
      rejected.add(`${sheet}\u0000${r.row}`);
    };
    const text = (k: string) => textOf(r.cells[k] ?? null);
    const indicatorCode = text('code') || null;
    const unitCode = text('rankedUnitCode') || null;
    if (!indicatorCode && !unitCode) bad('code', t(`${NS}:rowErrors.rankOwner`));
    if (indicatorCode && !knownIndicatorCodes.has(indicatorCode))
      bad('code', t(`${NS}:rowErrors.unknownCode`, { code: indicatorCode }));
    if (unitCode && !unitByCode.has(unitCode))
      bad('rankedUnitCode', t(`${NS}:rowErrors.unknownUnit`, { code: unitCode }));
    const scope = text('scope');
    if (!scope) bad('scope', t(`${NS}:rowErrors.required`));
    else if (scope.length > 50) bad('scope', t(`${NS}:rowErrors.tooLong`, { max: 50 }));
    const periodKey = text('period');
    if (!parsePeriodKey(periodKey)) bad('period', t(`${NS}:rowErrors.badPeriodKey`));
    const int = (k: string): number | null => {
      const n = parseNumber(r.cells[k] ?? null);
      if (!n.ok) bad(k, t(`${NS}:rowErrors.notNumber`, { text: n.text }));
      else if (n.value === null) bad(k, t(`${NS}:rowErrors.required`));
      else if (!Number.isInteger(n.value) || n.value < 1) bad(k, t(`${NS}:rowErrors.badInteger`));
      else {
        // The bounds of rankingBody: a sheet cannot set what the form refuses.
        const problem = boundProblem(t, locale, n.value, indicatorBounds.rank);
        if (problem === null) return n.value;
        bad(k, problem);
      }
      return null;
    };
    const rank = int('rank');
    const outOf = int('outOf');
    if (rank !== null && outOf !== null && rank > outOf) bad('rank', t(`${NS}:rowErrors.rankTooLarge`));
    const source = text('source');
    if (source.length > 200) bad('source', t(`${NS}:rowErrors.tooLong`, { max: 200 }));
    const publishedOn = text('publishedOn') || null;
    if (publishedOn && !ISO_DATE_RE.test(publishedOn)) bad('publishedOn', t(`${NS}:rowErrors.badDate`));
    const key = [indicatorCode, unitCode, scope, periodKey].join('\u0000');
    const prev = seen.get(key);
    if (prev !== undefined) bad('scope', t(`${NS}:rowErrors.duplicateInFile`, { row: prev }));
    else seen.set(key, r.row);
    if (errors.length > before || rank === null || outOf === null) continue;
    out.push({ row: r.row, indicatorCode, unitCode, scope, periodKey, rank, outOf, source, publishedOn });
  }
  return out;
}

export async function upsertRanking(
  ctx: Ctx,
  r: RankingFields & { indicatorId: string | null; unitId: string | null },
): Promise<boolean> {
  let q = ctx.db
    .selectFrom('rankings')
    .selectAll()
    .where('scope', '=', r.scope)
    .where('period_key', '=', r.periodKey);
  q =
    r.indicatorId === null
      ? q.where('indicator_id', 'is', null)
      : q.where('indicator_id', '=', r.indicatorId);
  q = r.unitId === null ? q.where('unit_id', 'is', null) : q.where('unit_id', '=', r.unitId);
  const existing = await q.orderBy('created_at', 'desc').executeTakeFirst();
  const values = {
    rank: r.rank,
    out_of: r.outOf,
    source: r.source,
    published_on: r.publishedOn,
  };
  if (existing) {
    if (
      existing.rank === values.rank &&
      existing.out_of === values.out_of &&
      existing.source === values.source &&
      existing.published_on === values.published_on
    )
      return false;
    await ctx.db.updateTable('rankings').set(values).where('id', '=', existing.id).execute();
    return true;
  }
  await ctx.db
    .insertInto('rankings')
    .values({
      id: newId(),
      indicator_id: r.indicatorId,
      unit_id: r.unitId,
      scope: r.scope,
      period_key: r.periodKey,
      ...values,
      created_at: nowIso(ctx),
    })
    .execute();
  return true;
}
