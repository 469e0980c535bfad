import fc from 'fast-check';
import Fraction from 'fraction.js';
import { describe, expect, it } from 'vitest';
import { fractionToNumber, roundHalfAwayFromZero, toFraction } from '../../src/kernel/decimal.ts';
import {
  completion,
  expectedCompletion,
  type IndicatorDef,
  type Light,
  type LightRules,
  roundForDisplay,
  type StarBands,
  starGrade,
  statusLight,
} from '../../src/modules/indicators/domain/indicators.ts';
import {
  addDays,
  type Frequency,
  type PeriodDef,
  periodDeadlines,
  periodsOfYear,
  yearDaysElapsed,
} from '../../src/modules/indicators/domain/periods.ts';

/** How good a light of a counted actual is. */
const goodness: Record<Light, number> = { red: 0, yellow: 1, green: 2, grey: -1, overdue: -2 };

const anyFinite = fc.double({ noNaN: true, noDefaultInfinity: true });
/** Decimals with up to 3 places in a realistic range: many exact ties and boundaries. */
const decimal = fc
  .integer({ min: -200_000, max: 200_000 })
  .chain((n) => fc.constantFrom(n, n / 10, n / 100, n / 1000));
/** Numbers that take the fraction.js path: many digits (1/3), or very large or very small. */
const awkward = fc.oneof(
  fc.integer({ min: -3000, max: 3000 }).map((n) => n / 3),
  fc.double({ min: -1e18, max: 1e18, noNaN: true }),
  fc.constantFrom(1e-12, 123456789.12345679, 2 ** 60),
);
/** Tenths from −2 to 2: baselines, targets, plans and actuals that often tie exactly. */
const tenths = fc.integer({ min: -20, max: 20 }).map((n) => n / 10);
const value = fc.oneof(
  { arbitrary: tenths, weight: 3 },
  { arbitrary: decimal, weight: 3 },
  { arbitrary: awkward, weight: 1 },
);

/** baseline ≠ target, in the direction's order. */
const spanOf = (v: fc.Arbitrary<number>) =>
  fc
    .record({ direction: fc.constantFrom<'higher' | 'lower'>('higher', 'lower'), x: v, y: v })
    .filter(({ x, y }) => x !== y)
    .map(({ direction, x, y }) => {
      const [lo, hi] = x < y ? [x, y] : [y, x];
      return direction === 'higher'
        ? { direction, baseline: lo, target: hi }
        : { direction, baseline: hi, target: lo };
    });
const span = spanOf(value);

const frequency = fc.constantFrom<Frequency>('monthly', 'quarterly');
const periodArb = fc
  .record({ year: fc.integer({ min: 2000, max: 2100 }), frequency })
  .chain(({ year, frequency }) => fc.constantFrom(...periodsOfYear(year, frequency)));

const indicatorArb: fc.Arbitrary<{ ind: IndicatorDef; period: PeriodDef }> = fc
  .record({ span, period: periodArb, phased: fc.boolean(), planned: value, inPlan: fc.boolean() })
  .map(({ span, period, phased, planned, inPlan }) => ({
    period,
    ind: {
      id: 'i',
      kind: 'cumulative',
      weight: 1,
      ...span,
      plan: phased
        ? { kind: 'phased', expected: inPlan ? { [period.key]: planned } : {} }
        : { kind: 'linear' },
    } satisfies IndicatorDef,
  }));

const rulesArb: fc.Arbitrary<LightRules> = fc.record({
  version: fc.integer({ min: 1, max: 9 }),
  yellowWithinPoints: fc.constantFrom(0, 5, 10, 12.5, 1 / 3, 100),
});

const NOW = '2030-01-01T00:00:00Z';

/** The rule of docs/indicators.md, written straight on fraction.js, as a reference. */
function referenceLight(ind: IndicatorDef, period: PeriodDef, actual: number, rules: LightRules): Light {
  const b = toFraction(ind.baseline);
  const span = toFraction(ind.target).sub(b);
  const c = toFraction(actual).sub(b).div(span);
  const planned = ind.plan.kind === 'phased' ? ind.plan.expected[period.key] : undefined;
  const { elapsed, total } = yearDaysElapsed(period);
  const e = planned === undefined ? new Fraction(elapsed, total) : toFraction(planned).sub(b).div(span);
  const gap = e.sub(c).mul(100);
  if (gap.compare(0) <= 0) return 'green';
  return gap.compare(toFraction(rules.yellowWithinPoints)) < 0 ? 'yellow' : 'red';
}

/** Whether completion, expected (both as percentages) and the gap in points are finite doubles. */
function figuresFit(ind: IndicatorDef, period: PeriodDef, actual: number): boolean {
  const b = toFraction(ind.baseline);
  const span = toFraction(ind.target).sub(b);
  const c = toFraction(actual).sub(b).div(span);
  const planned = ind.plan.kind === 'phased' ? ind.plan.expected[period.key] : undefined;
  const { elapsed, total } = yearDaysElapsed(period);
  const e = planned === undefined ? new Fraction(elapsed, total) : toFraction(planned).sub(b).div(span);
  return [c.mul(100), e.mul(100), e.sub(c).mul(100)].every((x) => Number.isFinite(fractionToNumber(x)));
}

describe('completion (properties)', () => {
  it('is non-decreasing in the actual for higher-is-better and non-increasing for lower-is-better', () => {
    fc.assert(
      fc.property(span, value, value, (ind, x, y) => {
        const [lo, hi] = x <= y ? [x, y] : [y, x];
        const a = completion(ind, lo).raw!;
        const b = completion(ind, hi).raw!;
        if (ind.direction === 'higher') expect(a).toBeLessThanOrEqual(b);
        else expect(a).toBeGreaterThanOrEqual(b);
      }),
      { numRuns: 500 },
    );
  });

  it('is exactly 1 at the target and exactly 0 at the baseline, for any finite numbers', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'higher' | 'lower'>('higher', 'lower'),
        anyFinite,
        anyFinite,
        (direction, x, y) => {
          fc.pre(x !== y);
          const [lo, hi] = x < y ? [x, y] : [y, x];
          const ind =
            direction === 'higher'
              ? { direction, baseline: lo, target: hi }
              : { direction, baseline: hi, target: lo };
          expect(completion(ind, ind.target).raw).toBe(1);
          expect(Object.is(completion(ind, ind.baseline).raw, 0)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is the nearest double of the exact value, and its display is clamped to [0, 1.5]', () => {
    fc.assert(
      fc.property(span, value, (ind, actual) => {
        const b = toFraction(ind.baseline);
        const exact = toFraction(actual).sub(b).div(toFraction(ind.target).sub(b));
        const { raw, display } = completion(ind, actual);
        expect(raw).toBe(fractionToNumber(exact));
        expect(display).toBe(Math.min(Math.max(raw!, 0), 1.5));
      }),
      { numRuns: 500 },
    );
  });
});

describe('expected completion (properties)', () => {
  it('never decreases over the periods of a year under a linear plan, stays in [0, 1] and ends at 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), frequency, span, (year, freq, s) => {
        const ind: IndicatorDef = { id: 'i', kind: 'cumulative', weight: 1, plan: { kind: 'linear' }, ...s };
        const values = periodsOfYear(year, freq).map((p) => expectedCompletion(ind, p));
        for (let i = 0; i < values.length; i++) {
          expect(values[i]).toBeGreaterThanOrEqual(0);
          expect(values[i]).toBeLessThanOrEqual(1);
          if (i > 0) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
        }
        expect(values.at(-1)).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('status light (properties)', () => {
  it('never gets better when the actual gets worse', () => {
    fc.assert(
      fc.property(
        indicatorArb,
        rulesArb,
        value,
        value,
        fc.constantFrom('submitted', 'verified'),
        ({ ind, period }, rules, x, y, status) => {
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          const [worse, better] = ind.direction === 'higher' ? [lo, hi] : [hi, lo];
          // A value whose figures do not fit a double is not assessed (grey): it has no place in the order.
          if (!figuresFit(ind, period, worse) || !figuresFit(ind, period, better)) return;
          const at = (v: number) =>
            goodness[
              statusLight({ indicator: ind, period, actual: { value: v, status }, now: NOW }, rules).light
            ];
          expect(at(worse)).toBeLessThanOrEqual(at(better));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('agrees with the rule computed on exact fractions, at boundaries too', () => {
    fc.assert(
      fc.property(indicatorArb, rulesArb, value, ({ ind, period }, rules, actual) => {
        const r = statusLight(
          { indicator: ind, period, actual: { value: actual, status: 'verified' }, now: NOW },
          rules,
        );
        if (!figuresFit(ind, period, actual)) {
          // A span of 5e-324 puts any completion beyond the largest double: not assessed, never Infinity.
          expect(r).toMatchObject({ light: 'grey', completion: null, reason: { key: 'lights.outOfRange' } });
          return;
        }
        expect(r.light).toBe(referenceLight(ind, period, actual, rules));
        expect(r.completion).toBe(completion(ind, actual).raw);
        expect(r.expected).toBe(expectedCompletion(ind, period));
        expect(r.rulesVersion).toBe(rules.version);
      }),
      { numRuns: 1000 },
    );
  });

  it('hits exact ties: a gap of exactly the threshold is red and a gap of exactly 0 is green', () => {
    let ties = 0;
    fc.assert(
      fc.property(
        spanOf(fc.oneof(tenths, decimal)),
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom(5, 10, 20),
        (s, pct, threshold) => {
          const b = toFraction(s.baseline);
          const width = toFraction(s.target).sub(b);
          const share = (v: number) => toFraction(v).sub(b).div(width);
          const valueAt = (f: Fraction) => fractionToNumber(b.add(width.mul(f)));
          const planned = valueAt(new Fraction(pct, 100));
          const ind: IndicatorDef = {
            id: 'i',
            kind: 'point',
            weight: 1,
            ...s,
            plan: { kind: 'phased', expected: { '2023-Q2': planned } },
          };
          const period = periodsOfYear(2023, 'quarterly')[1]!;
          const rules = { version: 1, yellowWithinPoints: threshold };
          const light = (v: number) =>
            statusLight(
              { indicator: ind, period, actual: { value: v, status: 'submitted' }, now: NOW },
              rules,
            ).light;
          expect(light(planned)).toBe('green');
          // Exactly `threshold` points behind the plan, when that value is a double.
          const behind = share(planned).sub(new Fraction(threshold, 100));
          const atThreshold = valueAt(behind);
          if (share(atThreshold).equals(behind)) {
            ties++;
            expect(light(atThreshold)).toBe('red');
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(ties).toBeGreaterThan(100);
  });

  it('without a report is grey until the grace period ends and overdue from then on', () => {
    fc.assert(
      fc.property(
        periodArb,
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: -20 * 86_400_000, max: 40 * 86_400_000 }),
        fc.constantFrom(null, 'draft', 'returned'),
        (p, graceDays, offsetMs, status) => {
          const period = { ...p, graceDays };
          const { dueAtMs, graceEndsAtMs } = periodDeadlines(period);
          const nowMs = dueAtMs + offsetMs;
          const r = statusLight({
            indicator: {
              id: 'i',
              kind: 'cumulative',
              direction: 'higher',
              baseline: 0,
              target: 1,
              plan: { kind: 'linear' },
              weight: 1,
            },
            period,
            actual: status === null ? null : { value: 1, status },
            now: new Date(nowMs).toISOString(),
          });
          expect(r.light).toBe(nowMs > graceEndsAtMs ? 'overdue' : 'grey');
          expect(r.reason.key).toBe(
            nowMs < dueAtMs ? 'lights.notDue' : nowMs <= graceEndsAtMs ? 'lights.inGrace' : 'lights.overdue',
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('from a rank never gets better when the rank gets worse', () => {
    const ind: IndicatorDef = {
      id: 'r',
      kind: 'point',
      direction: 'higher',
      baseline: 0,
      target: 1,
      plan: { kind: 'linear' },
      weight: 1,
      lightSource: 'rank',
    };
    const period = periodsOfYear(2023, 'quarterly')[1]!;
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 200 })
          .chain((outOf) =>
            fc.tuple(
              fc.constant(outOf),
              fc.integer({ min: 1, max: outOf }),
              fc.integer({ min: 1, max: outOf }),
            ),
          ),
        fc.constantFrom(0, 0.1, 1 / 3, 0.5, 1),
        fc.constantFrom(0, 0.25, 0.5, 2 / 3, 1),
        ([outOf, r1, r2], red, yellow) => {
          const rules = {
            version: 1,
            yellowWithinPoints: 10,
            rankRed: { bottomShare: red },
            rankYellow: { bottomShare: yellow },
          };
          const at = (rank: number) =>
            goodness[
              statusLight({ indicator: ind, period, actual: null, now: NOW, rank: { rank, outOf } }, rules)
                .light
            ];
          expect(at(Math.max(r1, r2))).toBeLessThanOrEqual(at(Math.min(r1, r2)));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('star grades (properties)', () => {
  const byCompletion: StarBands = {
    source: 'completion',
    bands: [
      { stars: 5, min: 1 },
      { stars: 4, min: 0.9 },
      { stars: 3, min: 0.75 },
      { stars: 1, min: 0 },
    ],
  };
  const byRank: StarBands = {
    source: 'rank',
    bands: [
      { stars: 5, min: 0.1 },
      { stars: 3, min: 0.5 },
      { stars: 2, min: 0.9 },
    ],
  };

  it('never gives more stars for less completion or a worse rank', () => {
    fc.assert(
      fc.property(value, value, (x, y) => {
        const [lo, hi] = x <= y ? [x, y] : [y, x];
        expect(starGrade(byCompletion, { completion: lo }) ?? 0).toBeLessThanOrEqual(
          starGrade(byCompletion, { completion: hi }) ?? 0,
        );
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 300 })
          .chain((outOf) =>
            fc.tuple(
              fc.constant(outOf),
              fc.integer({ min: 1, max: outOf }),
              fc.integer({ min: 1, max: outOf }),
            ),
          ),
        ([outOf, r1, r2]) => {
          const worse = starGrade(byRank, { rank: { rank: Math.max(r1, r2), outOf } }) ?? 0;
          const better = starGrade(byRank, { rank: { rank: Math.min(r1, r2), outOf } }) ?? 0;
          expect(worse).toBeLessThanOrEqual(better);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('periods and display rounding (properties)', () => {
  it('the periods of any year follow each other day by day and fall due after they end', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), frequency, (year, freq) => {
        const periods = periodsOfYear(year, freq);
        expect(periods[0]!.startDate).toBe(`${year}-01-01`);
        expect(periods.at(-1)!.endDate).toBe(`${year}-12-31`);
        periods.forEach((p, i) => {
          if (i > 0) expect(p.startDate).toBe(addDays(periods[i - 1]!.endDate, 1));
          expect(p.dueDate).toBe(addDays(p.endDate, 10));
        });
      }),
      { numRuns: 200 },
    );
  });

  it('rounds short decimals exactly half away from zero', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000, max: 10_000_000 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        (n, places, decimals) => {
          const x = n / 10 ** places;
          expect(roundForDisplay(x, decimals)).toBe(
            fractionToNumber(roundHalfAwayFromZero(toFraction(x), decimals)),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
