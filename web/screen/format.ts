// What the hall reads: a date range as 2023年7月31日—8月1日 and the width of a line of text (the
// timer's mm:ss is web/common/stage-timer.ts). Pure, so the rules are tested without a browser.
import type { T } from './i18n.ts';

function parts(s: string): { y: number; m: number; d: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  return m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : null;
}

const monthName = (locale: string, m: number): string =>
  new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2000, m - 1, 1)),
  );

/** The event's dates, collapsing the repeated year (and month) the way people write them. */
export function formatDateRange(t: T, locale: string, start: string, end: string): string {
  const a = parts(start);
  if (!a) return start;
  const b = parts(end);
  const vars = { y: a.y, m: a.m, d: a.d, M: monthName(locale, a.m) };
  if (!b || (b.y === a.y && b.m === a.m && b.d === a.d)) return t('date.single', vars);
  const to = { ...vars, y2: b.y, m2: b.m, d2: b.d, M2: monthName(locale, b.m) };
  if (b.y !== a.y) return t('date.full', to);
  if (b.m !== a.m) return t('date.sameYear', to);
  return t('date.sameMonth', to);
}

/** Approximate width of one line of text in em: CJK characters about 1em, Latin and digits about 0.58em. */
export function emWidth(text: string): number {
  let ems = 0;
  for (const ch of text) ems += /[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]/.test(ch) ? 1 : 0.58;
  return ems;
}

/**
 * A font size (in screen units, see screen.css --u) that keeps one line of text within `width` units:
 * CJK characters are about 1em wide, Latin letters and digits about 0.55em.
 */
export function fitSize(text: string, width: number, max: number, min = 2): number {
  const ems = emWidth(text);
  if (ems === 0) return max;
  return Math.max(min, Math.min(max, width / ems));
}
