// The score ledger: every accepted score version is an entry whose hash covers the previous entry's
// hash and the entry's canonical JSON, so any later edit of any entry breaks the chain.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../kernel/canonical-json.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface LedgerEntry {
  seq: number;
  eventId: string;
  slotId: string;
  judgeId: string;
  clientId: string;
  values: Readonly<Record<string, number>>;
  total: number;
  createdAt: string;
}

export interface ChainedEntry extends LedgerEntry {
  prevHash: string;
  hash: string;
}

/** Exactly the fields the hash covers, whatever else the object carries. */
export const ledgerFields = (entry: LedgerEntry): LedgerEntry => ({
  seq: entry.seq,
  eventId: entry.eventId,
  slotId: entry.slotId,
  judgeId: entry.judgeId,
  clientId: entry.clientId,
  values: entry.values,
  total: entry.total,
  createdAt: entry.createdAt,
});

export function entryHash(prevHash: string, entry: LedgerEntry): string {
  const body = ledgerFields(entry);
  return createHash('sha256')
    .update(`${prevHash}\n${canonicalJson(body)}`)
    .digest('hex');
}

export type ChainCheck =
  | { ok: true; head: string; length: number }
  | { ok: false; seq: number; reason: 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch' };

/** Re-verifies a whole chain in seq order, from the genesis hash. */
export function verifyChain(entries: readonly ChainedEntry[]): ChainCheck {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const e of entries) {
    if (e.seq !== expectedSeq) return { ok: false, seq: e.seq, reason: 'seq_gap' };
    if (e.prevHash !== prev) return { ok: false, seq: e.seq, reason: 'prev_hash_mismatch' };
    if (entryHash(prev, e) !== e.hash) return { ok: false, seq: e.seq, reason: 'hash_mismatch' };
    prev = e.hash;
    expectedSeq++;
  }
  return { ok: true, head: prev, length: entries.length };
}

/** The version that counts: the latest entry per (slot, judge). */
export function latestPerSlotAndJudge<T extends Pick<LedgerEntry, 'seq' | 'slotId' | 'judgeId'>>(
  entries: readonly T[],
): T[] {
  const latest = new Map<string, T>();
  for (const e of entries) {
    const key = `${e.slotId}\u0000${e.judgeId}`;
    const cur = latest.get(key);
    if (!cur || cur.seq < e.seq) latest.set(key, e);
  }
  return [...latest.values()];
}
