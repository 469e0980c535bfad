import type { Kysely } from 'kysely';

// One row per time rule and window (e.g. "supervision.deadlines" at 2026-12-03T09:05): the process
// that inserts it runs that window; every other process of the cluster finds it and skips.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scheduled_runs')
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('window_key', 'text', (c) => c.notNull())
    .addColumn('ran_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('scheduled_runs_pk', ['rule', 'window_key'])
    .execute();
}
