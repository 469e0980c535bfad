// Status lights (亮灯): the rules, the light of one indicator in one period with its reason, and the
// sentences behind the reasons.
import Fraction from 'fraction.js';
import { fractionToNumber, toFraction } from '../../../kernel/decimal.ts';
import {
  completionProblem,
  type Expected,
  expectedNumber,
  expectedOf,
  type IndicatorDef,
  ratioExact,
  ratioQ,
} from './completion.ts';
import { cmpQ, decimalQ, makeQ, mul, qToNumber, roundForDisplay, sign, subQ } from './exact.ts';
import { instantMs, type PeriodDef, periodDeadlines } from './periods.ts';
import { assertRank, inBottomShare } from './ranks.ts';

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

/**
 * Whether an actual counts as reported: submitted or verified. A draft, or a value returned to its unit,
 * is the unit's work in progress: it lights nothing, and only that unit and the organizer see it.
 */
export const isReported = (status: string | null | undefined): boolean =>
  status === 'submitted' || status === 'verified';

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
  | 'lights.outOfRange'
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

const percent = (fraction: number): number => roundForDisplay(fraction * 100, 1);

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

/** Whether an assessment's figures, and the percentages its sentence shows, are finite doubles. */
const fitsDouble = (a: Assessment): boolean =>
  Number.isFinite(a.completion * 100) && Number.isFinite(a.expected * 100) && Number.isFinite(a.gapPoints);

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
 * 2a. An actual that is not finite, or whose completion does not fit a double: grey, not assessed.
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
  const counted = actual !== null && isReported(actual.status) ? actual : null;
  const assessed =
    counted === null || completionIssue !== null || !Number.isFinite(counted.value)
      ? null
      : (assessFast(ind, expected, counted.value, rules.yellowWithinPoints) ??
        assessExact(ind, expected, counted.value, rules.yellowWithinPoints));
  // The input bounds (indicatorBounds in ../schemas.ts) keep every figure finite. A value stored before
  // them (or written around them) may not be finite, or may put a completion, a gap or a shown
  // percentage beyond the largest double: it is not assessed (grey), rather than answering Infinity,
  // which no JSON response can carry, and failing the whole page it is on.
  const beyond =
    counted !== null && (!Number.isFinite(counted.value) || (assessed !== null && !fitsDouble(assessed)));
  const a = beyond ? null : assessed;
  const numbers: Numbers = {
    completion: a === null ? null : a.completion,
    expected: a === null ? expectedNumber(ind, expected) : a.expected,
    gapPoints: a === null ? null : a.gapPoints,
    rulesVersion: rules.version,
  };

  if ((ind.lightSource ?? 'completion') === 'rank')
    return withNumbers(numbers, rankVerdict(input.rank, rules));
  if (counted === null) return withNumbers(numbers, timelinessVerdict(period, input.now, rules));
  if (beyond) {
    return withNumbers(numbers, {
      light: 'grey',
      reason: { key: 'lights.outOfRange', params: { actual: String(counted.value) } },
    });
  }

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
    'lights.outOfRange': '实际值 {{actual}} 超出可计算的范围，无法计算完成率，请核实更正：灰灯',
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
    'lights.outOfRange':
      'Actual {{actual}} is beyond the range completion can be computed for; check and correct it: grey',
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
