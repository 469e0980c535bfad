// Exact decimal arithmetic shared by every rule that must give the same number on every machine
// (scores, indicator completion). A JS number is read as the decimal it prints as (String(n)), and all
// arithmetic is on bigints or fraction.js rationals. Pure: no I/O, no clock.
import Fraction from 'fraction.js';

/** value = m / 10^s with s >= 0. */
export interface Decimal {
  m: bigint;
  s: number;
}

// String(n) may use exponent notation (1e-7, 1e+21), which fraction.js does not parse.
const DECIMAL_RE = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

export function parseDecimal(n: unknown, what: string): Decimal {
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new RangeError(`${what} must be a finite number, got ${String(n)}`);
  }
  const match = DECIMAL_RE.exec(String(n));
  if (match === null) throw new RangeError(`${what}: cannot read ${String(n)} as a decimal`);
  const frac = match[3] ?? '';
  let s = frac.length - (match[4] === undefined ? 0 : Number(match[4]));
  let m = BigInt(match[2]! + frac);
  if (s < 0) {
    m *= 10n ** BigInt(-s);
    s = 0;
  }
  return { m: match[1] === '-' ? -m : m, s };
}

/** The exact rational value of the decimal a JS number prints as (0.1 is 1/10, not the binary double). */
export function toFraction(n: number): Fraction {
  const { m, s } = parseDecimal(n, 'value');
  return new Fraction(m, 10n ** BigInt(s));
}

/** "p/q" in lowest terms, always with a denominator, sign on p ("0/1", "-1/8", "5/1"). */
export function exactString(value: Fraction): string {
  return `${value.s < 0n ? '-' : ''}${value.n}/${value.d}`;
}

/** A signed integer q meaning q / 10^decimals, as the nearest JS number. */
export function scaledToNumber(q: bigint, decimals: number): number {
  if (q === 0n) return 0;
  const negative = q < 0n;
  const digits = (negative ? -q : q).toString().padStart(decimals + 1, '0');
  const cut = digits.length - decimals;
  const text = decimals === 0 ? digits : `${digits.slice(0, cut)}.${digits.slice(cut)}`;
  // Going through decimal text gives the correctly rounded double (13/100 becomes the literal 0.13).
  return Number(negative ? `-${text}` : text);
}

/** Nearest JS number to an exact value; exact decimals keep their decimal text. */
export function fractionToNumber(value: Fraction): number {
  let rest = value.d;
  let twos = 0;
  let fives = 0;
  while (rest % 2n === 0n) {
    rest /= 2n;
    twos++;
  }
  while (rest % 5n === 0n) {
    rest /= 5n;
    fives++;
  }
  if (rest === 1n) {
    const places = Math.max(twos, fives);
    return scaledToNumber((value.s * value.n * 10n ** BigInt(places)) / value.d, places);
  }
  // Non-terminating: 25 significant digits are more than a double can hold.
  const places = 25 + value.d.toString().length - value.n.toString().length;
  const q = (value.n * 10n ** BigInt(Math.max(places, 0))) / value.d;
  return value.s < 0n ? -Number(`${q}e-${Math.max(places, 0)}`) : Number(`${q}e-${Math.max(places, 0)}`);
}

export function assertDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) {
    throw new RangeError(`decimals must be an integer from 0 to 20, got ${decimals}`);
  }
}

/** The rounded value times 10^decimals, as a signed bigint (ranks compare these directly). */
export function roundScaled(value: Fraction, decimals: number): bigint {
  const x = value.n * 10n ** BigInt(decimals);
  let q = x / value.d;
  // Half away from zero: fraction.js' own round() goes half up, so -0.125 would become -0.12.
  if (2n * (x % value.d) >= value.d) q += 1n;
  return value.s * q;
}

/** Rounds exactly, half away from zero: 0.125 → 0.13 and -0.125 → -0.13 at 2 decimals. */
export function roundHalfAwayFromZero(value: Fraction, decimals: number): Fraction {
  assertDecimals(decimals);
  return new Fraction(roundScaled(value, decimals), 10n ** BigInt(decimals));
}

export function sumDecimals(values: Iterable<unknown>, what: string): Fraction {
  const parts: Decimal[] = [];
  let scale = 0;
  for (const v of values) {
    const d = parseDecimal(v, what);
    parts.push(d);
    if (d.s > scale) scale = d.s;
  }
  let sum = 0n;
  for (const d of parts) sum += d.m * 10n ** BigInt(scale - d.s);
  return new Fraction(sum, 10n ** BigInt(scale));
}
