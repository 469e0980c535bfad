// Reading and writing the spreadsheets people exchange with the product. Headers are matched by
// their localized names (zh-CN or en-US), so a sheet exported in either language re-imports.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import ExcelJS from 'exceljs';
import { AppError } from '../kernel/errors.ts';
import { workbookLimits } from './excel-package.ts';
import type { WorkerAnswer, WorkerCell, WorkerSheet } from './excel-worker.ts';

export type { WorkerCell as WorkbookCell, WorkerSheet as WorkbookSheet };

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export interface SheetRow {
  /** 1-based row number as Excel shows it. */
  row: number;
  cells: Record<string, string>;
}

/**
 * The first bytes of an OLE2 compound file: an Excel 97–2003 workbook (.xls), or an .xlsx encrypted by
 * an open password (Excel wraps those in OLE2 too). Either way the fix is the same: save as .xlsx.
 */
const OLE2_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * The refusal of an upload an Excel import cannot read. `xls` (an old workbook) and anything else get
 * their own sentences (errors.json file_type_invalid_xls / _xlsx, picked by i18next's context): both tell
 * the user how to save the file as an Excel workbook (.xlsx). `expected` serves the plain sentence.
 */
export function notXlsx(kind: 'xls' | 'other'): AppError {
  return new AppError('file_type_invalid', {
    expected: 'Excel (.xlsx)',
    context: kind === 'xls' ? 'xls' : 'xlsx',
  });
}

/** Rejects anything that is not a plausible .xlsx before a parser sees it. */
export function assertXlsx(buf: Buffer): void {
  // Fastify parses text/plain and JSON bodies itself: whatever arrives as not-bytes is not a workbook.
  if (!Buffer.isBuffer(buf)) throw notXlsx('other');
  if (buf.length > MAX_UPLOAD_BYTES)
    throw new AppError('file_too_large', { maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 });
  if (buf.length >= OLE2_SIGNATURE.length && buf.subarray(0, OLE2_SIGNATURE.length).equals(OLE2_SIGNATURE))
    throw notXlsx('xls');
  // An .xlsx is a ZIP: it starts with "PK\x03\x04".
  if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50) throw notXlsx('other');
}

/** How long one workbook may take to read, and how much memory its worker may use. */
export const workbookParseLimits = Object.freeze({ timeoutMs: 30_000, maxHeapMb: 1024, concurrent: 2 });

let running = 0;
const waiting: (() => void)[] = [];

/**
 * Every sheet of an uploaded .xlsx as rows of cell values, read in a worker thread: the package is
 * checked (parts, unpacked size, entry count) before ExcelJS sees it, and the worker is bounded in
 * time and memory. At most `concurrent` workbooks are read at once; the event loop only waits.
 */
export async function parseWorkbook(buf: Buffer): Promise<WorkerSheet[]> {
  assertXlsx(buf);
  if (running >= workbookParseLimits.concurrent) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    const answer = await inWorker(buf);
    if (answer.ok) return answer.sheets;
    if (answer.problem.kind === 'too_large') throw tooLarge();
    throw notXlsx('other');
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const tooLarge = (): AppError =>
  new AppError('workbook_too_large', {
    maxMb: workbookLimits.maxUnpackedBytes / 1024 / 1024,
    seconds: workbookParseLimits.timeoutMs / 1000,
  });

/**
 * The built server runs the compiled excel-worker.js. Under tsx or Vitest the sources are
 * TypeScript, so the worker first registers tsx's loader in its own thread (loaders are per thread).
 */
function startWorker(): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: workbookParseLimits.maxHeapMb };
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./excel-worker.js', import.meta.url), { resourceLimits });
  }
  // tsx's ESM API; `node --import tsx` registers its loader in the main thread only.
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsx = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const source = new URL('./excel-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, resourceLimits });
}

function inWorker(buf: Buffer): Promise<WorkerAnswer> {
  const worker = startWorker();
  return new Promise<WorkerAnswer>((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(tooLarge());
    }, workbookParseLimits.timeoutMs);
    worker.once('message', (answer: WorkerAnswer) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(answer);
    });
    worker.once('error', (e: Error & { code?: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      reject(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooLarge() : e);
    });
    const copy = new Uint8Array(buf);
    worker.postMessage({ buf: copy }, [copy.buffer]);
  });
}

/** The text a person sees in a cell (formulas by their result, rich text joined, dates as YYYY-MM-DD). */
export function cellText(v: WorkerCell | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    if ('richText' in v)
      return v.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('result' in v) return cellText(v.result as WorkerCell);
    if ('text' in v) return String(v.text).trim();
    return '';
  }
  return String(v).trim();
}

/**
 * Reads the first sheet. `columns` maps a field key to the header names accepted for it.
 * Returns rows keyed by field; fully empty rows are skipped.
 */
export async function readSheet(
  buf: Buffer,
  columns: Record<string, readonly string[]>,
): Promise<{ rows: SheetRow[]; missingColumns: string[] }> {
  const [sheet] = await parseWorkbook(buf);
  if (!sheet) return { rows: [], missingColumns: Object.keys(columns) };
  const colOf: Record<string, number> = {};
  for (const [c, value] of (sheet.rows[0] ?? []).entries()) {
    const text = cellText(value).toLowerCase();
    for (const [key, names] of Object.entries(columns)) {
      if (names.some((n) => n.toLowerCase() === text)) colOf[key] = c;
    }
  }
  const missingColumns = Object.keys(columns).filter((k) => colOf[k] === undefined);
  const rows: SheetRow[] = [];
  for (let r = 1; r < sheet.rows.length; r++) {
    const row = sheet.rows[r] ?? [];
    const cells: Record<string, string> = {};
    let any = false;
    for (const [key, col] of Object.entries(colOf)) {
      const text = cellText(row[col]);
      cells[key] = text;
      if (text) any = true;
    }
    if (any) rows.push({ row: r + 1, cells });
  }
  return { rows, missingColumns };
}

/**
 * The product's time zone, China (UTC+8, no daylight saving time): the times a workbook shows are the
 * wall-clock times there, as deadlines are read there (docs/indicators.md).
 */
export const WORKBOOK_UTC_OFFSET_MINUTES = 480;
/** How a date-time cell shows: 2023-08-03 17:00:05. */
export const WORKBOOK_DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';

/** An instant (ISO 8601 with its zone) to write as a real Excel date-time cell in China time. */
export interface WorkbookDateTime {
  dateTime: string;
}
export const workbookDateTime = (iso: string): WorkbookDateTime => ({ dateTime: iso });

export type WorkbookWriteCell = string | number | null | WorkbookDateTime;

/**
 * The Date ExcelJS stores for an instant shown in China time. Excel date-times have no zone: ExcelJS
 * writes a Date's UTC fields as the serial number, so the instant is shifted by the zone's offset.
 * Null when the text is not an instant.
 */
export function workbookWallClock(iso: string): Date | null {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms + WORKBOOK_UTC_OFFSET_MINUTES * 60_000) : null;
}

const isDateTime = (v: WorkbookWriteCell): v is WorkbookDateTime => typeof v === 'object' && v !== null;

/**
 * A workbook with one styled sheet per entry; headers bold and frozen. Date-times (workbookDateTime)
 * become Excel date-time cells in China time with a date-time format; text that is not an instant is
 * written as it is.
 */
export async function writeWorkbook(
  sheets: { name: string; headers: string[]; rows: WorkbookWriteCell[][]; widths?: number[] }[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'shaipin';
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(s.headers).font = { bold: true };
    for (const r of s.rows) {
      const row = ws.addRow(
        r.map((v) => (isDateTime(v) ? (workbookWallClock(v.dateTime) ?? v.dateTime) : v)),
      );
      for (const [i, v] of r.entries()) {
        const cell = row.getCell(i + 1);
        if (isDateTime(v) && cell.value instanceof Date) cell.numFmt = WORKBOOK_DATE_TIME_FORMAT;
      }
    }
    s.headers.forEach((h, i) => {
      ws.getColumn(i + 1).width = s.widths?.[i] ?? Math.max(10, h.length * 2 + 4);
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
