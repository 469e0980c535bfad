// Validation of one judge's submission against the rubric, before it is stored. computeResults trusts
// that stored scores passed this check, so the two must agree on what a valid value is.

import type Fraction from 'fraction.js';
import { toFraction } from '../../../kernel/decimal.ts';
import { type Criterion, judgeTotal } from './scoring.ts';

export type SubmissionIssueCode =
  | 'unknown_criterion'
  | 'missing_criterion'
  | 'not_a_number'
  | 'out_of_range'
  | 'wrong_step';

export interface SubmissionIssue {
  criterionId: string | null;
  code: SubmissionIssueCode;
  max?: number;
  step?: number;
}

export type SubmissionResult =
  | { ok: true; values: Record<string, number>; total: number }
  | { ok: false; issues: SubmissionIssue[] };

function stepFraction(step: number): Fraction {
  if (typeof step !== 'number' || !Number.isFinite(step) || step <= 0) {
    throw new RangeError(`step must be a positive finite number, got ${String(step)}`);
  }
  return toFraction(step);
}

/**
 * Whether value is an integer multiple of step, decided on the decimals as written: 0.3 is a multiple
 * of 0.1 here although 0.3 % 0.1 is 0.09999999999999998 in floating point.
 */
export function isMultipleOfStep(value: number, step: number): boolean {
  const s = stepFraction(step);
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  return toFraction(value).div(s).d === 1n;
}

/**
 * The first criterion whose maximum is off its step grid (25.3 in steps of 0.5): its top mark could never
 * be given, and validateSubmission would refuse it. Exact on the decimals as written, like the scores.
 */
export function maxOffStepGrid<C extends { maxPoints: number; step: number }>(
  criteria: readonly C[],
): C | null {
  return criteria.find((c) => !isMultipleOfStep(c.maxPoints, c.step)) ?? null;
}

/**
 * Every rubric criterion is required; each value must be a finite number in [0, maxPoints] and a
 * multiple of the criterion's step. All issues are reported at once so a form can mark every field.
 * A submission that is not an object is treated as supplying no criterion at all.
 */
export function validateSubmission(criteria: readonly Criterion[], values: unknown): SubmissionResult {
  const supplied: Record<string, unknown> =
    typeof values === 'object' && values !== null && !Array.isArray(values)
      ? (values as Record<string, unknown>)
      : {};
  const issues: SubmissionIssue[] = [];
  const accepted: [string, number][] = [];
  const known = new Set<string>();

  for (const criterion of criteria) {
    const id = criterion.id;
    known.add(id);
    if (!Object.hasOwn(supplied, id) || supplied[id] === undefined) {
      issues.push({ criterionId: id, code: 'missing_criterion' });
      continue;
    }
    const v = supplied[id];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      issues.push({ criterionId: id, code: 'not_a_number' });
    } else if (v < 0 || v > criterion.maxPoints) {
      issues.push({ criterionId: id, code: 'out_of_range', max: criterion.maxPoints });
    } else if (!isMultipleOfStep(v, criterion.step)) {
      issues.push({ criterionId: id, code: 'wrong_step', step: criterion.step });
    } else {
      // -0 passes the range check; store it as 0 so it never prints as "-0".
      accepted.push([id, v === 0 ? 0 : v]);
    }
  }
  for (const id of Object.keys(supplied)) {
    if (!known.has(id)) issues.push({ criterionId: id, code: 'unknown_criterion' });
  }

  if (issues.length > 0) return { ok: false, issues };
  // fromEntries defines own properties, so an id like "__proto__" cannot reach the prototype.
  const clean = Object.fromEntries(accepted);
  return { ok: true, values: clean, total: judgeTotal(clean) };
}
