// Schemas every module shares: roles, ids, bounded numbers, the error body, import row errors. Pure Zod,
// no I/O.
import { z } from 'zod';

export const roleSchema = z.enum(['organizer', 'reporter', 'leader', 'observer']);
export type Role = z.infer<typeof roleSchema>;

export const idSchema = z.string().min(1).max(64);
export const idParams = z.object({ id: idSchema });
/** A real calendar date, YYYY-MM-DD (2026-02-30 and 2026-99-99 are refused). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'YYYY-MM-DD');
export const shortText = z.string().trim().min(1).max(200);

// ---------- bounded numbers ----------
// Every number a person types is bounded by what its field means (docs/security.md): an unbounded one
// lets 1.7976931348623157e308 through, and derived figures (a completion, a gap in points) overflow to
// Infinity, which no JSON response can carry. The request schemas and the Excel imports check the same
// bounds, with the same problems, so a value refused in a form is refused in a sheet.

/** What a number may be. Both ends are inclusive. */
export interface NumberBounds {
  readonly min: number;
  readonly max: number;
  /** Whole numbers only. */
  readonly integer?: boolean;
  /** At most this many decimal places, counted on the decimal the number prints as. */
  readonly maxDecimals?: number;
}

/**
 * The decimal places of the decimal a double prints as (the product reads 0.1 as one tenth, see
 * src/modules/indicators/domain/exact.ts): 12.5 → 1, 1e-7 → 7, 1200 → 0.
 */
export function decimalPlaces(x: number): number {
  const [digits = '', exponent = '0'] = String(Math.abs(x)).split('e');
  return Math.max(0, (digits.split('.')[1]?.length ?? 0) - Number(exponent));
}

export type NumberProblem =
  | { key: 'notFinite' }
  | { key: 'notInteger' }
  | { key: 'tooSmall'; min: number }
  | { key: 'tooLarge'; max: number }
  | { key: 'tooManyDecimals'; maxDecimals: number };

/** Why `x` breaks `bounds`, or null. What the Excel imports check; boundedNumber checks the same. */
export function numberProblem(x: number, bounds: NumberBounds): NumberProblem | null {
  if (!Number.isFinite(x)) return { key: 'notFinite' };
  if (bounds.integer && !Number.isInteger(x)) return { key: 'notInteger' };
  if (x < bounds.min) return { key: 'tooSmall', min: bounds.min };
  if (x > bounds.max) return { key: 'tooLarge', max: bounds.max };
  if (bounds.maxDecimals !== undefined && decimalPlaces(x) > bounds.maxDecimals)
    return { key: 'tooManyDecimals', maxDecimals: bounds.maxDecimals };
  return null;
}

/** A bound as a message writes it: 1e12 as "1,000,000,000,000", a year as "2100" (no grouping below 10,000). */
export function shownBound(x: number, locale: string): string {
  return new Intl.NumberFormat(locale, { useGrouping: 'min2', maximumFractionDigits: 20 }).format(x);
}

/**
 * A number within `bounds`. Its issues are Zod's (too_small, too_big, an int's invalid_type) and, for
 * decimals, a custom issue whose params say `bound: 'maxDecimals'`: the HTTP layer
 * (src/platform/http/errors.ts) words all of them in the caller's language.
 */
export function boundedNumber(bounds: NumberBounds) {
  const ranged = (bounds.integer ? z.number().int() : z.number()).min(bounds.min).max(bounds.max);
  const maxDecimals = bounds.maxDecimals;
  if (maxDecimals === undefined) return ranged;
  return ranged.refine((v) => decimalPlaces(v) <= maxDecimals, {
    params: { bound: 'maxDecimals', maxDecimals },
  });
}

/**
 * A list position (sort order). Imported units take their sheet row as their sort, so the bound is the
 * rows a worksheet can have (2^20); negative values put an entry before the default 0.
 */
export const sortBounds: NumberBounds = Object.freeze({ min: -1_048_576, max: 1_048_576, integer: true });
export const sortOrder = boundedNumber(sortBounds);

export const errorBody = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof errorBody>;

export const importRowError = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof importRowError>;
export const importResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});

export const okBody = z.object({ ok: z.literal(true) });
