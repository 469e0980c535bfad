// Ranks in a scope (rank r of n): their validity, whether one is in a share of the scope, and the change
// between two of them.
import Fraction from 'fraction.js';

const shareCache = new Map<number, Fraction>();

/** A share as the simplest fraction of its double: 1/3 (0.3333333333333333) is exactly a third. */
export function shareFraction(share: number): Fraction {
  let f = shareCache.get(share);
  if (f === undefined) {
    f = new Fraction(share);
    if (shareCache.size >= 1024) shareCache.clear();
    shareCache.set(share, f);
  }
  return f;
}

export function assertRank(rank: { rank: number; outOf: number }): void {
  const { rank: r, outOf } = rank;
  if (!Number.isInteger(outOf) || outOf < 1 || !Number.isInteger(r) || r < 1 || r > outOf) {
    throw new RangeError(
      `rank must be an integer from 1 to outOf (≥ 1), got ${String(r)} of ${String(outOf)}`,
    );
  }
}

/** Whether rank r of n is in the bottom `share`: the units at or below it, n − r + 1, are at most share × n. */
export function inBottomShare(rank: { rank: number; outOf: number }, share: number): boolean {
  return (
    shareFraction(share)
      .mul(rank.outOf)
      .compare(rank.outOf - rank.rank + 1) >= 0
  );
}

/** 89 → 32 is delta 57, 'up': a smaller rank number is better. No previous rank: 'new'. */
export function rankingChange(
  prev: { rank: number } | null,
  cur: { rank: number },
): { delta: number | null; direction: 'up' | 'down' | 'same' | 'new' } {
  for (const r of [prev, cur]) {
    if (r !== null && (!Number.isInteger(r.rank) || r.rank < 1)) {
      throw new RangeError(`a rank must be a positive integer, got ${String(r.rank)}`);
    }
  }
  if (prev === null) return { delta: null, direction: 'new' };
  const delta = prev.rank - cur.rank;
  return { delta, direction: delta > 0 ? 'up' : delta < 0 ? 'down' : 'same' };
}
