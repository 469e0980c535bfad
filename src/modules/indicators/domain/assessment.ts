// A unit's assessment score (综合考核): each indicator's score out of 100 and their weighted mean.
import Fraction from 'fraction.js';
import { fractionToNumber, roundHalfAwayFromZero, toFraction } from '../../../kernel/decimal.ts';
import { assertFinite, roundForDisplay } from './exact.ts';
import type { Stars } from './stars.ts';

/**
 * One indicator's score out of 100 for the assessment: min(max(completion, 0), 1) × 100 from a raw
 * completion (missing: 0), or stars × 20 from a star grade (none: 0); rounded to 2 decimals.
 */
export function indicatorScore(value: { completion: number | null } | { stars: Stars | null }): number {
  if ('stars' in value) {
    if (value.stars !== null && (!Number.isInteger(value.stars) || value.stars < 1 || value.stars > 5)) {
      throw new RangeError(`stars must be 1 to 5, got ${String(value.stars)}`);
    }
    return value.stars === null ? 0 : value.stars * 20;
  }
  if (value.completion === null) return 0;
  assertFinite(value.completion, 'completion');
  return roundForDisplay(Math.min(Math.max(value.completion, 0), 1) * 100, 2);
}

/** Beyond this many indicators the formula shows the sums instead of every term. */
export const formulaMaxTerms = 50;

/**
 * A unit's assessment score: Σ(weight × score) / Σweight, exact, rounded to 2 decimals half away from
 * zero. The formula shows every term (up to formulaMaxTerms). No positive weight at all gives 0, and the
 * formula says so.
 */
export function assessmentScore(items: { indicatorId: string; weight: number; score: number }[]): {
  score: number;
  formula: string;
} {
  let num = new Fraction(0);
  let den = new Fraction(0);
  for (const item of items) {
    const w = toFraction(item.weight);
    const s = toFraction(item.score);
    if (w.compare(0) < 0)
      throw new RangeError(`weight of ${item.indicatorId} must be ≥ 0, got ${item.weight}`);
    if (s.compare(0) < 0 || s.compare(100) > 0) {
      throw new RangeError(`score of ${item.indicatorId} must be from 0 to 100, got ${item.score}`);
    }
    num = num.add(w.mul(s));
    den = den.add(w);
  }
  const head = 'Σ(weight×score)/Σweight';
  if (den.compare(0) === 0) return { score: 0, formula: `${head}: Σweight = 0, score 0` };
  const score = fractionToNumber(roundHalfAwayFromZero(num.div(den), 2));
  const denText = String(fractionToNumber(den));
  if (items.length > formulaMaxTerms) {
    return {
      score,
      formula: `${head} = ${fractionToNumber(num)}/${denText} = ${score} (${items.length} indicators)`,
    };
  }
  const terms = items.map((i) => `${i.weight}×${i.score}`).join(' + ');
  return { score, formula: `${head} = (${terms})/${denText} = ${score}` };
}
