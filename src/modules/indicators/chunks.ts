// Lists cut into slices: IN (…) lists stay far below SQLite's and PostgreSQL's limits on bound
// parameters, and long imports are applied batch by batch.

/** Values bound per IN (…) list. */
const IN_CHUNK = 500;

export function chunks<T>(items: readonly T[], size: number = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
