import { type Kysely, sql } from 'kysely';

// Published results are numbered: publishing again after a withdrawal (a slot reopened or corrected
// after publication) makes version 2, 3 … The version names the publication on the print and in the
// export; 0 means never published. An event published before versions existed is version 1.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('events')
    .addColumn('publication_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update events set publication_version = 1 where published_at is not null`.execute(db);
}
