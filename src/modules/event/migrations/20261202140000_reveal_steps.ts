import type { Kysely } from 'kysely';

// The reveal as these events stage it: the big screen shows a track's ranking one unit per click, from
// the last place up, the top three last. The count of units shown so far; null shows them all.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('events').addColumn('screen_reveal_count', 'integer').execute();
}
