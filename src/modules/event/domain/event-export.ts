// The event export file (`GET /api/events/:id/export.json`) and its independent re-verification
// (`npx shaipin verify FILE`). Pure: the file carries everything needed to recompute the results
// with the published rule, so anyone holding it can check the published figures without the server.
//
// What a verification proves: the ledger is an unbroken hash chain; the published (and live) results
// are exactly what docs/scoring.md gives for the ledger's latest score per slot and judge. What it
// cannot prove alone: that nobody rebuilt the whole chain. The ledger head printed on the signed
// results sheet is the outside anchor for that, so the report always shows the head.
import { z } from 'zod';
import { eventHeading, type ResultsView, resultsView, scoringSettingsSchema, slotState } from '../schemas.ts';
import {
  type ChainCheck,
  type ChainedEntry,
  GENESIS_HASH,
  latestPerSlotAndJudge,
  verifyChain,
} from './ledger.ts';
import { computeResults, type ResultsInput, type TrackResult, type UnitResult } from './scoring.ts';

export const EXPORT_FORMAT = 'shaipin.event-export';
export const EXPORT_VERSION = 1;

const chainedEntrySchema = z.object({
  seq: z.number().int(),
  eventId: z.string(),
  slotId: z.string(),
  judgeId: z.string(),
  clientId: z.string(),
  values: z.record(z.string(), z.number()),
  total: z.number(),
  createdAt: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});

export const eventExportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: z.string(),
  event: eventHeading.extend({
    status: z.string(),
    drawSeed: z.string().nullable(),
    publishedAt: z.string().nullable(),
  }),
  settings: scoringSettingsSchema,
  tracks: z.array(z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string() })),
  units: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), shortName: z.string() })),
  criteria: z.array(
    z.object({
      id: z.string(),
      nameZh: z.string(),
      nameEn: z.string(),
      maxPoints: z.number(),
      step: z.number(),
    }),
  ),
  panels: z.array(z.object({ id: z.string(), name: z.string(), weight: z.number() })),
  /** Anonymous on purpose: a number (评委01…) in judge order, never a name. */
  judges: z.array(
    z.object({
      id: z.string(),
      number: z.number().int(),
      panelId: z.string(),
      affiliatedUnitIds: z.array(z.string()),
    }),
  ),
  slots: z.array(
    z.object({
      id: z.string(),
      trackId: z.string(),
      unitId: z.string(),
      position: z.number().int(),
      timeLimitSec: z.number().int(),
      overtimeSec: z.number(),
      manualPenalty: z.number(),
      state: slotState,
    }),
  ),
  /** Every accepted score version, in seq order. */
  ledger: z.array(chainedEntrySchema),
  ledgerHead: z.string(),
  ledgerLength: z.number().int(),
  /** Live results at export time, over the whole ledger. */
  results: resultsView,
  /** The frozen published snapshot, over the ledger prefix it names. */
  published: resultsView.nullable(),
});
export type EventExport = z.infer<typeof eventExportSchema>;

export type ParsedExport = { ok: true; file: EventExport } | { ok: false; error: string };

/** Parses the text of an export file; the error says what is wrong with the shape. */
export function parseExport(text: string): ParsedExport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  const parsed = eventExportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid' };
  }
  return { ok: true, file: parsed.data };
}

// ---------------------------------------------------------------------------------------------------
// Verification

export interface ResultDifference {
  trackId: string;
  slotId: string;
  unitId: string;
  unitName: string;
  /** Dotted path of the differing figure, e.g. "score", "panels.<panelId>.exact", "row". */
  field: string;
  /** What the rule gives for the ledger in the file. */
  expected: unknown;
  /** What the file states. */
  found: unknown;
}

export interface ComparisonReport {
  /** The ledger prefix the results claim to be computed over. */
  ledgerLength: number;
  ledgerHead: string;
  /** The claimed head is the hash of the entry with seq `ledgerLength` in the file (genesis for 0). */
  anchored: boolean;
  units: number;
  differences: ResultDifference[];
  /** The rule refused the file's inputs (invalid configuration), so nothing could be compared. */
  computeError: string | null;
  ok: boolean;
}

export interface VerifyReport {
  ok: boolean;
  chain: ChainCheck;
  /** The file's own ledgerHead/ledgerLength agree with its ledger. */
  head: { ok: boolean; stated: string; statedLength: number; computed: string; computedLength: number };
  /** Null when the event has not been published. */
  published: ComparisonReport | null;
  live: ComparisonReport;
}

/** The inputs of the scoring rule as the file states them, over the first `length` ledger entries. */
export function resultsInputOf(file: EventExport, length: number): ResultsInput {
  const entries = file.ledger.filter((e) => e.seq <= length);
  return {
    settings: file.settings,
    criteria: file.criteria,
    panels: file.panels,
    judges: file.judges.map((j) => ({
      id: j.id,
      panelId: j.panelId,
      affiliatedUnitIds: j.affiliatedUnitIds,
    })),
    slots: file.slots.map((s) => ({
      id: s.id,
      unitId: s.unitId,
      trackId: s.trackId,
      overtimeSeconds: s.overtimeSec,
      manualPenalty: s.manualPenalty,
    })),
    scores: latestPerSlotAndJudge(entries).map((e) => ({
      slotId: e.slotId,
      judgeId: e.judgeId,
      values: e.values,
    })),
  };
}

type Figures = Map<string, string>;

/** Every figure of a row that the rule determines, flattened to comparable text. */
function figuresOf(row: Omit<UnitResult, 'slotId' | 'unitId'>): Figures {
  const f: Figures = new Map();
  const put = (key: string, value: unknown) => f.set(key, JSON.stringify(value ?? null));
  put('trackId', row.trackId);
  put('score', row.score);
  put('exact', row.exact);
  put('raw', row.raw);
  put('rawExact', row.rawExact);
  put('penalty', row.penalty);
  put('overtimePenalty', row.overtimePenalty);
  put('manualPenalty', row.manualPenalty);
  put('rank', row.rank);
  put('grade', row.grade === null ? null : row.grade.key);
  put('participation.scored', row.participation.scored);
  put('participation.eligible', row.participation.eligible);
  put('participation.recused', row.participation.recused);
  for (const [id, avg] of Object.entries(row.criterionAverages)) put(`criterionAverages.${id}`, avg);
  for (const p of row.panels) {
    const base = `panels.${p.panelId}`;
    put(`${base}.score`, p.score);
    put(`${base}.exact`, p.exact);
    put(`${base}.eligible`, p.eligible);
    put(`${base}.scored`, p.scored);
    put(`${base}.counted`, p.counted);
    put(`${base}.trimmedHigh`, p.trimmedHigh);
    put(`${base}.trimmedLow`, p.trimmedLow);
  }
  return f;
}

function recompute(file: EventExport, length: number): { tracks: TrackResult[]; error: string | null } {
  try {
    return { tracks: computeResults(resultsInputOf(file, length)), error: null };
  } catch (e) {
    return { tracks: [], error: e instanceof Error ? e.message : String(e) };
  }
}

function compare(file: EventExport, view: ResultsView): ComparisonReport {
  const length = view.ledgerLength;
  const anchorEntry = file.ledger.find((e) => e.seq === length);
  const anchored =
    length === 0
      ? view.ledgerHead === GENESIS_HASH
      : anchorEntry !== undefined && anchorEntry.hash === view.ledgerHead;

  const unitName = new Map(file.units.map((u) => [u.id, u.name]));
  const stated = new Map<string, ResultsView['tracks'][number]['rows'][number]>();
  for (const track of view.tracks) for (const row of track.rows) stated.set(row.slotId, row);

  const differences: ResultDifference[] = [];
  let units = 0;
  const recomputed = recompute(file, length);
  if (recomputed.error === null) {
    for (const track of recomputed.tracks) {
      for (const row of track.rows) {
        units++;
        const base = {
          trackId: row.trackId,
          slotId: row.slotId,
          unitId: row.unitId,
          unitName: unitName.get(row.unitId) ?? row.unitId,
        };
        const found = stated.get(row.slotId);
        stated.delete(row.slotId);
        if (found === undefined) {
          differences.push({ ...base, field: 'row', expected: 'present', found: 'missing' });
          continue;
        }
        if (found.unitId !== row.unitId) {
          differences.push({ ...base, field: 'unitId', expected: row.unitId, found: found.unitId });
        }
        const want = figuresOf(row);
        const got = figuresOf(found);
        for (const key of new Set([...want.keys(), ...got.keys()])) {
          const a = want.get(key);
          const b = got.get(key);
          if (a !== b) {
            differences.push({
              ...base,
              field: key,
              expected: a === undefined ? undefined : JSON.parse(a),
              found: b === undefined ? undefined : JSON.parse(b),
            });
          }
        }
      }
    }
    // Rows the file states that the rule does not produce (a slot that is not in the file's agenda).
    for (const row of stated.values()) {
      differences.push({
        trackId: row.trackId,
        slotId: row.slotId,
        unitId: row.unitId,
        unitName: row.unitName,
        field: 'row',
        expected: 'absent',
        found: 'present',
      });
    }
  }
  return {
    ledgerLength: length,
    ledgerHead: view.ledgerHead,
    anchored,
    units,
    differences,
    computeError: recomputed.error,
    ok: recomputed.error === null && anchored && differences.length === 0,
  };
}

/**
 * Re-verifies an export: the ledger chain (domain/ledger.ts verifyChain), the file's stated head, and
 * the published and live results against a recomputation (domain/scoring.ts computeResults) over the
 * latest score per slot and judge of the ledger prefix each one names.
 */
export function verifyExport(file: EventExport): VerifyReport {
  const ledger: readonly ChainedEntry[] = file.ledger;
  const chain = verifyChain(ledger);
  // A broken chain has no head worth comparing; the chain result already says what is wrong.
  const computed = chain.ok ? chain.head : (ledger.at(-1)?.hash ?? GENESIS_HASH);
  const head = {
    stated: file.ledgerHead,
    statedLength: file.ledgerLength,
    computed,
    computedLength: ledger.length,
    ok: file.ledgerHead === computed && file.ledgerLength === ledger.length,
  };
  const published = file.published === null ? null : compare(file, file.published);
  const live = compare(file, file.results);
  return {
    ok: chain.ok && head.ok && live.ok && (published === null || published.ok),
    chain,
    head,
    published,
    live,
  };
}
