// Dates and numbers as people read them: 2023年8月3日 in zh-CN, August 3, 2023 in en-US.
import { currentLocale } from './i18n.ts';

/** Parses a calendar date (YYYY-MM-DD) as local midnight so it never shifts by a time zone. */
function calendarDate(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const d = calendarDate(value) ?? new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(currentLocale(), { year: 'numeric', month: 'long', day: 'numeric' }).format(
    d,
  );
}

export function formatDateRange(start: string, end: string): string {
  if (!end || start === end) return formatDate(start);
  return `${formatDate(start)} – ${formatDate(end)}`;
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(currentLocale(), {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(d);
}

export function formatTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(currentLocale(), {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(d);
}

/** A score with a fixed number of decimals; empty when there is none. */
export function formatScore(value: number | null | undefined, decimals: number): string {
  if (value === null || value === undefined) return '';
  return value.toFixed(decimals);
}
