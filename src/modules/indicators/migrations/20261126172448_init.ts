import type { Kysely } from 'kysely';

// Indicators: the work framework tree, indicators with plans, periods, actuals with their review
// workflow and every revision, evidence files, external rankings and versioned light rules.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('framework_nodes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parent_id', 'text', (c) => c.references('framework_nodes.id'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // program | task
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('indicators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('node_id', 'text', (c) => c.notNull().references('framework_nodes.id'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('measure', 'text', (c) => c.notNull()) // unit of measure: 亩, 个, %, 万元, 名…
    .addColumn('direction', 'text', (c) => c.notNull()) // higher | lower
    .addColumn('kind', 'text', (c) => c.notNull()) // cumulative | point
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('baseline', 'double precision', (c) => c.notNull())
    .addColumn('target', 'double precision', (c) => c.notNull())
    .addColumn('tier_floor', 'double precision') // 保底
    .addColumn('tier_stretch', 'double precision') // 争先
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('frequency', 'text', (c) => c.notNull()) // monthly | quarterly
    .addColumn('plan', 'text', (c) => c.notNull()) // JSON: {kind:'linear'} | {kind:'phased', expected:{periodKey:value}}
    .addColumn('weight', 'double precision', (c) => c.notNull().defaultTo(1))
    .addColumn('light_source', 'text', (c) => c.notNull().defaultTo('completion')) // completion | rank
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('indicators_unit').on('indicators').columns(['unit_id', 'year']).execute();
  await db.schema.createIndex('indicators_node').on('indicators').column('node_id').execute();

  await db.schema
    .createTable('indicator_co_units')
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addPrimaryKeyConstraint('indicator_co_units_pk', ['indicator_id', 'unit_id'])
    .execute();

  await db.schema
    .createTable('periods')
    .addColumn('key', 'text', (c) => c.primaryKey()) // 2023-M01 … 2023-Q4
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // month | quarter
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('grace_days', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('actuals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
    .addColumn('period_key', 'text', (c) => c.notNull().references('periods.key'))
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull()) // draft | submitted | verified | returned
    .addColumn('return_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('submitted_at', 'text')
    .addColumn('verified_at', 'text')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('actuals_indicator_period', ['indicator_id', 'period_key'])
    .execute();
  await db.schema
    .createIndex('actuals_period')
    .on('actuals')
    .columns(['period_key', 'indicator_id'])
    .execute();

  await db.schema
    .createTable('actual_revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('actual_id', 'text', (c) => c.notNull().references('actuals.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('actual_revisions_actual').on('actual_revisions').column('actual_id').execute();

  // Evidence is stored in the database (base64 text) so every process behind a load balancer sees
  // it with nothing shared but the database; uploads are capped at 10 MB.
  await db.schema
    .createTable('evidence_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('actual_id', 'text', (c) => c.notNull().references('actuals.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content_base64', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('rankings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('indicator_id', 'text', (c) => c.references('indicators.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('scope', 'text', (c) => c.notNull()) // 金华 | 全省 | a named scope
    .addColumn('period_key', 'text', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('out_of', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('published_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('rankings_indicator')
    .on('rankings')
    .columns(['indicator_id', 'period_key'])
    .execute();

  await db.schema
    .createTable('light_rules')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('config', 'text', (c) => c.notNull()) // JSON LightRules + StarBands
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
