// Star grades (五星): bands of completion or of rank share, and the grade a value reaches.
import { assertFinite } from './exact.ts';
import { assertRank, shareFraction } from './ranks.ts';

export type Stars = 1 | 2 | 3 | 4 | 5;

/**
 * Bands best first. source 'completion': `min` is the least completion (a fraction, 1.0 = 100%) for the
 * band. source 'rank': `min` is the best share of the scope the band covers (0.2 = the top 20%).
 */
export interface StarBands {
  source: 'completion' | 'rank';
  bands: { stars: Stars; min: number }[];
}

/** Why the bands cannot be used, or null when they can. */
export function starBandsProblem(bands: StarBands): string | null {
  if (bands.source !== 'completion' && bands.source !== 'rank')
    return `unknown source ${String(bands.source)}`;
  if (!Array.isArray(bands.bands) || bands.bands.length === 0 || bands.bands.length > 5) {
    return 'there must be 1 to 5 bands';
  }
  let prev: { stars: number; min: number } | null = null;
  for (const band of bands.bands) {
    if (!Number.isInteger(band.stars) || band.stars < 1 || band.stars > 5) return `stars must be 1 to 5`;
    if (typeof band.min !== 'number' || !Number.isFinite(band.min)) return 'min must be a finite number';
    if (bands.source === 'rank' && (band.min <= 0 || band.min > 1)) return 'a rank share must be in (0, 1]';
    if (prev !== null) {
      // Best first, so that "the first band that matches" is the best one the unit reaches.
      if (band.stars >= prev.stars) return 'bands must be listed best first, with fewer stars each';
      if (bands.source === 'completion' ? band.min >= prev.min : band.min <= prev.min) {
        return 'each band must be easier to reach than the one before';
      }
    }
    prev = band;
  }
  return null;
}

/**
 * The stars of the first (best) band reached, or null when none is: completion ≥ min, or for rank r of n,
 * r ≤ min × n (rank 2 of 10 is in the top 20%, rank 3 is not). Missing data gives null.
 */
export function starGrade(
  bands: StarBands,
  value: { completion?: number | null; rank?: { rank: number; outOf: number } | null },
): Stars | null {
  const problem = starBandsProblem(bands);
  if (problem !== null) throw new RangeError(`star bands: ${problem}`);
  if (bands.source === 'completion') {
    if (value.completion === null || value.completion === undefined) return null;
    const c = value.completion;
    assertFinite(c, 'completion');
    // Comparing two doubles is comparing the decimals they print as: rounding preserves order.
    return bands.bands.find((b) => c >= b.min)?.stars ?? null;
  }
  const rank = value.rank;
  if (rank === null || rank === undefined) return null;
  assertRank(rank);
  return bands.bands.find((b) => shareFraction(b.min).mul(rank.outOf).compare(rank.rank) >= 0)?.stars ?? null;
}
