// Reporting periods of an indicator year (months or quarters), their deadlines and the share of the year
// they cover. Pure calendar arithmetic on 'YYYY-MM-DD' strings: no clock, no time zone of the machine.
// The rules are explained in docs/indicators.md.

export type Frequency = 'monthly' | 'quarterly';

export interface PeriodDef {
  key: string;
  year: number;
  kind: 'month' | 'quarter';
  index: number;
  /** 'YYYY-MM-DD', first day of the period. */
  startDate: string;
  /** 'YYYY-MM-DD', last day of the period. */
  endDate: string;
  /** 'YYYY-MM-DD': data is due by the END of this day (local time, see periodDeadlines). */
  dueDate: string;
  graceDays: number;
}

export const defaultDueDayOffset = 10;
export const defaultGraceDays = 5;
/** China Standard Time (UTC+8, no daylight saving): where a date-only deadline ends. */
export const defaultUtcOffsetMinutes = 480;

const DAY_MS = 86_400_000;
const KEY_RE = /^(\d{4})-(?:M(0[1-9]|1[0-2])|Q([1-4]))$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const QUARTERS_ZH = ['一', '二', '三', '四'];

export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
export const daysInYear = (year: number): number => (isLeapYear(year) ? 366 : 365);

function assertYear(year: number): void {
  // Keys have exactly four digits, and Date.UTC maps years 0–99 to 1900–1999.
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new RangeError(`year must be an integer from 1000 to 9999, got ${String(year)}`);
  }
}

function assertInteger(value: number, what: string, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${what} must be an integer ≥ ${min}, got ${String(value)}`);
  }
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

// Lights are computed for every indicator of a period at once; the few distinct dates involved are parsed
// once. Bounded, so a stream of distinct dates cannot grow it without limit.
const dateCache = new Map<string, number>();

/** Milliseconds of UTC midnight starting the date. */
function dateToUtcMs(date: string): number {
  const cached = dateCache.get(date);
  if (cached !== undefined) return cached;
  const ms = parseDateUtcMs(date);
  if (dateCache.size >= 4096) dateCache.clear();
  dateCache.set(date, ms);
  return ms;
}

function parseDateUtcMs(date: string): number {
  const m = typeof date === 'string' ? DATE_RE.exec(date) : null;
  if (m === null) throw new RangeError(`not a 'YYYY-MM-DD' date: ${date}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2023-02-30 over to March; a date that does not round-trip does not exist.
  if (utcMsToDate(ms) !== date) throw new RangeError(`no such date: ${date}`);
  return ms;
}

function utcMsToDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** The date `days` calendar days after (or before, if negative) `date`. */
export function addDays(date: string, days: number): string {
  assertInteger(days, 'days', Number.MIN_SAFE_INTEGER);
  return utcMsToDate(dateToUtcMs(date) + days * DAY_MS);
}

export function periodKey(year: number, kind: 'month' | 'quarter', index: number): string {
  assertYear(year);
  const max = kind === 'month' ? 12 : 4;
  if (!Number.isInteger(index) || index < 1 || index > max) {
    throw new RangeError(`${kind} index must be an integer from 1 to ${max}, got ${String(index)}`);
  }
  return kind === 'month' ? `${year}-M${pad(index, 2)}` : `${year}-Q${index}`;
}

export function parsePeriodKey(
  key: string,
): { year: number; kind: 'month' | 'quarter'; index: number } | null {
  if (typeof key !== 'string') return null;
  const m = KEY_RE.exec(key);
  if (m === null) return null;
  const year = Number(m[1]);
  if (year < 1000) return null;
  return m[2] !== undefined
    ? { year, kind: 'month', index: Number(m[2]) }
    : { year, kind: 'quarter', index: Number(m[3]) };
}

/** The period a key names, with its dates; null for a malformed key. */
export function periodFromKey(
  key: string,
  opts: { dueDayOffset?: number; graceDays?: number } = {},
): PeriodDef | null {
  const parsed = parsePeriodKey(key);
  if (parsed === null) return null;
  const dueDayOffset = opts.dueDayOffset ?? defaultDueDayOffset;
  const graceDays = opts.graceDays ?? defaultGraceDays;
  assertInteger(dueDayOffset, 'dueDayOffset', Number.MIN_SAFE_INTEGER);
  assertInteger(graceDays, 'graceDays', 0);
  const { year, kind, index } = parsed;
  const firstMonth = kind === 'month' ? index : 3 * index - 2;
  const lastMonth = kind === 'month' ? index : 3 * index;
  const startDate = utcMsToDate(Date.UTC(year, firstMonth - 1, 1));
  // Day 0 of the following month is the last day of this one (leap Februaries included).
  const endDate = utcMsToDate(Date.UTC(year, lastMonth, 0));
  return { key, year, kind, index, startDate, endDate, dueDate: addDays(endDate, dueDayOffset), graceDays };
}

/**
 * The periods of a year in order: '2023-M01'…'2023-M12' or '2023-Q1'…'2023-Q4'. Data for a period is due
 * `dueDayOffset` days after its last day (default 10: Q2 2023 is due 2023-07-10), with `graceDays` of grace
 * (default 5) before it counts as 未按期报送.
 */
export function periodsOfYear(
  year: number,
  frequency: Frequency,
  opts: { dueDayOffset?: number; graceDays?: number } = {},
): PeriodDef[] {
  assertYear(year);
  if (frequency !== 'monthly' && frequency !== 'quarterly') {
    throw new RangeError(`frequency must be 'monthly' or 'quarterly', got ${String(frequency)}`);
  }
  const kind = frequency === 'monthly' ? 'month' : 'quarter';
  const count = kind === 'month' ? 12 : 4;
  return Array.from({ length: count }, (_, i) => periodFromKey(periodKey(year, kind, i + 1), opts)!);
}

/** The key of the period just before: '2023-Q1' → '2022-Q4', '2023-M03' → '2023-M02'. Null if malformed. */
export function previousPeriodKey(key: string): string | null {
  const p = parsePeriodKey(key);
  if (p === null) return null;
  if (p.index > 1) return periodKey(p.year, p.kind, p.index - 1);
  if (p.year <= 1000) return null;
  return periodKey(p.year - 1, p.kind, p.kind === 'month' ? 12 : 4);
}

/**
 * Calendar days of `year` elapsed at the end of the period's last day, and the days in that year.
 * An end date before the year counts as 0 days, after it as the whole year.
 */
export function yearDaysElapsed(period: Pick<PeriodDef, 'year' | 'endDate'>): {
  elapsed: number;
  total: number;
} {
  assertYear(period.year);
  const total = daysInYear(period.year);
  const days = (dateToUtcMs(period.endDate) - Date.UTC(period.year, 0, 1)) / DAY_MS + 1;
  return { elapsed: Math.min(Math.max(days, 0), total), total };
}

/**
 * Share of the calendar year elapsed at the END of the period, counted in days (leap years exact):
 * Q2 2023 ends on 30 June, day 181 of 365, so 181/365 ≈ 0.4959; Q4 gives exactly 1.
 */
export function yearShareElapsed(period: Pick<PeriodDef, 'year' | 'endDate'>): number {
  const { elapsed, total } = yearDaysElapsed(period);
  return elapsed / total;
}

/**
 * The instants a period's deadlines pass. A date-only due date means "by the end of that day" where the
 * units are (UTC+8 by default): due 2023-07-10 passes at 2023-07-10T16:00:00.000Z, and 5 grace days end
 * 5 × 24 h later, at 2023-07-15T16:00:00.000Z.
 */
export function periodDeadlines(
  period: Pick<PeriodDef, 'dueDate' | 'graceDays'>,
  utcOffsetMinutes: number = defaultUtcOffsetMinutes,
): Deadlines {
  const cacheKey = `${period.dueDate}|${period.graceDays}|${utcOffsetMinutes}`;
  const cached = deadlineCache.get(cacheKey);
  if (cached !== undefined) return cached;
  assertInteger(period.graceDays, 'graceDays', 0);
  if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 14 * 60) {
    throw new RangeError(`utcOffsetMinutes must be an integer within ±840, got ${String(utcOffsetMinutes)}`);
  }
  const dueAtMs = dateToUtcMs(period.dueDate) + DAY_MS - utcOffsetMinutes * 60_000;
  const graceEndsAtMs = dueAtMs + period.graceDays * DAY_MS;
  const result = Object.freeze({
    dueAt: new Date(dueAtMs).toISOString(),
    graceEndsAt: new Date(graceEndsAtMs).toISOString(),
    dueAtMs,
    graceEndsAtMs,
    lastGraceDate: addDays(period.dueDate, period.graceDays),
  });
  if (deadlineCache.size >= 4096) deadlineCache.clear();
  deadlineCache.set(cacheKey, result);
  return result;
}

export type Deadlines = Readonly<{
  /** ISO instant the due date passes (end of the due day, local time). */
  dueAt: string;
  /** ISO instant the grace period ends; after it, no report means 未按期报送. */
  graceEndsAt: string;
  dueAtMs: number;
  graceEndsAtMs: number;
  /** 'YYYY-MM-DD': the last local day of grace (dueDate + graceDays). */
  lastGraceDate: string;
}>;
const deadlineCache = new Map<string, Deadlines>();

// An instant without a zone would be read in the machine's zone; the domain has none, so require one.
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch of an ISO instant that carries its zone ('…Z' or '…+08:00'). */
export function instantMs(iso: string): number {
  const ms = INSTANT_RE.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO instant with a zone: ${String(iso)}`);
  return ms;
}

/** '2023年第二季度' / '2023年6月'; 'Q2 2023' / 'Jun 2023'. A malformed key is returned unchanged. */
export function periodLabel(key: string, locale: 'zh-CN' | 'en-US'): string {
  const p = parsePeriodKey(key);
  if (p === null) return key;
  if (locale === 'zh-CN') {
    return p.kind === 'month' ? `${p.year}年${p.index}月` : `${p.year}年第${QUARTERS_ZH[p.index - 1]}季度`;
  }
  return p.kind === 'month' ? `${MONTHS_EN[p.index - 1]} ${p.year}` : `Q${p.index} ${p.year}`;
}
