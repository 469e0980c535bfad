import type { Kysely } from 'kysely';

// A unit's showcase slides on the big screen: which slide of the unit on stage is shown. The slide
// belongs to one slot: when another unit goes on stage, its deck starts at the first slide.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('events').addColumn('screen_slide_slot_id', 'text').execute();
  await db.schema
    .alterTable('events')
    .addColumn('screen_slide_index', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
