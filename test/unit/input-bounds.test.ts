// The shared number bounds (kernel/schemas.ts) and the rules' last check on a stored value: a value
// whose completion does not fit a double lights grey with a reason instead of answering Infinity.
import { describe, expect, it } from 'vitest';
import {
  boundedNumber,
  decimalPlaces,
  numberProblem,
  sortBounds,
  sortOrder,
} from '../../src/kernel/schemas.ts';
import {
  explainLight,
  type IndicatorDef,
  statusLight,
} from '../../src/modules/indicators/domain/indicators.ts';
import { type PeriodDef, periodsOfYear } from '../../src/modules/indicators/domain/periods.ts';
import { indicatorBounds, saveActualBody } from '../../src/modules/indicators/schemas.ts';

const FLOAT_LIMIT = 1.7976931348623157e308;

describe('bounded numbers', () => {
  it('counts the decimal places of the decimal a double prints as', () => {
    expect([12.5, 1200, 1e-7, 1.5e-7, -0.000001, 1e21, 0.1 + 0.2, 0].map(decimalPlaces)).toEqual([
      1, 0, 7, 8, 6, 0, 17, 0,
    ]);
  });

  it('names the first bound a number breaks', () => {
    const value = indicatorBounds.value;
    expect(numberProblem(1e12, value)).toBeNull();
    expect(numberProblem(-1e12, value)).toBeNull();
    expect(numberProblem(0.123456, value)).toBeNull();
    expect(numberProblem(FLOAT_LIMIT, value)).toEqual({ key: 'tooLarge', max: 1e12 });
    expect(numberProblem(-FLOAT_LIMIT, value)).toEqual({ key: 'tooSmall', min: -1e12 });
    expect(numberProblem(0.1234567, value)).toEqual({ key: 'tooManyDecimals', maxDecimals: 6 });
    expect(numberProblem(Number.NaN, value)).toEqual({ key: 'notFinite' });
    expect(numberProblem(Number.POSITIVE_INFINITY, value)).toEqual({ key: 'notFinite' });
    expect(numberProblem(1.5, sortBounds)).toEqual({ key: 'notInteger' });
    expect(numberProblem(0.5, indicatorBounds.rank)).toEqual({ key: 'notInteger' });
  });

  it('a schema refuses what numberProblem refuses', () => {
    const schema = boundedNumber(indicatorBounds.value);
    for (const x of [1e12, -1e12, 0.123456, 0, 99.1])
      expect(schema.safeParse(x).success, String(x)).toBe(true);
    for (const x of [FLOAT_LIMIT, -FLOAT_LIMIT, 1e13, 0.1234567, 1e-7]) {
      expect(schema.safeParse(x).success, String(x)).toBe(false);
    }
    expect(saveActualBody.safeParse({ value: FLOAT_LIMIT }).success).toBe(false);
    expect(sortOrder.safeParse(2 ** 31).success).toBe(false);
    expect(sortOrder.safeParse(-3).success).toBe(true);
  });
});

describe('the light of a value stored before the bounds', () => {
  const [, Q2] = periodsOfYear(2023, 'quarterly') as [PeriodDef, PeriodDef];
  const air: IndicatorDef = {
    id: 'air',
    direction: 'lower',
    kind: 'point',
    baseline: 40,
    target: 30,
    plan: { kind: 'linear' },
    weight: 1,
  };
  const light = (ind: IndicatorDef, value: number) =>
    statusLight({
      indicator: ind,
      period: Q2,
      actual: { value, status: 'submitted' },
      now: '2023-07-20T00:00:00.000Z',
    });

  it('is grey with a reason when its completion or gap would not fit a double, never Infinity', () => {
    for (const value of [-FLOAT_LIMIT, FLOAT_LIMIT, Number.NaN, Number.NEGATIVE_INFINITY]) {
      const r = light(air, value);
      expect(r, String(value)).toMatchObject({
        light: 'grey',
        completion: null,
        gapPoints: null,
        reason: { key: 'lights.outOfRange' },
      });
      expect(Number.isFinite(r.expected)).toBe(true);
      // Every figure survives a JSON response.
      expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    }
    expect(explainLight(light(air, -FLOAT_LIMIT), 'zh-CN')).toBe(
      '实际值 -1.7976931348623157e+308 超出可计算的范围，无法计算完成率，请核实更正：灰灯',
    );
    expect(explainLight(light(air, -FLOAT_LIMIT), 'en-US')).toBe(
      'Actual -1.7976931348623157e+308 is beyond the range completion can be computed for; check and correct it: grey',
    );
  });

  it('still assesses a large value whose figures fit', () => {
    // (−1e300 − 40) / (30 − 40) is 1e299: far ahead, and every figure finite.
    expect(light(air, -1e300)).toMatchObject({ light: 'green', reason: { key: 'lights.green' } });
    expect(light(air, 1e12)).toMatchObject({ light: 'red', reason: { key: 'lights.red' } });
  });
});
