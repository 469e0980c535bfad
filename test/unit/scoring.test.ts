import Fraction from 'fraction.js';
import { describe, expect, it } from 'vitest';
import { roundHalfAwayFromZero, toFraction } from '../../src/kernel/decimal.ts';
import {
  type Criterion,
  computeResults,
  defaultScoringSettings,
  type GradeBands,
  type Judge,
  judgeTotal,
  overtimePenalty,
  type Panel,
  type ResultsInput,
  type Score,
  type ScoringSettings,
  type Slot,
  type UnitResult,
} from '../../src/modules/event/domain/scoring.ts';

const oneCriterion: Criterion[] = [{ id: 'c', nameZh: '总分', nameEn: 'Total', maxPoints: 100, step: 0.5 }];

function slot(id: string, unitId = `unit-${id}`, trackId = 't', extra: Partial<Slot> = {}): Slot {
  return { id, unitId, trackId, overtimeSeconds: 0, manualPenalty: 0, ...extra };
}

/** One criterion, so a judge's total is simply the value given. */
function build(opts: {
  panels?: Panel[];
  judges: Judge[];
  slots: Slot[];
  totals: Record<string, Record<string, number>>; // slotId -> judgeId -> total
  settings?: Partial<ScoringSettings>;
}): ResultsInput {
  const scores: Score[] = [];
  for (const [slotId, byJudge] of Object.entries(opts.totals)) {
    for (const [judgeId, total] of Object.entries(byJudge))
      scores.push({ slotId, judgeId, values: { c: total } });
  }
  return {
    settings: { ...defaultScoringSettings, ...opts.settings },
    criteria: oneCriterion,
    panels: opts.panels ?? [{ id: 'p', name: 'Panel', weight: 1 }],
    judges: opts.judges,
    slots: opts.slots,
    scores,
  };
}

function judges(n: number, panelId = 'p', prefix = 'j'): Judge[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i + 1}`, panelId, affiliatedUnitIds: [] }));
}

function totalsFor(list: number[], prefix = 'j'): Record<string, number> {
  return Object.fromEntries(list.map((t, i) => [`${prefix}${i + 1}`, t]));
}

function only(input: ResultsInput): UnitResult {
  const rows = computeResults(input).flatMap((t) => t.rows);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe('worked example from docs/scoring.md', () => {
  it('reproduces every published number', () => {
    const criteria: Criterion[] = [
      { id: 'results', nameZh: '工作实绩', nameEn: 'Results', maxPoints: 60, step: 0.5 },
      { id: 'highlights', nameZh: '特色亮点', nameEn: 'Highlights', maxPoints: 40, step: 0.5 },
    ];
    const judgeList: Judge[] = [
      ...['A1', 'A2', 'A3', 'A4', 'A5'].map((id) => ({ id, panelId: 'A', affiliatedUnitIds: [] })),
      { id: 'B1', panelId: 'B', affiliatedUnitIds: ['U'] },
      { id: 'B2', panelId: 'B', affiliatedUnitIds: [] },
    ];
    const table: [string, number, number][] = [
      ['A1', 52, 35],
      ['A2', 50.5, 33],
      ['A3', 55, 36.5],
      ['A4', 48, 30],
      ['A5', 51, 34.5],
      ['B1', 60, 40], // recused: must not count even though it exists
      ['B2', 48, 32.5],
    ];
    const input: ResultsInput = {
      settings: { ...defaultScoringSettings, overtimePenalty: { points: 0.5, perSeconds: 30 } },
      criteria,
      panels: [
        { id: 'A', name: 'A', weight: 0.6 },
        { id: 'B', name: 'B', weight: 0.4 },
      ],
      judges: judgeList,
      slots: [slot('s1', 'U', 't', { overtimeSeconds: 40 })],
      scores: table.map(([judgeId, results, highlights]) => ({
        slotId: 's1',
        judgeId,
        values: { results, highlights },
      })),
    };
    const row = only(input);
    expect(row.panels).toEqual([
      {
        panelId: 'A',
        score: 85.33,
        exact: '256/3',
        eligible: 5,
        scored: 5,
        trimmedHigh: [91.5],
        trimmedLow: [78],
        counted: 3,
      },
      {
        panelId: 'B',
        score: 80.5,
        exact: '161/2',
        eligible: 1,
        scored: 1,
        trimmedHigh: [],
        trimmedLow: [],
        counted: 1,
      },
    ]);
    expect(row.raw).toBe(83.4);
    expect(row.rawExact).toBe('417/5');
    expect(row.overtimePenalty).toBe(1);
    expect(row.manualPenalty).toBe(0);
    expect(row.penalty).toBe(1);
    expect(row.score).toBe(82.4);
    expect(row.exact).toBe('412/5');
    expect(row.rank).toBe(1);
    expect(row.criterionAverages).toEqual({ results: 50.75, highlights: 33.58 });
    expect(row.participation).toEqual({ scored: 6, eligible: 6, recused: 1 });
  });

  it('without B2 the empty panel B is left out: raw is panel A alone (256/3)', () => {
    const input = build({
      panels: [
        { id: 'A', name: 'A', weight: 0.6 },
        { id: 'B', name: 'B', weight: 0.4 },
      ],
      judges: [...judges(5, 'A', 'a'), ...judges(2, 'B', 'b')],
      slots: [slot('s1')],
      totals: { s1: totalsFor([87, 83.5, 91.5, 78, 85.5], 'a') },
    });
    expect(only(input).rawExact).toBe('256/3');
  });
});

describe('judge totals and eligibility', () => {
  it('a judge total is the exact sum of criterion scores', () => {
    expect(judgeTotal({ a: 0.1, b: 0.2 })).toBe(0.3);
    expect(judgeTotal({ a: 12.5, b: 30, c: 7.5 })).toBe(50);
    expect(judgeTotal({})).toBe(0);
  });

  it("a recused judge's score is not counted", () => {
    const js: Judge[] = [...judges(3), { id: 'x', panelId: 'p', affiliatedUnitIds: ['unit-s1'] }];
    const row = only(
      build({ judges: js, slots: [slot('s1')], totals: { s1: { j1: 80, j2: 80, j3: 80, x: 0 } } }),
    );
    expect(row.score).toBe(80);
    expect(row.panels[0]).toMatchObject({ eligible: 3, scored: 3, counted: 3 });
    expect(row.participation).toEqual({ scored: 3, eligible: 3, recused: 1 });
  });

  it("a recused judge's malformed score is never even read", () => {
    const js: Judge[] = [...judges(1), { id: 'x', panelId: 'p', affiliatedUnitIds: ['unit-s1'] }];
    const input = build({ judges: js, slots: [slot('s1')], totals: { s1: { j1: 70 } } });
    const scores = [...input.scores, { slotId: 's1', judgeId: 'x', values: {} }];
    expect(only({ ...input, scores }).score).toBe(70);
  });

  it('recusal is per unit: the same judge counts for other units', () => {
    const js: Judge[] = [{ id: 'x', panelId: 'p', affiliatedUnitIds: ['unit-s1'] }];
    const [track] = computeResults(
      build({ judges: js, slots: [slot('s1'), slot('s2')], totals: { s1: { x: 90 }, s2: { x: 60 } } }),
    );
    const bySlot = Object.fromEntries(track!.rows.map((r) => [r.slotId, r]));
    expect(bySlot.s1!.score).toBeNull();
    expect(bySlot.s2!.score).toBe(60);
  });

  it('judges who have not scored yet count as eligible but not as scored', () => {
    const row = only(build({ judges: judges(5), slots: [slot('s1')], totals: { s1: totalsFor([70, 80]) } }));
    expect(row.participation).toEqual({ scored: 2, eligible: 5, recused: 0 });
    expect(row.panels[0]).toMatchObject({ eligible: 5, scored: 2, counted: 2 });
  });

  it('ignores scores for slots or judges that are not in the input', () => {
    const input = build({ judges: judges(1), slots: [slot('s1')], totals: { s1: { j1: 70 } } });
    const scores = [
      ...input.scores,
      { slotId: 'other', judgeId: 'j1', values: { c: 1 } },
      { slotId: 's1', judgeId: 'ghost', values: { c: 1 } },
    ];
    expect(only({ ...input, scores }).score).toBe(70);
  });
});

describe('trimming', () => {
  it('trims the highest and the lowest total when enough remain', () => {
    const row = only(
      build({ judges: judges(5), slots: [slot('s1')], totals: { s1: totalsFor([60, 70, 80, 90, 100]) } }),
    );
    expect(row.panels[0]).toMatchObject({ trimmedHigh: [100], trimmedLow: [60], counted: 3, score: 80 });
  });

  it('trims nothing when fewer than m totals would remain', () => {
    const row = only(
      build({ judges: judges(4), slots: [slot('s1')], totals: { s1: totalsFor([60, 70, 80, 100]) } }),
    );
    expect(row.panels[0]).toMatchObject({ trimmedHigh: [], trimmedLow: [], counted: 4, score: 77.5 });
  });

  it('trims one instance of equal totals', () => {
    const row = only(
      build({ judges: judges(5), slots: [slot('s1')], totals: { s1: totalsFor([90, 90, 80, 90, 90]) } }),
    );
    expect(row.panels[0]).toMatchObject({ trimmedHigh: [90], trimmedLow: [80], counted: 3, score: 90 });
  });

  it('recusal can switch trimming off (5 judges, 1 recused: 4 - 2 < 3)', () => {
    const js = judges(5);
    js[4] = { ...js[4]!, affiliatedUnitIds: ['unit-s1'] };
    const row = only(
      build({ judges: js, slots: [slot('s1')], totals: { s1: totalsFor([60, 70, 80, 100, 100]) } }),
    );
    expect(row.panels[0]).toMatchObject({ eligible: 4, scored: 4, counted: 4, trimmedHigh: [], score: 77.5 });
  });

  it('honours k and m from settings', () => {
    const row = only(
      build({
        judges: judges(7),
        slots: [slot('s1')],
        totals: { s1: totalsFor([10, 20, 30, 40, 50, 60, 70]) },
        settings: { trimK: 2, trimMinRemaining: 3 },
      }),
    );
    expect(row.panels[0]).toMatchObject({
      trimmedHigh: [70, 60],
      trimmedLow: [10, 20],
      counted: 3,
      score: 40,
    });
  });

  it('k = 0 never trims', () => {
    const row = only(
      build({
        judges: judges(5),
        slots: [slot('s1')],
        totals: { s1: totalsFor([0, 0, 0, 0, 100]) },
        settings: { trimK: 0 },
      }),
    );
    expect(row.panels[0]).toMatchObject({ counted: 5, score: 20 });
  });
});

describe('panel weighting', () => {
  const panels: Panel[] = [
    { id: 'A', name: 'A', weight: 0.5 },
    { id: 'B', name: 'B', weight: 0.3 },
    { id: 'C', name: 'C', weight: 0.2 },
  ];
  const js = [...judges(1, 'A', 'a'), ...judges(1, 'B', 'b'), ...judges(1, 'C', 'c')];

  it('weights panel means', () => {
    const row = only(
      build({ panels, judges: js, slots: [slot('s1')], totals: { s1: { a1: 90, b1: 80, c1: 70 } } }),
    );
    expect(row.rawExact).toBe('83/1');
  });

  it('a panel emptied by recusal does not drag the unit down', () => {
    const recusedC = js.map((j) => (j.panelId === 'C' ? { ...j, affiliatedUnitIds: ['unit-s1'] } : j));
    const row = only(
      build({ panels, judges: recusedC, slots: [slot('s1')], totals: { s1: { a1: 90, b1: 80, c1: 0 } } }),
    );
    // (0.5 × 90 + 0.3 × 80) / 0.8 = 86.25, not 69
    expect(row.raw).toBe(86.25);
    expect(row.panels[2]).toMatchObject({ panelId: 'C', score: null, exact: null, eligible: 0, scored: 0 });
  });

  it('a zero-weight panel is reported but does not carry the score', () => {
    const withZero = panels.map((p) => (p.id === 'C' ? { ...p, weight: 0 } : p));
    const row = only(
      build({ panels: withZero, judges: js, slots: [slot('s1')], totals: { s1: { a1: 90, b1: 80, c1: 0 } } }),
    );
    expect(row.rawExact).toBe('345/4'); // (45 + 24) / 0.8
    expect(row.panels[2]!.score).toBe(0);
  });

  it('a unit nobody could score has no score, no rank and no grade, and comes last', () => {
    const [track] = computeResults(
      build({
        judges: judges(1),
        slots: [slot('a-empty'), slot('s2')],
        totals: { s2: { j1: 50 } },
        settings: {
          gradeBands: {
            kind: 'threshold',
            bands: [{ key: 'any', labelZh: '任', labelEn: 'Any', min: -1000 }],
          },
        },
      }),
    );
    expect(track!.rows.map((r) => [r.slotId, r.rank, r.grade?.key ?? null, r.score, r.raw])).toEqual([
      ['s2', 1, 'any', 50, 50],
      ['a-empty', null, null, null, null],
    ]);
  });
});

describe('penalties', () => {
  it('overtime costs the full points for every started period', () => {
    const rule = { points: 0.5, perSeconds: 30 };
    expect(overtimePenalty(0, rule)).toBe(0);
    expect(overtimePenalty(-5, rule)).toBe(0);
    expect(overtimePenalty(1, rule)).toBe(0.5);
    expect(overtimePenalty(30, rule)).toBe(0.5);
    expect(overtimePenalty(31, rule)).toBe(1);
    expect(overtimePenalty(95, rule)).toBe(2);
  });

  it('points 0 disables the overtime penalty', () => {
    expect(overtimePenalty(600, { points: 0, perSeconds: 30 })).toBe(0);
  });

  it('is exact for decimal points (0.1 per started 10 s, 25 s over → 0.3)', () => {
    expect(overtimePenalty(25, { points: 0.1, perSeconds: 10 })).toBe(0.3);
  });

  it('subtracts overtime and manual penalties from the raw score', () => {
    const row = only(
      build({
        judges: judges(1),
        slots: [slot('s1', 'u', 't', { overtimeSeconds: 61, manualPenalty: 0.25 })],
        totals: { s1: { j1: 80 } },
        settings: { overtimePenalty: { points: 0.5, perSeconds: 30 } },
      }),
    );
    expect(row).toMatchObject({
      raw: 80,
      overtimePenalty: 1.5,
      manualPenalty: 0.25,
      penalty: 1.75,
      score: 78.25,
    });
  });

  it('reports penalties even for a unit without a score', () => {
    const row = only(
      build({ judges: judges(1), slots: [slot('s1', 'u', 't', { manualPenalty: 2 })], totals: {} }),
    );
    expect(row).toMatchObject({ penalty: 2, score: null, exact: null, rank: null });
  });
});

describe('rounding', () => {
  it('0.125 rounds to 0.13 and -0.125 to -0.13', () => {
    expect(roundHalfAwayFromZero(toFraction(0.125), 2).toString()).toBe('0.13');
    expect(roundHalfAwayFromZero(toFraction(-0.125), 2).toString()).toBe('-0.13');
    expect(roundHalfAwayFromZero(toFraction(0.124), 2).toString()).toBe('0.12');
    expect(roundHalfAwayFromZero(toFraction(2.5), 0).toString()).toBe('3');
    expect(roundHalfAwayFromZero(toFraction(-2.5), 0).toString()).toBe('-3');
  });

  it('rounds the exact value, not a float: 1.005 becomes 1.01 (Math.round would give 1.00)', () => {
    expect(roundHalfAwayFromZero(toFraction(1.005), 2).equals(new Fraction(101, 100))).toBe(true);
  });

  it('rounds thirds exactly only at the end', () => {
    const row = only(
      build({ judges: judges(3), slots: [slot('s1')], totals: { s1: totalsFor([80, 80, 80.5]) } }),
    );
    expect(row.exact).toBe('481/6'); // 80.1666…
    expect(row.score).toBe(80.17);
  });

  it('honours decimals = 0', () => {
    const row = only(
      build({
        judges: judges(2),
        slots: [slot('s1')],
        totals: { s1: totalsFor([80, 81]) },
        settings: { decimals: 0 },
      }),
    );
    expect(row.score).toBe(81);
    expect(row.exact).toBe('161/2');
  });

  it('reads inputs in exponent notation exactly', () => {
    expect(toFraction(1e-7).equals(new Fraction(1, 10_000_000))).toBe(true);
    expect(toFraction(1e21).equals(new Fraction(10n ** 21n, 1n))).toBe(true);
  });

  it('a negative final score rounds away from zero', () => {
    const row = only(
      build({
        judges: judges(1),
        slots: [slot('s1', 'u', 't', { manualPenalty: 1.125 })],
        totals: { s1: { j1: 1 } },
      }),
    );
    expect(row.exact).toBe('-1/8');
    expect(row.score).toBe(-0.13);
  });
});

describe('ranking', () => {
  function rank(
    scores: Record<string, number>,
    settings: Partial<ScoringSettings> = {},
  ): [string, number | null][] {
    const slots = Object.keys(scores).map((id) => slot(id, id));
    const totals = Object.fromEntries(Object.entries(scores).map(([id, v]) => [id, { j1: v }]));
    const [track] = computeResults(build({ judges: judges(1), slots, totals, settings }));
    return track!.rows.map((r) => [r.unitId, r.rank]);
  }

  it('ranks 1,2,2,4', () => {
    expect(rank({ d: 70, b: 90, c: 90, a: 95 })).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 2],
      ['d', 4],
    ]);
  });

  it('ranks on the rounded score: 80.004 and 80.001 tie at 80.00', () => {
    const [track] = computeResults(
      build({
        judges: judges(1),
        slots: [slot('x', 'x'), slot('y', 'y')],
        totals: { x: { j1: 80.001 }, y: { j1: 80.004 } },
      }),
    );
    expect(track!.rows.map((r) => r.rank)).toEqual([1, 1]);
  });

  it('the tie-break panel orders equal final scores, and still-equal units share a rank', () => {
    const panels: Panel[] = [
      { id: 'L', name: 'Leaders', weight: 0.5 },
      { id: 'R', name: 'Representatives', weight: 0.5 },
    ];
    const js = [...judges(1, 'L', 'l'), ...judges(1, 'R', 'r')];
    const slots = ['a', 'b', 'c', 'd'].map((id) => slot(id, id));
    const totals = {
      a: { l1: 80, r1: 90 }, // 85
      b: { l1: 90, r1: 80 }, // 85, leaders higher
      c: { l1: 90, r1: 80 }, // 85, same as b
      d: { l1: 70, r1: 70 },
    };
    const plain = computeResults(build({ panels, judges: js, slots, totals }))[0]!.rows;
    expect(plain.map((r) => [r.unitId, r.rank])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 1],
      ['d', 4],
    ]);
    const broken = computeResults(
      build({ panels, judges: js, slots, totals, settings: { tieBreakPanelId: 'L' } }),
    )[0]!.rows;
    expect(broken.map((r) => [r.unitId, r.rank])).toEqual([
      ['b', 1],
      ['c', 1],
      ['a', 3],
      ['d', 4],
    ]);
  });

  it('a missing tie-break panel score comes after any score, even a score of 0', () => {
    // Three units with the same final score 30: the tie-break panel R gave 45, gave 0, and never
    // scored (its only judge did not submit), so the unit without an R score renormalises to L alone.
    const panels: Panel[] = [
      { id: 'L', name: 'Leaders', weight: 60 },
      { id: 'R', name: 'Representatives', weight: 40 },
    ];
    const js = [...judges(1, 'L', 'l'), ...judges(1, 'R', 'r')];
    // Unit ids chosen so that the id order (the last resort) is the reverse of the rule's order.
    const slots = [slot('missing', 'u1'), slot('zero', 'u2'), slot('scored', 'u3')];
    const totals = {
      missing: { l1: 30 }, // R missing: 30
      zero: { l1: 50, r1: 0 }, // 0.6 × 50 + 0.4 × 0 = 30, R = 0
      scored: { l1: 20, r1: 45 }, // 0.6 × 20 + 0.4 × 45 = 30, R = 45
    };
    const rows = computeResults(
      build({ panels, judges: js, slots, totals, settings: { tieBreakPanelId: 'R' } }),
    )[0]!.rows;
    expect(rows.map((r) => r.score)).toEqual([30, 30, 30]);
    expect(rows.map((r) => r.panels.find((p) => p.panelId === 'R')?.score ?? null)).toEqual([45, 0, null]);
    expect(rows.map((r) => [r.unitId, r.rank])).toEqual([
      ['u3', 1],
      ['u2', 2],
      ['u1', 3],
    ]);
  });

  it('ranks each track separately, tracks in order of first appearance', () => {
    const input = build({
      judges: judges(1),
      slots: [slot('s1', 'u1', 'towns'), slot('s2', 'u2', 'depts'), slot('s3', 'u3', 'towns')],
      totals: { s1: { j1: 70 }, s2: { j1: 60 }, s3: { j1: 80 } },
    });
    const tracks = computeResults(input);
    expect(tracks.map((t) => [t.trackId, t.rows.map((r) => [r.unitId, r.rank])])).toEqual([
      [
        'towns',
        [
          ['u3', 1],
          ['u1', 2],
        ],
      ],
      ['depts', [['u2', 1]]],
    ]);
  });
});

describe('grades', () => {
  function grades(n: number, gradeBands: GradeBands, scores?: number[]): (string | null)[] {
    const ids = Array.from({ length: n }, (_, i) => `u${String(i).padStart(2, '0')}`);
    const slots = ids.map((id) => slot(id, id));
    const totals = Object.fromEntries(ids.map((id, i) => [id, { j1: scores?.[i] ?? 100 - i }]));
    const [track] = computeResults(build({ judges: judges(1), slots, totals, settings: { gradeBands } }));
    return track!.rows.map((r) => r.grade?.key ?? null);
  }
  const band = (key: string) => ({ key, labelZh: key, labelEn: key });

  it('rankShare: 20% of 14 units is 3 units, 20%+30% is 7', () => {
    const g = grades(14, {
      kind: 'rankShare',
      bands: [
        { ...band('good'), share: 0.2 },
        { ...band('fair'), share: 0.3 },
        { ...band('rest'), share: 0.5 },
      ],
    });
    expect(g).toEqual([...Array(3).fill('good'), ...Array(4).fill('fair'), ...Array(7).fill('rest')]);
  });

  it('rankShare: the last band catches the rest even if shares sum below 1', () => {
    const g = grades(5, {
      kind: 'rankShare',
      bands: [
        { ...band('top'), share: 0.2 },
        { ...band('other'), share: 0.1 },
      ],
    });
    expect(g).toEqual(['top', 'other', 'other', 'other', 'other']);
  });

  it('rankShare: units sharing a rank share a band', () => {
    const g = grades(
      5,
      {
        kind: 'rankShare',
        bands: [
          { ...band('top'), share: 0.2 },
          { ...band('rest'), share: 0.8 },
        ],
      },
      [90, 90, 80, 70, 60],
    );
    expect(g).toEqual(['top', 'top', 'rest', 'rest', 'rest']);
  });

  it('threshold: first band whose min is met by the rounded score, none → null', () => {
    const g = grades(
      4,
      {
        kind: 'threshold',
        bands: [
          { ...band('好'), min: 90 },
          { ...band('较好'), min: 80 },
        ],
      },
      [95, 89.999, 80, 79.5],
    );
    // 89.999 shows as 90.00, so it meets "min 90"
    expect(g).toEqual(['好', '好', '较好', null]);
  });

  it('none: no grades', () => {
    expect(grades(3, { kind: 'none' })).toEqual([null, null, null]);
  });
});

describe('criterion averages', () => {
  it('averages each criterion over all eligible scorers, untrimmed and unweighted', () => {
    const criteria: Criterion[] = [
      { id: 'x', nameZh: 'x', nameEn: 'x', maxPoints: 50, step: 1 },
      { id: 'y', nameZh: 'y', nameEn: 'y', maxPoints: 50, step: 1 },
    ];
    const panels: Panel[] = [
      { id: 'A', name: 'A', weight: 0.9 },
      { id: 'B', name: 'B', weight: 0.1 },
    ];
    const js: Judge[] = [
      ...judges(3, 'A', 'a'),
      ...judges(1, 'B', 'b'),
      { id: 'r', panelId: 'B', affiliatedUnitIds: ['u'] },
    ];
    const values: Record<string, { x: number; y: number }> = {
      a1: { x: 10, y: 0 },
      a2: { x: 20, y: 1 },
      a3: { x: 30, y: 1 },
      b1: { x: 41, y: 1 },
      r: { x: 50, y: 50 },
    };
    const row = only({
      settings: defaultScoringSettings,
      criteria,
      panels,
      judges: js,
      slots: [slot('s', 'u')],
      scores: Object.entries(values).map(([judgeId, v]) => ({ slotId: 's', judgeId, values: v })),
    });
    expect(row.criterionAverages).toEqual({ x: 25.25, y: 0.75 });
  });

  it('is null for every criterion when nobody scored', () => {
    const row = only(build({ judges: judges(2), slots: [slot('s1')], totals: {} }));
    expect(row.criterionAverages).toEqual({ c: null });
  });
});

describe('input contract', () => {
  const base = () => build({ judges: judges(1), slots: [slot('s1')], totals: { s1: { j1: 80 } } });

  it('rejects two scores of one judge for one slot', () => {
    const input = base();
    expect(() => computeResults({ ...input, scores: [...input.scores, ...input.scores] })).toThrow(
      RangeError,
    );
  });

  it('rejects an eligible score without a value for a rubric criterion', () => {
    const input = base();
    expect(() => computeResults({ ...input, scores: [{ slotId: 's1', judgeId: 'j1', values: {} }] })).toThrow(
      /criterion c/,
    );
  });

  it('rejects a non-finite score value', () => {
    const input = base();
    expect(() =>
      computeResults({ ...input, scores: [{ slotId: 's1', judgeId: 'j1', values: { c: Number.NaN } }] }),
    ).toThrow(RangeError);
  });

  it('rejects invalid settings and configuration', () => {
    const input = base();
    const bad: Partial<ScoringSettings>[] = [
      { trimK: -1 },
      { trimK: 0.5 },
      { trimMinRemaining: 0 },
      { decimals: -1 },
      { decimals: 21 },
      { tieBreakPanelId: 'nope' },
      { overtimePenalty: { points: 1, perSeconds: 0 } },
      { overtimePenalty: { points: -1, perSeconds: 30 } },
    ];
    for (const s of bad) {
      expect(() => computeResults({ ...input, settings: { ...input.settings, ...s } })).toThrow(RangeError);
    }
    expect(() => computeResults({ ...input, panels: [{ id: 'p', name: 'p', weight: -1 }] })).toThrow(
      RangeError,
    );
    expect(() =>
      computeResults({ ...input, judges: [{ id: 'j1', panelId: 'nope', affiliatedUnitIds: [] }] }),
    ).toThrow(RangeError);
    expect(() => computeResults({ ...input, slots: [slot('s1'), slot('s1')] })).toThrow(RangeError);
  });

  it('defaults match the documented rule and cannot be mutated', () => {
    expect(defaultScoringSettings).toEqual({
      trimK: 1,
      trimMinRemaining: 3,
      decimals: 2,
      overtimePenalty: { points: 0, perSeconds: 30 },
      gradeBands: { kind: 'none' },
      tieBreakPanelId: null,
      quorumPercent: 50,
    });
    expect(Object.isFrozen(defaultScoringSettings)).toBe(true);
  });
});
