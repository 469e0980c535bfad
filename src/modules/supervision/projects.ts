// Livelihood projects (民生实事): set up by the office with milestones and measurable outputs; the lead
// unit reports progress (text, output values, milestones done, photos), which the office acknowledges
// or returns (the shared review workflow). Progress and status are computed (domain/projects.ts).

import type { Selectable } from 'kysely';
import { actorName, requireOrganizer, requireUser } from '../../kernel/actor.ts';
import { AppError, alreadyTaken } from '../../kernel/errors.ts';
import { reviewWorkflow } from '../../kernel/review-workflow.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import type { LpMilestonesTable, LpProjectsTable } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import { dateOfDay, dayOf, dayOfDate, type SupervisionSettings } from './domain/deadlines.ts';
import {
  type ManualProgress,
  manualProgressProblem,
  type ProjectStatus,
  projectProgress,
  projectStatus,
  type ReportInterval,
  updateMissing,
} from './domain/projects.ts';
import { photosOf, storeEvidencePhoto } from './photos.ts';
import type { EvidencePhoto, ProjectBody, ProjectDetail, ProjectSummary } from './schemas.ts';
import { loadSettings } from './settings.ts';
import { summarize, unitNames } from './tasks.ts';

type ProjectRow = Selectable<LpProjectsTable>;

/** Where one user's photos for their next update of a project wait. */
const draftKey = (projectId: string, userId: string) => `draft:${projectId}:${userId}`;
const DRAFT_PHOTO_HOURS = 12;
type MilestoneRow = Selectable<LpMilestonesTable>;

const facts = (ms: MilestoneRow[]) =>
  ms.map((m) => ({ plannedDate: m.planned_date, doneDate: m.done_date, weight: m.weight }));
const manualOf = (p: ProjectRow): ManualProgress | null =>
  p.manual_progress ? (JSON.parse(p.manual_progress) as ManualProgress) : null;

function computed(p: ProjectRow, ms: MilestoneRow[], settings: SupervisionSettings, nowMs: number) {
  const today = dayOf(nowMs);
  return {
    progress: projectProgress(facts(ms), manualOf(p)),
    status: projectStatus(facts(ms), manualOf(p), today, settings.atRiskDays),
    updateMissing:
      dayOfDate(p.start_date) <= today &&
      projectStatus(facts(ms), manualOf(p), today, settings.atRiskDays) !== 'done' &&
      updateMissing(
        p.report_interval as ReportInterval,
        p.last_update_at ? dayOf(Date.parse(p.last_update_at)) : null,
        dayOfDate(p.start_date),
        today,
        settings.reportGraceDays,
      ),
  };
}

async function milestonesOf(ctx: Pick<Ctx, 'db'>, ids: string[]): Promise<Map<string, MilestoneRow[]>> {
  const rows =
    ids.length === 0
      ? []
      : await ctx.db
          .selectFrom('lp_milestones')
          .selectAll()
          .where('project_id', 'in', ids)
          .orderBy('sort')
          .execute();
  const by = new Map<string, MilestoneRow[]>();
  for (const r of rows) by.set(r.project_id, [...(by.get(r.project_id) ?? []), r]);
  return by;
}

/** Name, status and progress of some projects (a visit's briefing). */
export async function projectStates(
  ctx: Ctx,
  ids: string[],
  settings: SupervisionSettings,
): Promise<{ id: string; name: string; status: ProjectStatus; progress: number }[]> {
  if (ids.length === 0) return [];
  const [rows, ms] = await Promise.all([
    ctx.db.selectFrom('lp_projects').selectAll().where('id', 'in', ids).execute(),
    milestonesOf(ctx, ids),
  ]);
  return rows.map((p) => {
    const c = computed(p, ms.get(p.id) ?? [], settings, ctx.now.getTime());
    return { id: p.id, name: p.name, status: c.status, progress: c.progress };
  });
}

function summaryOf(
  p: ProjectRow,
  ms: MilestoneRow[],
  names: Map<string, string>,
  settings: SupervisionSettings,
  nowMs: number,
  openTasks: number,
): ProjectSummary {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    year: p.year,
    level: p.level as ProjectSummary['level'],
    category: p.category,
    leadUnitId: p.lead_unit_id,
    leadUnitName: names.get(p.lead_unit_id) ?? '',
    coUnitNames: (JSON.parse(p.co_unit_ids) as string[]).map((u) => names.get(u) ?? ''),
    contactLeader: p.contact_leader,
    deadline: p.deadline,
    ...computed(p, ms, settings, nowMs),
    openTasks,
  };
}

export async function listProjects(ctx: Ctx): Promise<ProjectSummary[]> {
  requireUser(ctx.actor);
  const [rows, names, settings, tasks] = await Promise.all([
    ctx.db.selectFrom('lp_projects').selectAll().orderBy('year', 'desc').orderBy('code').execute(),
    unitNames(ctx),
    loadSettings(ctx),
    ctx.db
      .selectFrom('sv_tasks')
      .select(['project_id'])
      .where('project_id', 'is not', null)
      .where('state', '!=', 'closed')
      .execute(),
  ]);
  const ms = await milestonesOf(
    ctx,
    rows.map((r) => r.id),
  );
  const nowMs = ctx.now.getTime();
  return rows.map((p) =>
    summaryOf(
      p,
      ms.get(p.id) ?? [],
      names,
      settings,
      nowMs,
      tasks.filter((t) => t.project_id === p.id).length,
    ),
  );
}

export async function getProject(ctx: Ctx, id: string): Promise<ProjectDetail> {
  const user = requireUser(ctx.actor);
  const p = await ctx.db.selectFrom('lp_projects').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) throw new AppError('not_found', { what: 'project' });
  const [names, settings, ms, updates, tasks] = await Promise.all([
    unitNames(ctx),
    loadSettings(ctx),
    milestonesOf(ctx, [id]),
    ctx.db
      .selectFrom('lp_updates')
      .selectAll()
      .where('project_id', '=', id)
      .orderBy('created_at', 'desc')
      .execute(),
    ctx.db
      .selectFrom('sv_tasks')
      .selectAll()
      .where('project_id', '=', id)
      .where('parent_id', 'is', null)
      .orderBy('created_at')
      .execute(),
  ]);
  // Everyone signed in reads projects (they are public promises); a unit's unreviewed updates stay its own.
  const ownUnit = user.role === 'reporter' ? user.unitId : null;
  const readable = updates.filter(
    (u) => u.status === 'verified' || user.role !== 'reporter' || u.unit_id === ownUnit,
  );
  const photos = await photosOf(
    ctx,
    'project_update',
    readable.map((u) => u.id),
    p.start_date,
  );
  const nowMs = ctx.now.getTime();
  const mine = ms.get(id) ?? [];
  return {
    ...summaryOf(p, mine, names, settings, nowMs, tasks.filter((t) => t.state !== 'closed').length),
    content: p.content,
    coUnitIds: JSON.parse(p.co_unit_ids) as string[],
    sites: JSON.parse(p.sites) as string[],
    outputs: JSON.parse(p.outputs) as ProjectDetail['outputs'],
    indicatorIds: JSON.parse(p.indicator_ids) as string[],
    indicators: await indicatorsOf(ctx, JSON.parse(p.indicator_ids) as string[]),
    startDate: p.start_date,
    reportInterval: p.report_interval as ReportInterval,
    manualProgress: manualOf(p),
    milestones: mine.map((m) => ({
      id: m.id,
      title: m.title,
      plannedDate: m.planned_date,
      doneDate: m.done_date,
      weight: m.weight,
      evidenceRequired: m.evidence_required === 1,
    })),
    updates: readable.map((u) => ({
      id: u.id,
      text: u.text,
      outputs: JSON.parse(u.outputs) as { name: string; value: number }[],
      milestoneIdsDone: JSON.parse(u.milestone_ids_done) as string[],
      status: u.status,
      reviewComment: u.review_comment,
      authorName: u.author_name,
      createdAt: u.created_at,
      photos: photos.filter((ph) => ph.ownerId === u.id),
    })),
    tasks: tasks.map((t) => summarize(t, names, settings, nowMs)),
  };
}

/** Writes a project and its milestones (by code: a second save of the same code updates it). */
export async function upsertProject(ctx: Ctx, input: ProjectBody, trxCtx?: Ctx): Promise<string> {
  const c = trxCtx ?? ctx;
  const problem = manualProgressProblem(input.manualProgress);
  if (problem) throw new AppError('reason_required', {}, { field: 'manualProgress' });
  if (input.deadline < input.startDate) throw new AppError('validation_failed', { detail: 'deadline' });
  const now = nowIso(ctx);
  const existing = await c.db
    .selectFrom('lp_projects')
    .select('id')
    .where('code', '=', input.code)
    .executeTakeFirst();
  const id = existing?.id ?? newId();
  const row = {
    code: input.code,
    name: input.name,
    year: input.year,
    level: input.level,
    category: input.category,
    content: input.content,
    lead_unit_id: input.leadUnitId,
    co_unit_ids: JSON.stringify(input.coUnitIds),
    contact_leader: input.contactLeader,
    sites: JSON.stringify(input.sites),
    outputs: JSON.stringify(input.outputs),
    indicator_ids: JSON.stringify(input.indicatorIds),
    start_date: input.startDate,
    deadline: input.deadline,
    report_interval: input.reportInterval,
    manual_progress: input.manualProgress ? JSON.stringify(input.manualProgress) : null,
    updated_at: now,
  };
  if (existing) await c.db.updateTable('lp_projects').set(row).where('id', '=', id).execute();
  else
    await c.db
      .insertInto('lp_projects')
      .values({ ...row, id, last_update_at: null, created_at: now })
      .execute();
  const old = await c.db
    .selectFrom('lp_milestones')
    .select(['id', 'title'])
    .where('project_id', '=', id)
    .execute();
  await c.db.deleteFrom('lp_milestones').where('project_id', '=', id).execute();
  if (input.milestones.length > 0)
    await c.db
      .insertInto('lp_milestones')
      .values(
        input.milestones.map((m, sort) => ({
          // Keep a milestone's id across saves (updates name the milestones they completed).
          id: m.id ?? old.find((o) => o.title === m.title)?.id ?? newId(),
          project_id: id,
          sort,
          title: m.title,
          planned_date: m.plannedDate,
          done_date: m.doneDate,
          weight: m.weight,
          evidence_required: m.evidenceRequired ? 1 : 0,
        })),
      )
      .execute();
  return id;
}

/** The indicators a project moves, for its page (code and name, linked to the indicator's page). */
async function indicatorsOf(ctx: Pick<Ctx, 'db'>, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('indicators')
    .select(['id', 'code', 'name'])
    .where('id', 'in', ids)
    .execute();
  return rows.sort((a, b) => a.code.localeCompare(b.code));
}

async function assertUnits(ctx: Ctx, ids: string[]) {
  const names = await unitNames(ctx);
  for (const u of ids) if (!names.has(u)) throw new AppError('not_found', { what: 'unit' });
}

export async function saveProject(ctx: Ctx, id: string | null, input: ProjectBody): Promise<ProjectDetail> {
  requireOrganizer(ctx.actor);
  await assertUnits(ctx, [input.leadUnitId, ...input.coUnitIds]);
  const wanted = [...new Set(input.indicatorIds)];
  if (wanted.length > 0) {
    const found = await ctx.db.selectFrom('indicators').select('id').where('id', 'in', wanted).execute();
    if (found.length !== wanted.length) throw new AppError('not_found', { what: 'indicator' });
  }
  const sameCode = await ctx.db
    .selectFrom('lp_projects')
    .select('id')
    .where('code', '=', input.code)
    .executeTakeFirst();
  if (sameCode && sameCode.id !== id) throw alreadyTaken('code', input.code);
  if (id) {
    const p = await ctx.db.selectFrom('lp_projects').select('code').where('id', '=', id).executeTakeFirst();
    if (!p) throw new AppError('not_found', { what: 'project' });
    if (p.code !== input.code)
      await ctx.db.updateTable('lp_projects').set({ code: input.code }).where('id', '=', id).execute();
  }
  const saved = await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const pid = await upsertProject(ctx, input, tctx);
    await audit(tctx, {
      action: id ? 'project.updated' : 'project.created',
      target: input.name,
      after: input,
    });
    return pid;
  });
  return getProject(ctx, saved);
}

// ---------- progress updates ----------

async function projectForUnit(ctx: Ctx, id: string): Promise<ProjectRow> {
  const user = requireUser(ctx.actor, 'reporter', 'organizer');
  const p = await ctx.db.selectFrom('lp_projects').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) throw new AppError('not_found', { what: 'project' });
  if (user.role === 'reporter' && user.unitId !== p.lead_unit_id) throw new AppError('forbidden');
  return p;
}

export async function uploadUpdatePhoto(
  ctx: Ctx,
  projectId: string,
  body: unknown,
  pair: 'before' | 'after' | null,
): Promise<EvidencePhoto> {
  const p = await projectForUnit(ctx, projectId);
  const user = requireUser(ctx.actor);
  const draft = draftKey(p.id, user.userId);
  // Photos wait under the uploader's draft of the project until an update takes them; those left
  // from an update never sent are cleared after a while, so they cannot fill the limit for good.
  await ctx.db
    .deleteFrom('sv_photos')
    .where('owner_kind', '=', 'project_update')
    .where('owner_id', '=', draft)
    .where('created_at', '<', new Date(ctx.now.getTime() - DRAFT_PHOTO_HOURS * 3_600_000).toISOString())
    .execute();
  return storeEvidencePhoto(
    ctx,
    { kind: 'project_update', id: draft, unitId: p.lead_unit_id, startedAt: p.start_date },
    body,
    pair,
  );
}

export async function submitUpdate(
  ctx: Ctx,
  projectId: string,
  input: {
    text: string;
    outputs: { name: string; value: number }[];
    milestoneIdsDone: string[];
    photoIds: string[];
  },
): Promise<ProjectDetail> {
  const p = await projectForUnit(ctx, projectId);
  const user = requireUser(ctx.actor);
  const ms = (await milestonesOf(ctx, [p.id])).get(p.id) ?? [];
  for (const m of input.milestoneIdsDone)
    if (!ms.some((x) => x.id === m)) throw new AppError('not_found', { what: 'milestone' });
  const outputs = JSON.parse(p.outputs) as { name: string }[];
  for (const o of input.outputs)
    if (!outputs.some((x) => x.name === o.name)) throw new AppError('not_found', { what: 'output' });
  const step = reviewWorkflow.step(null, 'submit', 'author');
  if (!step.ok) throw new AppError('conflict');
  const id = newId();
  const now = nowIso(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('lp_updates')
      .values({
        id,
        project_id: p.id,
        unit_id: p.lead_unit_id,
        text: input.text,
        outputs: JSON.stringify(input.outputs),
        milestone_ids_done: JSON.stringify(input.milestoneIdsDone),
        status: step.to,
        review_comment: null,
        author_id: user.userId,
        author_name: actorName(user),
        created_at: now,
        reviewed_at: null,
      })
      .execute();
    if (input.photoIds.length > 0) {
      const moved = await trx
        .updateTable('sv_photos')
        .set({ owner_id: id })
        .where('id', 'in', input.photoIds)
        .where('owner_kind', '=', 'project_update')
        .where('owner_id', '=', draftKey(p.id, user.userId))
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== new Set(input.photoIds).size)
        throw new AppError('photo_not_yours');
    }
    // What this user uploaded but left out of the update is not kept.
    await trx
      .deleteFrom('sv_photos')
      .where('owner_kind', '=', 'project_update')
      .where('owner_id', '=', draftKey(p.id, user.userId))
      .execute();
    // Reported is reported: the interval counts from the unit's update, acknowledged or not.
    await trx.updateTable('lp_projects').set({ last_update_at: now }).where('id', '=', p.id).execute();
    await audit({ ...ctx, db: trx }, { action: 'project.update_submitted', target: p.name });
  });
  return getProject(ctx, p.id);
}

/** The office acknowledges an update (its milestones and output values then count) or returns it. */
export async function reviewUpdate(
  ctx: Ctx,
  updateId: string,
  input: { decision: 'verify' | 'return'; comment: string },
): Promise<ProjectDetail> {
  requireOrganizer(ctx.actor);
  const u = await ctx.db.selectFrom('lp_updates').selectAll().where('id', '=', updateId).executeTakeFirst();
  if (!u) throw new AppError('not_found', { what: 'update' });
  const step = reviewWorkflow.step(u.status as 'submitted', input.decision, 'reviewer');
  // An acknowledged update stands (its milestones and figures count); a correction is a new update.
  if (!step.ok || u.status !== 'submitted') throw new AppError('task_state_conflict', { state: u.status });
  if (input.decision === 'return' && !input.comment) throw new AppError('return_reason_required');
  const now = nowIso(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const decided = await trx
      .updateTable('lp_updates')
      .set({ status: step.to, review_comment: input.comment || null, reviewed_at: now })
      .where('id', '=', updateId)
      .where('status', '=', u.status)
      .executeTakeFirst();
    // Of two reviewers deciding at once, the second finds it decided.
    if (Number(decided.numUpdatedRows) !== 1) throw new AppError('task_state_conflict', { state: u.status });
    if (input.decision === 'verify') {
      const done = JSON.parse(u.milestone_ids_done) as string[];
      if (done.length > 0)
        await trx
          .updateTable('lp_milestones')
          .set({ done_date: dateOfDay(dayOf(Date.parse(u.created_at))) })
          .where('id', 'in', done)
          .where('done_date', 'is', null)
          .execute();
      const p = await trx
        .selectFrom('lp_projects')
        .select('outputs')
        .where('id', '=', u.project_id)
        .executeTakeFirstOrThrow();
      const values = JSON.parse(u.outputs) as { name: string; value: number }[];
      const outputs = (JSON.parse(p.outputs) as { name: string; actual: number }[]).map((o) => ({
        ...o,
        actual: values.find((v) => v.name === o.name)?.value ?? o.actual,
      }));
      await trx
        .updateTable('lp_projects')
        .set({ outputs: JSON.stringify(outputs), updated_at: now })
        .where('id', '=', u.project_id)
        .execute();
    }
    await audit(
      { ...ctx, db: trx },
      {
        action: input.decision === 'verify' ? 'project.update_verified' : 'project.update_returned',
        target: u.id,
        reason: input.comment || null,
      },
    );
  });
  return getProject(ctx, u.project_id);
}
