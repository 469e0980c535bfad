// What changed between two revisions of a report, field by field, for the organizer's comparison.

export interface Change {
  /** e.g. shortfalls.0.cause, or facts.DC-03.actual */
  path: string;
  before: string | null;
  after: string | null;
}

/** Every leaf of a JSON value by its dotted path; arrays by index. */
function leaves(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) leaves(v, prefix ? `${prefix}.${i}` : String(i), out);
  } else if (typeof value === 'object')
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      leaves(v, prefix ? `${prefix}.${k}` : k, out);
  else out.set(prefix, String(value));
}

/** The fields that differ, in the order of `after` then those only in `before`. */
export function compareRevisions(before: unknown, after: unknown): Change[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  leaves(before, '', a);
  leaves(after, '', b);
  const changes: Change[] = [];
  for (const [path, v] of b)
    if (a.get(path) !== v) changes.push({ path, before: a.get(path) ?? null, after: v });
  for (const [path, v] of a) if (!b.has(path)) changes.push({ path, before: v, after: null });
  return changes;
}

/** Reports are what the hall will see: once the event has started (a slot opened), they stand. */
export const reportsLocked = (event: { scoringStarted: boolean; status: string }): boolean =>
  event.scoringStarted || event.status === 'locked';
