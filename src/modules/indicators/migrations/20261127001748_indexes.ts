import type { Kysely } from 'kysely';

// Indexes for the city overview at scale (docs/performance.md, indicators): the year's indicators by
// frequency (the overview reads and counts them on every request) and a period's rankings.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('indicators_year').on('indicators').columns(['year', 'frequency']).execute();
  await db.schema.createIndex('rankings_period').on('rankings').column('period_key').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('rankings_period').execute();
  await db.schema.dropIndex('indicators_year').execute();
}
