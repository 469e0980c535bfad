import type { Kysely } from 'kysely';

// The event's logo on every deck's cover (the template's look), stored as it is drawn: a PNG at most
// 600 × 300 px, turned upright, without metadata.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('report_logos')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('content_base64', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
