// Phase a: the cost of exact results (computeResults) against plain float means of the same scores.

import { seededRandom } from '../src/demo/random.ts';
import {
  type Criterion,
  computeResults,
  defaultScoringSettings,
  type Judge,
  type Panel,
  type ResultsInput,
  type Score,
  type Slot,
} from '../src/modules/event/domain/scoring.ts';

export interface ResultsFigures {
  units: number;
  judges: number;
  criteria: number;
  scores: number;
  runs: number;
  exactFirstMs: number;
  exactMedianMs: number;
  bareFirstMs: number;
  bareMedianMs: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** 60 units in two tracks, 500 judges in three panels, every eligible judge scoring every unit. */
export function makeResultsInput(units: number, judgeCount: number, seed: string): ResultsInput {
  const random = seededRandom(seed);
  const criteria: Criterion[] = [
    { id: 'c1', nameZh: '工作实绩', nameEn: 'Work results', maxPoints: 40, step: 0.5 },
    { id: 'c2', nameZh: '特色亮点', nameEn: 'Highlights', maxPoints: 25, step: 0.5 },
    { id: 'c3', nameZh: '问题剖析', nameEn: 'Facing shortfalls', maxPoints: 20, step: 0.5 },
    { id: 'c4', nameZh: '精神面貌', nameEn: 'Spirit and work style', maxPoints: 15, step: 0.5 },
  ];
  const panels: Panel[] = [
    { id: 'p1', name: 'leaders', weight: 0.5 },
    { id: 'p2', name: 'heads', weight: 0.3 },
    { id: 'p3', name: 'deputies', weight: 0.2 },
  ];
  const slots: Slot[] = Array.from({ length: units }, (_, i) => ({
    id: `s${i}`,
    unitId: `u${i}`,
    trackId: i < units / 2 ? 't1' : 't2',
    overtimeSeconds: random.next() < 0.1 ? 1 + random.int(90) : 0,
    manualPenalty: 0,
  }));
  // One judge in twenty belongs to a unit, so recusal is part of the work measured.
  const judges: Judge[] = Array.from({ length: judgeCount }, (_, j) => ({
    id: `j${j}`,
    panelId: j < judgeCount / 2 ? 'p1' : j < (judgeCount * 4) / 5 ? 'p2' : 'p3',
    affiliatedUnitIds: j % 20 === 0 ? [`u${random.int(units)}`] : [],
  }));
  const quality = slots.map(() => 0.7 + 0.25 * random.next());
  const scores: Score[] = [];
  for (const [s, slot] of slots.entries()) {
    for (const judge of judges) {
      if (judge.affiliatedUnitIds.includes(slot.unitId)) continue;
      const values: Record<string, number> = {};
      for (const c of criteria) {
        const raw = c.maxPoints * (quality[s]! + 0.05 * random.normal());
        values[c.id] = Math.min(c.maxPoints, Math.max(0, Math.round(raw / c.step) * c.step));
      }
      scores.push({ slotId: slot.id, judgeId: judge.id, values });
    }
  }
  return {
    settings: { ...defaultScoringSettings, overtimePenalty: { points: 0.5, perSeconds: 30 } },
    criteria,
    panels,
    judges,
    slots,
    scores,
  };
}

/** The bare baseline: float sums and means per slot in one plain loop, nothing else. */
export function bareMeans(input: ResultsInput): number[] {
  const index = new Map<string, number>();
  for (const [i, s] of input.slots.entries()) index.set(s.id, i);
  const sums = new Float64Array(input.slots.length);
  const counts = new Uint32Array(input.slots.length);
  const ids = input.criteria.map((c) => c.id);
  for (const score of input.scores) {
    const i = index.get(score.slotId)!;
    let total = 0;
    for (const id of ids) total += score.values[id]!;
    sums[i]! += total;
    counts[i]!++;
  }
  return Array.from(sums, (sum, i) => sum / counts[i]!);
}

function time(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export function benchResults(options: {
  units: number;
  judges: number;
  runs: number;
  seed: string;
}): ResultsFigures {
  const input = makeResultsInput(options.units, options.judges, options.seed);
  // Keep a result alive so the engine cannot drop the work.
  let sink = 0;
  const exactFirstMs = time(() => {
    sink += computeResults(input).length;
  });
  const bareFirstMs = time(() => {
    sink += bareMeans(input).length;
  });
  const exact: number[] = [];
  const bare: number[] = [];
  for (let r = 0; r < options.runs; r++) {
    exact.push(time(() => (sink += computeResults(input).length)));
    bare.push(time(() => (sink += bareMeans(input).length)));
  }
  if (sink === 0) throw new Error('no results computed');
  return {
    units: options.units,
    judges: options.judges,
    criteria: input.criteria.length,
    scores: input.scores.length,
    runs: options.runs,
    exactFirstMs,
    exactMedianMs: median(exact),
    bareFirstMs,
    bareMedianMs: median(bare),
  };
}
