// A livelihood project's progress and status, computed from its milestones, never typed in
// (docs/livelihood.md has a worked example). Pure: today's day number comes from the caller.
import { dayOfDate } from './deadlines.ts';

export interface MilestoneFacts {
  plannedDate: string;
  doneDate: string | null;
  /** Relative weight, > 0. */
  weight: number;
}

export interface ManualProgress {
  /** 0..1 */
  value: number;
  reason: string;
}

/**
 * Progress 0..1: the weighted share of done milestones, or the manual value when one is set (a
 * reason is required for it: `manualProgressProblem`). No milestones and no manual value: 0.
 */
export function projectProgress(
  milestones: readonly MilestoneFacts[],
  manual: ManualProgress | null,
): number {
  if (manual) return Math.min(1, Math.max(0, manual.value));
  const total = milestones.reduce((s, m) => s + m.weight, 0);
  if (total <= 0) return 0;
  const done = milestones.reduce((s, m) => s + (m.doneDate ? m.weight : 0), 0);
  return done / total;
}

export function manualProgressProblem(
  manual: ManualProgress | null,
): 'reason_required' | 'out_of_range' | null {
  if (!manual) return null;
  if (!(manual.value >= 0 && manual.value <= 1)) return 'out_of_range';
  return manual.reason.trim() === '' ? 'reason_required' : null;
}

export const PROJECT_STATUSES = ['not_started', 'on_track', 'at_risk', 'overdue', 'done'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/**
 * First match wins:
 * 1. done — progress is complete (every milestone done, or a manual 100%);
 * 2. overdue — a milestone's planned date has passed and it is not done;
 * 3. at risk — a milestone not done is due within `atRiskDays` (today included);
 * 4. not started — nothing done yet (progress 0);
 * 5. on track.
 */
export function projectStatus(
  milestones: readonly MilestoneFacts[],
  manual: ManualProgress | null,
  today: number,
  atRiskDays: number,
): ProjectStatus {
  const progress = projectProgress(milestones, manual);
  if (progress >= 1) return 'done';
  const pending = milestones.filter((m) => !m.doneDate).map((m) => dayOfDate(m.plannedDate));
  if (pending.some((d) => d < today)) return 'overdue';
  if (pending.some((d) => d <= today + atRiskDays)) return 'at_risk';
  if (progress === 0) return 'not_started';
  return 'on_track';
}

export const REPORT_INTERVALS = ['weekly', 'monthly'] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

/** Whether a unit missed its project's reporting interval: no update for interval + grace days. */
export function updateMissing(
  interval: ReportInterval,
  lastUpdateDay: number | null,
  startDay: number,
  today: number,
  graceDays: number,
): boolean {
  const every = interval === 'weekly' ? 7 : 30;
  return today > (lastUpdateDay ?? startDay) + every + graceDays;
}
