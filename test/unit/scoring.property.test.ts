import fc from 'fast-check';
import Fraction from 'fraction.js';
import { describe, expect, it } from 'vitest';
import { roundHalfAwayFromZero, toFraction } from '../../src/kernel/decimal.ts';
import {
  type Criterion,
  computeResults,
  defaultScoringSettings,
  type Judge,
  type Panel,
  type ResultsInput,
  type Score,
  type Slot,
  type TrackResult,
} from '../../src/modules/event/domain/scoring.ts';

const UNITS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
const halfPoints = (max: number) => fc.integer({ min: 0, max: max * 2 }).map((n) => n / 2);

/** A random but self-consistent event: every score is by a known judge for a known slot. */
const eventArb: fc.Arbitrary<ResultsInput> = fc
  .record({
    criterionCount: fc.integer({ min: 1, max: 3 }),
    panelWeights: fc.array(
      fc.integer({ min: 1, max: 20 }).map((n) => n / 10),
      { minLength: 1, maxLength: 3 },
    ),
    judgeCount: fc.integer({ min: 0, max: 12 }),
    slotCount: fc.integer({ min: 1, max: 6 }),
    trimK: fc.integer({ min: 0, max: 2 }),
    trimMinRemaining: fc.integer({ min: 1, max: 4 }),
    tieBreak: fc.boolean(),
    seed: fc.infiniteStream(fc.nat()),
  })
  .chain((shape) =>
    fc.record({
      judges: fc.tuple(
        ...Array.from({ length: shape.judgeCount }, (_, i) =>
          fc.record({
            id: fc.constant(`j${i}`),
            panelId: fc.integer({ min: 0, max: shape.panelWeights.length - 1 }).map((p) => `p${p}`),
            affiliatedUnitIds: fc.subarray(UNITS, { maxLength: 2 }),
          }),
        ),
      ),
      slots: fc.tuple(
        ...Array.from({ length: shape.slotCount }, (_, i) =>
          fc.record({
            id: fc.constant(`s${i}`),
            unitId: fc.constant(UNITS[i]!),
            trackId: fc.constantFrom('towns', 'depts'),
            overtimeSeconds: fc.integer({ min: -10, max: 120 }),
            manualPenalty: halfPoints(2),
          }),
        ),
      ),
      // One optional submission per (slot, judge), present with probability ~3/4.
      submissions: fc.array(
        fc.option(
          fc.array(halfPoints(20), { minLength: shape.criterionCount, maxLength: shape.criterionCount }),
          {
            freq: 3,
          },
        ),
        { minLength: shape.slotCount * shape.judgeCount, maxLength: shape.slotCount * shape.judgeCount },
      ),
      overtimePoints: fc.constantFrom(0, 0.5, 1),
      shape: fc.constant(shape),
    }),
  )
  .map(({ judges, slots, submissions, overtimePoints, shape }): ResultsInput => {
    const criteria: Criterion[] = Array.from({ length: shape.criterionCount }, (_, i) => ({
      id: `c${i}`,
      nameZh: `指标${i}`,
      nameEn: `C${i}`,
      maxPoints: 20,
      step: 0.5,
    }));
    const panels: Panel[] = shape.panelWeights.map((weight, i) => ({ id: `p${i}`, name: `P${i}`, weight }));
    const scores: Score[] = [];
    slots.forEach((slot, s) => {
      judges.forEach((judge, j) => {
        const values = submissions[s * judges.length + j];
        if (values == null) return;
        scores.push({
          slotId: slot.id,
          judgeId: judge.id,
          values: Object.fromEntries(values.map((v, c) => [`c${c}`, v])),
        });
      });
    });
    return {
      settings: {
        ...defaultScoringSettings,
        trimK: shape.trimK,
        trimMinRemaining: shape.trimMinRemaining,
        overtimePenalty: { points: overtimePoints, perSeconds: 30 },
        tieBreakPanelId: shape.tieBreak ? 'p0' : null,
        gradeBands: {
          kind: 'rankShare',
          bands: [
            { key: 'A', labelZh: '好', labelEn: 'Good', share: 0.3 },
            { key: 'B', labelZh: '一般', labelEn: 'Fair', share: 0.7 },
          ],
        },
      },
      criteria,
      panels,
      judges: judges as Judge[],
      slots: slots as Slot[],
      scores,
    };
  });

const isRecused = (input: ResultsInput, score: Score): boolean => {
  const unitId = input.slots.find((s) => s.id === score.slotId)!.unitId;
  return input.judges.find((j) => j.id === score.judgeId)!.affiliatedUnitIds.includes(unitId);
};

/** Track order follows slot order by contract, so compare tracks by id. */
const byTrackId = (tracks: TrackResult[]) => [...tracks].sort((a, b) => (a.trackId < b.trackId ? -1 : 1));

const rowsBySlot = (tracks: TrackResult[]) =>
  new Map(tracks.flatMap((t) => t.rows).map((r) => [r.slotId, r]));

const permutation = <T>(items: readonly T[]) =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

describe('scoring properties', () => {
  it('is independent of the order of scores, judges and slots', () => {
    fc.assert(
      fc.property(
        eventArb.chain((input) =>
          fc.tuple(
            fc.constant(input),
            permutation(input.scores),
            permutation(input.judges),
            permutation(input.slots),
          ),
        ),
        ([input, scores, judges, slots]) => {
          const shuffled = computeResults({ ...input, scores, judges, slots });
          expect(byTrackId(shuffled)).toEqual(byTrackId(computeResults(input)));
        },
      ),
    );
  });

  it('never counts a recused judge: changing, adding or removing their scores changes nothing', () => {
    fc.assert(
      fc.property(eventArb, halfPoints(20), (input, replacement) => {
        const before = computeResults(input);
        const changed = input.scores.map((s) =>
          isRecused(input, s)
            ? { ...s, values: Object.fromEntries(Object.keys(s.values).map((k) => [k, replacement])) }
            : s,
        );
        expect(computeResults({ ...input, scores: changed })).toEqual(before);
        const removed = input.scores.filter((s) => !isRecused(input, s));
        expect(computeResults({ ...input, scores: removed })).toEqual(before);
        // Garbage from a recused judge is not even read.
        const scored = new Set(input.scores.map((s) => `${s.slotId}/${s.judgeId}`));
        const garbage: Score[] = [];
        for (const slot of input.slots) {
          for (const judge of input.judges) {
            if (judge.affiliatedUnitIds.includes(slot.unitId) && !scored.has(`${slot.id}/${judge.id}`)) {
              garbage.push({ slotId: slot.id, judgeId: judge.id, values: { c0: Number.NaN } });
            }
          }
        }
        expect(computeResults({ ...input, scores: [...input.scores, ...garbage] })).toEqual(before);
      }),
    );
  });

  it('never trims more than 2k, trims symmetrically, and only when m totals remain', () => {
    fc.assert(
      fc.property(eventArb, (input) => {
        const { trimK: k, trimMinRemaining: m } = input.settings;
        for (const row of computeResults(input).flatMap((t) => t.rows)) {
          for (const p of row.panels) {
            const trimmed = p.trimmedHigh.length + p.trimmedLow.length;
            expect(trimmed).toBeLessThanOrEqual(2 * k);
            expect(p.trimmedHigh.length).toBe(p.trimmedLow.length);
            expect(p.counted + trimmed).toBe(p.scored);
            expect(trimmed).toBe(p.scored - 2 * k >= m ? 2 * k : 0);
            expect(p.scored).toBeLessThanOrEqual(p.eligible);
            if (p.counted > 0) expect(p.score).not.toBeNull();
            for (const t of p.trimmedLow) expect(t).toBeLessThanOrEqual(Math.min(...p.trimmedHigh, Infinity));
          }
        }
      }),
    );
  });

  it('renormalises weights: scaling all weights by a constant changes nothing', () => {
    fc.assert(
      fc.property(eventArb, fc.constantFrom(0.1, 0.5, 3, 7, 100), (input, factor) => {
        const panels = input.panels.map((p) => ({
          ...p,
          weight: toFraction(p.weight).mul(toFraction(factor)).valueOf(),
        }));
        expect(computeResults({ ...input, panels })).toEqual(computeResults(input));
      }),
    );
  });

  it('ignores a panel with no totals, whatever its weight', () => {
    fc.assert(
      fc.property(
        eventArb,
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 3 }),
        (input, weight, n) => {
          const silent: Judge[] = Array.from({ length: n }, (_, i) => ({
            id: `silent${i}`,
            panelId: 'extra',
            affiliatedUnitIds: [],
          }));
          const widened = computeResults({
            ...input,
            panels: [...input.panels, { id: 'extra', name: 'Extra', weight }],
            judges: [...input.judges, ...silent],
          });
          const before = rowsBySlot(computeResults(input));
          for (const [slotId, row] of rowsBySlot(widened)) {
            const { panels, participation, quorumMet, ...rest } = row;
            const {
              panels: oldPanels,
              participation: oldParticipation,
              quorumMet: oldQuorumMet,
              ...oldRest
            } = before.get(slotId)!;
            expect(rest).toEqual(oldRest);
            // A silent panel is below any quorum as soon as it has an eligible judge; it never helps one.
            expect(quorumMet).toBe(oldQuorumMet && (n === 0 || input.settings.quorumPercent === 0));
            expect(panels.slice(0, -1)).toEqual(oldPanels);
            expect(panels.at(-1)).toMatchObject({ panelId: 'extra', score: null, scored: 0, eligible: n });
            expect(participation).toEqual({ ...oldParticipation, eligible: oldParticipation.eligible + n });
          }
        },
      ),
    );
  });

  it('a uniform shift of every total by c shifts every raw score by exactly c', () => {
    fc.assert(
      fc.property(
        eventArb,
        fc.integer({ min: -500, max: 500 }).map((n) => n / 100),
        (input, c) => {
          const shifted = input.scores.map((s) => ({
            ...s,
            values: { ...s.values, c0: toFraction(s.values.c0!).add(toFraction(c)).valueOf() },
          }));
          const before = rowsBySlot(computeResults(input));
          for (const [slotId, row] of rowsBySlot(computeResults({ ...input, scores: shifted }))) {
            const old = before.get(slotId)!;
            if (old.rawExact === null) {
              expect(row.rawExact).toBeNull();
            } else {
              expect(new Fraction(row.rawExact!).equals(new Fraction(old.rawExact).add(toFraction(c)))).toBe(
                true,
              );
            }
          }
        },
      ),
    );
  });

  it('outputs are the exact values rounded, and ranks are competition ranks on them', () => {
    fc.assert(
      fc.property(eventArb, (input) => {
        const { decimals } = input.settings;
        for (const track of computeResults(input)) {
          const ranked = track.rows.filter((r) => r.rank !== null);
          for (const row of track.rows) {
            expect(row.score === null).toBe(row.rank === null);
            if (row.exact === null) continue;
            expect(roundHalfAwayFromZero(new Fraction(row.exact), decimals).valueOf()).toBe(row.score);
            expect(
              new Fraction(row.exact).equals(new Fraction(row.rawExact!).sub(toFraction(row.penalty))),
            ).toBe(true);
            if (input.settings.tieBreakPanelId === null) {
              expect(row.rank).toBe(1 + ranked.filter((o) => o.score! > row.score!).length);
            } else {
              expect(row.rank).toBeLessThanOrEqual(
                1 + ranked.filter((o) => o.score! >= row.score! && o !== row).length,
              );
            }
          }
          // Rows come best first, unranked last.
          const keys = track.rows.map((r) => r.rank ?? Number.POSITIVE_INFINITY);
          expect(keys).toEqual([...keys].sort((a, b) => a - b));
        }
      }),
    );
  });
});
