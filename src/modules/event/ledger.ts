// The score ledger in storage: every accepted score version is one score_entries row, chained by hash
// per event (domain/ledger.ts). Appends are serialized per event by the events row: the first statement
// of an append takes that row's lock (PostgreSQL) or the database write lock (SQLite), so seq has no
// gaps and each entry hashes over the head its predecessor wrote.
import type { Kysely } from 'kysely';
import { canonicalJson } from '../../kernel/canonical-json.ts';
import type { DB, ScoreEntryRow } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import {
  type ChainedEntry,
  entryHash,
  type LedgerEntry,
  latestPerSlotAndJudge,
  ledgerFields,
} from './domain/ledger.ts';
import type { Score } from './domain/scoring.ts';

/** An entry before it has a place in the chain; `id` is generated when absent. */
export type NewScoreEntry = Omit<LedgerEntry, 'seq'> & { id?: string };

export interface AppendedEntry extends ChainedEntry {
  id: string;
  /** This entry's number among the judge's entries for the slot (1 = first score, 2 = first revision…). */
  version: number;
  /**
   * The slot's state and the event's status as seen under the lock, after the insert: a close that
   * committed before this append shows here. The caller throws (rolling everything back) when they
   * forbid the entry.
   */
  slotState: string | null;
  eventStatus: string;
}

/**
 * Appends one entry to its event's chain. Must run inside a transaction (`trx`): the seq bump, the
 * row and the new head commit together or not at all. Three statements: the first takes the lock,
 * the last also reads what the caller must re-check under it.
 */
export async function appendScoreEntry(trx: Kysely<DB>, entry: NewScoreEntry): Promise<AppendedEntry> {
  const bumped = await trx
    .updateTable('events')
    .set((eb) => ({ ledger_seq: eb('ledger_seq', '+', 1) }))
    .where('id', '=', entry.eventId)
    .returning(['ledger_seq', 'ledger_head'])
    .executeTakeFirst();
  if (!bumped) throw new Error(`appendScoreEntry: no event ${entry.eventId}`);
  const seq = Number(bumped.ledger_seq);
  const prevHash = bumped.ledger_head;
  const chained = ledgerFields({ ...entry, seq });
  const hash = entryHash(prevHash, chained);
  const id = entry.id ?? newId();
  await trx
    .insertInto('score_entries')
    .values({
      id,
      event_id: entry.eventId,
      seq,
      slot_id: entry.slotId,
      judge_id: entry.judgeId,
      client_id: entry.clientId,
      score_values: canonicalJson(entry.values),
      total: entry.total,
      created_at: entry.createdAt,
      prev_hash: prevHash,
      hash,
    })
    .execute();
  // A statement after the lock reads fresh data on PostgreSQL (READ COMMITTED takes a new snapshot per
  // statement), and sees this transaction's own insert on both databases.
  const moved = await trx
    .updateTable('events')
    .set({ ledger_head: hash })
    .where('id', '=', entry.eventId)
    .returning((eb) => [
      'status',
      eb.selectFrom('slots').select('slots.state').where('slots.id', '=', entry.slotId).as('slot_state'),
      eb
        .selectFrom('score_entries')
        .select((s) => s.fn.countAll().as('n'))
        .where('score_entries.slot_id', '=', entry.slotId)
        .where('score_entries.judge_id', '=', entry.judgeId)
        .as('versions'),
    ])
    .executeTakeFirstOrThrow();
  return {
    ...chained,
    id,
    prevHash,
    hash,
    version: Number(moved.versions),
    slotState: moved.slot_state ?? null,
    eventStatus: moved.status,
  };
}

// Rows per INSERT statement: 11 bound values each stays far below either database's parameter limit.
const INSERT_CHUNK = 200;

/**
 * Appends several entries of one event to its chain at once (group commit): one lock, one seq bump,
 * multi-row inserts, one head move — so many submissions share one commit (and one fsync). Must run
 * inside a transaction. The entries are chained in the given order. Each result carries the slot's
 * state and the event's status as read under the lock, like appendScoreEntry's.
 */
export async function appendScoreEntries(
  trx: Kysely<DB>,
  entries: readonly NewScoreEntry[],
): Promise<AppendedEntry[]> {
  if (entries.length === 0) return [];
  const eventId = entries[0]!.eventId;
  if (entries.some((e) => e.eventId !== eventId)) throw new Error('appendScoreEntries: one event per call');
  const bumped = await trx
    .updateTable('events')
    .set((eb) => ({ ledger_seq: eb('ledger_seq', '+', entries.length) }))
    .where('id', '=', eventId)
    .returning(['ledger_seq', 'ledger_head'])
    .executeTakeFirst();
  if (!bumped) throw new Error(`appendScoreEntries: no event ${eventId}`);
  let seq = Number(bumped.ledger_seq) - entries.length;
  let prevHash = bumped.ledger_head;
  const chained = entries.map((entry) => {
    seq += 1;
    const fields = ledgerFields({ ...entry, seq, eventId });
    const link = { ...fields, id: entry.id ?? newId(), prevHash, hash: entryHash(prevHash, fields) };
    prevHash = link.hash;
    return link;
  });
  for (let i = 0; i < chained.length; i += INSERT_CHUNK) {
    await trx
      .insertInto('score_entries')
      .values(
        chained.slice(i, i + INSERT_CHUNK).map((e) => ({
          id: e.id,
          event_id: e.eventId,
          seq: e.seq,
          slot_id: e.slotId,
          judge_id: e.judgeId,
          client_id: e.clientId,
          score_values: canonicalJson(e.values),
          total: e.total,
          created_at: e.createdAt,
          prev_hash: e.prevHash,
          hash: e.hash,
        })),
      )
      .execute();
  }
  const moved = await trx
    .updateTable('events')
    .set({ ledger_head: prevHash })
    .where('id', '=', eventId)
    .returning('status')
    .executeTakeFirstOrThrow();
  // Statements after the lock: fresh on PostgreSQL (READ COMMITTED), and they see our own inserts.
  const slotIds = [...new Set(entries.map((e) => e.slotId))];
  const judgeIds = [...new Set(entries.map((e) => e.judgeId))];
  const [slots, counts] = await Promise.all([
    trx.selectFrom('slots').select(['id', 'state']).where('id', 'in', slotIds).execute(),
    trx
      .selectFrom('score_entries')
      .select((eb) => ['slot_id', 'judge_id', eb.fn.countAll().as('n')])
      .where('event_id', '=', eventId)
      .where('slot_id', 'in', slotIds)
      .where('judge_id', 'in', judgeIds)
      .groupBy(['slot_id', 'judge_id'])
      .execute(),
  ]);
  const stateOf = new Map(slots.map((s) => [s.id, s.state]));
  // A judge's entries for a slot are numbered in seq order: this batch's come last.
  const versions = new Map(counts.map((c) => [`${c.slot_id}\u0000${c.judge_id}`, Number(c.n)]));
  const later = new Map<string, number>();
  for (let i = chained.length - 1; i >= 0; i--) {
    const key = `${chained[i]!.slotId}\u0000${chained[i]!.judgeId}`;
    later.set(key, (later.get(key) ?? 0) + 1);
  }
  const seen = new Map<string, number>();
  return chained.map((e) => {
    const key = `${e.slotId}\u0000${e.judgeId}`;
    const k = (seen.get(key) ?? 0) + 1;
    seen.set(key, k);
    return {
      ...e,
      version: (versions.get(key) ?? 0) - (later.get(key) ?? 0) + k,
      slotState: stateOf.get(e.slotId) ?? null,
      eventStatus: moved.status,
    };
  });
}

function toChainedEntry(row: ScoreEntryRow): ChainedEntry {
  return {
    seq: Number(row.seq),
    eventId: row.event_id,
    slotId: row.slot_id,
    judgeId: row.judge_id,
    clientId: row.client_id,
    values: JSON.parse(row.score_values) as Record<string, number>,
    total: Number(row.total),
    createdAt: row.created_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The whole chain of an event in seq order, as stored (verifyChain re-checks it). */
export async function readLedger(db: Kysely<DB>, eventId: string): Promise<ChainedEntry[]> {
  const rows = await db
    .selectFrom('score_entries')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('seq')
    .execute();
  return rows.map(toChainedEntry);
}

/** The scores that count: the latest version per (slot, judge), chosen by the domain rule. */
export async function latestScores(db: Kysely<DB>, eventId: string): Promise<Score[]> {
  const rows = await db
    .selectFrom('score_entries')
    .select(['seq', 'slot_id', 'judge_id', 'score_values'])
    .where('event_id', '=', eventId)
    .execute();
  const entries = rows.map((r) => ({
    seq: Number(r.seq),
    slotId: r.slot_id,
    judgeId: r.judge_id,
    scoreValues: r.score_values,
  }));
  return latestPerSlotAndJudge(entries)
    .sort((a, b) => a.seq - b.seq)
    .map((e) => ({
      slotId: e.slotId,
      judgeId: e.judgeId,
      values: JSON.parse(e.scoreValues) as Record<string, number>,
    }));
}

/** A unique-constraint violation, as either driver reports it. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
