// The draw by lot (抽签) of the speaking order. Pure and deterministic so that anyone holding the seed
// and the list of units can redo the draw by hand-written code and get the same order:
//
// 1. Random stream: block i (i = 0, 1, 2, …) is SHA-256 of the UTF-8 text `${key}#${i}`; each block
//    yields eight unsigned 32-bit big-endian integers, consumed in order.
// 2. A uniform integer in [0, n) is drawn by rejection: take the next u32 u, reject it when
//    u >= floor(2^32 / n) * n (so every outcome is equally likely), else return u mod n.
// 3. Fisher–Yates: for i from n-1 down to 1, swap items i and j, j drawn uniformly in [0, i].
// 4. Per track, the key is `${seed}|${trackId}` and the input order is the units sorted by unit code
//    (then id), never the current agenda order: drawing twice with the same seed gives the same order.
import { createHash } from 'node:crypto';

const U32 = 2 ** 32;

/** A stream of uniform 32-bit integers derived from `key` with SHA-256 in counter mode. */
export function seededUint32Stream(key: string): () => number {
  let block = 0;
  let words: number[] = [];
  return () => {
    if (words.length === 0) {
      const digest = createHash('sha256').update(`${key}#${block}`, 'utf8').digest();
      block++;
      words = [];
      for (let k = 0; k < 32; k += 4) words.push(digest.readUInt32BE(k));
    }
    return words.shift() as number;
  };
}

/** Uniform integer in [0, n), unbiased (rejection sampling). */
export function uniformInt(next: () => number, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > U32)
    throw new RangeError(`n must be an integer in [1, 2^32], got ${n}`);
  const limit = Math.floor(U32 / n) * n;
  for (;;) {
    const u = next();
    if (u < limit) return u % n;
  }
}

/** Fisher–Yates shuffle driven by the seeded stream of `key`. Returns a new array. */
export function seededShuffle<T>(items: readonly T[], key: string): T[] {
  const out = [...items];
  const next = seededUint32Stream(key);
  for (let i = out.length - 1; i >= 1; i--) {
    const j = uniformInt(next, i + 1);
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

export interface DrawUnit {
  unitId: string;
  /** The unit's public code: the canonical input order of the draw. */
  code: string;
}

export interface DrawTrack {
  trackId: string;
  units: readonly DrawUnit[];
}

/** Drawn speaking order per track: unit ids, first speaker first. */
export function drawOrder(
  seed: string,
  tracks: readonly DrawTrack[],
): { trackId: string; unitIds: string[] }[] {
  return tracks.map((t) => {
    const canonical = [...t.units].sort((a, b) =>
      a.code === b.code ? compareText(a.unitId, b.unitId) : compareText(a.code, b.code),
    );
    return {
      trackId: t.trackId,
      unitIds: seededShuffle(canonical, `${seed}|${t.trackId}`).map((u) => u.unitId),
    };
  });
}

// Code-point order: unlike localeCompare, the same on every machine and locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A seed people can read out in the hall and write into the minutes: eight digits as `NNNN-NNNN`,
 * taken from `randomValue` (a uniform integer in [0, 10^8) supplied by the caller, who owns the
 * randomness: the domain has none of its own).
 */
export function readableSeed(randomValue: number): string {
  const digits = String(Math.abs(Math.trunc(randomValue)) % 100_000_000).padStart(8, '0');
  return `${digits.slice(0, 4)}-${digits.slice(4)}`;
}
