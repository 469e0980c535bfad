// Completion of an indicator and the completion expected by the end of a period (序时进度). The
// indicator's definition as the rules take it lives here too: completion is the first rule that reads it.
import type Fraction from 'fraction.js';
import { fractionToNumber, toFraction } from '../../../kernel/decimal.ts';
import { assertFinite, decimalQ, divQ, type Q, qToNumber, subQ } from './exact.ts';
import { type PeriodDef, yearDaysElapsed } from './periods.ts';

export type Direction = 'higher' | 'lower';
export type IndicatorKind = 'cumulative' | 'point';
export type Plan = { kind: 'linear' } | { kind: 'phased'; expected: Record<string, number> };

export interface IndicatorDef {
  id: string;
  direction: Direction;
  /**
   * Informational for the rules: the caller passes, as `actual`, the cumulative value to date for a
   * 'cumulative' indicator and the value at the period for a 'point' one; both are compared the same way.
   */
  kind: IndicatorKind;
  baseline: number;
  /** Annual target. */
  target: number;
  /** phased: period key → the VALUE (in the indicator's unit) expected at the end of that period. */
  plan: Plan;
  /** The indicator's weight in its unit's assessment score (assessmentScore); not used by the light. */
  weight: number;
  /** What drives the light: completion against the plan (default) or an external rank. */
  lightSource?: 'completion' | 'rank';
}

/** The upper bound of the displayed completion; the raw value is never clamped. */
export const completionDisplayMax = 1.5;

export type CompletionProblem = 'targetEqualsBaseline' | 'targetAgainstDirection';

/**
 * Why completion cannot be computed for an indicator, or null when it can. target = baseline leaves no
 * distance to cover (a "hold the line" indicator); a target on the wrong side of the baseline for the
 * direction (a 'lower' indicator whose target is above its baseline) would reward moving the wrong way.
 * Comparing the doubles compares the decimals: rounding to a double keeps order and equality.
 */
export function completionProblem(
  ind: Pick<IndicatorDef, 'direction' | 'baseline' | 'target'>,
): CompletionProblem | null {
  assertFinite(ind.baseline, 'baseline');
  assertFinite(ind.target, 'target');
  if (ind.target === ind.baseline) return 'targetEqualsBaseline';
  if (ind.direction === 'higher' ? ind.target < ind.baseline : ind.target > ind.baseline) {
    return 'targetAgainstDirection';
  }
  return null;
}

type Span = Pick<IndicatorDef, 'baseline' | 'target'>;

// For 'lower' the target is below the baseline: numerator and denominator are both negative while the
// value falls, so the same formula measures the share of the planned reduction achieved.

export function ratioQ(ind: Span, value: number): Q | null {
  const v = decimalQ(value);
  const b = decimalQ(ind.baseline);
  const t = decimalQ(ind.target);
  if (v === null || b === null || t === null) return null;
  const num = subQ(v, b);
  const den = subQ(t, b);
  return num === null || den === null ? null : divQ(num, den);
}

export function ratioExact(ind: Span, value: number): Fraction {
  const b = toFraction(ind.baseline);
  return toFraction(value).sub(b).div(toFraction(ind.target).sub(b));
}

/** The nearest double of (value − baseline) / (target − baseline). */
function ratioNumber(ind: Span, value: number): number {
  const fast = ratioQ(ind, value);
  return fast !== null ? qToNumber(fast) : fractionToNumber(ratioExact(ind, value));
}

/**
 * Completion = (actual − baseline) / (target − baseline). `raw` is unclamped (negative when the actual
 * moved the wrong way, above 1 when the target is exceeded) and is what the rules use; `display` is raw
 * clamped to [0, 1.5] for bars and charts. Both are null when completionProblem() is not null.
 */
export function completion(
  ind: Pick<IndicatorDef, 'direction' | 'baseline' | 'target'>,
  actual: number,
): { raw: number | null; display: number | null } {
  assertFinite(actual, 'actual');
  if (completionProblem(ind) !== null) return { raw: null, display: null };
  const raw = ratioNumber(ind, actual);
  return { raw, display: Math.min(Math.max(raw, 0), completionDisplayMax) };
}

// Expected progress by the period (序时进度)

function plannedValue(ind: IndicatorDef, period: Pick<PeriodDef, 'key'>): number | undefined {
  if (ind.plan.kind !== 'phased') return undefined;
  const expected = ind.plan.expected;
  if (!Object.hasOwn(expected, period.key)) return undefined;
  const value = expected[period.key]!;
  assertFinite(value, `planned value for ${period.key}`);
  return value;
}

/** Where the expected completion comes from: a planned value, or the days of the year elapsed. */
export type Expected = { planned: number } | { elapsed: number; total: number };

export function expectedOf(ind: IndicatorDef, period: PeriodDef): Expected {
  const planned = plannedValue(ind, period);
  if (planned !== undefined && completionProblem(ind) === null) return { planned };
  return yearDaysElapsed(period);
}

export function expectedNumber(ind: IndicatorDef, e: Expected): number {
  return 'planned' in e ? ratioNumber(ind, e.planned) : e.elapsed / e.total;
}

/**
 * The completion expected at the end of the period. Linear plan: the share of the year elapsed
 * (yearShareElapsed). Phased plan: the completion of the value planned for the period, unclamped (the
 * plan is taken at its word). Falls back to linear when a phased plan has no value for this period's key,
 * or when completion is undefined for the indicator (completionProblem).
 */
export function expectedCompletion(ind: IndicatorDef, period: PeriodDef): number {
  return expectedNumber(ind, expectedOf(ind, period));
}

/** The value (in the indicator's unit) expected at the end of the period: baseline + expected × span. */
export function expectedValue(ind: IndicatorDef, period: PeriodDef): number {
  const planned = plannedValue(ind, period);
  if (planned !== undefined) return planned;
  const { elapsed, total } = yearDaysElapsed(period);
  const b = toFraction(ind.baseline);
  return fractionToNumber(b.add(toFraction(ind.target).sub(b).mul(elapsed).div(total)));
}
