import { describe, expect, it } from 'vitest';
import { isMultipleOfStep, validateSubmission } from '../../src/modules/event/domain/rubric.ts';
import type { Criterion } from '../../src/modules/event/domain/scoring.ts';

const rubric: Criterion[] = [
  { id: 'results', nameZh: '工作实绩', nameEn: 'Results', maxPoints: 40, step: 0.5 },
  { id: 'highlights', nameZh: '特色亮点', nameEn: 'Highlights', maxPoints: 30, step: 0.5 },
  { id: 'spirit', nameZh: '精神面貌', nameEn: 'Spirit', maxPoints: 10, step: 0.1 },
];

describe('isMultipleOfStep', () => {
  it('decides on decimals, not floats: 0.3 is a multiple of 0.1', () => {
    expect(0.3 % 0.1).not.toBe(0); // the float trap this function exists to avoid
    expect(isMultipleOfStep(0.3, 0.1)).toBe(true);
    expect(isMultipleOfStep(9.7, 0.1)).toBe(true);
    expect(isMultipleOfStep(1.15, 0.05)).toBe(true);
  });

  it('rejects values between steps', () => {
    expect(isMultipleOfStep(7.25, 0.5)).toBe(false);
    expect(isMultipleOfStep(0.35, 0.1)).toBe(false);
    expect(isMultipleOfStep(3, 2)).toBe(false);
  });

  it('accepts zero and whole multiples, rejects non-finite values', () => {
    expect(isMultipleOfStep(0, 0.5)).toBe(true);
    expect(isMultipleOfStep(12, 0.5)).toBe(true);
    expect(isMultipleOfStep(Number.NaN, 0.5)).toBe(false);
    expect(isMultipleOfStep(Number.POSITIVE_INFINITY, 0.5)).toBe(false);
  });

  it('throws on a step that is not positive', () => {
    expect(() => isMultipleOfStep(1, 0)).toThrow(RangeError);
    expect(() => isMultipleOfStep(1, -0.5)).toThrow(RangeError);
  });
});

describe('validateSubmission', () => {
  it('accepts a complete, valid submission and gives its exact total', () => {
    const result = validateSubmission(rubric, { results: 35.5, highlights: 22, spirit: 8.7 });
    expect(result).toEqual({ ok: true, values: { results: 35.5, highlights: 22, spirit: 8.7 }, total: 66.2 });
  });

  it('accepts the bounds 0 and maxPoints', () => {
    const result = validateSubmission(rubric, { results: 0, highlights: 30, spirit: 10 });
    expect(result).toMatchObject({ ok: true, total: 40 });
  });

  it('requires every criterion', () => {
    expect(validateSubmission(rubric, { results: 30 })).toEqual({
      ok: false,
      issues: [
        { criterionId: 'highlights', code: 'missing_criterion' },
        { criterionId: 'spirit', code: 'missing_criterion' },
      ],
    });
  });

  it('reports unknown criteria', () => {
    const result = validateSubmission(rubric, { results: 30, highlights: 20, spirit: 5, bonus: 5 });
    expect(result).toEqual({ ok: false, issues: [{ criterionId: 'bonus', code: 'unknown_criterion' }] });
  });

  it('rejects anything that is not a finite number, including numeric strings', () => {
    const result = validateSubmission(rubric, {
      results: '30',
      highlights: Number.NaN,
      spirit: Number.POSITIVE_INFINITY,
    });
    expect(result).toEqual({
      ok: false,
      issues: [
        { criterionId: 'results', code: 'not_a_number' },
        { criterionId: 'highlights', code: 'not_a_number' },
        { criterionId: 'spirit', code: 'not_a_number' },
      ],
    });
  });

  it('rejects values outside 0..maxPoints and says the maximum', () => {
    const result = validateSubmission(rubric, { results: 40.5, highlights: -0.5, spirit: 10 });
    expect(result).toEqual({
      ok: false,
      issues: [
        { criterionId: 'results', code: 'out_of_range', max: 40 },
        { criterionId: 'highlights', code: 'out_of_range', max: 30 },
      ],
    });
  });

  it('rejects values off the step grid and says the step', () => {
    const result = validateSubmission(rubric, { results: 30.25, highlights: 20, spirit: 8.75 });
    expect(result).toEqual({
      ok: false,
      issues: [
        { criterionId: 'results', code: 'wrong_step', step: 0.5 },
        { criterionId: 'spirit', code: 'wrong_step', step: 0.1 },
      ],
    });
  });

  it('treats a submission that is not an object as missing every criterion', () => {
    for (const bad of [null, undefined, 42, 'x', [1, 2, 3]]) {
      const result = validateSubmission(rubric, bad);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.issues.map((i) => i.code)).toEqual(Array(3).fill('missing_criterion'));
    }
  });

  it('stores -0 as 0', () => {
    const result = validateSubmission(rubric, { results: -0, highlights: 0, spirit: 0 });
    expect(result.ok && Object.is(result.values.results, 0)).toBe(true);
  });

  it('does not let a "__proto__" key reach the prototype', () => {
    const hostile = JSON.parse('{"results": 1, "highlights": 1, "spirit": 1, "__proto__": {"polluted": 1}}');
    const result = validateSubmission(rubric, hostile);
    expect(result).toEqual({ ok: false, issues: [{ criterionId: '__proto__', code: 'unknown_criterion' }] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an empty rubric accepts only an empty submission', () => {
    expect(validateSubmission([], {})).toEqual({ ok: true, values: {}, total: 0 });
    expect(validateSubmission([], { x: 1 })).toMatchObject({ ok: false });
  });
});
