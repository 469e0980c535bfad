import type { Kysely } from 'kysely';

// Event day: the stage timer per slot, what the big screen shows, and read-only screen tokens.
// SQLite adds one column per ALTER TABLE statement, so each column is its own call.
export async function up(db: Kysely<unknown>): Promise<void> {
  const slotColumns: [string, 'text' | 'integer', boolean][] = [
    ['timer_started_at', 'text', false],
    ['timer_paused_at', 'text', false],
    ['timer_paused_ms', 'integer', true],
    ['timer_extended_sec', 'integer', true],
    ['timer_stopped_at', 'text', false],
  ];
  for (const [name, type, zero] of slotColumns) {
    await db.schema
      .alterTable('slots')
      .addColumn(name, type, (c) => (zero ? c.notNull().defaultTo(0) : c))
      .execute();
  }
  await db.schema.alterTable('events').addColumn('current_slot_id', 'text').execute();
  await db.schema
    .alterTable('events')
    .addColumn('screen_mode', 'text', (c) => c.notNull().defaultTo('title'))
    .execute();
  await db.schema.alterTable('events').addColumn('screen_track_id', 'text').execute();
  await db.schema
    .alterTable('events')
    .addColumn('screen_theme', 'text', (c) => c.notNull().defaultTo('red'))
    .execute();
  await db.schema
    .alterTable('events')
    .addColumn('auto_open_on_stop', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema.alterTable('sessions').addColumn('screen_token_id', 'text').execute();

  await db.schema
    .createTable('screen_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('screen_tokens_event').on('screen_tokens').column('event_id').execute();
}
