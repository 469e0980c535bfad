import { describe, expect, it } from 'vitest';
import {
  type EventExport,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  parseExport,
  verifyExport,
} from '../../src/modules/event/domain/event-export.ts';
import {
  type ChainedEntry,
  entryHash,
  GENESIS_HASH,
  latestPerSlotAndJudge,
} from '../../src/modules/event/domain/ledger.ts';
import {
  computeResults,
  defaultScoringSettings,
  judgeTotal,
} from '../../src/modules/event/domain/scoring.ts';
import type { ResultsView } from '../../src/modules/event/schemas.ts';

// The worked example of docs/scoring.md for unit U1 (82.40), plus a second unit U2 in the same track.
const settings = { ...defaultScoringSettings, overtimePenalty: { points: 0.5, perSeconds: 30 } };
const criteria = [
  { id: 'c-results', nameZh: '工作实绩', nameEn: 'Results', maxPoints: 60, step: 0.5 },
  { id: 'c-highlights', nameZh: '特色亮点', nameEn: 'Highlights', maxPoints: 40, step: 0.5 },
];
const panels = [
  { id: 'p-a', name: 'A组', weight: 0.6 },
  { id: 'p-b', name: 'B组', weight: 0.4 },
];
const judges = [
  { id: 'j-a1', number: 1, panelId: 'p-a', affiliatedUnitIds: [] },
  { id: 'j-a2', number: 2, panelId: 'p-a', affiliatedUnitIds: [] },
  { id: 'j-a3', number: 3, panelId: 'p-a', affiliatedUnitIds: [] },
  { id: 'j-a4', number: 4, panelId: 'p-a', affiliatedUnitIds: [] },
  { id: 'j-a5', number: 5, panelId: 'p-a', affiliatedUnitIds: [] },
  { id: 'j-b1', number: 6, panelId: 'p-b', affiliatedUnitIds: ['u1'] },
  { id: 'j-b2', number: 7, panelId: 'p-b', affiliatedUnitIds: [] },
];
const units = [
  { id: 'u1', code: 'U1', name: '甲镇', shortName: '甲镇' },
  { id: 'u2', code: 'U2', name: '乙街道', shortName: '乙街道' },
];
const slots = [
  {
    id: 's1',
    trackId: 't1',
    unitId: 'u1',
    position: 1,
    timeLimitSec: 300,
    overtimeSec: 40,
    manualPenalty: 0,
    state: 'closed' as const,
  },
  {
    id: 's2',
    trackId: 't1',
    unitId: 'u2',
    position: 2,
    timeLimitSec: 300,
    overtimeSec: 0,
    manualPenalty: 0,
    state: 'closed' as const,
  },
];

type Submission = [slotId: string, judgeId: string, results: number, highlights: number];
const submissions: Submission[] = [
  ['s1', 'j-a1', 52, 35],
  ['s1', 'j-a2', 50.5, 33],
  ['s1', 'j-a3', 55, 36.5],
  ['s1', 'j-a4', 48, 30],
  ['s1', 'j-a5', 51, 34.5],
  ['s1', 'j-b2', 48, 32.5],
  ['s2', 'j-a1', 40, 30],
  ['s2', 'j-a2', 41, 31],
  ['s2', 'j-a3', 39, 29],
  ['s2', 'j-a4', 44, 20],
  ['s2', 'j-a5', 42.5, 30],
  ['s2', 'j-b1', 50, 30],
  ['s2', 'j-b2', 45, 35],
  // A revision: the latest version is the one that counts (A1 on U2: 70 → 71).
  ['s2', 'j-a1', 41, 30],
];

function chain(subs: readonly Submission[]): ChainedEntry[] {
  let prev = GENESIS_HASH;
  return subs.map(([slotId, judgeId, r, h], i) => {
    const values = { 'c-results': r, 'c-highlights': h };
    const entry = {
      seq: i + 1,
      eventId: 'e1',
      slotId,
      judgeId,
      clientId: `client-${i + 1}`,
      values,
      total: judgeTotal(values),
      createdAt: new Date(Date.UTC(2023, 7, 3, 9, 0, i)).toISOString(),
    };
    const hash = entryHash(prev, entry);
    const chained = { ...entry, prevHash: prev, hash };
    prev = hash;
    return chained;
  });
}

function resultsOf(ledger: readonly ChainedEntry[], published: boolean): ResultsView {
  const tracks = computeResults({
    settings,
    criteria,
    panels,
    judges,
    slots: slots.map((s) => ({
      id: s.id,
      unitId: s.unitId,
      trackId: s.trackId,
      overtimeSeconds: s.overtimeSec,
      manualPenalty: s.manualPenalty,
    })),
    scores: latestPerSlotAndJudge(ledger).map((e) => ({
      slotId: e.slotId,
      judgeId: e.judgeId,
      values: e.values,
    })),
  });
  return {
    eventId: 'e1',
    computedAt: '2023-08-03T10:00:00.000Z',
    ledgerHead: ledger.at(-1)?.hash ?? GENESIS_HASH,
    ledgerLength: ledger.length,
    publishedAt: published ? '2023-08-03T10:00:00.000Z' : null,
    published,
    version: published ? 1 : null,
    quorumReason: null,
    tracks: tracks.map((t) => ({
      trackId: t.trackId,
      trackName: '镇街组',
      revealed: published,
      rows: t.rows.map((r) => ({ ...r, unitName: units.find((u) => u.id === r.unitId)!.name })),
    })),
  };
}

function makeExport(): EventExport {
  const ledger = chain(submissions);
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: '2023-08-03T11:00:00.000Z',
    event: {
      id: 'e1',
      title: '上半年工作晒拼会',
      startDate: '2023-08-03',
      endDate: '2023-08-03',
      venue: '市行政中心',
      status: 'active',
      drawSeed: null,
      publishedAt: '2023-08-03T10:00:00.000Z',
    },
    settings,
    tracks: [{ id: 't1', nameZh: '镇街组', nameEn: 'Towns' }],
    units,
    criteria,
    panels,
    judges,
    slots,
    ledger,
    ledgerHead: ledger.at(-1)!.hash,
    ledgerLength: ledger.length,
    results: resultsOf(ledger, false),
    published: resultsOf(ledger, true),
  };
}

/** Serialize, edit the text, parse again: what a person with a text editor could do to the file. */
function editText(file: EventExport, edit: (text: string) => string): EventExport {
  const text = JSON.stringify(file, null, 2);
  const edited = edit(text);
  expect(edited).not.toBe(text);
  const parsed = parseExport(edited);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.file;
}

describe('verifyExport', () => {
  it('verifies a clean export, and its figures are the worked example of docs/scoring.md', () => {
    const file = makeExport();
    const u1 = file.published!.tracks[0]!.rows.find((r) => r.unitId === 'u1')!;
    expect(u1.score).toBe(82.4);
    expect(u1.exact).toBe('412/5');

    const report = verifyExport(file);
    expect(report.chain).toEqual({ ok: true, head: file.ledgerHead, length: submissions.length });
    expect(report.head.ok).toBe(true);
    expect(report.published).toMatchObject({ ok: true, anchored: true, units: 2, differences: [] });
    expect(report.live).toMatchObject({ ok: true, anchored: true, units: 2, differences: [] });
    expect(report.ok).toBe(true);
  });

  it('survives a round trip through its own JSON text unchanged', () => {
    const file = makeExport();
    const parsed = parseExport(JSON.stringify(file));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(verifyExport(parsed.file).ok).toBe(true);
  });

  it('detects a one-digit edit of a score value inside the ledger text', () => {
    const file = makeExport();
    // Entry 3 is A3 on U1 with 55 for results; make it 56 in the text.
    const target = file.ledger[2]!;
    expect(target.values['c-results']).toBe(55);
    const tampered = editText(file, (text) => {
      const at = text.indexOf(`"clientId": "${target.clientId}"`);
      const valueAt = text.indexOf('"c-results": 55', at);
      expect(valueAt).toBeGreaterThan(at);
      const digit = valueAt + '"c-results": 5'.length;
      return `${text.slice(0, digit)}6${text.slice(digit + 1)}`;
    });
    expect(tampered.ledger[2]!.values['c-results']).toBe(56);

    const report = verifyExport(tampered);
    expect(report.chain).toEqual({ ok: false, seq: 3, reason: 'hash_mismatch' });
    expect(report.ok).toBe(false);
  });

  it('detects an edited published score as a mismatch with the recomputation', () => {
    const file = makeExport();
    const tampered = editText(file, (text) => {
      // The published block comes last; raise U1's final score there only.
      const start = text.indexOf('"published": {');
      const at = text.indexOf('"score": 82.4,', start);
      expect(at).toBeGreaterThan(start);
      return `${text.slice(0, at)}"score": 83.4,${text.slice(at + '"score": 82.4,'.length)}`;
    });

    const report = verifyExport(tampered);
    expect(report.chain.ok).toBe(true);
    expect(report.live.ok).toBe(true);
    expect(report.published?.ok).toBe(false);
    expect(report.published?.differences).toEqual([
      {
        trackId: 't1',
        slotId: 's1',
        unitId: 'u1',
        unitName: '甲镇',
        field: 'score',
        expected: 82.4,
        found: 83.4,
      },
    ]);
    expect(report.ok).toBe(false);
  });

  it('detects a removed entry in the middle of the ledger as a sequence gap', () => {
    const file = makeExport();
    const tampered = { ...file, ledger: file.ledger.filter((e) => e.seq !== 5) };
    const report = verifyExport(tampered);
    expect(report.chain).toEqual({ ok: false, seq: 6, reason: 'seq_gap' });
    expect(report.ok).toBe(false);
  });

  it('detects a removed last entry: the chain is shorter than the stated and published head', () => {
    const file = makeExport();
    const tampered = { ...file, ledger: file.ledger.slice(0, -1) };
    const report = verifyExport(tampered);
    expect(report.chain.ok).toBe(true);
    expect(report.head.ok).toBe(false);
    expect(report.published?.anchored).toBe(false);
    expect(report.ok).toBe(false);
  });

  it('detects a rewritten chain through the results even when every hash is recomputed', () => {
    const file = makeExport();
    // Someone changes A4's low score on U1 and rebuilds the whole chain and the stated head.
    const forged = submissions.map((s, i): Submission => (i === 3 ? ['s1', 'j-a4', 58, 30] : s));
    const ledger = chain(forged);
    const tampered: EventExport = { ...file, ledger, ledgerHead: ledger.at(-1)!.hash };
    const report = verifyExport(tampered);
    expect(report.chain.ok).toBe(true);
    expect(report.head.ok).toBe(true);
    // The published snapshot names the original head, which is no longer in the chain…
    expect(report.published?.anchored).toBe(false);
    // …and its figures no longer follow from the ledger.
    expect(report.published?.differences.some((d) => d.unitId === 'u1' && d.field === 'score')).toBe(true);
    expect(report.ok).toBe(false);
  });

  it('checks an unpublished export against its live results only', () => {
    const file = { ...makeExport(), published: null };
    const report = verifyExport(file);
    expect(report.published).toBeNull();
    expect(report.ok).toBe(true);
  });

  it('reports a missing row and a changed rank in the stated results', () => {
    const file = makeExport();
    const live = structuredClone(file.results);
    const track = live.tracks[0]!;
    track.rows = track.rows.filter((r) => r.unitId !== 'u2');
    track.rows[0]!.rank = 2;
    const report = verifyExport({ ...file, results: live });
    expect(report.live.ok).toBe(false);
    expect(report.live.differences.map((d) => `${d.unitId}:${d.field}`).sort()).toEqual([
      'u1:rank',
      'u2:row',
    ]);
  });

  it('refuses text that is not an export file', () => {
    expect(parseExport('not json').ok).toBe(false);
    const wrong = parseExport(JSON.stringify({ ...makeExport(), format: 'something-else' }));
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error).toContain('format');
  });
});
