// The year's export: indicators, actuals, lights and rankings in one workbook that re-imports unchanged.
import ExcelJS from 'exceljs';
import { requireUser } from '../../../kernel/actor.ts';
import type { Ctx } from '../../../platform/context.ts';
import { nowIso } from '../../../platform/context.ts';
import type { ActualsTable } from '../../../platform/db/schema.ts';
import { translator } from '../../../platform/i18n/translator.ts';
import { chunks } from '../chunks.ts';
import type { Plan } from '../domain/completion.ts';
import { explainLight, isReported, statusLight } from '../domain/lights.ts';
import { indicatorDefOf } from '../indicators.ts';
import { currentRules } from '../light-rules.ts';
import { periodDefOf } from '../periods.ts';
import { planSchema } from '../schemas.ts';
import { type ExcelFile, NS, reportedIn, statusText } from './common.ts';
import { INDICATOR_COLUMNS, planText, RANKING_COLUMNS } from './year-workbook.ts';

const ACTUALS_EXPORT_COLUMNS = ['code', 'name', 'period', 'actual', 'note', 'status'] as const;
const LIGHTS_COLUMNS = ['code', 'name', 'period', 'light', 'explanation'] as const;

function parsePlan(text: string): Plan {
  try {
    const parsed = planSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // A plan that does not parse is treated as linear, as the rules do for a phased plan without a value.
  }
  return { kind: 'linear' };
}

function addSheet(
  wb: ExcelJS.Workbook,
  name: string,
  headers: string[],
  rows: (string | number | null)[][],
  widths: number[],
): void {
  const ws = wb.addWorksheet(name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(headers).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  headers.forEach((_, i) => {
    ws.getColumn(i + 1).width = widths[i] ?? 12;
  });
}

/**
 * Everything about the indicators of a year in one workbook: 指标 (every definition field, keyed by
 * code; the plan as 线性 or JSON of the expected value per period), 实际值, 亮灯 (computed now, with the
 * current rules), 排名. 指标 and 排名 re-import through importIndicatorWorkbook, 实际值 through
 * importActuals; 亮灯 is derived and read by people only.
 */
export async function exportIndicatorWorkbook(ctx: Ctx, input: { year: number }): Promise<ExcelFile> {
  const user = requireUser(ctx.actor, 'organizer', 'leader', 'observer');
  const t = translator(ctx.locale);
  const col = (k: string) => t(`${NS}:columns.${k}`);
  const { year } = input;

  const indicators = await ctx.db
    .selectFrom('indicators as i')
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .innerJoin('framework_nodes as n', 'n.id', 'i.node_id')
    .selectAll('i')
    .select(['u.code as unit_code', 'u.name as unit_name', 'n.code as node_code', 'n.name as node_name'])
    .where('i.year', '=', year)
    .orderBy('u.sort')
    .orderBy('u.code')
    .orderBy('i.sort')
    .orderBy('i.code')
    .execute();
  const coUnits = new Map<string, string[]>();
  const ids = indicators.map((i) => i.id);
  for (const part of chunks(ids)) {
    const rows = await ctx.db
      .selectFrom('indicator_co_units as c')
      .innerJoin('units as u', 'u.id', 'c.unit_id')
      .select(['c.indicator_id', 'u.code'])
      .where('c.indicator_id', 'in', part)
      .execute();
    for (const r of rows) coUnits.set(r.indicator_id, [...(coUnits.get(r.indicator_id) ?? []), r.code]);
  }
  const periods = await ctx.db
    .selectFrom('periods')
    .selectAll()
    .where('year', '=', year)
    .orderBy('kind')
    .orderBy('idx')
    .execute();
  const actuals = new Map<string, ActualsTable>();
  for (const p of periods) {
    for (const a of await ctx.db
      .selectFrom('actuals')
      .selectAll()
      .where('period_key', '=', p.key)
      .execute()) {
      // Leaders and observers get reported values only: a draft is the unit's own.
      if (user.role === 'organizer' || isReported(a.status))
        actuals.set(`${a.indicator_id}\u0000${p.key}`, a);
    }
  }
  const rankings = await ctx.db
    .selectFrom('rankings as r')
    .leftJoin('indicators as i', 'i.id', 'r.indicator_id')
    .leftJoin('units as u', 'u.id', 'r.unit_id')
    .selectAll('r')
    .select(['i.code as indicator_code', 'u.code as unit_code'])
    .where('r.period_key', 'like', `${year}-%`)
    .orderBy('r.period_key')
    .orderBy('r.scope')
    .orderBy('i.code')
    .orderBy('u.code')
    .orderBy('r.created_at')
    .execute();
  // The rank a rank-sourced light uses: the latest one recorded for the indicator and period.
  const rankOf = new Map<string, { rank: number; outOf: number }>();
  for (const r of rankings) {
    if (r.indicator_id)
      rankOf.set(`${r.indicator_id}\u0000${r.period_key}`, { rank: r.rank, outOf: r.out_of });
  }
  const rules = (await currentRules(ctx)).light;

  const indicatorRows = indicators.map((i) => [
    i.code,
    i.name,
    i.node_code,
    i.node_name,
    i.measure,
    t(`${NS}:direction.${i.direction}`),
    t(`${NS}:kind.${i.kind}`),
    i.year,
    i.baseline,
    i.target,
    i.tier_floor,
    i.tier_stretch,
    i.unit_code,
    i.unit_name,
    (coUnits.get(i.id) ?? []).sort().join(', ') || null,
    t(`${NS}:frequency.${i.frequency}`),
    planText(t, parsePlan(i.plan)),
    i.weight,
    t(`${NS}:lightSource.${i.light_source}`),
    i.sort,
  ]);
  const actualRows: (string | number | null)[][] = [];
  const lightRows: (string | number | null)[][] = [];
  const now = nowIso(ctx);
  for (const i of indicators) {
    const def = indicatorDefOf(i);
    for (const p of periods) {
      if (!reportedIn(i, p)) continue;
      const a = actuals.get(`${i.id}\u0000${p.key}`);
      if (a) actualRows.push([i.code, i.name, p.key, a.value, a.note || null, statusText(t, a)]);
      const light = statusLight(
        {
          indicator: def,
          period: periodDefOf(p),
          actual: a ? { value: a.value, status: a.status as 'draft' } : null,
          now,
          rank: rankOf.get(`${i.id}\u0000${p.key}`) ?? null,
        },
        rules,
      );
      lightRows.push([
        i.code,
        i.name,
        p.key,
        t(`${NS}:lights.${light.light}`),
        explainLight(light, ctx.locale),
      ]);
    }
  }
  const rankingRows = rankings.map((r) => [
    r.indicator_code ?? null,
    r.unit_code ?? null,
    r.scope,
    r.period_key,
    r.rank,
    r.out_of,
    r.source || null,
    r.published_on,
  ]);

  const wb = new ExcelJS.Workbook();
  wb.creator = 'shaipin';
  addSheet(
    wb,
    t(`${NS}:export.sheets.indicators`),
    INDICATOR_COLUMNS.map(col),
    indicatorRows,
    [14, 36, 12, 24, 10, 12, 12, 8, 12, 12, 12, 12, 14, 18, 18, 10, 30, 8, 10, 8],
  );
  addSheet(
    wb,
    t(`${NS}:export.sheets.actuals`),
    ACTUALS_EXPORT_COLUMNS.map(col),
    actualRows,
    [14, 36, 10, 14, 40, 16],
  );
  addSheet(wb, t(`${NS}:export.sheets.lights`), LIGHTS_COLUMNS.map(col), lightRows, [14, 36, 10, 12, 60]);
  addSheet(
    wb,
    t(`${NS}:export.sheets.rankings`),
    RANKING_COLUMNS.map(col),
    rankingRows,
    [14, 14, 14, 10, 8, 12, 30, 12],
  );
  return {
    file: Buffer.from(await wb.xlsx.writeBuffer()),
    fileName: `${t(`${NS}:export.fileName`, { year })}.xlsx`,
  };
}
