import type { Kysely } from 'kysely';

// The showcase event: events, rubric, panels, judges, invites, slots and the score ledger. Released as part
// of 0001_init; see src/platform/db/migrate.ts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('venue', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('draw_seed', 'text')
    .addColumn('ledger_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ledger_head', 'text', (c) => c.notNull())
    .addColumn('revealed', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('published_at', 'text')
    .addColumn('published_results', 'text')
    .addColumn('scoring_started', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('event_tracks')
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('track_id', 'text', (c) => c.notNull().references('tracks.id'))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('event_tracks_pk', ['event_id', 'track_id'])
    .execute();

  await db.schema
    .createTable('criteria')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('max_points', 'double precision', (c) => c.notNull())
    .addColumn('step', 'double precision', (c) => c.notNull())
    .execute();

  await db.schema.createIndex('criteria_event').on('criteria').column('event_id').execute();

  await db.schema
    .createTable('panels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('weight', 'double precision', (c) => c.notNull())
    .execute();

  await db.schema.createIndex('panels_event').on('panels').column('event_id').execute();

  await db.schema
    .createTable('judges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('panel_id', 'text', (c) => c.notNull().references('panels.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sort', 'integer', (c) => c.notNull())
    .execute();

  await db.schema.createIndex('judges_event').on('judges').column('event_id').execute();

  await db.schema
    .createTable('judge_affiliations')
    .addColumn('judge_id', 'text', (c) => c.notNull().references('judges.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addPrimaryKeyConstraint('judge_affiliations_pk', ['judge_id', 'unit_id'])
    .execute();

  await db.schema
    .createTable('invites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('judge_id', 'text', (c) => c.notNull().references('judges.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema.createIndex('invites_judge').on('invites').column('judge_id').execute();

  await db.schema
    .createTable('slots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('track_id', 'text', (c) => c.notNull().references('tracks.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('time_limit_sec', 'integer', (c) => c.notNull())
    .addColumn('overtime_sec', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('manual_penalty', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('opened_at', 'text')
    .addColumn('closed_at', 'text')
    .addUniqueConstraint('slots_event_unit', ['event_id', 'unit_id'])
    .execute();

  await db.schema
    .createTable('score_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('slot_id', 'text', (c) => c.notNull().references('slots.id'))
    .addColumn('judge_id', 'text', (c) => c.notNull().references('judges.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('score_values', 'text', (c) => c.notNull())
    .addColumn('total', 'double precision', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addUniqueConstraint('score_entries_event_seq', ['event_id', 'seq'])
    .addUniqueConstraint('score_entries_judge_client', ['judge_id', 'client_id'])
    .execute();

  await db.schema
    .createIndex('score_entries_slot')
    .on('score_entries')
    .columns(['slot_id', 'judge_id'])
    .execute();
}
