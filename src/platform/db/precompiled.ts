// Hot-path queries compiled once per database handle (sessions, score submissions).
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { DB } from './schema.ts';

/**
 * A query built and compiled once per database handle, then run with fresh parameter values. On the
 * hottest paths (every request's session lookup, every submission's context) building and compiling a
 * Kysely query costs about as much as running it. `build` receives one marker string per named
 * parameter and must use each only as a plain compared value, never to shape the SQL (no `in` lists,
 * no conditional clauses), so that the compiled text is the same for every call.
 */
export function precompiled<P extends string, R>(
  names: readonly P[],
  build: (db: Kysely<DB>, marker: Readonly<Record<P, string>>) => Compilable<R>,
): (db: Kysely<DB>, values: Readonly<Record<P, string>>) => Promise<R[]> {
  const compiled = new WeakMap<Kysely<DB>, { query: CompiledQuery<R>; slots: (P | null)[] }>();
  return async (db, values) => {
    let entry = compiled.get(db);
    if (!entry) {
      const marker = Object.fromEntries(names.map((n) => [n, `\u0000${n}\u0000`])) as Record<P, string>;
      const query = build(db, marker).compile();
      const byMarker = new Map<unknown, P>(names.map((n) => [marker[n], n]));
      const slots = query.parameters.map((v) => byMarker.get(v) ?? null);
      for (const n of names) if (!slots.includes(n)) throw new Error(`precompiled: ${n} is not a parameter`);
      entry = { query, slots };
      compiled.set(db, entry);
    }
    const { query, slots } = entry;
    const parameters = query.parameters.map((v, i) => {
      const name = slots[i];
      return name === null || name === undefined ? v : values[name];
    });
    return (await db.executeQuery<R>({ ...query, parameters })).rows;
  };
}
