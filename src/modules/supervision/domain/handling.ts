// How a unit handled its follow-up tasks over a period (督办考评), as one score the organizer may feed
// into the unit's assessment. The formula (docs/livelihood.md):
//   on-time rate = tasks closed by their deadline / tasks
//   score = max(0, 100 × on-time rate − 2 × returns − 0.5 × overdue days), one decimal; none without tasks.
// Returns and overdue days are summed over the unit's tasks (days counted at closing, or up to now).

export const HANDLING_WEIGHTS = { perReturn: 2, perOverdueDay: 0.5 } as const;

export interface HandledTask {
  closedOnTime: boolean;
  returns: number;
  overdueDays: number;
}

export function handlingScore(tasks: readonly HandledTask[]): {
  onTimeRate: number | null;
  score: number | null;
} {
  if (tasks.length === 0) return { onTimeRate: null, score: null };
  const onTimeRate = tasks.filter((t) => t.closedOnTime).length / tasks.length;
  const returns = tasks.reduce((s, t) => s + t.returns, 0);
  const overdue = tasks.reduce((s, t) => s + t.overdueDays, 0);
  const raw =
    100 * onTimeRate - HANDLING_WEIGHTS.perReturn * returns - HANDLING_WEIGHTS.perOverdueDay * overdue;
  return { onTimeRate, score: Math.max(0, Math.round(raw * 10) / 10) };
}
