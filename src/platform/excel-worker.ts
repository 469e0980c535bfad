// The worker thread that reads uploaded workbooks: package check (excel-package.ts), then ExcelJS,
// then plain rows of cell values for the caller. A hostile file can cost this thread seconds and
// memory; the server's event loop, and so scoring and the live feed, never wait for it.
import { parentPort } from 'node:worker_threads';
import ExcelJS from 'exceljs';
import { inspectWorkbookPackage, type PackageProblem } from './excel-package.ts';

export type WorkerCell = ExcelJS.CellValue;
export interface WorkerSheet {
  name: string;
  /** rows[0] is Excel's row 1; cells[0] is column A. Trailing empty cells are left out. */
  rows: WorkerCell[][];
}
export type WorkerAnswer = { ok: true; sheets: WorkerSheet[] } | { ok: false; problem: PackageProblem };

async function read(buf: Buffer): Promise<WorkerAnswer> {
  const problem = await inspectWorkbookPackage(buf);
  if (problem) return { ok: false, problem };
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (e) {
    return {
      ok: false,
      problem: { kind: 'not_a_workbook', detail: e instanceof Error ? e.message : String(e) },
    };
  }
  return {
    ok: true,
    sheets: wb.worksheets.map((ws) => {
      const rows: WorkerCell[][] = [];
      ws.eachRow({ includeEmpty: false }, (row, r) => {
        const cells: WorkerCell[] = [];
        row.eachCell({ includeEmpty: false }, (cell, c) => {
          cells[c - 1] = cell.value;
        });
        rows[r - 1] = Array.from(cells, (v) => v ?? null);
      });
      return { name: ws.name, rows: Array.from(rows, (r) => r ?? []) };
    }),
  };
}

parentPort?.on('message', (message: { buf: Uint8Array }) => {
  read(Buffer.from(message.buf.buffer, message.buf.byteOffset, message.buf.byteLength)).then(
    (answer) => parentPort?.postMessage(answer),
    (e: unknown) =>
      parentPort?.postMessage({
        ok: false,
        problem: { kind: 'not_a_workbook', detail: e instanceof Error ? e.message : String(e) },
      } satisfies WorkerAnswer),
  );
});
