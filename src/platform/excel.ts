// Reading and writing the spreadsheets people exchange with the product. Headers are matched by
// their localized names (zh-CN or en-US), so a sheet exported in either language re-imports.
import ExcelJS from 'exceljs';
import { AppError } from '../kernel/errors.ts';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export interface SheetRow {
  /** 1-based row number as Excel shows it. */
  row: number;
  cells: Record<string, string>;
}

/** Rejects anything that is not a plausible .xlsx before a parser sees it. */
export function assertXlsx(buf: Buffer): void {
  // Fastify parses text/plain and JSON bodies itself: whatever arrives as not-bytes is not a workbook.
  if (!Buffer.isBuffer(buf)) throw new AppError('file_type_invalid', { expected: 'Excel (.xlsx)' });
  if (buf.length > MAX_UPLOAD_BYTES)
    throw new AppError('file_too_large', { maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 });
  // An .xlsx is a ZIP: it starts with "PK\x03\x04".
  if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50)
    throw new AppError('file_type_invalid', { expected: 'Excel (.xlsx)' });
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    if ('richText' in v)
      return v.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
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
  assertXlsx(buf);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new AppError('file_type_invalid', { expected: 'Excel (.xlsx)' });
  }
  const ws = wb.worksheets[0];
  if (!ws) return { rows: [], missingColumns: Object.keys(columns) };
  const header = ws.getRow(1);
  const colOf: Record<string, number> = {};
  header.eachCell((cell, col) => {
    const text = cellText(cell.value).toLowerCase();
    for (const [key, names] of Object.entries(columns)) {
      if (names.some((n) => n.toLowerCase() === text)) colOf[key] = col;
    }
  });
  const missingColumns = Object.keys(columns).filter((k) => colOf[k] === undefined);
  const rows: SheetRow[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: Record<string, string> = {};
    let any = false;
    for (const [key, col] of Object.entries(colOf)) {
      const text = cellText(row.getCell(col).value);
      cells[key] = text;
      if (text) any = true;
    }
    if (any) rows.push({ row: r, cells });
  }
  return { rows, missingColumns };
}

/** A workbook with one styled sheet per entry; headers bold and frozen. */
export async function writeWorkbook(
  sheets: { name: string; headers: string[]; rows: (string | number | null)[][]; widths?: number[] }[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'shaipin';
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(s.headers).font = { bold: true };
    for (const r of s.rows) ws.addRow(r);
    s.headers.forEach((h, i) => {
      ws.getColumn(i + 1).width = s.widths?.[i] ?? Math.max(10, h.length * 2 + 4);
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
