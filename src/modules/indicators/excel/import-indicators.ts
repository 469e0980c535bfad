// The import of indicator definitions (the 指标 sheet of an export) and, alongside, of its 排名 sheet.
import { requireOrganizer } from '../../../kernel/actor.ts';
import { canonicalJson } from '../../../kernel/canonical-json.ts';
import { type ImportRowError, type NumberBounds, sortBounds } from '../../../kernel/schemas.ts';
import { audit } from '../../../platform/audit.ts';
import type { Ctx } from '../../../platform/context.ts';
import { nowIso } from '../../../platform/context.ts';
import type { IndicatorsTable } from '../../../platform/db/schema.ts';
import { translator } from '../../../platform/i18n/translator.ts';
import { newId } from '../../../platform/ids.ts';
import { chunks } from '../chunks.ts';
import { parsePeriodKey } from '../domain/periods.ts';
import { indicatorDataChanged } from '../indicators.ts';
import { kindOfFrequency } from '../periods.ts';
import { rankingDataChanged } from '../rankings.ts';
import { indicatorBounds } from '../schemas.ts';
import {
  boundProblem,
  fileProblem,
  findTable,
  type IndicatorImportResult,
  loadWorkbook,
  NS,
  namesOf,
  notNumberMessage,
  parseNumber,
  type SheetTable,
  type T,
  textOf,
} from './common.ts';
import { parseRankingRows, RANKING_IMPORT_COLUMNS, upsertRanking } from './import-rankings.ts';
import { CHOICES, type ChoiceField, choiceOf, INDICATOR_COLUMNS, parsePlanCell } from './year-workbook.ts';

/** An indicator row as a sheet row gives it (the id and stamps are the import's), with its co-units. */
type IndicatorFields = Omit<IndicatorsTable, 'id' | 'created_at' | 'updated_at'> & { coUnitIds: string[] };

/** The years an indicator may belong to, as indicatorBody has them. */
const YEAR_BOUNDS: NumberBounds = { min: 2000, max: 2100, integer: true };

const INDICATOR_IMPORT_COLUMNS = (): Record<string, string[]> =>
  Object.fromEntries(INDICATOR_COLUMNS.map((k) => [k, namesOf(k)]));

/**
 * Imports indicator definitions (the 指标 sheet of an export, or any sheet with its columns), upserted by
 * code, and, when the workbook has one, the 排名 sheet, upserted by (indicator code, unit code, scope,
 * period). Tasks and units are named by code and must exist. Every bad row is reported and skipped; the
 * good ones are applied in one transaction. Re-importing an export changes nothing.
 */
export async function importIndicatorWorkbook(ctx: Ctx, file: Buffer): Promise<IndicatorImportResult> {
  requireOrganizer(ctx.actor);
  const t = translator(ctx.locale);
  const col = (k: string) => t(`${NS}:columns.${k}`);
  const wb = await loadWorkbook(file);
  const indTable = findTable(wb, INDICATOR_IMPORT_COLUMNS(), ['code', 'unitCode', 'target']);
  const rankTable = findTable(wb, RANKING_IMPORT_COLUMNS(), ['scope', 'rank', 'outOf']);
  if (!indTable && !rankTable) {
    throw fileProblem(t(`${NS}:rowErrors.noDataSheet`, { code: col('code'), value: col('target') }));
  }
  const errors: ImportRowError[] = [];
  const rejected = new Set<string>();
  const result = { applied: 0, unchanged: 0 };

  const units = await ctx.db.selectFrom('units').select(['id', 'code']).execute();
  const unitByCode = new Map(units.map((u) => [u.code, u.id]));
  const nodes = await ctx.db.selectFrom('framework_nodes').select(['id', 'code', 'kind']).execute();
  const nodeByCode = new Map(nodes.map((n) => [n.code, n]));
  const existing = new Map(
    (await ctx.db.selectFrom('indicators').select(['id', 'code', 'year', 'frequency']).execute()).map((i) => [
      i.code,
      { ...i, hasActuals: false },
    ]),
  );
  // Only the indicators named in the file are looked up for actuals: the table can be millions of rows.
  const named = indTable
    ? indTable.rows.map((r) => existing.get(textOf(r.cells.code ?? null))).filter((x) => !!x)
    : [];
  for (const part of chunks(named.map((x) => x.id))) {
    const rows = await ctx.db
      .selectFrom('actuals')
      .select('indicator_id')
      .distinct()
      .where('indicator_id', 'in', part)
      .execute();
    const withActuals = new Set(rows.map((r) => r.indicator_id));
    for (const x of named) if (withActuals.has(x.id)) x.hasActuals = true;
  }

  const indRows = indTable
    ? parseIndicatorRows(indTable, t, ctx.locale, { unitByCode, nodeByCode, existing }, errors, rejected)
    : [];
  // Codes the 指标 sheet is about to create count as known for the 排名 sheet.
  const knownCodes = new Set([...existing.keys(), ...indRows.map((r) => r.fields.code)]);
  const rankRows = rankTable
    ? parseRankingRows(rankTable, t, ctx.locale, knownCodes, unitByCode, errors, rejected)
    : [];

  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    for (const r of indRows) {
      const changed = await upsertIndicator(tctx, r.fields);
      if (changed) result.applied++;
      else result.unchanged++;
    }
    const idByCode = new Map(
      (await trx.selectFrom('indicators').select(['id', 'code']).execute()).map((i) => [i.code, i.id]),
    );
    for (const r of rankRows) {
      const indicatorId = r.indicatorCode ? (idByCode.get(r.indicatorCode) ?? null) : null;
      const unitId = r.unitCode ? (unitByCode.get(r.unitCode) ?? null) : null;
      const changed = await upsertRanking(tctx, { ...r, indicatorId, unitId });
      if (changed) result.applied++;
      else result.unchanged++;
    }
    if (result.applied > 0) {
      await audit(tctx, {
        action: 'indicator.imported',
        after: { applied: result.applied, unchanged: result.unchanged, rejected: rejected.size },
      });
    }
  });
  // Committed: views cached from indicator rows (the overview's snapshot) are outdated.
  if (result.applied > 0) {
    indicatorDataChanged();
    rankingDataChanged();
  }
  errors.sort((a, b) => a.row - b.row);
  return { ...result, rejected: rejected.size, errors, warnings: [] };
}

interface IndicatorLookups {
  unitByCode: Map<string, string>;
  nodeByCode: Map<string, { id: string; kind: string }>;
  existing: Map<string, { id: string; year: number; frequency: string; hasActuals: boolean }>;
}

/**
 * The 指标 rows, checked as the indicators service checks a single save: a task (not a program) as the
 * node, units that exist, a phased plan naming only periods of the indicator's year and frequency, no
 * change of year, and no change of frequency once actuals exist (they are keyed by period).
 */
function parseIndicatorRows(
  table: SheetTable,
  t: T,
  locale: string,
  { unitByCode, nodeByCode, existing }: IndicatorLookups,
  errors: ImportRowError[],
  rejected: Set<string>,
): { row: number; fields: IndicatorFields }[] {
  const sheet = table.ws.name;
  const out: { row: number; fields: IndicatorFields }[] = [];
  const seen = new Map<string, number>();
  for (const r of table.rows) {
    const before = errors.length;
    const bad = (k: string, message: string) => {
      errors.push({ row: r.row, column: t(`${NS}:columns.${k}`), message });
      rejected.add(`${sheet}\u0000${r.row}`);
    };
    const text = (k: string) => textOf(r.cells[k] ?? null);
    const required = (k: string, max: number): string => {
      const v = text(k);
      if (!v) bad(k, t(`${NS}:rowErrors.required`));
      else if (v.length > max) bad(k, t(`${NS}:rowErrors.tooLong`, { max }));
      return v;
    };
    const number = (k: string, opt: { required: boolean; bounds: NumberBounds; measure?: string }) => {
      const n = parseNumber(r.cells[k] ?? null, opt.measure);
      if (!n.ok) {
        bad(k, notNumberMessage(t, n, opt.measure));
        return null;
      }
      if (n.value === null) {
        if (opt.required) bad(k, t(`${NS}:rowErrors.required`));
        return null;
      }
      // The bounds of the request schemas: a sheet cannot set what the form refuses.
      const outOfBounds = boundProblem(t, locale, n.value, opt.bounds);
      if (outOfBounds !== null) bad(k, outOfBounds);
      return n.value;
    };
    const choice = (k: ChoiceField, fallback: string | null): string => {
      const v = text(k);
      if (!v && fallback) return fallback;
      const c = v ? choiceOf(k, v) : null;
      if (c === null) {
        const labels = CHOICES[k].map((x) => t(`${NS}:${k}.${x}`)).join(t(`${NS}:choiceSeparator`));
        bad(k, v ? t(`${NS}:rowErrors.badChoice`, { choices: labels }) : t(`${NS}:rowErrors.required`));
      }
      return c ?? '';
    };

    const code = required('code', 32);
    const name = required('name', 200);
    const nodeCode = required('nodeCode', 32);
    const node = nodeCode ? nodeByCode.get(nodeCode) : undefined;
    if (nodeCode && !node) bad('nodeCode', t(`${NS}:rowErrors.unknownNode`, { code: nodeCode }));
    else if (node && node.kind !== 'task') bad('nodeCode', t(`${NS}:rowErrors.notTask`, { code: nodeCode }));
    const nodeId = node?.id;
    const measure = required('measure', 20);
    const direction = choice('direction', null);
    const kind = choice('kind', null);
    const year = number('year', { required: true, bounds: YEAR_BOUNDS });
    // Values may carry the row's own unit of measure ("2400亩"), as actuals may.
    const value = { bounds: indicatorBounds.value, measure: measure || undefined };
    const baseline = number('baseline', { required: true, ...value });
    const target = number('target', { required: true, ...value });
    const tierFloor = number('tierFloor', { required: false, ...value });
    const tierStretch = number('tierStretch', { required: false, ...value });
    const unitCode = required('unitCode', 64);
    const unitId = unitCode ? unitByCode.get(unitCode) : undefined;
    if (unitCode && !unitId) bad('unitCode', t(`${NS}:rowErrors.unknownUnit`, { code: unitCode }));
    const coUnitIds: string[] = [];
    for (const c of text('coUnits')
      .split(/[\s,，、;；]+/)
      .filter(Boolean)) {
      const id = unitByCode.get(c);
      if (!id) bad('coUnits', t(`${NS}:rowErrors.unknownUnit`, { code: c }));
      else if (id !== unitId && !coUnitIds.includes(id)) coUnitIds.push(id);
    }
    const frequency = choice('frequency', null);
    const plan = parsePlanCell(text('plan'));
    if (plan === null) bad('plan', t(`${NS}:rowErrors.badPlan`));
    else if (plan.kind === 'phased' && year !== null && frequency) {
      const wrong = Object.keys(plan.expected).find((key) => {
        const p = parsePeriodKey(key);
        return !p || p.year !== year || p.kind !== kindOfFrequency(frequency);
      });
      if (wrong) {
        bad(
          'plan',
          t(`${NS}:rowErrors.planPeriod`, { key: wrong, year, frequency: t(`${NS}:frequency.${frequency}`) }),
        );
      }
    }
    if (plan?.kind === 'phased') {
      for (const [key, planned] of Object.entries(plan.expected)) {
        const problem = boundProblem(t, locale, planned, indicatorBounds.value);
        if (problem !== null) bad('plan', t(`${NS}:rowErrors.planValue`, { key, problem }));
      }
    }
    const prior = code ? existing.get(code) : undefined;
    if (prior && year !== null && prior.year !== year) {
      bad('year', t(`${NS}:rowErrors.yearMismatch`, { year: prior.year }));
    }
    if (prior?.hasActuals && frequency && prior.frequency !== frequency) {
      bad('frequency', t(`${NS}:rowErrors.frequencyLocked`));
    }
    const weight = number('weight', { required: false, bounds: indicatorBounds.weight }) ?? 1;
    const lightSource = choice('lightSource', 'completion');
    const sort = number('sort', { required: false, bounds: sortBounds }) ?? 0;
    if (code) {
      const prev = seen.get(code);
      if (prev !== undefined) bad('code', t(`${NS}:rowErrors.duplicateInFile`, { row: prev }));
      else seen.set(code, r.row);
    }
    if (errors.length > before || !nodeId || !unitId || plan === null) continue;
    out.push({
      row: r.row,
      fields: {
        code,
        name,
        node_id: nodeId,
        measure,
        direction,
        kind,
        year: year as number,
        baseline: baseline as number,
        target: target as number,
        tier_floor: tierFloor,
        tier_stretch: tierStretch,
        unit_id: unitId,
        frequency,
        plan: canonicalJson(plan),
        weight,
        light_source: lightSource,
        sort,
        coUnitIds: coUnitIds.sort(),
      },
    });
  }
  return out;
}

async function upsertIndicator(ctx: Ctx, f: IndicatorFields): Promise<boolean> {
  const { coUnitIds, ...columns } = f;
  const existing = await ctx.db
    .selectFrom('indicators')
    .selectAll()
    .where('code', '=', f.code)
    .executeTakeFirst();
  const now = nowIso(ctx);
  if (existing) {
    const co = (
      await ctx.db
        .selectFrom('indicator_co_units')
        .select('unit_id')
        .where('indicator_id', '=', existing.id)
        .execute()
    )
      .map((c) => c.unit_id)
      .sort();
    const same =
      (Object.keys(columns) as (keyof typeof columns)[]).every((k) =>
        k === 'plan'
          ? canonicalJson(parsePlanText(existing.plan)) === columns.plan
          : existing[k] === columns[k],
      ) && canonicalJson(co) === canonicalJson(coUnitIds);
    if (same) return false;
    await ctx.db
      .updateTable('indicators')
      .set({ ...columns, updated_at: now })
      .where('id', '=', existing.id)
      .execute();
    await ctx.db.deleteFrom('indicator_co_units').where('indicator_id', '=', existing.id).execute();
    await insertCoUnits(ctx, existing.id, coUnitIds);
    return true;
  }
  const id = newId();
  await ctx.db
    .insertInto('indicators')
    .values({ id, ...columns, created_at: now, updated_at: now })
    .execute();
  await insertCoUnits(ctx, id, coUnitIds);
  return true;
}

async function insertCoUnits(ctx: Ctx, indicatorId: string, unitIds: string[]): Promise<void> {
  if (unitIds.length === 0) return;
  await ctx.db
    .insertInto('indicator_co_units')
    .values(unitIds.map((unit_id) => ({ indicator_id: indicatorId, unit_id })))
    .execute();
}

function parsePlanText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
