import type { Kysely } from 'kysely';

// A unit's report photos: stored as they will be shown (upright, at most 1280 px on the long side,
// JPEG, no metadata), in the database like evidence files so a backup of the database is complete.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('report_photos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content_base64', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('report_photos_unit')
    .on('report_photos')
    .columns(['event_id', 'unit_id'])
    .execute();
}
