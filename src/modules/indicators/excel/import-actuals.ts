// The upload of a filled reporting template (or the 实际值 sheet of an export): actuals validated row by
// row and applied in batches.
import { requireUser } from '../../../kernel/actor.ts';
import type { ImportRowError } from '../../../kernel/schemas.ts';
import { audit } from '../../../platform/audit.ts';
import type { Ctx } from '../../../platform/context.ts';
import type { ActualsTable, IndicatorsTable, PeriodsTable } from '../../../platform/db/schema.ts';
import { translator } from '../../../platform/i18n/translator.ts';
import { saveActuals } from '../actuals.ts';
import { chunks } from '../chunks.ts';
import { parsePeriodKey } from '../domain/periods.ts';
import { unusualActual } from '../domain/plausibility.ts';
import { indicatorBounds } from '../schemas.ts';
import {
  actualsOfPeriod,
  boundProblem,
  fileProblem,
  findTable,
  type IndicatorImportResult,
  loadWorkbook,
  NS,
  namesOf,
  notNumberMessage,
  type ProgressCallback,
  parseNumber,
  readMeta,
  reportedIn,
  type T,
  textOf,
} from './common.ts';

/** Rows applied per transaction: big enough to be fast, small enough not to hold the writer for long. */
export const IMPORT_BATCH_ROWS = 500;
const NOTE_MAX = 2000;

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
 * unknown code, not a number (or one in a unit other than the indicator's), a number out of bounds
 * (indicatorBounds.value, as for a single save), another unit's indicator (reporters), an indicator not
 * reported in that period, a locked period, a verified actual (changing it needs the organizer to return
 * it first), a period other than the one this import is for. Good rows are applied, bad rows are not.
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
    throw fileProblem(t(`${NS}:rowErrors.noDataSheet`, { code: col('code'), value: col('value') }));
  }
  const metaPeriod = readMeta(wb).period || null;
  if (opts.periodKey && metaPeriod && opts.periodKey !== metaPeriod) {
    throw fileProblem(t(`${NS}:rowErrors.periodMismatch`, { file: metaPeriod, expected: opts.periodKey }));
  }
  const defaultPeriod = metaPeriod ?? opts.periodKey ?? null;
  if (defaultPeriod === null && table.colOf.period === undefined) {
    throw fileProblem(t(`${NS}:rowErrors.noPeriod`), col('period'));
  }

  const total = table.rows.length;
  opts.onProgress?.(0, total);
  const errors: ImportRowError[] = [];
  const rejectedRows = new Set<number>();
  const reject = (row: number, column: string | null, message: string) => {
    errors.push({ row, column, message });
    rejectedRows.add(row);
  };
  // Applied, but worth a second look; a warning of a row that is then rejected is dropped.
  const warnings: ImportRowError[] = [];

  // Static checks: everything that depends only on the file and on definitions.
  const codes = [...new Set(table.rows.map((r) => textOf(r.cells.code ?? null)).filter(Boolean))];
  const byCode = new Map<string, IndicatorsTable>();
  for (const part of chunks(codes)) {
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
  for (const part of chunks([...periodKeys])) {
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

    // A value may carry its own indicator's unit ("230亩"): the measure is known once the code is.
    const num = parseNumber(r.cells.value ?? null, ind?.measure);
    if (!num.ok) reject(r.row, col('value'), notNumberMessage(t, num, ind?.measure));
    else if (num.value !== null) {
      const outOfBounds = boundProblem(t, ctx.locale, num.value, indicatorBounds.value);
      if (outOfBounds !== null) reject(r.row, col('value'), outOfBounds);
      else if (ind && unusualActual(ind, num.value) === 'negative')
        warnings.push({
          row: r.row,
          column: col('value'),
          message: t(`${NS}:rowWarnings.negative`, { value: num.value }),
        });
    }
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
  return {
    applied,
    unchanged,
    rejected: rejectedRows.size,
    errors,
    warnings: warnings.filter((w) => !rejectedRows.has(w.row)),
  };
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
