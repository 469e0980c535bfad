import type { Kysely } from 'kysely';

// Showcase reports: the event's template, what each unit must show (必晒内容), each unit's report on the
// shared review workflow, and every revision as it was submitted or reviewed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('report_templates')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    // JSON: ReportTemplate (domain/template.ts)
    .addColumn('body', 'text', (c) => c.notNull())
    // The indicator period the decks' numbers come from, e.g. 2023-Q2; null until chosen.
    .addColumn('period_key', 'text')
    // YYYY-MM-DD: the day reports are due.
    .addColumn('deadline', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('report_required')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // indicator | work
    .addColumn('indicator_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('report_required_unit')
    .on('report_required')
    .columns(['event_id', 'unit_id'])
    .execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // draft | submitted | verified | returned
    .addColumn('content', 'text', (c) => c.notNull()) // JSON ReportContent
    // JSON IndicatorFact[] frozen at submission: what was reviewed is what is shown. Null in a draft.
    .addColumn('facts', 'text')
    // JSON { path, text }[]: the organizer's comments of the last return.
    .addColumn('comments', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('reports_event_unit', ['event_id', 'unit_id'])
    .execute();

  await db.schema
    .createTable('report_revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('facts', 'text')
    .addColumn('comments', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('report_revisions_report')
    .on('report_revisions')
    .columns(['report_id', 'version'])
    .execute();
}
