// The Excel round-trip for indicators: a reporting template per unit and period (stable keys, locked key
// columns, the expected values filled in), its upload (every row validated, good rows applied, bad rows
// reported with row, column and reason), and the year's export of indicators, actuals, lights and rankings
// that re-imports unchanged. Rows are matched by stable codes (indicator code, unit code, period key), never
// by database ids, so a file survives a re-seeded database and re-importing it is idempotent.
import ExcelJS from 'exceljs';
import { requireOrganizer, requireUser } from '../../kernel/actor.ts';
import { canonicalJson } from '../../kernel/canonical-json.ts';
import { AppError } from '../../kernel/errors.ts';
import type { ImportRowError } from '../../kernel/schemas.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import type { ActualsTable, IndicatorsTable, PeriodsTable } from '../../platform/db/schema.ts';
import { assertXlsx } from '../../platform/excel.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { newId } from '../../platform/ids.ts';
import { saveActuals } from './actuals.ts';
import {
  expectedCompletion,
  expectedValue,
  explainLight,
  type Plan,
  statusLight,
} from './domain/indicators.ts';
import { parsePeriodKey } from './domain/periods.ts';
import { indicatorDataChanged, indicatorDefOf } from './indicators.ts';
import { currentRules } from './light-rules.ts';
import { kindOfFrequency, periodDefOf } from './periods.ts';
import { rankingDataChanged } from './rankings.ts';
import { planSchema } from './schemas.ts';

export interface IndicatorImportResult {
  /** Rows that changed something (created or updated). */
  applied: number;
  /** Rows that matched what is stored already, or left nothing to change (no value given). */
  unchanged: number;
  /** Rows not applied, each with at least one entry in `errors`. */
  rejected: number;
  errors: ImportRowError[];
}

export interface ExcelFile {
  file: Buffer;
  fileName: string;
}

/** Import progress: rows handled so far out of all data rows of the sheet. */
export type ProgressCallback = (done: number, total: number) => void;

const NS = 'indicator-excel';
const META_SHEET = '_meta';
const META_KIND = 'shaipin.actuals-template';
/** Rows applied per transaction: big enough to be fast, small enough not to hold the writer for long. */
export const IMPORT_BATCH_ROWS = 500;
/** Values bound per IN (…) list: far below SQLite's and PostgreSQL's parameter limits. */
const IN_CHUNK = 500;
const NOTE_MAX = 2000;

// ---------- cells and sheets ----------

type Raw = string | number | boolean | Date | null;

/** The value a cell shows, unwrapped from formulas, rich text and hyperlinks. */
function plain(v: ExcelJS.CellValue): Raw {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return plain((v.result ?? null) as ExcelJS.CellValue);
    if ('text' in v) return plain(v.text as ExcelJS.CellValue);
    if ('error' in v) return String(v.error);
  }
  return null;
}

function textOf(v: Raw): string {
  if (v === null) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).trim();
}

const DECIMAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const GROUPED_RE = /^[+-]?\d{1,3}([,，]\d{3})+(\.\d+)?$/;

/** A number typed into a cell: Excel numbers as they are, text only when it is a plain decimal. */
function parseNumber(v: Raw): { ok: true; value: number | null } | { ok: false; text: string } {
  if (v === null) return { ok: true, value: null };
  if (typeof v === 'number')
    return Number.isFinite(v) ? { ok: true, value: v } : { ok: false, text: String(v) };
  const text = textOf(v);
  if (text === '') return { ok: true, value: null };
  // "1,261" is how people write 1261; anything else ("1261亩", "38%") is refused, not guessed.
  const s = GROUPED_RE.test(text) ? text.replace(/[,，]/g, '') : text;
  if (typeof v === 'string' && DECIMAL_RE.test(s)) {
    const n = Number(s);
    if (Number.isFinite(n)) return { ok: true, value: n };
  }
  return { ok: false, text };
}

interface SheetTable {
  ws: ExcelJS.Worksheet;
  colOf: Record<string, number>;
  rows: { row: number; cells: Record<string, Raw> }[];
}

async function loadWorkbook(buf: Buffer): Promise<ExcelJS.Workbook> {
  assertXlsx(buf);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new AppError('file_type_invalid', { expected: 'Excel (.xlsx)' });
  }
  return wb;
}

/** Header names accepted for a column: its label in every locale (a file exported in English re-imports). */
function namesOf(...keys: string[]): string[] {
  const out: string[] = [];
  for (const locale of ['zh-CN', 'en-US'] as const) {
    const t = translator(locale);
    for (const k of keys) out.push(t(`${NS}:columns.${k}`).toLowerCase());
  }
  return out;
}

function headerColumns(
  ws: ExcelJS.Worksheet,
  columns: Record<string, readonly string[]>,
): Record<string, number> {
  const colOf: Record<string, number> = {};
  ws.getRow(1).eachCell((cell, col) => {
    const text = textOf(plain(cell.value)).toLowerCase();
    for (const [key, names] of Object.entries(columns)) {
      if (colOf[key] === undefined && names.includes(text)) colOf[key] = col;
    }
  });
  return colOf;
}

/** The first visible sheet whose header row has all the `required` columns; its non-empty rows. */
function findTable(
  wb: ExcelJS.Workbook,
  columns: Record<string, readonly string[]>,
  required: readonly string[],
): SheetTable | null {
  for (const ws of wb.worksheets) {
    if (ws.name === META_SHEET) continue;
    const colOf = headerColumns(ws, columns);
    if (!required.every((k) => colOf[k] !== undefined)) continue;
    const rows: SheetTable['rows'] = [];
    for (let r = 2; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells: Record<string, Raw> = {};
      let any = false;
      for (const [key, col] of Object.entries(colOf)) {
        const v = plain(row.getCell(col).value);
        cells[key] = typeof v === 'string' ? v.trim() : v;
        if (textOf(cells[key] ?? null) !== '') any = true;
      }
      if (any) rows.push({ row: r, cells });
    }
    return { ws, colOf, rows };
  }
  return null;
}

function readMeta(wb: ExcelJS.Workbook): Record<string, string> {
  const ws = wb.getWorksheet(META_SHEET);
  const meta: Record<string, string> = {};
  if (!ws) return meta;
  ws.eachRow((row) => {
    const k = textOf(plain(row.getCell(1).value));
    if (k) meta[k] = textOf(plain(row.getCell(2).value));
  });
  return meta.kind === META_KIND ? meta : {};
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const fileFailed = (errors: ImportRowError[]): AppError =>
  new AppError('import_failed', { count: errors.length }, { errors });

// ---------- shared lookups ----------

function parsePlan(text: string): Plan {
  try {
    const parsed = planSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // A plan that does not parse is treated as linear, as the rules do for a phased plan without a value.
  }
  return { kind: 'linear' };
}

/** An indicator is reported in the periods of its year that match its frequency (months or quarters). */
const reportedIn = (
  i: Pick<IndicatorsTable, 'year' | 'frequency'>,
  p: Pick<PeriodsTable, 'year' | 'kind'>,
): boolean => i.year === p.year && kindOfFrequency(i.frequency) === p.kind;

// ---------- 1. the reporting template ----------

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
/** The only cells a reporter types into; everything else is locked. */
const INPUT_COLUMNS = new Set<string>(['value', 'note']);

function statusText(
  t: (k: string, o?: Record<string, unknown>) => string,
  a: ActualsTable | undefined,
): string {
  if (!a) return t(`${NS}:status.none`);
  if (a.status === 'returned' && a.return_reason)
    return t(`${NS}:status.returnedWithReason`, { reason: a.return_reason });
  return t(`${NS}:status.${a.status}`);
}

async function actualsOfPeriod(
  ctx: Ctx,
  periodKey: string,
  indicatorIds: string[],
): Promise<Map<string, ActualsTable>> {
  const out = new Map<string, ActualsTable>();
  for (const ids of chunks(indicatorIds, IN_CHUNK)) {
    const rows = await ctx.db
      .selectFrom('actuals')
      .selectAll()
      .where('period_key', '=', periodKey)
      .where('indicator_id', 'in', ids)
      .execute();
    for (const a of rows) out.set(a.indicator_id, a);
  }
  return out;
}

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
      expectedValue(d, def),
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

// ---------- 2. uploading actuals ----------

interface ActualRowInput {
  row: number;
  indicator: IndicatorsTable;
  periodKey: string;
  value: number | null;
  note: string;
}

const ACTUAL_COLUMNS = (): Record<string, string[]> => ({
  code: namesOf('code'),
  value: namesOf('value', 'actual'),
  note: namesOf('note'),
  period: namesOf('period'),
});

/**
 * Applies an uploaded template (or the 实际值 sheet of an export) to the actuals of its period(s).
 *
 * Every row is validated and reported with its row number, column and reason in the caller's language:
 * unknown code, not a number, another unit's indicator (reporters), an indicator not reported in that
 * period, a locked period, a verified actual (changing it needs the organizer to return it first), a
 * period other than the one this import is for. Good rows are applied, bad rows are not.
 *
 * A changed row is saved as 'submitted', whoever uploads it: filling the template is how a unit reports
 * (a reporter wanting a draft uses the form). A row whose value and note equal what is stored changes
 * nothing, whatever the stored status, so re-importing the same file — or an export — writes no revision.
 * A row without a value changes nothing either: an import never deletes an actual.
 *
 * The period comes from the file (the template's hidden sheet, or a 期间 column per row) or from
 * `periodKey`; when both are given they must agree. Rows are applied in batches of IMPORT_BATCH_ROWS, each
 * in its own transaction (a long file never holds the database for long); state that can change meanwhile
 * (locks, stored actuals) is re-read inside each batch, and an actual changed by someone else between the
 * read and the write is reported, not overwritten.
 */
export async function importActuals(
  ctx: Ctx,
  file: Buffer,
  opts: { periodKey?: string | undefined; onProgress?: ProgressCallback | undefined } = {},
): Promise<IndicatorImportResult> {
  const user = requireUser(ctx.actor, 'organizer', 'reporter');
  const t = translator(ctx.locale);
  const col = (k: string) => t(`${NS}:columns.${k}`);
  const wb = await loadWorkbook(file);
  const table = findTable(wb, ACTUAL_COLUMNS(), ['code', 'value']);
  if (!table) {
    throw fileFailed([
      {
        row: 1,
        column: null,
        message: t(`${NS}:rowErrors.noDataSheet`, { code: col('code'), value: col('value') }),
      },
    ]);
  }
  const metaPeriod = readMeta(wb).period || null;
  if (opts.periodKey && metaPeriod && opts.periodKey !== metaPeriod) {
    throw fileFailed([
      {
        row: 1,
        column: null,
        message: t(`${NS}:rowErrors.periodMismatch`, { file: metaPeriod, expected: opts.periodKey }),
      },
    ]);
  }
  const defaultPeriod = metaPeriod ?? opts.periodKey ?? null;
  if (defaultPeriod === null && table.colOf.period === undefined) {
    throw fileFailed([{ row: 1, column: col('period'), message: t(`${NS}:rowErrors.noPeriod`) }]);
  }

  const total = table.rows.length;
  opts.onProgress?.(0, total);
  const errors: ImportRowError[] = [];
  const rejectedRows = new Set<number>();
  const reject = (row: number, column: string | null, message: string) => {
    errors.push({ row, column, message });
    rejectedRows.add(row);
  };

  // Static checks: everything that depends only on the file and on definitions.
  const codes = [...new Set(table.rows.map((r) => textOf(r.cells.code ?? null)).filter(Boolean))];
  const byCode = new Map<string, IndicatorsTable>();
  for (const part of chunks(codes, IN_CHUNK)) {
    for (const i of await ctx.db.selectFrom('indicators').selectAll().where('code', 'in', part).execute()) {
      byCode.set(i.code, i);
    }
  }
  const unitNames = new Map(
    (await ctx.db.selectFrom('units').select(['id', 'name']).execute()).map((u) => [u.id, u.name]),
  );
  const periodKeys = new Set<string>();
  if (defaultPeriod) periodKeys.add(defaultPeriod);
  for (const r of table.rows) {
    const p = textOf(r.cells.period ?? null);
    if (p) periodKeys.add(p);
  }
  const periods = new Map<string, PeriodsTable>();
  for (const part of chunks([...periodKeys], IN_CHUNK)) {
    for (const p of await ctx.db.selectFrom('periods').selectAll().where('key', 'in', part).execute()) {
      periods.set(p.key, p);
    }
  }

  const valid: (ActualRowInput | null)[] = [];
  const seen = new Map<string, number>();
  let unchanged = 0;
  for (const r of table.rows) {
    const before = errors.length;
    const code = textOf(r.cells.code ?? null);
    const periodKey = textOf(r.cells.period ?? null) || defaultPeriod || '';
    const ind = code ? byCode.get(code) : undefined;
    if (!code) reject(r.row, col('code'), t(`${NS}:rowErrors.required`));
    else if (!ind) reject(r.row, col('code'), t(`${NS}:rowErrors.unknownCode`, { code }));

    const period = periods.get(periodKey);
    if (opts.periodKey && periodKey !== opts.periodKey) {
      reject(
        r.row,
        col('period'),
        t(`${NS}:rowErrors.periodMismatch`, { file: periodKey, expected: opts.periodKey }),
      );
    } else if (!period) {
      reject(
        r.row,
        col('period'),
        parsePeriodKey(periodKey)
          ? t(`${NS}:rowErrors.periodUnknown`, { period: periodKey })
          : t(`${NS}:rowErrors.badPeriodKey`),
      );
    } else if (ind && !reportedIn(ind, period)) {
      reject(r.row, col('code'), t(`${NS}:rowErrors.notInPeriod`, { code, period: periodKey }));
    }
    if (ind && user.role === 'reporter' && ind.unit_id !== user.unitId) {
      reject(
        r.row,
        col('code'),
        t(`${NS}:rowErrors.otherUnit`, { code, unit: unitNames.get(ind.unit_id) ?? ind.unit_id }),
      );
    }

    const num = parseNumber(r.cells.value ?? null);
    if (!num.ok) reject(r.row, col('value'), t(`${NS}:rowErrors.notNumber`, { text: num.text }));
    const note = textOf(r.cells.note ?? null);
    if (note.length > NOTE_MAX)
      reject(r.row, col('note'), t(`${NS}:rowErrors.noteTooLong`, { max: NOTE_MAX }));
    if (num.ok && num.value === null && note) {
      reject(r.row, col('value'), t(`${NS}:rowErrors.noteWithoutValue`));
    }
    if (code && periodKey) {
      const key = `${code}\u0000${periodKey}`;
      const prev = seen.get(key);
      if (prev !== undefined) reject(r.row, col('code'), t(`${NS}:rowErrors.duplicateInFile`, { row: prev }));
      else seen.set(key, r.row);
    }

    if (errors.length > before || !ind || !num.ok) valid.push(null);
    else if (num.value === null) {
      unchanged++;
      valid.push(null);
    } else valid.push({ row: r.row, indicator: ind, periodKey, value: num.value, note });
  }

  // Stateful checks and writes, batch by batch.
  let applied = 0;
  let done = 0;
  for (const batch of chunks(valid, IMPORT_BATCH_ROWS)) {
    const rows = batch.filter((x): x is ActualRowInput => x !== null);
    if (rows.length > 0) {
      const r = await applyActualsBatch(ctx, rows, reject, (k, o) => t(k, o));
      applied += r.applied;
      unchanged += r.unchanged;
    }
    done += batch.length;
    opts.onProgress?.(done, total);
  }

  if (applied > 0) {
    await audit(ctx, {
      action: 'actual.imported',
      target: [...new Set(valid.filter((v) => v !== null).map((v) => v.periodKey))].sort().join(', '),
      after: { applied, unchanged, rejected: rejectedRows.size },
    });
  }
  errors.sort((a, b) => a.row - b.row);
  return { applied, unchanged, rejected: rejectedRows.size, errors };
}

/**
 * One batch: rows equal to what is stored are counted unchanged here (whatever the stored status, see
 * importActuals); the others go to the actuals service's saveActuals — the same path, checks and
 * revisions as a single save, in one transaction per batch — which re-checks locks and verified values
 * inside its transaction and rejects row by row.
 */
async function applyActualsBatch(
  ctx: Ctx,
  rows: ActualRowInput[],
  reject: (row: number, column: string | null, message: string) => void,
  t: T,
): Promise<{ applied: number; unchanged: number }> {
  const col = (k: string) => t(`${NS}:columns.${k}`);
  const stored = new Map<string, ActualsTable>();
  for (const key of new Set(rows.map((r) => r.periodKey))) {
    const ids = rows.filter((r) => r.periodKey === key).map((r) => r.indicator.id);
    for (const a of (await actualsOfPeriod(ctx, key, ids)).values())
      stored.set(`${a.indicator_id}\u0000${key}`, a);
  }
  let unchanged = 0;
  const changed: ActualRowInput[] = [];
  for (const r of rows) {
    const a = stored.get(`${r.indicator.id}\u0000${r.periodKey}`);
    if (a && a.value === r.value && a.note === r.note) unchanged++;
    else changed.push(r);
  }
  const outcomes = await saveActuals(
    ctx,
    changed.map((r) => ({
      indicatorId: r.indicator.id,
      periodKey: r.periodKey,
      value: r.value as number,
      note: r.note,
      submit: true,
    })),
    { skipUnchanged: true },
  );
  let applied = 0;
  outcomes.forEach((o, i) => {
    const r = changed[i] as ActualRowInput;
    if (o.outcome !== 'rejected') {
      if (o.outcome === 'applied') applied++;
      else unchanged++;
    } else {
      const { code, params } = o.error;
      if (code === 'period_locked')
        reject(r.row, col('period'), t(`${NS}:rowErrors.periodLocked`, { period: r.periodKey }));
      else if (code === 'actual_verified') reject(r.row, col('value'), t(`${NS}:rowErrors.verified`));
      else if (code === 'forbidden')
        reject(
          r.row,
          col('code'),
          t(`${NS}:rowErrors.otherUnit`, { code: r.indicator.code, unit: r.indicator.unit_id }),
        );
      else if (code === 'validation_failed')
        reject(
          r.row,
          col('code'),
          t(`${NS}:rowErrors.notInPeriod`, { code: r.indicator.code, period: r.periodKey }),
        );
      else reject(r.row, null, t(code, params));
    }
  });
  return { applied, unchanged };
}

// ---------- 3. the year's export ----------

const INDICATOR_COLUMNS = [
  'code',
  'name',
  'nodeCode',
  'nodeName',
  'measure',
  'direction',
  'kind',
  'year',
  'baseline',
  'target',
  'tierFloor',
  'tierStretch',
  'unitCode',
  'unit',
  'coUnits',
  'frequency',
  'plan',
  'weight',
  'lightSource',
  'sort',
] as const;
const ACTUALS_EXPORT_COLUMNS = ['code', 'name', 'period', 'actual', 'note', 'status'] as const;
const LIGHTS_COLUMNS = ['code', 'name', 'period', 'light', 'explanation'] as const;
const RANKING_COLUMNS = [
  'code',
  'rankedUnitCode',
  'scope',
  'period',
  'rank',
  'outOf',
  'source',
  'publishedOn',
] as const;

/** Choice cells are written in the caller's language and read back in any language or as the raw value. */
const CHOICES = {
  direction: ['higher', 'lower'],
  kind: ['cumulative', 'point'],
  frequency: ['monthly', 'quarterly'],
  lightSource: ['completion', 'rank'],
} as const;
type ChoiceField = keyof typeof CHOICES;

function choiceOf(field: ChoiceField, text: string): string | null {
  const wanted = text.trim().toLowerCase();
  for (const value of CHOICES[field]) {
    if (value === wanted) return value;
    for (const locale of ['zh-CN', 'en-US'] as const) {
      if (translator(locale)(`${NS}:${field}.${value}`).toLowerCase() === wanted) return value;
    }
  }
  return null;
}

function planText(t: (k: string) => string, plan: Plan): string {
  if (plan.kind === 'linear') return t(`${NS}:plan.linear`);
  return canonicalJson(plan.expected);
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
  requireUser(ctx.actor, 'organizer', 'leader', 'observer');
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
  for (const part of chunks(ids, IN_CHUNK)) {
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

// ---------- 4. importing indicator definitions (and rankings) ----------

interface IndicatorFields {
  code: string;
  name: string;
  node_id: string;
  measure: string;
  direction: string;
  kind: string;
  year: number;
  baseline: number;
  target: number;
  tier_floor: number | null;
  tier_stretch: number | null;
  unit_id: string;
  frequency: string;
  plan: string;
  weight: number;
  light_source: string;
  sort: number;
  coUnitIds: string[];
}

const INDICATOR_IMPORT_COLUMNS = (): Record<string, string[]> =>
  Object.fromEntries(INDICATOR_COLUMNS.map((k) => [k, namesOf(k)]));
const RANKING_IMPORT_COLUMNS = (): Record<string, string[]> =>
  Object.fromEntries(RANKING_COLUMNS.map((k) => [k, namesOf(k)]));

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
    throw fileFailed([
      {
        row: 1,
        column: null,
        message: t(`${NS}:rowErrors.noDataSheet`, { code: col('code'), value: col('target') }),
      },
    ]);
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
  for (const part of chunks(
    named.map((x) => x.id),
    IN_CHUNK,
  )) {
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
    ? parseIndicatorRows(indTable, t, { unitByCode, nodeByCode, existing }, errors, rejected)
    : [];
  // Codes the 指标 sheet is about to create count as known for the 排名 sheet.
  const knownCodes = new Set([...existing.keys(), ...indRows.map((r) => r.fields.code)]);
  const rankRows = rankTable ? parseRankingRows(rankTable, t, knownCodes, unitByCode, errors, rejected) : [];

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
  return { ...result, rejected: rejected.size, errors };
}

type T = (k: string, o?: Record<string, unknown>) => string;

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
    const number = (k: string, opt: { required: boolean; min?: number; max?: number; integer?: boolean }) => {
      const n = parseNumber(r.cells[k] ?? null);
      if (!n.ok) {
        bad(k, t(`${NS}:rowErrors.notNumber`, { text: n.text }));
        return null;
      }
      if (n.value === null) {
        if (opt.required) bad(k, t(`${NS}:rowErrors.required`));
        return null;
      }
      if (opt.integer && !Number.isInteger(n.value)) bad(k, t(`${NS}:rowErrors.badInteger`));
      else if ((opt.min !== undefined && n.value < opt.min) || (opt.max !== undefined && n.value > opt.max))
        bad(k, t(`${NS}:rowErrors.outOfRange`, { min: opt.min, max: opt.max }));
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
    const year = number('year', { required: true, min: 2000, max: 2100, integer: true });
    const baseline = number('baseline', { required: true });
    const target = number('target', { required: true });
    const tierFloor = number('tierFloor', { required: false });
    const tierStretch = number('tierStretch', { required: false });
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
    const prior = code ? existing.get(code) : undefined;
    if (prior && year !== null && prior.year !== year) {
      bad('year', t(`${NS}:rowErrors.yearMismatch`, { year: prior.year }));
    }
    if (prior?.hasActuals && frequency && prior.frequency !== frequency) {
      bad('frequency', t(`${NS}:rowErrors.frequencyLocked`));
    }
    const weight = number('weight', { required: false, min: 0, max: 1000 }) ?? 1;
    const lightSource = choice('lightSource', 'completion');
    const sort = number('sort', { required: false, integer: true }) ?? 0;
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

/** 线性 / Linear / empty, a plan as JSON, or JSON of the expected value per period (a phased plan). */
function parsePlanCell(text: string): Plan | null {
  if (!text) return { kind: 'linear' };
  if (choicePlanLinear(text)) return { kind: 'linear' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const candidate =
    json !== null && typeof json === 'object' && !('kind' in json)
      ? { kind: 'phased', expected: json }
      : json;
  const parsed = planSchema.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

function choicePlanLinear(text: string): boolean {
  const wanted = text.trim().toLowerCase();
  return (
    wanted === 'linear' ||
    (['zh-CN', 'en-US'] as const).some((l) => translator(l)(`${NS}:plan.linear`).toLowerCase() === wanted)
  );
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
    if (coUnitIds.length > 0) {
      await ctx.db
        .insertInto('indicator_co_units')
        .values(coUnitIds.map((unit_id) => ({ indicator_id: existing.id, unit_id })))
        .execute();
    }
    return true;
  }
  const id = newId();
  await ctx.db
    .insertInto('indicators')
    .values({ id, ...columns, created_at: now, updated_at: now })
    .execute();
  if (coUnitIds.length > 0) {
    await ctx.db
      .insertInto('indicator_co_units')
      .values(coUnitIds.map((unit_id) => ({ indicator_id: id, unit_id })))
      .execute();
  }
  return true;
}

function parsePlanText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

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

function parseRankingRows(
  table: SheetTable,
  t: T,
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
      else return n.value;
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

async function upsertRanking(
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
