import type { Kysely } from 'kysely';

// The robots of the groups people read (per unit, or the office's and the leaders' groups); the
// outbox a change writes its notification into, in the change's own transaction; one delivery row
// per message and robot, which the worker claims, sends and marks; people's @-handles and mutes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('nt_channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('webhook_enc', 'text', (c) => c.notNull())
    .addColumn('secret_enc', 'text')
    .addColumn('webhook_hint', 'text', (c) => c.notNull())
    .addColumn('muted_kinds', 'text', (c) => c.notNull())
    .addColumn('quiet_from', 'text')
    .addColumn('quiet_to', 'text')
    .addColumn('digest', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('nt_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cause_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('markdown', 'text', (c) => c.notNull())
    .addColumn('link', 'text', (c) => c.notNull())
    .addColumn('mention_user_ids', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('nt_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('outbox_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('not_before', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('nt_deliveries_once', ['outbox_id', 'channel_id'])
    .execute();
  await db.schema
    .createIndex('nt_deliveries_due')
    .on('nt_deliveries')
    .columns(['channel_id', 'state', 'not_before'])
    .execute();
  await db.schema
    .createTable('nt_contacts')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('mobile', 'text')
    .addColumn('im_id', 'text')
    .addColumn('muted_kinds', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
