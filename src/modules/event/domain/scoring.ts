// The scoring rule of a showcase event (晒拼). Pure: no I/O, no clock. The rule itself is specified in
// docs/scoring.md; this file must stay in step with it because `shaipin verify` recomputes published
// results with it.
//
// Exactness: every input number is read as the decimal it prints as (String(n)), and all arithmetic is
// done on integers or fraction.js rationals, so a result is the same on every machine and can be audited
// by hand. Judge totals are summed as bigints scaled by a common power of ten (cheap, and enough for
// sums, sorting and trimming); Fraction is used only where division appears (means, weights).

import Fraction from 'fraction.js';
import {
  assertDecimals,
  type Decimal,
  exactString,
  fractionToNumber,
  parseDecimal,
  roundScaled,
  scaledToNumber,
  sumDecimals,
  toFraction,
} from '../../../kernel/decimal.ts';

export type GradeBands =
  | { kind: 'none' }
  | { kind: 'rankShare'; bands: { key: string; labelZh: string; labelEn: string; share: number }[] }
  | { kind: 'threshold'; bands: { key: string; labelZh: string; labelEn: string; min: number }[] };

export interface ScoringSettings {
  trimK: number;
  trimMinRemaining: number;
  decimals: number;
  overtimePenalty: { points: number; perSeconds: number };
  gradeBands: GradeBands;
  tieBreakPanelId: string | null;
  /**
   * The share of each panel's eligible judges (percent, 0–100) that must have scored a unit for its
   * result to stand without a remark; 0 turns the rule off. See docs/scoring.md, "Quorum".
   */
  quorumPercent: number;
}

export const defaultScoringSettings: ScoringSettings = Object.freeze({
  trimK: 1,
  trimMinRemaining: 3,
  decimals: 2,
  overtimePenalty: Object.freeze({ points: 0, perSeconds: 30 }),
  gradeBands: Object.freeze({ kind: 'none' as const }),
  tieBreakPanelId: null,
  quorumPercent: 50,
});

export interface Criterion {
  id: string;
  nameZh: string;
  nameEn: string;
  maxPoints: number;
  step: number;
}
export interface Panel {
  id: string;
  name: string;
  weight: number;
}
export interface Judge {
  id: string;
  panelId: string;
  affiliatedUnitIds: readonly string[];
}
export interface Slot {
  id: string;
  unitId: string;
  trackId: string;
  overtimeSeconds: number;
  manualPenalty: number;
}
/** Latest version per (slot, judge). */
export interface Score {
  slotId: string;
  judgeId: string;
  values: Readonly<Record<string, number>>;
}
export interface ResultsInput {
  settings: ScoringSettings;
  criteria: readonly Criterion[];
  panels: readonly Panel[];
  judges: readonly Judge[];
  slots: readonly Slot[];
  scores: readonly Score[];
}
export interface PanelResult {
  panelId: string;
  score: number | null;
  exact: string | null;
  eligible: number;
  scored: number;
  /** Removed totals, highest first. */
  trimmedHigh: number[];
  /** Removed totals, lowest first. */
  trimmedLow: number[];
  counted: number;
}
export interface UnitResult {
  slotId: string;
  unitId: string;
  trackId: string;
  panels: PanelResult[];
  raw: number | null;
  rawExact: string | null;
  penalty: number;
  overtimePenalty: number;
  manualPenalty: number;
  score: number | null;
  exact: string | null;
  rank: number | null;
  grade: { key: string; labelZh: string; labelEn: string } | null;
  criterionAverages: Record<string, number | null>;
  participation: { scored: number; eligible: number; recused: number };
  /** Every panel with eligible judges reached the quorum (see meetsQuorum). */
  quorumMet: boolean;
}
/** Rows sorted by rank, unranked last, ties by unitId (then slotId) for determinism. */
export interface TrackResult {
  trackId: string;
  rows: UnitResult[];
}

/**
 * Whether a panel's participation reaches the quorum: scored / eligible ≥ percent / 100, in integers.
 * A panel with no eligible judge (all recused) has nothing to reach.
 */
export const meetsQuorum = (panel: { scored: number; eligible: number }, percent: number): boolean =>
  panel.eligible === 0 || panel.scored * 100 >= percent * panel.eligible;

/** Exact sum of all values of one submission, as the nearest JS number. */
export function judgeTotal(values: Readonly<Record<string, number>>): number {
  return fractionToNumber(sumDecimals(Object.values(values), 'criterion score'));
}

function overtimePenaltyExact(
  overtimeSeconds: number,
  rule: { points: number; perSeconds: number },
): Fraction {
  const points = toFraction(rule.points);
  const overtime = toFraction(overtimeSeconds);
  if (points.s < 0n || points.n === 0n || overtime.s < 0n || overtime.n === 0n) return new Fraction(0);
  if (!(rule.perSeconds > 0)) {
    throw new RangeError(`overtimePenalty.perSeconds must be positive, got ${rule.perSeconds}`);
  }
  // Every started period costs the full points: 31 s over at 30 s per period is two periods.
  return points.mul(overtime.div(toFraction(rule.perSeconds)).ceil());
}

/** points × ceil(overtimeSeconds / perSeconds) when both overtime and points are positive, else 0. */
export function overtimePenalty(
  overtimeSeconds: number,
  rule: { points: number; perSeconds: number },
): number {
  return fractionToNumber(overtimePenaltyExact(overtimeSeconds, rule));
}

// ---------------------------------------------------------------------------------------------------
// Input checks. Configuration errors throw rather than quietly changing somebody's score.

function assertUniqueIds(items: readonly { id: string }[], what: string): void {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.id)) throw new RangeError(`duplicate ${what} id ${item.id}`);
    seen.add(item.id);
  }
}

function checkSettings(settings: ScoringSettings, panelIds: ReadonlySet<string>): void {
  const { trimK, trimMinRemaining, decimals, overtimePenalty: ot, gradeBands, tieBreakPanelId } = settings;
  if (!Number.isInteger(trimK) || trimK < 0)
    throw new RangeError(`trimK must be an integer >= 0, got ${trimK}`);
  // m >= 1 guarantees that trimming never empties a panel, so a mean always exists.
  if (!Number.isInteger(trimMinRemaining) || trimMinRemaining < 1) {
    throw new RangeError(`trimMinRemaining must be an integer >= 1, got ${trimMinRemaining}`);
  }
  assertDecimals(decimals);
  if (!Number.isFinite(ot.points) || ot.points < 0) {
    throw new RangeError(`overtimePenalty.points must be >= 0, got ${ot.points}`);
  }
  if (!Number.isFinite(ot.perSeconds) || ot.perSeconds <= 0) {
    throw new RangeError(`overtimePenalty.perSeconds must be positive, got ${ot.perSeconds}`);
  }
  if (gradeBands.kind === 'rankShare') {
    for (const band of gradeBands.bands) {
      if (!Number.isFinite(band.share) || band.share < 0) {
        throw new RangeError(`grade band ${band.key}: share must be >= 0, got ${band.share}`);
      }
    }
  } else if (gradeBands.kind === 'threshold') {
    for (const band of gradeBands.bands) parseDecimal(band.min, `grade band ${band.key} min`);
  }
  if (tieBreakPanelId !== null && !panelIds.has(tieBreakPanelId)) {
    throw new RangeError(`tieBreakPanelId ${tieBreakPanelId} is not a panel`);
  }
}

// ---------------------------------------------------------------------------------------------------
// computeResults

interface Row {
  result: UnitResult;
  /** Rounded final score × 10^decimals; null when unranked. */
  key: bigint | null;
  /** Rounded tie-break panel score × 10^decimals. */
  tieKey: bigint | null;
}

function compareBigint(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareText(a: string, b: string): number {
  // Code-unit order, not localeCompare, so the order is the same on every machine.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Computes per-track results with ranks and grades. See docs/scoring.md for the rule.
 * Scores whose slot or judge is not in the input are ignored; a recused judge's score is never read.
 * Throws RangeError on invalid settings, duplicate ids or (slot, judge) pairs, a judge in an unknown
 * panel, negative weights, or an eligible score lacking a finite value for a rubric criterion.
 */
export function computeResults(input: ResultsInput): TrackResult[] {
  const { settings, criteria, panels, judges, slots, scores } = input;
  assertUniqueIds(criteria, 'criterion');
  assertUniqueIds(panels, 'panel');
  assertUniqueIds(judges, 'judge');
  assertUniqueIds(slots, 'slot');
  const panelIndex = new Map(panels.map((p, i) => [p.id, i]));
  checkSettings(settings, new Set(panelIndex.keys()));
  const weights = panels.map((p) => {
    const w = toFraction(p.weight);
    if (w.s < 0n && w.n !== 0n) throw new RangeError(`panel ${p.id}: weight must be >= 0, got ${p.weight}`);
    return w;
  });

  const judgeIndex = new Map<string, number>();
  const judgePanel = judges.map((j, i) => {
    const p = panelIndex.get(j.panelId);
    if (p === undefined) throw new RangeError(`judge ${j.id} is in unknown panel ${j.panelId}`);
    judgeIndex.set(j.id, i);
    return p;
  });

  const slotIndex = new Map(slots.map((s, i) => [s.id, i]));

  // Pass 1: keep the scores that can count and read their values, to learn the common decimal scale.
  const parsedCache = new Map<number, Decimal>();
  const read = (v: unknown, what: () => string): Decimal => {
    if (typeof v === 'number') {
      const hit = parsedCache.get(v);
      if (hit !== undefined) return hit;
    }
    const d = parseDecimal(v, what());
    parsedCache.set(v as number, d);
    return d;
  };
  const bySlot: { judge: number; values: Decimal[] }[][] = slots.map(() => []);
  const seenPairs = new Set<string>();
  let scale = 0;
  for (const score of scores) {
    const s = slotIndex.get(score.slotId);
    const j = judgeIndex.get(score.judgeId);
    if (s === undefined || j === undefined) continue;
    const pair = `${s}\u0000${j}`;
    if (seenPairs.has(pair)) {
      throw new RangeError(`more than one score for slot ${score.slotId} by judge ${score.judgeId}`);
    }
    seenPairs.add(pair);
    if (judges[j]!.affiliatedUnitIds.includes(slots[s]!.unitId)) continue;
    const values = criteria.map((c) =>
      read(
        Object.hasOwn(score.values, c.id) ? score.values[c.id] : undefined,
        () => `score of judge ${score.judgeId} for slot ${score.slotId}, criterion ${c.id}`,
      ),
    );
    for (const d of values) if (d.s > scale) scale = d.s;
    bySlot[s]!.push({ judge: j, values });
  }
  const pow10 = Array.from({ length: scale + 1 }, (_, i) => 10n ** BigInt(i));
  const unit = pow10[scale]!;
  const scaled = (d: Decimal): bigint => d.m * pow10[scale - d.s]!;
  const asNumber = (t: bigint): number => scaledToNumber(t, scale);

  const { trimK, trimMinRemaining, decimals, tieBreakPanelId } = settings;
  const tiePanel = tieBreakPanelId === null ? -1 : panelIndex.get(tieBreakPanelId)!;
  const roundedOut = (value: Fraction): { key: bigint; number: number } => {
    const key = roundScaled(value, decimals);
    return { key, number: scaledToNumber(key, decimals) };
  };

  // Pass 2: one row per slot.
  const tracks = new Map<string, Row[]>();
  slots.forEach((slot, s) => {
    const eligibleByPanel = new Array<number>(panels.length).fill(0);
    let recused = 0;
    judges.forEach((judge, j) => {
      if (judge.affiliatedUnitIds.includes(slot.unitId)) recused++;
      else eligibleByPanel[judgePanel[j]!]!++;
    });

    const totalsByPanel: bigint[][] = panels.map(() => []);
    const criterionSums = new Array<bigint>(criteria.length).fill(0n);
    const scorers = bySlot[s]!;
    for (const { judge, values } of scorers) {
      let total = 0n;
      for (let c = 0; c < values.length; c++) {
        const v = scaled(values[c]!);
        total += v;
        criterionSums[c]! += v;
      }
      totalsByPanel[judgePanel[judge]!]!.push(total);
    }

    let weighted = new Fraction(0);
    let weightSum = new Fraction(0);
    let tieKey: bigint | null = null;
    const panelResults = panels.map((panel, p): PanelResult => {
      const totals = totalsByPanel[p]!.sort(compareBigint);
      const n = totals.length;
      const trim = n - 2 * trimK >= trimMinRemaining ? trimK : 0;
      const kept = totals.slice(trim, n - trim);
      let mean: Fraction | null = null;
      let out: { key: bigint; number: number } | null = null;
      if (kept.length > 0) {
        let sum = 0n;
        for (const t of kept) sum += t;
        mean = new Fraction(sum, BigInt(kept.length) * unit);
        out = roundedOut(mean);
        // A zero-weight panel is shown but cannot carry the unit's score.
        if (weights[p]!.n !== 0n) {
          weighted = weighted.add(weights[p]!.mul(mean));
          weightSum = weightSum.add(weights[p]!);
        }
        if (p === tiePanel) tieKey = out.key;
      }
      return {
        panelId: panel.id,
        score: out === null ? null : out.number,
        exact: mean === null ? null : exactString(mean),
        eligible: eligibleByPanel[p]!,
        scored: n,
        trimmedHigh: totals
          .slice(n - trim)
          .reverse()
          .map(asNumber),
        trimmedLow: totals.slice(0, trim).map(asNumber),
        counted: kept.length,
      };
    });

    const raw = weightSum.n === 0n ? null : weighted.div(weightSum);
    const overtime = overtimePenaltyExact(slot.overtimeSeconds, settings.overtimePenalty);
    const manual = toFraction(slot.manualPenalty);
    const penalty = overtime.add(manual);
    const final = raw === null ? null : raw.sub(penalty);
    const finalOut = final === null ? null : roundedOut(final);

    const criterionAverages: Record<string, number | null> = {};
    criteria.forEach((c, i) => {
      criterionAverages[c.id] =
        scorers.length === 0
          ? null
          : roundedOut(new Fraction(criterionSums[i]!, BigInt(scorers.length) * unit)).number;
    });

    const result: UnitResult = {
      slotId: slot.id,
      unitId: slot.unitId,
      trackId: slot.trackId,
      panels: panelResults,
      raw: raw === null ? null : roundedOut(raw).number,
      rawExact: raw === null ? null : exactString(raw),
      penalty: fractionToNumber(penalty),
      overtimePenalty: fractionToNumber(overtime),
      manualPenalty: fractionToNumber(manual),
      score: finalOut === null ? null : finalOut.number,
      exact: final === null ? null : exactString(final),
      rank: null,
      grade: null,
      criterionAverages,
      participation: { scored: scorers.length, eligible: judges.length - recused, recused },
      quorumMet: panelResults.every((p) => meetsQuorum(p, settings.quorumPercent)),
    };
    let rows = tracks.get(slot.trackId);
    if (rows === undefined) {
      rows = [];
      tracks.set(slot.trackId, rows);
    }
    rows.push({ result, key: finalOut === null ? null : finalOut.key, tieKey });
  });

  return [...tracks].map(([trackId, rows]) => ({ trackId, rows: rankTrack(rows, settings, tiePanel >= 0) }));
}

function rankTrack(rows: Row[], settings: ScoringSettings, useTieBreak: boolean): UnitResult[] {
  // A missing tie-break panel score ranks below any present one.
  const tieOrder = (a: Row, b: Row): number => {
    if (!useTieBreak || a.tieKey === b.tieKey) return 0;
    if (a.tieKey === null) return 1;
    if (b.tieKey === null) return -1;
    return compareBigint(b.tieKey, a.tieKey);
  };
  rows.sort((a, b) => {
    if (a.key === null || b.key === null) {
      if (a.key !== b.key) return a.key === null ? 1 : -1;
    } else if (a.key !== b.key) {
      return compareBigint(b.key, a.key);
    }
    return (
      tieOrder(a, b) ||
      compareText(a.result.unitId, b.result.unitId) ||
      compareText(a.result.slotId, b.result.slotId)
    );
  });

  const ranked = rows.filter((r) => r.key !== null);
  ranked.forEach((row, i) => {
    const prev = ranked[i - 1];
    const tied = prev !== undefined && prev.key === row.key && tieOrder(prev, row) === 0;
    row.result.rank = tied ? prev.result.rank : i + 1;
  });

  const bands = settings.gradeBands;
  if (bands.kind === 'rankShare' && bands.bands.length > 0) {
    // Cutoff of band i = ceil(cumulative share × n): 20% of 14 units is 2.8, so 3 units get the top band.
    const n = BigInt(ranked.length);
    let cumulative = new Fraction(0);
    const cutoffs = bands.bands.map((band) => {
      cumulative = cumulative.add(toFraction(band.share));
      return cumulative.mul(n).ceil().n;
    });
    for (const row of ranked) {
      const r = BigInt(row.result.rank!);
      let b = cutoffs.findIndex((cutoff) => cutoff >= r);
      if (b < 0) b = bands.bands.length - 1;
      row.result.grade = gradeOf(bands.bands[b]!);
    }
  } else if (bands.kind === 'threshold') {
    const mins = bands.bands.map((band) => toFraction(band.min));
    const denominator = 10n ** BigInt(settings.decimals);
    for (const row of ranked) {
      // Compared with the rounded score, the one people see, so a displayed 90.00 meets "min 90".
      const score = new Fraction(row.key!, denominator);
      const b = mins.findIndex((min) => min.lte(score));
      row.result.grade = b < 0 ? null : gradeOf(bands.bands[b]!);
    }
  }
  return rows.map((r) => r.result);
}

function gradeOf(band: { key: string; labelZh: string; labelEn: string }): UnitResult['grade'] {
  return { key: band.key, labelZh: band.labelZh, labelEn: band.labelEn };
}
