// Exact arithmetic for the indicator rules: rationals on doubles, with fraction.js behind them, and the
// rounding of shown numbers.
//
// Numbers and exactness. Every input number means the decimal it prints as (0.1 is 1/10), and every rule
// is decided on exact rationals: in floating point "exactly 10 points behind" comes out as
// 9.999999999999998 and a light would flip. Lights are computed for every indicator of a period at once,
// so the exact arithmetic runs on integers held in doubles (exact while they stay below 2^53) and falls
// back to fraction.js (exact at any size, ~50× slower) only when a number does not fit. Returned numbers
// are the nearest doubles of the exact values: (0.4 − 0.1) / (0.7 − 0.1) is 0.5. Shares such as 1/3 are
// read as the simplest fraction of the double instead, so a rule written as 1/3 means a third.

import type Fraction from 'fraction.js';
import { fractionToNumber, roundHalfAwayFromZero, toFraction } from '../../../kernel/decimal.ts';

export function assertFinite(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${what} must be a finite number, got ${String(value)}`);
  }
}

// Exact rationals on doubles. Integer arithmetic on doubles is exact while every intermediate stays below
// 2^53, and a quotient of two such integers is the correctly rounded (nearest) double. Each helper checks
// its intermediates (a product that does not fit becomes NaN, which fails every later check) and returns
// null when one might not be exact; the caller then redoes the work with fraction.js.

/** p/q with integers p and q > 0, both below 2^53 in magnitude. */
export interface Q {
  p: number;
  q: number;
}

const LIMIT = 2 ** 53;
const fits = (x: number): boolean => Math.abs(x) < LIMIT;
export const mul = (x: number, y: number): number => {
  const r = x * y;
  return fits(r) ? r : Number.NaN;
};

export function makeQ(p: number, q: number): Q | null {
  if (!fits(p) || !fits(q) || q === 0) return null;
  // No -0: it would leak out as a completion of -0.
  return q > 0 ? { p: p === 0 ? 0 : p, q } : { p: p === 0 ? 0 : -p, q: -q };
}

/**
 * The decimal a double prints as, m / 10^k, when it has at most 9 decimals and |m| < 2^52. Then any two
 * decimals with k places are more than one unit in the last place apart, so m / 10^k is the only one
 * that rounds to x, and it is the decimal String(x) prints.
 */
export function decimalQ(x: number): Q | null {
  let scale = 1;
  for (let k = 0; k <= 9; k++) {
    const m = Math.round(x * scale);
    if (Math.abs(m) >= 2 ** 52) return null;
    if (m / scale === x) return { p: m === 0 ? 0 : m, q: scale };
    scale *= 10;
  }
  return null;
}

export function subQ(a: Q, b: Q): Q | null {
  if (a.q === b.q) return makeQ(a.p - b.p, a.q);
  // Decimals have power-of-ten denominators: scaling the smaller one keeps the numbers small.
  if (a.q > b.q && a.q % b.q === 0) return makeQ(a.p - mul(b.p, a.q / b.q), a.q);
  if (b.q > a.q && b.q % a.q === 0) return makeQ(mul(a.p, b.q / a.q) - b.p, b.q);
  return makeQ(mul(a.p, b.q) - mul(b.p, a.q), mul(a.q, b.q));
}

export function divQ(a: Q, b: Q): Q | null {
  if (a.q === b.q) return makeQ(a.p, b.p);
  return makeQ(mul(a.p, b.q), mul(a.q, b.p));
}

/** The sign of a − b, or null when the products do not fit. A correctly rounded difference keeps its sign. */
export function cmpQ(a: Q, b: Q): -1 | 0 | 1 | null {
  const d = mul(a.p, b.q) - mul(b.p, a.q);
  if (Number.isNaN(d)) return null;
  return d > 0 ? 1 : d < 0 ? -1 : 0;
}

export const qToNumber = (a: Q): number => a.p / a.q;

export const sign = (f: Fraction): -1 | 0 | 1 => (f.n === 0n ? 0 : f.s < 0n ? -1 : 1);

/** 15 significant digits: drops binary noise (38.449999999999996 → 38.45); no -0. */
function clean(x: number): number {
  const v = Number(x.toPrecision(15));
  return v === 0 ? 0 : v;
}

/** Rounds half away from zero to `decimals`, on the decimal x stands for (38.45 → 38.5, never 38.4). */
export function roundForDisplay(x: number, decimals: number): number {
  const scale = 10 ** decimals;
  const scaled = Math.abs(x) * scale;
  // Far from a half, neither binary noise nor the multiplication can move the result across it, and a
  // quotient by 10^decimals is the nearest double of the decimal. Near a half, clean the noise and shift
  // the decimal point in the text, which is exact.
  if (scaled < 1e12 && Math.abs(scaled - Math.floor(scaled) - 0.5) > Math.max(1e-6, scaled * 1e-12)) {
    const v = Math.round(scaled) / scale;
    return x < 0 && v !== 0 ? -v : v;
  }
  const c = clean(x);
  const text = String(Math.abs(c));
  if (text.includes('e')) return fractionToNumber(roundHalfAwayFromZero(toFraction(c), decimals));
  const v = Number(`${Math.round(Number(`${text}e${decimals}`))}e-${decimals}`);
  return c < 0 && v !== 0 ? -v : v;
}
