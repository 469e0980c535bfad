// The reporting template of a period: one row per indicator to report, its expected progress and value,
// and locked key columns.
import ExcelJS from 'exceljs';
import { requireUser } from '../../../kernel/actor.ts';
import { parseDecimal } from '../../../kernel/decimal.ts';
import { AppError } from '../../../kernel/errors.ts';
import type { Ctx } from '../../../platform/context.ts';
import { nowIso } from '../../../platform/context.ts';
import { translator } from '../../../platform/i18n/translator.ts';
import { expectedCompletion, expectedValue } from '../domain/completion.ts';
import { roundForDisplay } from '../domain/exact.ts';
import { indicatorDefOf } from '../indicators.ts';
import { periodDefOf } from '../periods.ts';
import { actualsOfPeriod, type ExcelFile, META_KIND, META_SHEET, NS, statusText } from './common.ts';

const TEMPLATE_COLUMNS = [
  'code',
  'name',
  'unit',
  'measure',
  'target',
  'expected',
  'expectedValue',
  'value',
  'note',
  'status',
] as const;
const TEMPLATE_WIDTHS = [14, 36, 18, 10, 12, 12, 14, 14, 40, 22];
/**
 * The decimals an expected value is shown with: 2, as the dashboard shows values, or more when the
 * indicator's own baseline or target is written with more (a target of 0.125 keeps 3). At most 6, the
 * most an indicator's numbers may carry.
 */
function shownDecimals(ind: { baseline: number; target: number }): number {
  const written = (n: number) => (Number.isFinite(n) ? parseDecimal(n, 'value').s : 0);
  return Math.min(6, Math.max(2, written(ind.baseline), written(ind.target)));
}

/** The only cells a reporter types into; everything else is locked. */
const INPUT_COLUMNS = new Set<string>(['value', 'note']);

/**
 * The reporting template of a period: the unit's indicators (all units' for an organizer who names none),
 * their expected progress and value at the end of the period, and the current actual and note to edit.
 * Codes and reference columns are locked; a hidden sheet names the period so the upload knows it. Sheet
 * protection has no password on purpose: it prevents slips, not tampering — the upload validates anyway.
 */
export async function actualsTemplate(
  ctx: Ctx,
  input: { periodKey: string; unitId?: string | undefined },
): Promise<ExcelFile> {
  const user = requireUser(ctx.actor, 'organizer', 'reporter');
  let unitId = input.unitId ?? null;
  if (user.role === 'reporter') {
    if (unitId !== null && unitId !== user.unitId) throw new AppError('forbidden');
    unitId = user.unitId;
    if (unitId === null) throw new AppError('forbidden');
  }
  const period = await ctx.db
    .selectFrom('periods')
    .selectAll()
    .where('key', '=', input.periodKey)
    .executeTakeFirst();
  if (!period) throw new AppError('not_found', { what: 'period' });
  let unitName: string | null = null;
  if (unitId !== null) {
    const unit = await ctx.db.selectFrom('units').select('name').where('id', '=', unitId).executeTakeFirst();
    if (!unit) throw new AppError('not_found', { what: 'unit' });
    unitName = unit.name;
  }

  let q = ctx.db
    .selectFrom('indicators as i')
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .selectAll('i')
    .select(['u.name as unit_name'])
    .where('i.year', '=', period.year)
    .where('i.frequency', '=', period.kind === 'quarter' ? 'quarterly' : 'monthly');
  if (unitId !== null) q = q.where('i.unit_id', '=', unitId);
  const indicators = await q
    .orderBy('u.sort')
    .orderBy('u.code')
    .orderBy('i.sort')
    .orderBy('i.code')
    .execute();
  const actuals = await actualsOfPeriod(
    ctx,
    period.key,
    indicators.map((i) => i.id),
  );

  const t = translator(ctx.locale);
  const def = periodDefOf(period);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'shaipin';
  const ws = wb.addWorksheet(t(`${NS}:template.sheet`).slice(0, 31), {
    views: [{ state: 'frozen', ySplit: 1, xSplit: 2 }],
  });
  const header = ws.addRow(TEMPLATE_COLUMNS.map((k) => t(`${NS}:columns.${k}`)));
  header.font = { bold: true };
  TEMPLATE_COLUMNS.forEach((k, i) => {
    ws.getColumn(i + 1).width = TEMPLATE_WIDTHS[i] ?? 12;
    header.getCell(i + 1).fill = {
      type: 'pattern',
      pattern: 'solid',
      fgColor: { argb: INPUT_COLUMNS.has(k) ? 'FFFFF2CC' : 'FFE7E6E6' },
    };
  });
  ws.getColumn(TEMPLATE_COLUMNS.indexOf('expected') + 1).numFmt = '0.0%';
  const valueCol = TEMPLATE_COLUMNS.indexOf('value') + 1;
  const noteCol = TEMPLATE_COLUMNS.indexOf('note') + 1;
  const validation: ExcelJS.DataValidation = {
    type: 'decimal',
    operator: 'between',
    formulae: [-1e15, 1e15],
    allowBlank: true,
    showInputMessage: true,
    promptTitle: t(`${NS}:template.valuePromptTitle`),
    prompt: t(`${NS}:template.valuePrompt`),
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: t(`${NS}:template.valueErrorTitle`),
    error: t(`${NS}:template.valueError`),
  };
  for (const ind of indicators) {
    const d = indicatorDefOf(ind);
    const a = actuals.get(ind.id);
    const row = ws.addRow([
      ind.code,
      ind.name,
      ind.unit_name,
      ind.measure,
      ind.target,
      expectedCompletion(d, def),
      // Rounded for reading (29.75, not 29.753424657534246): the cell is a reference, never read back.
      roundForDisplay(expectedValue(d, def), shownDecimals(ind)),
      a ? a.value : null,
      a?.note ? a.note : null,
      statusText(t, a),
    ]);
    row.getCell(valueCol).protection = { locked: false };
    row.getCell(valueCol).dataValidation = validation;
    row.getCell(noteCol).protection = { locked: false };
    row.getCell(noteCol).alignment = { wrapText: true, vertical: 'top' };
  }
  await ws.protect('', {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatColumns: true,
    formatRows: true,
    autoFilter: true,
    sort: false,
  });

  const meta = wb.addWorksheet(META_SHEET, { state: 'veryHidden' });
  meta.addRows([
    ['kind', META_KIND],
    ['period', period.key],
    ['unitId', unitId ?? ''],
    ['generatedAt', nowIso(ctx)],
  ]);
  await meta.protect('', { selectLockedCells: false, selectUnlockedCells: false });

  const file = Buffer.from(await wb.xlsx.writeBuffer());
  const fileName =
    unitName === null
      ? t(`${NS}:template.fileName`, { period: period.key })
      : t(`${NS}:template.fileNameUnit`, { unit: unitName, period: period.key });
  return { file, fileName: `${fileName}.xlsx` };
}
