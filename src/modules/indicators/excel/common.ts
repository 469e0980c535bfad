// What the indicators' Excel round-trip shares: reading cells and sheets, the result of an import, and
// the lookups of actuals its template, imports and export all make.
//
// Rows are matched by stable codes (indicator code, unit code, period key), never by database ids, so a
// file survives a re-seeded database and re-importing it is idempotent.
import { AppError } from '../../../kernel/errors.ts';
import {
  type ImportRowError,
  type NumberBounds,
  numberProblem,
  shownBound,
} from '../../../kernel/schemas.ts';
import type { Ctx } from '../../../platform/context.ts';
import type { ActualsTable, IndicatorsTable, PeriodsTable } from '../../../platform/db/schema.ts';
import { parseWorkbook, type WorkbookCell, type WorkbookSheet } from '../../../platform/excel.ts';
import { translator } from '../../../platform/i18n/translator.ts';
import { chunks } from '../chunks.ts';
import { kindOfFrequency } from '../periods.ts';

export interface IndicatorImportResult {
  /** Rows that changed something (created or updated). */
  applied: number;
  /** Rows that matched what is stored already, or left nothing to change (no value given). */
  unchanged: number;
  /** Rows not applied, each with at least one entry in `errors`. */
  rejected: number;
  errors: ImportRowError[];
  /** Rows applied that deserve a second look, with why (the actuals import: a negative count…). */
  warnings: ImportRowError[];
}

export interface ExcelFile {
  file: Buffer;
  fileName: string;
}

/** Import progress: rows handled so far out of all data rows of the sheet. */
export type ProgressCallback = (done: number, total: number) => void;

export const NS = 'indicator-excel';
export const META_SHEET = '_meta';
export const META_KIND = 'shaipin.actuals-template';

type Raw = string | number | boolean | Date | null;

/** The value a cell shows, unwrapped from formulas, rich text and hyperlinks. */
function plain(v: WorkbookCell | undefined): Raw {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return plain((v.result ?? null) as WorkbookCell);
    if ('text' in v) return plain(v.text as WorkbookCell);
    if ('error' in v) return String(v.error);
  }
  return null;
}

export function textOf(v: Raw): string {
  if (v === null) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).trim();
}

const DECIMAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const GROUPED_RE = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
/** A number followed by a unit: "230吨", "38 %" (not "1e400", which is a number too large). */
const NUMBER_THEN_UNIT_RE = /^([+-]?[\d.,]+)\s*([^\d\s.,+\-eE].*)$/;

/**
 * Text as a Chinese input method types it, in the ASCII a parser reads: NFKC turns full-width digits,
 * signs, separators and "％" into their ASCII forms ("－１２．５" → "-12.5"), and the minus sign U+2212
 * that word processors substitute becomes "-".
 */
export function normalizeTyped(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\u2212/g, '-')
    .trim();
}

function decimalOf(text: string): number | null {
  // "1,261" is how people write 1261 (the comma is grouping, never a decimal point).
  const s = GROUPED_RE.test(text) ? text.replace(/,/g, '') : text;
  if (!DECIMAL_RE.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

export type ParsedNumber =
  | { ok: true; value: number | null }
  /** `unit`: the text after a number, when the cell is a number followed by a unit other than `measure`. */
  | { ok: false; text: string; unit?: string };

/**
 * A number typed into a cell: Excel numbers as they are; text when it is a decimal, full-width or not,
 * optionally grouped by thousands, optionally followed by `measure` (the indicator's unit of measure,
 * "230亩" for 亩, "99.1%" for %). Any other text ("230吨" for 亩) is refused, not guessed.
 */
export function parseNumber(v: Raw, measure?: string): ParsedNumber {
  if (v === null) return { ok: true, value: null };
  if (typeof v === 'number')
    return Number.isFinite(v) ? { ok: true, value: v } : { ok: false, text: String(v) };
  const text = textOf(v);
  if (text === '') return { ok: true, value: null };
  if (typeof v !== 'string') return { ok: false, text };
  const typed = normalizeTyped(text);
  const direct = decimalOf(typed);
  if (direct !== null) return { ok: true, value: direct };
  const unit = measure === undefined ? '' : normalizeTyped(measure);
  if (unit && typed.toLowerCase().endsWith(unit.toLowerCase())) {
    const n = decimalOf(typed.slice(0, typed.length - unit.length).trim());
    if (n !== null) return { ok: true, value: n };
  }
  const split = NUMBER_THEN_UNIT_RE.exec(typed);
  if (split?.[1] && split[2] && decimalOf(split[1]) !== null) return { ok: false, text, unit: split[2] };
  return { ok: false, text };
}

/**
 * Why a number read from a cell breaks `bounds` (those of the request schemas, see kernel/schemas.ts),
 * in the caller's words, or null.
 */
export function boundProblem(t: T, locale: string, value: number, bounds: NumberBounds): string | null {
  const problem = numberProblem(value, bounds);
  if (problem === null) return null;
  switch (problem.key) {
    case 'notFinite':
      return t(`${NS}:rowErrors.notNumber`, { text: String(value) });
    case 'notInteger':
      return t(`${NS}:rowErrors.badInteger`);
    case 'tooManyDecimals':
      return t(`${NS}:rowErrors.tooManyDecimals`, { max: problem.maxDecimals });
    default:
      return t(`${NS}:rowErrors.outOfRange`, {
        min: shownBound(bounds.min, locale),
        max: shownBound(bounds.max, locale),
      });
  }
}

/**
 * The message for a cell parseNumber refused. With the indicator's unit of measure known, a number in
 * another unit says which unit was expected.
 */
export function notNumberMessage(t: T, refused: { text: string; unit?: string }, measure?: string): string {
  if (refused.unit !== undefined && measure)
    return t(`${NS}:rowErrors.wrongUnit`, { text: refused.text, measure });
  return t(`${NS}:rowErrors.notNumber`, { text: refused.text });
}

export interface SheetTable {
  ws: { name: string };
  colOf: Record<string, number>;
  rows: { row: number; cells: Record<string, Raw> }[];
}

/** Every sheet of an upload, read off the event loop with its package checked (platform/excel.ts). */
export function loadWorkbook(buf: Buffer): Promise<WorkbookSheet[]> {
  return parseWorkbook(buf);
}

/** Header names accepted for a column: its label in every locale (a file exported in English re-imports). */
export function namesOf(...keys: string[]): string[] {
  const out: string[] = [];
  for (const locale of ['zh-CN', 'en-US'] as const) {
    const t = translator(locale);
    for (const k of keys) out.push(t(`${NS}:columns.${k}`).toLowerCase());
  }
  return out;
}

/** Column indexes (0-based) of the header row's cells that name one of `columns`. */
function headerColumns(
  ws: WorkbookSheet,
  columns: Record<string, readonly string[]>,
): Record<string, number> {
  const colOf: Record<string, number> = {};
  for (const [col, value] of (ws.rows[0] ?? []).entries()) {
    const text = textOf(plain(value)).toLowerCase();
    for (const [key, names] of Object.entries(columns)) {
      if (colOf[key] === undefined && names.includes(text)) colOf[key] = col;
    }
  }
  return colOf;
}

/** The first sheet (not the template's meta sheet) whose header row has all `required` columns; its non-empty rows. */
export function findTable(
  wb: readonly WorkbookSheet[],
  columns: Record<string, readonly string[]>,
  required: readonly string[],
): SheetTable | null {
  for (const ws of wb) {
    if (ws.name === META_SHEET) continue;
    const colOf = headerColumns(ws, columns);
    if (!required.every((k) => colOf[k] !== undefined)) continue;
    const rows: SheetTable['rows'] = [];
    for (let r = 1; r < ws.rows.length; r++) {
      const row = ws.rows[r] ?? [];
      const cells: Record<string, Raw> = {};
      let any = false;
      for (const [key, col] of Object.entries(colOf)) {
        const v = plain(row[col]);
        cells[key] = typeof v === 'string' ? v.trim() : v;
        if (textOf(cells[key] ?? null) !== '') any = true;
      }
      // Excel numbers rows from 1: rows[r] is row r + 1.
      if (any) rows.push({ row: r + 1, cells });
    }
    return { ws: { name: ws.name }, colOf, rows };
  }
  return null;
}

export function readMeta(wb: readonly WorkbookSheet[]): Record<string, string> {
  const ws = wb.find((s) => s.name === META_SHEET);
  const meta: Record<string, string> = {};
  if (!ws) return meta;
  for (const row of ws.rows) {
    const k = textOf(plain(row?.[0]));
    if (k) meta[k] = textOf(plain(row?.[1]));
  }
  return meta.kind === META_KIND ? meta : {};
}

/** A problem with the file as a whole, reported at its header row. */
export const fileProblem = (message: string, column: string | null = null): AppError =>
  new AppError('import_failed', { count: 1 }, { errors: [{ row: 1, column, message }] });

export type T = (k: string, o?: Record<string, unknown>) => string;

/** An indicator is reported in the periods of its year that match its frequency (months or quarters). */
export const reportedIn = (
  i: Pick<IndicatorsTable, 'year' | 'frequency'>,
  p: Pick<PeriodsTable, 'year' | 'kind'>,
): boolean => i.year === p.year && kindOfFrequency(i.frequency) === p.kind;

export function statusText(t: T, a: ActualsTable | undefined): string {
  if (!a) return t(`${NS}:status.none`);
  if (a.status === 'returned' && a.return_reason)
    return t(`${NS}:status.returnedWithReason`, { reason: a.return_reason });
  return t(`${NS}:status.${a.status}`);
}

export async function actualsOfPeriod(
  ctx: Ctx,
  periodKey: string,
  indicatorIds: string[],
): Promise<Map<string, ActualsTable>> {
  const out = new Map<string, ActualsTable>();
  for (const ids of chunks(indicatorIds)) {
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
