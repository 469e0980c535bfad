// Deadline lights, overdue days, escalation and missing progress reports of follow-up tasks, and the
// calendar they are counted in: whole days where the government sits (UTC+8 unless configured), so a
// task due "8月31日" is on time all of that day in China, whatever the server's time zone.

export const DAY_MS = 86_400_000;
export const CHINA_OFFSET_MINUTES = 480;

export interface SupervisionSettings {
  /** Yellow light when the deadline is this many days away or fewer (default 3). */
  dueSoonDays: number;
  /** An overdue task escalates to the organizer and the issuing leader after this many days overdue. */
  escalateAfterDays: number;
  /** A periodic progress report counts as missing this many days after it was due. */
  reportGraceDays: number;
  /** A project milestone is "at risk" when due within this many days and not done. */
  atRiskDays: number;
}

export const defaultSettings: SupervisionSettings = {
  dueSoonDays: 3,
  escalateAfterDays: 2,
  reportGraceDays: 2,
  atRiskDays: 7,
};

/** The day number (days since 1970-01-01) of an instant, read at `offsetMinutes` east of UTC. */
export function dayOf(instantMs: number, offsetMinutes = CHINA_OFFSET_MINUTES): number {
  return Math.floor((instantMs + offsetMinutes * 60_000) / DAY_MS);
}

/** The day number of a calendar date YYYY-MM-DD. */
export function dayOfDate(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** The calendar date YYYY-MM-DD of a day number. */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The instant a day begins at `offsetMinutes` east of UTC. */
export function dayStartMs(day: number, offsetMinutes = CHINA_OFFSET_MINUTES): number {
  return day * DAY_MS - offsetMinutes * 60_000;
}

export type TaskLight = 'green' | 'yellow' | 'red' | 'closed';

export interface TaskTiming {
  state: string;
  deadline: string;
}

/** Days left until the deadline (0 on the day itself, negative when overdue). */
export function daysLeft(task: TaskTiming, nowMs: number): number {
  return dayOfDate(task.deadline) - dayOf(nowMs);
}

/** Red once the deadline day has passed, yellow within `dueSoonDays` of it, green before; closed tasks have none. */
export function taskLight(
  task: TaskTiming,
  nowMs: number,
  settings: Pick<SupervisionSettings, 'dueSoonDays'>,
): TaskLight {
  if (task.state === 'closed') return 'closed';
  const left = daysLeft(task, nowMs);
  if (left < 0) return 'red';
  return left <= settings.dueSoonDays ? 'yellow' : 'green';
}

/** Whole days past the deadline (0 when not overdue); for a closed task, counted at its closing. */
export function overdueDays(task: TaskTiming & { closedAt: string | null }, nowMs: number): number {
  const at = task.state === 'closed' && task.closedAt ? Date.parse(task.closedAt) : nowMs;
  return Math.max(0, dayOf(at) - dayOfDate(task.deadline));
}

/** Whether an open task is overdue long enough to escalate. */
export function shouldEscalate(
  task: TaskTiming & { escalatedAt: string | null },
  nowMs: number,
  settings: Pick<SupervisionSettings, 'escalateAfterDays'>,
): boolean {
  if (task.state === 'closed' || task.escalatedAt) return false;
  return -daysLeft(task, nowMs) >= Math.max(1, settings.escalateAfterDays);
}

export const CADENCES = ['none', 'weekly', 'monthly'] as const;
export type Cadence = (typeof CADENCES)[number];
const cadenceDays: Record<Cadence, number | null> = { none: null, weekly: 7, monthly: 30 };

/**
 * The date the next periodic report is due (YYYY-MM-DD), counted from the last one (or from when the
 * task was accepted), or null when none is expected (no cadence, not yet accepted, submitted, closed).
 */
export function nextReportDue(task: {
  state: string;
  cadence: Cadence;
  acceptedAt: string | null;
  lastReportAt: string | null;
}): string | null {
  const every = cadenceDays[task.cadence];
  const since = task.lastReportAt ?? task.acceptedAt;
  if (every === null || !since) return null;
  if (task.state !== 'accepted' && task.state !== 'in_progress' && task.state !== 'extension_requested')
    return null;
  return dateOfDay(dayOf(Date.parse(since)) + every);
}

/** Whether the periodic report is missing: due and not sent within the grace days. */
export function reportMissing(due: string | null, nowMs: number, graceDays: number): boolean {
  return due !== null && dayOf(nowMs) > dayOfDate(due) + graceDays;
}
