import type { Kysely } from 'kysely';

// Livelihood projects with milestones and progress updates; supervision visits, their instructions,
// follow-up tasks (督办) with every step they took; evidence photos with their capture data; settings.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('lp_projects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('lead_unit_id', 'text', (c) => c.notNull())
    .addColumn('co_unit_ids', 'text', (c) => c.notNull())
    .addColumn('contact_leader', 'text', (c) => c.notNull())
    .addColumn('sites', 'text', (c) => c.notNull())
    .addColumn('outputs', 'text', (c) => c.notNull())
    .addColumn('indicator_ids', 'text', (c) => c.notNull())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('report_interval', 'text', (c) => c.notNull())
    .addColumn('manual_progress', 'text')
    .addColumn('last_update_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('lp_milestones')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('planned_date', 'text', (c) => c.notNull())
    .addColumn('done_date', 'text')
    .addColumn('weight', 'integer', (c) => c.notNull())
    .addColumn('evidence_required', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lp_milestones_project').on('lp_milestones').column('project_id').execute();
  await db.schema
    .createTable('lp_updates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('outputs', 'text', (c) => c.notNull())
    .addColumn('milestone_ids_done', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('review_comment', 'text')
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('reviewed_at', 'text')
    .execute();
  await db.schema.createIndex('lp_updates_project').on('lp_updates').column('project_id').execute();

  await db.schema
    .createTable('sv_visits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('visit_date', 'text', (c) => c.notNull())
    .addColumn('leader_user_id', 'text')
    .addColumn('leader_name', 'text', (c) => c.notNull())
    .addColumn('companions', 'text', (c) => c.notNull())
    .addColumn('project_ids', 'text', (c) => c.notNull())
    .addColumn('sites', 'text', (c) => c.notNull())
    .addColumn('findings', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('sv_instructions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('visit_id', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sv_instructions_visit').on('sv_instructions').column('visit_id').execute();

  await db.schema
    .createTable('sv_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parent_id', 'text')
    .addColumn('source_kind', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('source_text', 'text', (c) => c.notNull())
    .addColumn('visit_id', 'text')
    .addColumn('project_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('standard', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('issuer_user_id', 'text')
    .addColumn('issuer_name', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('cadence', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('requested_deadline', 'text')
    .addColumn('returns', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('accepted_at', 'text')
    .addColumn('last_report_at', 'text')
    .addColumn('escalated_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sv_tasks_unit').on('sv_tasks').columns(['unit_id', 'state']).execute();
  await db.schema.createIndex('sv_tasks_state').on('sv_tasks').columns(['state', 'deadline']).execute();
  await db.schema.createIndex('sv_tasks_parent').on('sv_tasks').column('parent_id').execute();
  await db.schema
    .createTable('sv_task_steps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task_id', 'text', (c) => c.notNull())
    // The step's place in its task's history (steps can share a millisecond).
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('opinion', 'text', (c) => c.notNull())
    .addColumn('photo_ids', 'text', (c) => c.notNull())
    .addColumn('deadline_before', 'text')
    .addColumn('deadline_after', 'text')
    .addColumn('client_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // A step sent twice (a retry after a lost answer) carries the same client key: it is taken once.
  await db.schema
    .createIndex('sv_task_steps_once')
    .on('sv_task_steps')
    .columns(['task_id', 'client_key'])
    .unique()
    .execute();

  // Evidence photos of task answers and project updates: the normalized image, and what its EXIF said
  // before it was stripped (capture time and place), and a perceptual hash to spot reused pictures.
  await db.schema
    .createTable('sv_photos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('owner_kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content_base64', 'text', (c) => c.notNull())
    .addColumn('taken_at', 'text')
    .addColumn('latitude', 'real')
    .addColumn('longitude', 'real')
    .addColumn('phash', 'text', (c) => c.notNull())
    .addColumn('same_as_id', 'text')
    .addColumn('pair_role', 'text')
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sv_photos_owner')
    .on('sv_photos')
    .columns(['owner_kind', 'owner_id'])
    .execute();

  await db.schema
    .createTable('sv_settings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
