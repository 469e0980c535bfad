// The revealed ranking in display order, shared by the chart (lazy chunk) and its plain fallback.
import type { ScreenState } from '../../src/modules/event/schemas.ts';

export type Reveal = NonNullable<ScreenState['reveal']>;
export type RevealRow = Reveal['rows'][number];

/** Rank 1 first, unranked units (no score) last, ties in the server's order. */
export function rankedRows(rows: readonly RevealRow[]): RevealRow[] {
  return rows
    .map((r, i) => ({ r, i }))
    .sort(
      (a, b) => (a.r.rank ?? Number.POSITIVE_INFINITY) - (b.r.rank ?? Number.POSITIVE_INFINITY) || a.i - b.i,
    )
    .map((x) => x.r);
}

export const isTopThree = (r: RevealRow): boolean => r.rank !== null && r.rank <= 3;

export const gradeLabel = (r: RevealRow, locale: string): string =>
  r.grade ? (locale === 'en-US' ? r.grade.labelEn : r.grade.labelZh) : '';
