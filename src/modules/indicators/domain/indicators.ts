// Indicator rules: completion, expected progress by the period (序时进度), status lights (亮灯), star
// grades (五星), a unit's assessment score and ranking changes. Pure: no I/O, no clock (the caller passes
// `now`). Every rule is explained in docs/indicators.md; keep the two in step.
//
// Numbers and exactness. Every input number means the decimal it prints as (0.1 is 1/10), and every rule
// is decided on exact rationals: in floating point "exactly 10 points behind" comes out as
// 9.999999999999998 and a light would flip. Lights are computed for every indicator of a period at once,
// so the exact arithmetic runs on integers held in doubles (exact while they stay below 2^53) and falls
// back to fraction.js (exact at any size, ~50× slower) only when a number does not fit. Returned numbers
// are the nearest doubles of the exact values: (0.4 − 0.1) / (0.7 − 0.1) is 0.5. Shares such as 1/3 are
// read as the simplest fraction of the double instead, so a rule written as 1/3 means a third.

import Fraction from 'fraction.js';
import { fractionToNumber, roundHalfAwayFromZero, toFraction } from '../../../kernel/decimal.ts';
import { instantMs, type PeriodDef, periodDeadlines, yearDaysElapsed } from './periods.ts';

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

function assertFinite(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${what} must be a finite number, got ${String(value)}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Exact rationals on doubles. Integer arithmetic on doubles is exact while every intermediate stays below
// 2^53, and a quotient of two such integers is the correctly rounded (nearest) double. Each helper checks
// its intermediates (a product that does not fit becomes NaN, which fails every later check) and returns
// null when one might not be exact; the caller then redoes the work with fraction.js.

/** p/q with integers p and q > 0, both below 2^53 in magnitude. */
interface Q {
  p: number;
  q: number;
}

const LIMIT = 2 ** 53;
const fits = (x: number): boolean => Math.abs(x) < LIMIT;
const mul = (x: number, y: number): number => {
  const r = x * y;
  return fits(r) ? r : Number.NaN;
};

function makeQ(p: number, q: number): Q | null {
  if (!fits(p) || !fits(q) || q === 0) return null;
  // No -0: it would leak out as a completion of -0.
  return q > 0 ? { p: p === 0 ? 0 : p, q } : { p: p === 0 ? 0 : -p, q: -q };
}

/**
 * The decimal a double prints as, m / 10^k, when it has at most 9 decimals and |m| < 2^52. Then any two
 * decimals with k places are more than one unit in the last place apart, so m / 10^k is the only one
 * that rounds to x, and it is the decimal String(x) prints.
 */
function decimalQ(x: number): Q | null {
  let scale = 1;
  for (let k = 0; k <= 9; k++) {
    const m = Math.round(x * scale);
    if (Math.abs(m) >= 2 ** 52) return null;
    if (m / scale === x) return { p: m === 0 ? 0 : m, q: scale };
    scale *= 10;
  }
  return null;
}

function subQ(a: Q, b: Q): Q | null {
  if (a.q === b.q) return makeQ(a.p - b.p, a.q);
  // Decimals have power-of-ten denominators: scaling the smaller one keeps the numbers small.
  if (a.q > b.q && a.q % b.q === 0) return makeQ(a.p - mul(b.p, a.q / b.q), a.q);
  if (b.q > a.q && b.q % a.q === 0) return makeQ(mul(a.p, b.q / a.q) - b.p, b.q);
  return makeQ(mul(a.p, b.q) - mul(b.p, a.q), mul(a.q, b.q));
}

function divQ(a: Q, b: Q): Q | null {
  if (a.q === b.q) return makeQ(a.p, b.p);
  return makeQ(mul(a.p, b.q), mul(a.q, b.p));
}

/** The sign of a − b, or null when the products do not fit. A correctly rounded difference keeps its sign. */
function cmpQ(a: Q, b: Q): -1 | 0 | 1 | null {
  const d = mul(a.p, b.q) - mul(b.p, a.q);
  if (Number.isNaN(d)) return null;
  return d > 0 ? 1 : d < 0 ? -1 : 0;
}

const qToNumber = (a: Q): number => a.p / a.q;

const sign = (f: Fraction): -1 | 0 | 1 => (f.n === 0n ? 0 : f.s < 0n ? -1 : 1);

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

// ---------------------------------------------------------------------------------------------------
// Completion

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

function ratioQ(ind: Span, value: number): Q | null {
  const v = decimalQ(value);
  const b = decimalQ(ind.baseline);
  const t = decimalQ(ind.target);
  if (v === null || b === null || t === null) return null;
  const num = subQ(v, b);
  const den = subQ(t, b);
  return num === null || den === null ? null : divQ(num, den);
}

function ratioExact(ind: Span, value: number): Fraction {
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

// ---------------------------------------------------------------------------------------------------
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
type Expected = { planned: number } | { elapsed: number; total: number };

function expectedOf(ind: IndicatorDef, period: PeriodDef): Expected {
  const planned = plannedValue(ind, period);
  if (planned !== undefined && completionProblem(ind) === null) return { planned };
  return yearDaysElapsed(period);
}

function expectedNumber(ind: IndicatorDef, e: Expected): number {
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

// ---------------------------------------------------------------------------------------------------
// Status lights (亮灯)

export interface LightRules {
  /** Every light records the version of the rules it was computed with. */
  version: number;
  /** Yellow when behind the expected progress by less than this many percentage points (default 10). */
  yellowWithinPoints: number;
  /** Rank source: red when in the bottom share of the scope (e.g. 1/3). Absent or null: never red. */
  rankRed?: { bottomShare: number } | null;
  /** Rank source: yellow when in the bottom share but not red (e.g. 1/2). Absent or null: never yellow. */
  rankYellow?: { bottomShare: number } | null;
  /** Where date-only deadlines end; default UTC+8 (480). */
  utcOffsetMinutes?: number;
}

export const defaultLightRules: LightRules = Object.freeze({
  version: 1,
  yellowWithinPoints: 10,
  rankRed: Object.freeze({ bottomShare: 1 / 3 }),
  rankYellow: Object.freeze({ bottomShare: 1 / 2 }),
});

export type Light = 'green' | 'yellow' | 'red' | 'grey' | 'overdue';

/** For sorting laggards, worst first: overdue 4, red 3, yellow 2, green 1, grey 0 (not assessed). */
export const lightSeverity: Readonly<Record<Light, number>> = Object.freeze({
  overdue: 4,
  red: 3,
  yellow: 2,
  green: 1,
  grey: 0,
});

export type ActualStatus = 'draft' | 'submitted' | 'verified' | 'returned';

export interface LightInput {
  indicator: IndicatorDef;
  period: PeriodDef;
  /** The current actual for the period (cumulative to date, or the point value), whatever its status. */
  actual: { value: number; status: ActualStatus } | null;
  /** ISO instant with a zone. */
  now: string;
  /** The external rank used when the indicator's lightSource is 'rank'. */
  rank?: { rank: number; outOf: number } | null;
}

export type LightReasonKey =
  | 'lights.green'
  | 'lights.yellow'
  | 'lights.red'
  | 'lights.notDue'
  | 'lights.inGrace'
  | 'lights.overdue'
  | 'lights.holdMet'
  | 'lights.holdMissed'
  | 'lights.badTarget'
  | 'lights.rankGreen'
  | 'lights.rankYellow'
  | 'lights.rankRed'
  | 'lights.noRank';

export interface LightResult {
  light: Light;
  /** Raw completion of the counted actual; null without a submitted/verified actual or when undefined. */
  completion: number | null;
  /** Expected completion at the end of the period. */
  expected: number;
  /** (expected − completion) × 100: positive when behind, negative when ahead; null without completion. */
  gapPoints: number | null;
  /**
   * An i18n key (a LightReasonKey) and its parameters, percentages rounded to 1 decimal: the web and the
   * server render it from their locale files; lightReasonTemplates has the reference sentences.
   */
  reason: { key: string; params: Record<string, string | number> };
  rulesVersion: number;
}

/** Why the rules cannot be used, or null when they can. */
export function lightRulesProblem(rules: LightRules): string | null {
  if (!Number.isInteger(rules.version)) return `version must be an integer, got ${String(rules.version)}`;
  const y = rules.yellowWithinPoints;
  if (typeof y !== 'number' || !Number.isFinite(y) || y < 0 || y > 100) {
    return `yellowWithinPoints must be from 0 to 100, got ${String(y)}`;
  }
  for (const [name, share] of [
    ['rankRed', rules.rankRed],
    ['rankYellow', rules.rankYellow],
  ] as const) {
    if (share === undefined || share === null) continue;
    const s = share.bottomShare;
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0 || s > 1) {
      return `${name}.bottomShare must be from 0 to 1, got ${String(s)}`;
    }
  }
  return null;
}

const shareCache = new Map<number, Fraction>();

/** A share as the simplest fraction of its double: 1/3 (0.3333333333333333) is exactly a third. */
function shareFraction(share: number): Fraction {
  let f = shareCache.get(share);
  if (f === undefined) {
    f = new Fraction(share);
    if (shareCache.size >= 1024) shareCache.clear();
    shareCache.set(share, f);
  }
  return f;
}

const percent = (fraction: number): number => roundForDisplay(fraction * 100, 1);

function assertRank(rank: { rank: number; outOf: number }): void {
  const { rank: r, outOf } = rank;
  if (!Number.isInteger(outOf) || outOf < 1 || !Number.isInteger(r) || r < 1 || r > outOf) {
    throw new RangeError(
      `rank must be an integer from 1 to outOf (≥ 1), got ${String(r)} of ${String(outOf)}`,
    );
  }
}

/** Whether rank r of n is in the bottom `share`: the units at or below it, n − r + 1, are at most share × n. */
function inBottomShare(rank: { rank: number; outOf: number }, share: number): boolean {
  return (
    shareFraction(share)
      .mul(rank.outOf)
      .compare(rank.outOf - rank.rank + 1) >= 0
  );
}

type Numbers = Pick<LightResult, 'completion' | 'expected' | 'gapPoints' | 'rulesVersion'>;

function withNumbers(numbers: Numbers, v: Verdict): LightResult {
  return { light: v.light, ...numbers, reason: v.reason };
}

type Verdict = { light: Light; reason: { key: LightReasonKey; params: Record<string, string | number> } };

function rankVerdict(rank: { rank: number; outOf: number } | null | undefined, rules: LightRules): Verdict {
  if (rank === null || rank === undefined)
    return { light: 'grey', reason: { key: 'lights.noRank', params: {} } };
  assertRank(rank);
  const base = { rank: rank.rank, outOf: rank.outOf };
  for (const [light, key, share] of [
    ['red', 'lights.rankRed', rules.rankRed],
    ['yellow', 'lights.rankYellow', rules.rankYellow],
  ] as const) {
    if (share && inBottomShare(rank, share.bottomShare)) {
      return { light, reason: { key, params: { ...base, bottomPercent: percent(share.bottomShare) } } };
    }
  }
  return { light: 'green', reason: { key: 'lights.rankGreen', params: base } };
}

function timelinessVerdict(period: PeriodDef, now: string, rules: LightRules): Verdict {
  const nowMs = instantMs(now);
  const d = periodDeadlines(period, rules.utcOffsetMinutes);
  const params = { due: period.dueDate, graceEnd: d.lastGraceDate };
  if (nowMs < d.dueAtMs) return { light: 'grey', reason: { key: 'lights.notDue', params } };
  if (nowMs <= d.graceEndsAtMs) return { light: 'grey', reason: { key: 'lights.inGrace', params } };
  return { light: 'overdue', reason: { key: 'lights.overdue', params } };
}

/** Completion, expected and gap of a counted actual, and where the gap stands against 0 and the threshold. */
interface Assessment {
  completion: number;
  expected: number;
  /** (expected − completion) × 100. */
  gapPoints: number;
  /** Sign of the gap: 1 when behind. */
  behind: -1 | 0 | 1;
  /** Sign of gapPoints − yellowWithinPoints. */
  beyond: -1 | 0 | 1;
}

function assessFast(ind: IndicatorDef, e: Expected, actual: number, yellow: number): Assessment | null {
  const c = ratioQ(ind, actual);
  const exp = 'planned' in e ? ratioQ(ind, e.planned) : { p: e.elapsed, q: e.total };
  const y = decimalQ(yellow);
  if (c === null || exp === null || y === null) return null;
  const gap = subQ(exp, c);
  if (gap === null) return null;
  const gapPoints = makeQ(mul(gap.p, 100), gap.q);
  if (gapPoints === null) return null;
  const beyond = cmpQ(gapPoints, y);
  if (beyond === null) return null;
  return {
    completion: qToNumber(c),
    expected: qToNumber(exp),
    gapPoints: qToNumber(gapPoints),
    behind: gap.p > 0 ? 1 : gap.p < 0 ? -1 : 0,
    beyond,
  };
}

function assessExact(ind: IndicatorDef, e: Expected, actual: number, yellow: number): Assessment {
  const c = ratioExact(ind, actual);
  const exp = 'planned' in e ? ratioExact(ind, e.planned) : new Fraction(e.elapsed, e.total);
  const gapPoints = exp.sub(c).mul(100);
  return {
    completion: fractionToNumber(c),
    expected: fractionToNumber(exp),
    gapPoints: fractionToNumber(gapPoints),
    behind: sign(gapPoints),
    beyond: sign(gapPoints.sub(toFraction(yellow))),
  };
}

/**
 * The status light of one indicator in one period, with its one-sentence reason. First match wins:
 * 1. lightSource 'rank': from the rank (bottom rankRed share red, bottom rankYellow share yellow, else
 *    green; no rank grey). Submissions and deadlines do not matter: the rank is external data.
 * 2. No submitted/verified actual (none, a draft, or returned): grey before the due instant, grey during
 *    the grace period (both ends included), 'overdue' (未按期报送) after it.
 * 3. target = baseline (hold the line): green when the actual is at or better than the target, else red.
 *    Target against the direction: grey, completion cannot be computed.
 * 4. Completion ≥ expected: green; behind by less than yellowWithinPoints points: yellow; else red.
 * The light is for the period as a whole: expected is taken at the period's end whenever it is computed.
 */
export function statusLight(input: LightInput, rules: LightRules = defaultLightRules): LightResult {
  const problem = lightRulesProblem(rules);
  if (problem !== null) throw new RangeError(`light rules: ${problem}`);
  const { indicator: ind, period, actual } = input;
  const completionIssue = completionProblem(ind);
  const expected = expectedOf(ind, period);
  // Drafts and returned values are the unit's work in progress: they do not count as reported.
  const counted =
    actual !== null && (actual.status === 'submitted' || actual.status === 'verified') ? actual : null;
  if (counted !== null) assertFinite(counted.value, 'actual');
  const a =
    counted === null || completionIssue !== null
      ? null
      : (assessFast(ind, expected, counted.value, rules.yellowWithinPoints) ??
        assessExact(ind, expected, counted.value, rules.yellowWithinPoints));
  const numbers: Numbers = {
    completion: a === null ? null : a.completion,
    expected: a === null ? expectedNumber(ind, expected) : a.expected,
    gapPoints: a === null ? null : a.gapPoints,
    rulesVersion: rules.version,
  };

  if ((ind.lightSource ?? 'completion') === 'rank')
    return withNumbers(numbers, rankVerdict(input.rank, rules));
  if (counted === null) return withNumbers(numbers, timelinessVerdict(period, input.now, rules));

  if (a === null) {
    const params = { actual: counted.value, target: ind.target, baseline: ind.baseline };
    if (completionIssue === 'targetAgainstDirection') {
      return withNumbers(numbers, { light: 'grey', reason: { key: 'lights.badTarget', params } });
    }
    const met = ind.direction === 'higher' ? counted.value >= ind.target : counted.value <= ind.target;
    return withNumbers(
      numbers,
      met
        ? { light: 'green', reason: { key: 'lights.holdMet', params } }
        : { light: 'red', reason: { key: 'lights.holdMissed', params } },
    );
  }

  // The sentence shows percentages to 0.1 and the gap as their difference, so that its arithmetic adds
  // up for a reader (50.4 − 49.6 = 0.8, although the exact gap 0.851 would round to 0.9). The light itself
  // is decided on the exact values.
  const shownDone = percent(a.completion);
  const shownExpected = percent(a.expected);
  const shownGap = roundForDisplay(shownExpected - shownDone, 1);
  if (a.behind <= 0) {
    return withNumbers(numbers, {
      light: 'green',
      reason: {
        key: 'lights.green',
        params: { done: shownDone, expected: shownExpected, ahead: shownGap === 0 ? 0 : -shownGap },
      },
    });
  }
  const params = {
    done: shownDone,
    expected: shownExpected,
    gap: shownGap,
    threshold: rules.yellowWithinPoints,
  };
  return withNumbers(
    numbers,
    a.beyond < 0
      ? { light: 'yellow', reason: { key: 'lights.yellow', params } }
      : { light: 'red', reason: { key: 'lights.red', params } },
  );
}

/**
 * The sentences behind each reason key, in i18next syntax ({{param}}). The web and server locale files
 * carry their own copies; these are the reference and what explainLight() uses (CLI, tests).
 */
export const lightReasonTemplates: Readonly<
  Record<'zh-CN' | 'en-US', Readonly<Record<LightReasonKey, string>>>
> = {
  'zh-CN': {
    'lights.green': '完成 {{done}}%，序时进度 {{expected}}%，超前 {{ahead}} 个百分点：绿灯',
    'lights.yellow':
      '完成 {{done}}%，序时进度 {{expected}}%，落后 {{gap}} 个百分点（不足 {{threshold}} 个百分点）：黄灯',
    'lights.red': '完成 {{done}}%，序时进度 {{expected}}%，落后 {{gap}} 个百分点：红灯',
    'lights.notDue': '未到报送期限（{{due}}）：灰灯',
    'lights.inGrace': '已过报送期限 {{due}}，宽限期至 {{graceEnd}}，尚未报送：灰灯',
    'lights.overdue': '报送期限 {{due}}（宽限期至 {{graceEnd}}）已过，仍未报送：未按期报送',
    'lights.holdMet': '目标为保持 {{target}}，实际 {{actual}}，达到目标：绿灯',
    'lights.holdMissed': '目标为保持 {{target}}，实际 {{actual}}，未达到目标：红灯',
    'lights.badTarget': '目标值 {{target}} 与基数 {{baseline}} 不符合指标方向，无法计算完成率：灰灯',
    'lights.rankGreen': '排名第 {{rank}} 位（共 {{outOf}} 个）：绿灯',
    'lights.rankYellow': '排名第 {{rank}} 位（共 {{outOf}} 个），处于后 {{bottomPercent}}%：黄灯',
    'lights.rankRed': '排名第 {{rank}} 位（共 {{outOf}} 个），处于后 {{bottomPercent}}%：红灯',
    'lights.noRank': '暂无排名数据：灰灯',
  },
  'en-US': {
    'lights.green': '{{done}}% done, {{expected}}% expected by now, {{ahead}} points ahead: green',
    'lights.yellow':
      '{{done}}% done, {{expected}}% expected by now, {{gap}} points behind (less than {{threshold}}): yellow',
    'lights.red': '{{done}}% done, {{expected}}% expected by now, {{gap}} points behind: red',
    'lights.notDue': 'Not due yet (due {{due}}): grey',
    'lights.inGrace': 'Due {{due}}, not reported yet, grace period until {{graceEnd}}: grey',
    'lights.overdue': 'Not reported by {{due}} (grace period until {{graceEnd}}): overdue',
    'lights.holdMet': 'Target is to hold {{target}}, actual {{actual}}, met: green',
    'lights.holdMissed': 'Target is to hold {{target}}, actual {{actual}}, missed: red',
    'lights.badTarget':
      'Target {{target}} and baseline {{baseline}} contradict the direction; completion cannot be computed: grey',
    'lights.rankGreen': 'Ranked {{rank}} of {{outOf}}: green',
    'lights.rankYellow': 'Ranked {{rank}} of {{outOf}}, in the bottom {{bottomPercent}}%: yellow',
    'lights.rankRed': 'Ranked {{rank}} of {{outOf}}, in the bottom {{bottomPercent}}%: red',
    'lights.noRank': 'No ranking yet: grey',
  },
};

/** The light's reason as one sentence: "完成 38%，序时进度 50%，落后 12 个百分点：红灯". */
export function explainLight(result: Pick<LightResult, 'reason'>, locale: 'zh-CN' | 'en-US'): string {
  const templates: Readonly<Record<string, string>> | undefined = lightReasonTemplates[locale];
  const template =
    templates !== undefined && Object.hasOwn(templates, result.reason.key)
      ? templates[result.reason.key]
      : undefined;
  if (template === undefined) return result.reason.key;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    Object.hasOwn(result.reason.params, name) ? String(result.reason.params[name]) : whole,
  );
}

// ---------------------------------------------------------------------------------------------------
// Star grades (五星)

export type Stars = 1 | 2 | 3 | 4 | 5;

/**
 * Bands best first. source 'completion': `min` is the least completion (a fraction, 1.0 = 100%) for the
 * band. source 'rank': `min` is the best share of the scope the band covers (0.2 = the top 20%).
 */
export interface StarBands {
  source: 'completion' | 'rank';
  bands: { stars: Stars; min: number }[];
}

/** Why the bands cannot be used, or null when they can. */
export function starBandsProblem(bands: StarBands): string | null {
  if (bands.source !== 'completion' && bands.source !== 'rank')
    return `unknown source ${String(bands.source)}`;
  if (!Array.isArray(bands.bands) || bands.bands.length === 0 || bands.bands.length > 5) {
    return 'there must be 1 to 5 bands';
  }
  let prev: { stars: number; min: number } | null = null;
  for (const band of bands.bands) {
    if (!Number.isInteger(band.stars) || band.stars < 1 || band.stars > 5) return `stars must be 1 to 5`;
    if (typeof band.min !== 'number' || !Number.isFinite(band.min)) return 'min must be a finite number';
    if (bands.source === 'rank' && (band.min <= 0 || band.min > 1)) return 'a rank share must be in (0, 1]';
    if (prev !== null) {
      // Best first, so that "the first band that matches" is the best one the unit reaches.
      if (band.stars >= prev.stars) return 'bands must be listed best first, with fewer stars each';
      if (bands.source === 'completion' ? band.min >= prev.min : band.min <= prev.min) {
        return 'each band must be easier to reach than the one before';
      }
    }
    prev = band;
  }
  return null;
}

/**
 * The stars of the first (best) band reached, or null when none is: completion ≥ min, or for rank r of n,
 * r ≤ min × n (rank 2 of 10 is in the top 20%, rank 3 is not). Missing data gives null.
 */
export function starGrade(
  bands: StarBands,
  value: { completion?: number | null; rank?: { rank: number; outOf: number } | null },
): Stars | null {
  const problem = starBandsProblem(bands);
  if (problem !== null) throw new RangeError(`star bands: ${problem}`);
  if (bands.source === 'completion') {
    if (value.completion === null || value.completion === undefined) return null;
    const c = value.completion;
    assertFinite(c, 'completion');
    // Comparing two doubles is comparing the decimals they print as: rounding preserves order.
    return bands.bands.find((b) => c >= b.min)?.stars ?? null;
  }
  const rank = value.rank;
  if (rank === null || rank === undefined) return null;
  assertRank(rank);
  return bands.bands.find((b) => shareFraction(b.min).mul(rank.outOf).compare(rank.rank) >= 0)?.stars ?? null;
}

// ---------------------------------------------------------------------------------------------------
// Assessment score (综合考核)

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

// ---------------------------------------------------------------------------------------------------
// Ranking change

/** 89 → 32 is delta 57, 'up': a smaller rank number is better. No previous rank: 'new'. */
export function rankingChange(
  prev: { rank: number } | null,
  cur: { rank: number },
): { delta: number | null; direction: 'up' | 'down' | 'same' | 'new' } {
  for (const r of [prev, cur]) {
    if (r !== null && (!Number.isInteger(r.rank) || r.rank < 1)) {
      throw new RangeError(`a rank must be a positive integer, got ${String(r.rank)}`);
    }
  }
  if (prev === null) return { delta: null, direction: 'new' };
  const delta = prev.rank - cur.rank;
  return { delta, direction: delta > 0 ? 'up' : delta < 0 ? 'down' : 'same' };
}
