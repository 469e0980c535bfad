// Exact decimal arithmetic for rubric values on the phone. Values are scaled to integers before any
// comparison, step or sum, because in floating point 0.1 + 0.2 !== 0.3 and 0.3 % 0.1 !== 0: the
// total a judge sees must be the total the server computes, and a value the phone accepts must pass
// the server's step check (src/domain/rubric.ts decides on the decimals as written, too).

/** value = units / 10^scale, units an integer. */
export interface Scaled {
  units: number;
  scale: number;
}

// 12 decimals and 7 integer digits keep every intermediate below 2^53.
const MAX_SCALE = 12;
const MAX_INT_DIGITS = 7;

const FULL_WIDTH = /[\uFF10-\uFF19\uFF0E\uFF0C]/g;

/**
 * Parses what a judge typed into an exact decimal, or null when it is not a plain decimal number.
 * Accepts full-width digits (Chinese input methods) and a comma as the decimal separator (some
 * Android keyboards offer only that with inputmode="decimal").
 */
export function parseDecimal(text: string): Scaled | null {
  const s = text
    .replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .trim()
    .replace(',', '.');
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m) return null;
  const intPart = (m[2] ?? '').replace(/^0+(?=\d)/, '');
  const fracPart = (m[3] ?? '').replace(/0+$/, '');
  if (intPart === '' && (m[3] ?? '') === '') return null;
  if (intPart.length > MAX_INT_DIGITS || fracPart.length > MAX_SCALE) return null;
  const magnitude = Number((intPart || '0') + fracPart);
  return { units: m[1] === '-' && magnitude !== 0 ? -magnitude : magnitude, scale: fracPart.length };
}

/** The exact decimal a JS number stands for as written (8.5 → 85/10), via its shortest rendering. */
export function fromNumber(n: number): Scaled {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  for (let d = 0; d <= MAX_SCALE; d++) {
    const fixed = n.toFixed(d);
    if (Number(fixed) === n) {
      const parsed = parseDecimal(fixed);
      if (parsed) return parsed;
    }
  }
  // Floating-point noise (0.1 + 0.2): show it rounded rather than fail a render.
  const rounded = parseDecimal(n.toFixed(MAX_SCALE));
  if (rounded) return rounded;
  throw new RangeError(`out of range: ${n}`);
}

function rescale(a: Scaled, scale: number): number {
  return a.units * 10 ** (scale - a.scale);
}

/** Renders without trailing zeros: 925/10 → "92.5", 900/10 → "90". */
export function formatScaled(a: Scaled): string {
  const negative = a.units < 0;
  const digits = Math.abs(a.units)
    .toString()
    .padStart(a.scale + 1, '0');
  const intPart = digits.slice(0, digits.length - a.scale);
  const fracPart = digits.slice(digits.length - a.scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${intPart}${fracPart ? `.${fracPart}` : ''}`;
}

export function toNumber(a: Scaled): number {
  return Number(formatScaled(a));
}

/** Renders a number exactly as the rubric means it (no 0.30000000000000004). */
export function formatNumber(n: number): string {
  return formatScaled(fromNumber(n));
}

export function sumScaled(values: readonly Scaled[]): Scaled {
  const scale = values.reduce((s, v) => Math.max(s, v.scale), 0);
  return { units: values.reduce((acc, v) => acc + rescale(v, scale), 0), scale };
}

export type ValueIssue = 'empty' | 'not_a_number' | 'out_of_range' | 'wrong_step';
export type ValueCheck = { ok: true; value: number; exact: Scaled } | { ok: false; issue: ValueIssue };

/** The same rule as the server: a number in [0, max] that is an integer multiple of step. */
export function checkValue(text: string, max: number, step: number): ValueCheck {
  if (text.trim() === '') return { ok: false, issue: 'empty' };
  const v = parseDecimal(text);
  if (!v) return { ok: false, issue: 'not_a_number' };
  const m = fromNumber(max);
  const s = fromNumber(step);
  const scale = Math.max(v.scale, m.scale, s.scale);
  const vu = rescale(v, scale);
  if (vu < 0 || vu > rescale(m, scale)) return { ok: false, issue: 'out_of_range' };
  if (vu % rescale(s, scale) !== 0) return { ok: false, issue: 'wrong_step' };
  return { ok: true, value: toNumber(v), exact: v };
}

/**
 * The next value a − / + tap gives. Off-grid values snap to the neighbouring multiple of step in the
 * tapped direction; the result stays within [0, the largest multiple of step not above max]. From an
 * empty or unreadable field, + starts at one step and − at the top, because judges usually deduct
 * from full marks (扣分).
 */
export function stepValue(text: string, max: number, step: number, direction: 1 | -1): string {
  const m = fromNumber(max);
  const s = fromNumber(step);
  const current = text.trim() === '' ? null : parseDecimal(text);
  const scale = Math.max(m.scale, s.scale, current?.scale ?? 0);
  const su = rescale(s, scale);
  const top = Math.floor(rescale(m, scale) / su) * su;
  let next: number;
  if (!current) {
    next = direction === 1 ? su : top;
  } else {
    const cu = rescale(current, scale);
    if (cu % su === 0) next = cu + direction * su;
    else next = (direction === 1 ? Math.ceil(cu / su) : Math.floor(cu / su)) * su;
  }
  next = Math.min(Math.max(next, 0), top);
  return formatScaled({ units: next, scale });
}
