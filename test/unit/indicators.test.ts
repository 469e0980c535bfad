import { describe, expect, it } from 'vitest';
import {
  assessmentScore,
  completion,
  completionProblem,
  defaultLightRules,
  expectedCompletion,
  expectedValue,
  explainLight,
  type IndicatorDef,
  indicatorScore,
  type LightInput,
  type LightRules,
  lightReasonTemplates,
  lightRulesProblem,
  lightSeverity,
  rankingChange,
  roundForDisplay,
  type StarBands,
  starBandsProblem,
  starGrade,
  statusLight,
} from '../../src/modules/indicators/domain/indicators.ts';
import { type PeriodDef, periodsOfYear } from '../../src/modules/indicators/domain/periods.ts';

const [Q1, Q2, Q3, Q4] = periodsOfYear(2023, 'quarterly') as [PeriodDef, PeriodDef, PeriodDef, PeriodDef];
/** Q2 2023 data is due by the end of 2023-07-10 in UTC+8, i.e. 2023-07-10T16:00Z; grace ends 5 days later. */
const DUE_AT = '2023-07-10T16:00:00.000Z';
const GRACE_ENDS_AT = '2023-07-15T16:00:00.000Z';
const AFTER_GRACE = '2023-07-20T00:00:00.000Z';

function indicator(extra: Partial<IndicatorDef> = {}): IndicatorDef {
  return {
    id: 'ind',
    direction: 'higher',
    kind: 'cumulative',
    baseline: 0,
    target: 100,
    plan: { kind: 'linear' },
    weight: 1,
    ...extra,
  };
}

function light(
  ind: IndicatorDef,
  value: number | null,
  opts: Partial<Omit<LightInput, 'actual'>> & {
    status?: 'draft' | 'submitted' | 'verified' | 'returned';
  } = {},
  rules?: LightRules,
) {
  const { status = 'submitted', ...rest } = opts;
  return statusLight(
    {
      indicator: ind,
      period: Q2,
      actual: value === null ? null : { value, status },
      now: AFTER_GRACE,
      ...rest,
    },
    rules,
  );
}

describe('completion', () => {
  it('is the share of the distance from baseline to target covered', () => {
    const ind = { direction: 'higher' as const, baseline: 0, target: 1261 };
    expect(completion(ind, 630.5)).toEqual({ raw: 0.5, display: 0.5 });
    expect(completion(ind, 1261)).toEqual({ raw: 1, display: 1 });
    expect(completion(ind, 0)).toEqual({ raw: 0, display: 0 });
    expect(completion({ direction: 'higher', baseline: 200, target: 300 }, 250)).toEqual({
      raw: 0.5,
      display: 0.5,
    });
  });

  it('keeps the raw value unclamped and clamps the displayed one to [0, 1.5]', () => {
    const ind = { direction: 'higher' as const, baseline: 100, target: 200 };
    expect(completion(ind, 220)).toEqual({ raw: 1.2, display: 1.2 });
    expect(completion(ind, 400)).toEqual({ raw: 3, display: 1.5 });
    expect(completion(ind, 90)).toEqual({ raw: -0.1, display: 0 });
  });

  it('measures a lower-is-better indicator by the share of the planned reduction achieved', () => {
    const ind = { direction: 'lower' as const, baseline: 10, target: 5 };
    expect(completion(ind, 7)).toEqual({ raw: 0.6, display: 0.6 });
    expect(completion(ind, 5)).toEqual({ raw: 1, display: 1 });
    expect(completion(ind, 4)).toEqual({ raw: 1.2, display: 1.2 });
    expect(completion(ind, 12)).toEqual({ raw: -0.4, display: 0 });
  });

  it('reads decimals as written: (0.4 − 0.1) / (0.7 − 0.1) is 0.5, not 0.49999999999999994', () => {
    expect(completion({ direction: 'higher', baseline: 0.1, target: 0.7 }, 0.4).raw).toBe(0.5);
    expect(completion({ direction: 'lower', baseline: 0.7, target: 0.1 }, 0.4).raw).toBe(0.5);
  });

  it('is null when the target equals the baseline or contradicts the direction', () => {
    expect(completion({ direction: 'higher', baseline: 5, target: 5 }, 5)).toEqual({
      raw: null,
      display: null,
    });
    expect(completion({ direction: 'lower', baseline: 5, target: 8 }, 6)).toEqual({
      raw: null,
      display: null,
    });
    expect(completion({ direction: 'higher', baseline: 8, target: 5 }, 6)).toEqual({
      raw: null,
      display: null,
    });
    expect(completionProblem({ direction: 'lower', baseline: 0, target: 0 })).toBe('targetEqualsBaseline');
    expect(completionProblem({ direction: 'lower', baseline: 5, target: 8 })).toBe('targetAgainstDirection');
    expect(completionProblem({ direction: 'lower', baseline: 8, target: 5 })).toBeNull();
  });

  it('refuses a value that is not a finite number', () => {
    const ind = { direction: 'higher' as const, baseline: 0, target: 1 };
    expect(() => completion(ind, Number.NaN)).toThrow(RangeError);
    expect(() => completion(ind, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => completion({ direction: 'higher', baseline: Number.NaN, target: 1 }, 0)).toThrow(RangeError);
  });
});

describe('expected completion (序时进度)', () => {
  it('is the share of the year elapsed at the end of the period for a linear plan', () => {
    const ind = indicator();
    expect([Q1, Q2, Q3, Q4].map((p) => expectedCompletion(ind, p))).toEqual([
      90 / 365,
      181 / 365,
      273 / 365,
      1,
    ]);
    expect(expectedCompletion(ind, periodsOfYear(2024, 'monthly')[5]!)).toBe(182 / 366);
  });

  it('is the completion of the planned value for a phased plan', () => {
    const ind = indicator({
      target: 1261,
      plan: { kind: 'phased', expected: { '2023-Q1': 100, '2023-Q2': 700 } },
    });
    expect(expectedCompletion(ind, Q1)).toBe(100 / 1261);
    expect(expectedCompletion(ind, Q2)).toBe(700 / 1261);
  });

  it('falls back to linear for a period missing from a phased plan', () => {
    const ind = indicator({ plan: { kind: 'phased', expected: { '2023-Q2': 70 } } });
    expect(expectedCompletion(ind, Q3)).toBe(273 / 365);
    expect(expectedCompletion(ind, periodsOfYear(2023, 'monthly')[5]!)).toBe(181 / 365);
  });

  it('measures a phased lower-is-better plan as the share of the reduction planned', () => {
    const ind = indicator({
      direction: 'lower',
      baseline: 100,
      target: 60,
      plan: { kind: 'phased', expected: { '2023-Q2': 80 } },
    });
    expect(expectedCompletion(ind, Q2)).toBe(0.5);
  });

  it('takes a phased plan at its word, even beyond the target', () => {
    const ind = indicator({ plan: { kind: 'phased', expected: { '2023-Q4': 110 } } });
    expect(expectedCompletion(ind, Q4)).toBe(1.1);
  });

  it('falls back to linear when completion is undefined for the indicator', () => {
    const ind = indicator({ baseline: 0, target: 0, plan: { kind: 'phased', expected: { '2023-Q2': 0 } } });
    expect(expectedCompletion(ind, Q2)).toBe(181 / 365);
  });

  it('gives the expected value in the indicator unit', () => {
    expect(expectedValue(indicator({ target: 365 }), Q2)).toBe(181);
    expect(expectedValue(indicator({ direction: 'lower', baseline: 365, target: 0 }), Q2)).toBe(184);
    expect(expectedValue(indicator({ plan: { kind: 'phased', expected: { '2023-Q2': 42 } } }), Q2)).toBe(42);
  });
});

describe('status light', () => {
  it('is green when completion reaches the expected progress', () => {
    // 集中连片整治: 630.5 of 1261 亩 by the end of June is half the task at 181/365 of the year.
    const r = light(indicator({ target: 1261 }), 630.5);
    expect(r).toMatchObject({ light: 'green', completion: 0.5, expected: 181 / 365, rulesVersion: 1 });
    expect(r.reason).toEqual({ key: 'lights.green', params: { done: 50, expected: 49.6, ahead: 0.4 } });
    expect(r.gapPoints).toBeCloseTo(-0.41096, 4);
  });

  it('is yellow when behind by less than the threshold', () => {
    const r = light(indicator({ plan: { kind: 'phased', expected: { '2023-Q2': 50 } } }), 45);
    expect(r).toMatchObject({ light: 'yellow', completion: 0.45, expected: 0.5, gapPoints: 5 });
    expect(r.reason).toEqual({
      key: 'lights.yellow',
      params: { done: 45, expected: 50, gap: 5, threshold: 10 },
    });
  });

  it('is red when behind by the threshold or more, and says so in one sentence', () => {
    const r = light(indicator({ plan: { kind: 'phased', expected: { '2023-Q2': 50 } } }), 38);
    expect(r).toMatchObject({ light: 'red', completion: 0.38, expected: 0.5, gapPoints: 12 });
    expect(explainLight(r, 'zh-CN')).toBe('完成 38%，序时进度 50%，落后 12 个百分点：红灯');
    expect(explainLight(r, 'en-US')).toBe('38% done, 50% expected by now, 12 points behind: red');
  });

  it('decides exactly at the boundaries where floating point would not', () => {
    // In doubles (0.5 − 0.4/1) × 100 is 9.999999999999998 < 10: naive code would say yellow.
    const rate = indicator({ target: 1, plan: { kind: 'phased', expected: { '2023-Q2': 0.5 } } });
    expect(light(rate, 0.4).light).toBe('red');
    expect(light(rate, 0.41).light).toBe('yellow');
    // (0.2 − 0.17) / 0.3 is exactly 10 points; doubles give 9.999999999999998.
    expect(
      light(indicator({ target: 0.3, plan: { kind: 'phased', expected: { '2023-Q2': 0.2 } } }), 0.17).light,
    ).toBe('red');
    // (1.91 − 0.1) / (3.75 − 0.1) is exactly 181/365; doubles give 0.49589041095890407 < 181/365.
    expect(light(indicator({ baseline: 0.1, target: 3.75 }), 1.91).light).toBe('green');
  });

  it('decides exactly on numbers too long or too large for small-integer arithmetic', () => {
    for (const scale of [1e-10, 1e20]) {
      const ind = indicator({
        target: 3 * scale,
        plan: { kind: 'phased', expected: { '2023-Q2': 1.5 * scale } },
      });
      expect(light(ind, 1.2 * scale)).toMatchObject({
        light: 'red',
        completion: 0.4,
        expected: 0.5,
        gapPoints: 10,
      });
      expect(light(ind, 1.21 * scale).light).toBe('yellow');
      expect(light(ind, 1.5 * scale).light).toBe('green');
    }
    expect(completion({ direction: 'higher', baseline: 0, target: 1 }, 1 / 3).raw).toBe(1 / 3);
  });

  it('uses the configured threshold and records the rules version', () => {
    const rules: LightRules = { ...defaultLightRules, version: 7, yellowWithinPoints: 15 };
    const r = light(indicator({ plan: { kind: 'phased', expected: { '2023-Q2': 50 } } }), 38, {}, rules);
    expect(r).toMatchObject({ light: 'yellow', rulesVersion: 7 });
    expect(explainLight(r, 'zh-CN')).toBe(
      '完成 38%，序时进度 50%，落后 12 个百分点（不足 15 个百分点）：黄灯',
    );
    expect(light(indicator(), 49, {}, { ...rules, yellowWithinPoints: 0 }).light).toBe('red');
  });

  it('handles lower-is-better indicators: falling faster than planned is green', () => {
    // Baseline 20, target 10 by the year end; by Q2 about 15.04 is expected.
    const ind = indicator({ direction: 'lower', baseline: 20, target: 10 });
    expect(light(ind, 14)).toMatchObject({ light: 'green', completion: 0.6 });
    expect(light(ind, 16)).toMatchObject({ light: 'yellow', completion: 0.4 });
    expect(light(ind, 19)).toMatchObject({ light: 'red', completion: 0.1 });
    expect(light(ind, 25)).toMatchObject({ light: 'red', completion: -0.5 });
  });

  it('compares point-in-time indicators the same way, on the value at the period', () => {
    // 一网通办率 from 90% to 98%: 95% at Q2 is 62.5% of the way.
    const ind = indicator({ kind: 'point', baseline: 90, target: 98 });
    expect(light(ind, 95)).toMatchObject({ light: 'green', completion: 0.625 });
  });

  it('is grey before the due date when nothing is submitted, grey in the grace period, overdue after it', () => {
    const ind = indicator();
    const at = (now: string) => light(ind, null, { now });
    expect(at('2023-06-30T12:00:00.000Z')).toMatchObject({
      light: 'grey',
      completion: null,
      gapPoints: null,
    });
    expect(at('2023-06-30T12:00:00.000Z').reason).toEqual({
      key: 'lights.notDue',
      params: { due: '2023-07-10', graceEnd: '2023-07-15' },
    });
    expect(at('2023-07-10T15:59:59.999Z').reason.key).toBe('lights.notDue');
    expect(at(DUE_AT)).toMatchObject({ light: 'grey', reason: { key: 'lights.inGrace' } });
    expect(at(GRACE_ENDS_AT)).toMatchObject({ light: 'grey', reason: { key: 'lights.inGrace' } });
    expect(at('2023-07-15T16:00:00.001Z')).toMatchObject({
      light: 'overdue',
      reason: { key: 'lights.overdue' },
    });
    // The same instants written in UTC+8.
    expect(at('2023-07-10T23:59:59.999+08:00').reason.key).toBe('lights.notDue');
    expect(at('2023-07-16T00:00:00.000+08:00').light).toBe('grey');
    expect(at('2023-07-16T00:00:00.001+08:00').light).toBe('overdue');
    expect(explainLight(at(AFTER_GRACE), 'zh-CN')).toBe(
      '报送期限 2023-07-10（宽限期至 2023-07-15）已过，仍未报送：未按期报送',
    );
  });

  it('is overdue right after the due instant when there is no grace', () => {
    const ind = indicator();
    const period = { ...Q2, graceDays: 0 };
    expect(light(ind, null, { period, now: DUE_AT }).light).toBe('grey');
    expect(light(ind, null, { period, now: '2023-07-10T16:00:00.001Z' }).light).toBe('overdue');
  });

  it('reads the deadlines in the zone the rules say', () => {
    const utc: LightRules = { ...defaultLightRules, utcOffsetMinutes: 0 };
    expect(light(indicator(), null, { now: '2023-07-10T20:00:00.000Z' }).reason.key).toBe('lights.inGrace');
    expect(light(indicator(), null, { now: '2023-07-10T20:00:00.000Z' }, utc).reason.key).toBe(
      'lights.notDue',
    );
  });

  it('does not count drafts or returned values as submitted', () => {
    const ind = indicator();
    for (const status of ['draft', 'returned'] as const) {
      expect(light(ind, 999, { status, now: '2023-07-01T00:00:00Z' }).light).toBe('grey');
      expect(light(ind, 999, { status, now: AFTER_GRACE })).toMatchObject({
        light: 'overdue',
        completion: null,
      });
    }
  });

  it('counts submitted and verified values, early or late', () => {
    const ind = indicator();
    expect(light(ind, 60, { status: 'submitted', now: '2023-06-01T00:00:00Z' }).light).toBe('green');
    expect(light(ind, 60, { status: 'verified', now: '2024-02-01T00:00:00Z' }).light).toBe('green');
  });

  it('judges a hold-the-line indicator (target = baseline) by the target itself', () => {
    const zeroAccidents = indicator({ direction: 'lower', baseline: 0, target: 0 });
    expect(light(zeroAccidents, 0)).toMatchObject({ light: 'green', completion: null, gapPoints: null });
    expect(light(zeroAccidents, 0).reason).toEqual({
      key: 'lights.holdMet',
      params: { actual: 0, target: 0, baseline: 0 },
    });
    expect(light(zeroAccidents, 2)).toMatchObject({ light: 'red', reason: { key: 'lights.holdMissed' } });
    const keepRate = indicator({ baseline: 95, target: 95 });
    expect(light(keepRate, 95.5).light).toBe('green');
    expect(light(keepRate, 94.9).light).toBe('red');
  });

  it('is grey with a reason when the target contradicts the direction', () => {
    const r = light(indicator({ direction: 'lower', baseline: 5, target: 8 }), 6);
    expect(r).toMatchObject({ light: 'grey', completion: null, reason: { key: 'lights.badTarget' } });
    expect(explainLight(r, 'zh-CN')).toBe('目标值 8 与基数 5 不符合指标方向，无法计算完成率：灰灯');
  });

  it('refuses invalid rules and an instant without a zone', () => {
    expect(() => light(indicator(), 1, {}, { version: 1, yellowWithinPoints: -1 })).toThrow(RangeError);
    expect(() =>
      light(indicator(), 1, {}, { version: 1, yellowWithinPoints: 10, rankRed: { bottomShare: 2 } }),
    ).toThrow(RangeError);
    expect(lightRulesProblem(defaultLightRules)).toBeNull();
    expect(
      lightRulesProblem({ version: 1, yellowWithinPoints: 10, rankRed: null, rankYellow: null }),
    ).toBeNull();
    expect(() => light(indicator(), null, { now: '2023-07-20T00:00:00' })).toThrow(RangeError);
  });
});

describe('rank as the light source', () => {
  const ranked = indicator({ lightSource: 'rank' });
  const byRank = (rank: number, outOf: number, rules?: LightRules) =>
    light(ranked, null, { rank: { rank, outOf } }, rules);

  it('is red in the bottom third, yellow in the bottom half, green above (双随机监管 89 → 32 of 90)', () => {
    expect(byRank(89, 90)).toMatchObject({
      light: 'red',
      reason: { key: 'lights.rankRed', params: { rank: 89, outOf: 90, bottomPercent: 33.3 } },
    });
    expect(byRank(32, 90).light).toBe('green');
    expect(byRank(50, 90).light).toBe('yellow');
    expect(explainLight(byRank(89, 90), 'zh-CN')).toBe('排名第 89 位（共 90 个），处于后 33.3%：红灯');
    expect(explainLight(byRank(32, 90), 'en-US')).toBe('Ranked 32 of 90: green');
  });

  it('puts the boundaries where a third and a half of the scope end, exactly', () => {
    // Bottom third of 90: ranks 61–90 (30 units); bottom half: ranks 46–90.
    expect(byRank(61, 90).light).toBe('red');
    expect(byRank(60, 90).light).toBe('yellow');
    expect(byRank(46, 90).light).toBe('yellow');
    expect(byRank(45, 90).light).toBe('green');
    // A scope of 11 units: a third is 3.67 units, so the last three are red.
    expect(byRank(9, 11).light).toBe('red');
    expect(byRank(8, 11).light).toBe('yellow');
    expect(byRank(7, 11).light).toBe('yellow');
    expect(byRank(6, 11).light).toBe('green');
    expect(byRank(1, 1).light).toBe('green');
  });

  it('follows the configured shares, and without shares every rank is green', () => {
    expect(byRank(89, 90, { version: 2, yellowWithinPoints: 10 }).light).toBe('green');
    expect(byRank(80, 100, { version: 2, yellowWithinPoints: 10, rankRed: { bottomShare: 0.2 } }).light).toBe(
      'green',
    );
    expect(byRank(81, 100, { version: 2, yellowWithinPoints: 10, rankRed: { bottomShare: 0.2 } }).light).toBe(
      'red',
    );
  });

  it('is grey without a rank and ignores submission deadlines', () => {
    expect(light(ranked, null, { rank: null })).toMatchObject({
      light: 'grey',
      reason: { key: 'lights.noRank' },
    });
    expect(light(ranked, null, { now: AFTER_GRACE }).light).toBe('grey');
  });

  it('still reports completion when a value was submitted', () => {
    expect(light(ranked, 60, { rank: { rank: 1, outOf: 11 } })).toMatchObject({
      light: 'green',
      completion: 0.6,
    });
  });

  it('refuses impossible ranks', () => {
    expect(() => byRank(0, 90)).toThrow(RangeError);
    expect(() => byRank(91, 90)).toThrow(RangeError);
    expect(() => byRank(1.5, 90)).toThrow(RangeError);
  });
});

describe('explanations', () => {
  it('has a sentence for every reason key in both locales', () => {
    expect(Object.keys(lightReasonTemplates['en-US']).sort()).toEqual(
      Object.keys(lightReasonTemplates['zh-CN']).sort(),
    );
  });

  it('returns the key for an unknown reason and leaves unknown parameters visible', () => {
    expect(explainLight({ reason: { key: 'lights.unknown', params: {} } }, 'zh-CN')).toBe('lights.unknown');
    expect(explainLight({ reason: { key: 'lights.notDue', params: {} } }, 'en-US')).toBe(
      'Not due yet (due {{due}}): grey',
    );
  });

  it('orders lights by severity for laggard lists', () => {
    const order = (['green', 'grey', 'overdue', 'yellow', 'red'] as const)
      .slice()
      .sort((a, b) => lightSeverity[b] - lightSeverity[a]);
    expect(order).toEqual(['overdue', 'red', 'yellow', 'green', 'grey']);
  });

  it('rounds percentages half away from zero on the decimal', () => {
    expect(roundForDisplay(38.45, 1)).toBe(38.5);
    expect(roundForDisplay(0.3845 * 100, 1)).toBe(38.5);
    expect(roundForDisplay(-38.45, 1)).toBe(-38.5);
    expect(roundForDisplay(38.44999, 1)).toBe(38.4);
    expect(roundForDisplay(1.005, 2)).toBe(1.01);
    expect(roundForDisplay(1e-7, 1)).toBe(0);
  });
});

describe('star grades (五星)', () => {
  const byCompletion: StarBands = {
    source: 'completion',
    bands: [
      { stars: 5, min: 1 },
      { stars: 4, min: 0.9 },
      { stars: 3, min: 0.8 },
      { stars: 2, min: 0.6 },
      { stars: 1, min: 0 },
    ],
  };
  const byRank: StarBands = {
    source: 'rank',
    bands: [
      { stars: 5, min: 0.2 },
      { stars: 4, min: 0.4 },
      { stars: 3, min: 0.6 },
      { stars: 2, min: 0.8 },
      { stars: 1, min: 1 },
    ],
  };

  it('gives the best band whose minimum completion is reached', () => {
    expect(starGrade(byCompletion, { completion: 1.3 })).toBe(5);
    expect(starGrade(byCompletion, { completion: 1 })).toBe(5);
    expect(starGrade(byCompletion, { completion: 0.95 })).toBe(4);
    expect(starGrade(byCompletion, { completion: 0.8 })).toBe(3);
    expect(starGrade(byCompletion, { completion: 0.59 })).toBe(1);
    expect(starGrade(byCompletion, { completion: -0.1 })).toBeNull();
    expect(starGrade(byCompletion, { completion: null })).toBeNull();
    expect(starGrade(byCompletion, {})).toBeNull();
  });

  it('gives the best band whose top share contains the rank (榜首 of 11 is five stars)', () => {
    expect(starGrade(byRank, { rank: { rank: 1, outOf: 11 } })).toBe(5);
    expect(starGrade(byRank, { rank: { rank: 2, outOf: 10 } })).toBe(5);
    expect(starGrade(byRank, { rank: { rank: 3, outOf: 10 } })).toBe(4);
    expect(starGrade(byRank, { rank: { rank: 10, outOf: 10 } })).toBe(1);
    // With three units, first place is the top third, not the top 20%.
    expect(starGrade(byRank, { rank: { rank: 1, outOf: 3 } })).toBe(4);
    expect(starGrade(byRank, { rank: null })).toBeNull();
    expect(
      starGrade({ source: 'rank', bands: [{ stars: 5, min: 0.2 }] }, { rank: { rank: 5, outOf: 10 } }),
    ).toBeNull();
  });

  it('refuses bands that are not listed best first or cannot be reached', () => {
    const worstFirst: StarBands = { source: 'completion', bands: [...byCompletion.bands].reverse() };
    expect(starBandsProblem(worstFirst)).not.toBeNull();
    expect(() => starGrade(worstFirst, { completion: 1 })).toThrow(RangeError);
    expect(starBandsProblem({ source: 'completion', bands: [] })).not.toBeNull();
    expect(
      starBandsProblem({
        source: 'completion',
        bands: [
          { stars: 5, min: 1 },
          { stars: 4, min: 1 },
        ],
      }),
    ).not.toBeNull();
    expect(starBandsProblem({ source: 'rank', bands: [{ stars: 5, min: 0 }] })).not.toBeNull();
    expect(starBandsProblem(byCompletion)).toBeNull();
    expect(starBandsProblem(byRank)).toBeNull();
  });
});

describe('assessment score (综合考核)', () => {
  it('is the weighted mean of the indicator scores, with the formula shown', () => {
    const r = assessmentScore([
      { indicatorId: 'a', weight: 2, score: 80 },
      { indicatorId: 'b', weight: 1, score: 100 },
    ]);
    expect(r).toEqual({ score: 86.67, formula: 'Σ(weight×score)/Σweight = (2×80 + 1×100)/3 = 86.67' });
  });

  it('sums decimal weights exactly', () => {
    const r = assessmentScore([
      { indicatorId: 'a', weight: 0.1, score: 50 },
      { indicatorId: 'b', weight: 0.2, score: 80 },
    ]);
    expect(r).toEqual({ score: 70, formula: 'Σ(weight×score)/Σweight = (0.1×50 + 0.2×80)/0.3 = 70' });
  });

  it('is 0 when no indicator carries weight, and says why', () => {
    expect(assessmentScore([])).toEqual({
      score: 0,
      formula: 'Σ(weight×score)/Σweight: Σweight = 0, score 0',
    });
    expect(assessmentScore([{ indicatorId: 'a', weight: 0, score: 90 }]).score).toBe(0);
  });

  it('shows the sums instead of every term for a long list', () => {
    const items = Array.from({ length: 60 }, (_, i) => ({
      indicatorId: `i${i}`,
      weight: 1,
      score: i % 2 === 0 ? 90 : 80,
    }));
    expect(assessmentScore(items)).toEqual({
      score: 85,
      formula: 'Σ(weight×score)/Σweight = 5100/60 = 85 (60 indicators)',
    });
  });

  it('refuses negative weights and scores outside 0–100', () => {
    expect(() => assessmentScore([{ indicatorId: 'a', weight: -1, score: 50 }])).toThrow(RangeError);
    expect(() => assessmentScore([{ indicatorId: 'a', weight: 1, score: 101 }])).toThrow(RangeError);
  });

  it('scores an indicator as min(completion, 1) × 100 or stars × 20', () => {
    expect(indicatorScore({ completion: 0.8 })).toBe(80);
    expect(indicatorScore({ completion: 1.3 })).toBe(100);
    expect(indicatorScore({ completion: -0.2 })).toBe(0);
    expect(indicatorScore({ completion: null })).toBe(0);
    expect(indicatorScore({ completion: 181 / 365 })).toBe(49.59);
    expect(indicatorScore({ stars: 4 })).toBe(80);
    expect(indicatorScore({ stars: null })).toBe(0);
  });
});

describe('ranking change', () => {
  it('counts a smaller rank number as up: 89 → 32 is up 57', () => {
    expect(rankingChange({ rank: 89 }, { rank: 32 })).toEqual({ delta: 57, direction: 'up' });
    expect(rankingChange({ rank: 9 }, { rank: 1 })).toEqual({ delta: 8, direction: 'up' });
    expect(rankingChange({ rank: 32 }, { rank: 89 })).toEqual({ delta: -57, direction: 'down' });
    expect(rankingChange({ rank: 5 }, { rank: 5 })).toEqual({ delta: 0, direction: 'same' });
    expect(rankingChange(null, { rank: 5 })).toEqual({ delta: null, direction: 'new' });
  });

  it('refuses ranks that are not positive integers', () => {
    expect(() => rankingChange({ rank: 0 }, { rank: 1 })).toThrow(RangeError);
    expect(() => rankingChange(null, { rank: 1.5 })).toThrow(RangeError);
  });
});

describe('worked example from docs/indicators.md', () => {
  it('reproduces every number', () => {
    // Three 低效工业用地 indicators in 亩, half-year actuals as reported: 时间过半，任务过半.
    const land = [
      { id: '集中连片整治', target: 2500, actual: 1261 },
      { id: '低效工业企业整治', target: 7800, actual: 3938 },
      { id: '消化供而未用', target: 480, actual: 241 },
    ];
    const lights = land.map(({ id, target, actual }) => light(indicator({ id, target }), actual));
    expect(lights.map((l) => l.light)).toEqual(['green', 'green', 'green']);
    expect(lights.map((l) => l.reason.params.done)).toEqual([50.4, 50.5, 50.2]);
    expect(explainLight(lights[0]!, 'zh-CN')).toBe('完成 50.4%，序时进度 49.6%，超前 0.8 个百分点：绿灯');

    // 双随机监管: 89th in Q1, 32nd in Q2 of 90 in the province.
    const q1 = light(indicator({ lightSource: 'rank' }), null, { period: Q1, rank: { rank: 89, outOf: 90 } });
    const q2 = light(indicator({ lightSource: 'rank' }), null, { rank: { rank: 32, outOf: 90 } });
    expect([q1.light, q2.light]).toEqual(['red', 'green']);
    expect(rankingChange({ rank: 89 }, { rank: 32 })).toEqual({ delta: 57, direction: 'up' });

    // A lagging investment indicator, 38 of 100 (亿元) against a phased plan of 50 by June.
    const investment = light(indicator({ plan: { kind: 'phased', expected: { '2023-Q2': 50 } } }), 38);
    expect(explainLight(investment, 'zh-CN')).toBe('完成 38%，序时进度 50%，落后 12 个百分点：红灯');

    const scores = [
      {
        indicatorId: '集中连片整治',
        weight: 2,
        score: indicatorScore({ completion: lights[0]!.completion }),
      },
      { indicatorId: '双随机监管', weight: 1, score: indicatorScore({ stars: 4 }) },
      {
        indicatorId: '固定资产投资',
        weight: 2,
        score: indicatorScore({ completion: investment.completion }),
      },
    ];
    expect(scores.map((s) => s.score)).toEqual([50.44, 80, 38]);
    expect(assessmentScore(scores)).toEqual({
      score: 51.38,
      formula: 'Σ(weight×score)/Σweight = (2×50.44 + 1×80 + 2×38)/5 = 51.38',
    });
  });
});
