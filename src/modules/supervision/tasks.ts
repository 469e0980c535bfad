// Follow-up tasks (督办): issued by the office (from a visit's instruction, a meeting, a red indicator,
// a ranking drop, a unit's own commitment), answered by the unit, verified and closed by the issuer.
// Every step is recorded with its actor, time, opinion and photos, and its notice is queued in the
// same transaction (notifications' outbox), so a step and its message stand or fall together.

import type { Selectable } from 'kysely';
import { actorName, requireOrganizer, requireUser, type UserActor } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import type { SvTasksTable } from '../../platform/db/schema.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { newId } from '../../platform/ids.ts';
import { type Audience, type NoticeKind, plainVars } from '../notifications/domain/notices.ts';
import { enqueueNotice } from '../notifications/index.ts';
import {
  type Cadence,
  daysLeft,
  nextReportDue,
  overdueDays,
  reportMissing,
  type SupervisionSettings,
  taskLight,
} from './domain/deadlines.ts';
import {
  decideTaskStep,
  type TaskAction,
  type TaskParty,
  type TaskState,
  taskActionsFor,
  taskParties,
} from './domain/task-workflow.ts';
import { photosOf, storeEvidencePhoto } from './photos.ts';
import type { EvidencePhoto, StepBody, TaskBody, TaskDetail, TaskSummary } from './schemas.ts';
import { loadSettings } from './settings.ts';

export type TaskRow = Selectable<SvTasksTable>;

export const zhDate = (d: string) =>
  `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

export async function unitNames(ctx: Pick<Ctx, 'db'>): Promise<Map<string, string>> {
  const units = await ctx.db.selectFrom('units').select(['id', 'name']).execute();
  return new Map(units.map((u) => [u.id, u.name]));
}

export function summarize(
  t: TaskRow,
  names: Map<string, string>,
  settings: SupervisionSettings,
  nowMs: number,
): TaskSummary {
  const due = nextReportDue({
    state: t.state,
    cadence: t.cadence as Cadence,
    acceptedAt: t.accepted_at,
    lastReportAt: t.last_report_at,
  });
  return {
    id: t.id,
    parentId: t.parent_id,
    title: t.title,
    sourceKind: t.source_kind,
    unitId: t.unit_id,
    unitName: names.get(t.unit_id) ?? '',
    issuerName: t.issuer_name,
    deadline: t.deadline,
    requestedDeadline: t.requested_deadline,
    urgency: t.urgency as TaskSummary['urgency'],
    state: t.state as TaskState,
    light: taskLight(t, nowMs, settings),
    daysLeft: daysLeft(t, nowMs),
    overdueDays: overdueDays({ ...t, closedAt: t.closed_at }, nowMs),
    returns: t.returns,
    escalated: t.escalated_at !== null,
    reportMissing: reportMissing(due, nowMs, settings.reportGraceDays),
    visitId: t.visit_id,
    projectId: t.project_id,
    createdAt: t.created_at,
    closedAt: t.closed_at,
  };
}

/** Who may read a task: the office, leaders and observers all; a reporter its own unit's. */
function assertReads(user: UserActor, t: Pick<TaskRow, 'unit_id'>) {
  if (user.role === 'reporter' && user.unitId !== t.unit_id) throw new AppError('forbidden');
}

export async function loadTask(ctx: Pick<Ctx, 'db'>, id: string): Promise<TaskRow> {
  const t = await ctx.db.selectFrom('sv_tasks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!t) throw new AppError('not_found', { what: 'task' });
  return t;
}

async function reportersOf(ctx: Pick<Ctx, 'db'>, unitId: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('unit_id', '=', unitId)
    .where('role', '=', 'reporter')
    .where('disabled', '=', 0)
    .execute();
  return rows.map((r) => r.id);
}

export interface TaskNoticeInput {
  kind: NoticeKind;
  causeKey: string;
  audiences: Audience[];
  mention: string[];
  vars?: Record<string, string | number>;
}

/** Queues a notice about a task, in zh-CN (the groups' language), inside the caller's transaction. */
export async function queueTaskNotice(
  ctx: Ctx,
  t: TaskRow,
  unitName: string,
  n: TaskNoticeInput,
): Promise<boolean> {
  const t_ = translator('zh-CN');
  // People's words go in as plain text: no link, mention or tag of theirs reaches a group.
  const facts = t_(
    'supervision:notice.facts',
    plainVars({ unit: unitName, deadline: zhDate(t.deadline), issuer: t.issuer_name }),
  );
  const vars = {
    ...plainVars({
      title: t.title,
      standard: t.standard,
      state: t_(`supervision:state.${t.state}`),
      ...n.vars,
    }),
    facts,
  };
  return enqueueNotice(ctx, {
    causeKey: n.causeKey,
    kind: n.kind,
    unitId: t.unit_id,
    audiences: n.audiences,
    title: t_(`supervision:notice.${n.kind}.title`, vars),
    markdown: t_(`supervision:notice.${n.kind}.body`, vars),
    linkPath: `/supervision/tasks/${t.id}`,
    mentionUserIds: n.mention,
  });
}

// ---------- create ----------

export async function createTask(ctx: Ctx, input: TaskBody): Promise<TaskDetail> {
  const user = requireOrganizer(ctx.actor);
  const names = await unitNames(ctx);
  for (const u of [input.unitId, ...input.coUnitIds])
    if (!names.has(u)) throw new AppError('not_found', { what: 'unit' });
  let issuerName = translator('zh-CN')('supervision:office');
  if (input.issuerUserId) {
    const leader = await ctx.db
      .selectFrom('users')
      .select(['id', 'display_name', 'role'])
      .where('id', '=', input.issuerUserId)
      .executeTakeFirst();
    if (leader?.role !== 'leader') throw new AppError('not_found', { what: 'leader' });
    issuerName = leader.display_name;
  }
  let visitId: string | null = null;
  let sourceText = input.sourceText;
  if (input.instructionId) {
    const ins = await ctx.db
      .selectFrom('sv_instructions')
      .select(['visit_id', 'text', 'project_id'])
      .where('id', '=', input.instructionId)
      .executeTakeFirst();
    if (!ins) throw new AppError('not_found', { what: 'instruction' });
    visitId = ins.visit_id;
    sourceText = sourceText || ins.text;
  }
  if (input.projectId) {
    const p = await ctx.db
      .selectFrom('lp_projects')
      .select('id')
      .where('id', '=', input.projectId)
      .executeTakeFirst();
    if (!p) throw new AppError('not_found', { what: 'project' });
  }
  const now = nowIso(ctx);
  const id = newId();
  const base = {
    source_kind: input.sourceKind,
    source_id: input.instructionId,
    source_text: sourceText,
    visit_id: visitId,
    project_id: input.projectId,
    title: input.title,
    standard: input.standard,
    issuer_user_id: input.issuerUserId,
    issuer_name: issuerName,
    deadline: input.deadline,
    urgency: input.urgency,
    cadence: input.cadence,
    state: 'issued',
    requested_deadline: null,
    accepted_at: null,
    last_report_at: null,
    escalated_at: null,
    closed_at: null,
    created_by: user.userId,
    created_at: now,
    updated_at: now,
  };
  const rows = [
    { ...base, id, parent_id: null, unit_id: input.unitId },
    ...[...new Set(input.coUnitIds)]
      .filter((u) => u !== input.unitId)
      .map((unitId) => ({ ...base, id: newId(), parent_id: id, unit_id: unitId })),
  ];
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    await trx.insertInto('sv_tasks').values(rows).execute();
    for (const r of rows) {
      const stepId = newId();
      await trx
        .insertInto('sv_task_steps')
        .values({
          id: stepId,
          task_id: r.id,
          seq: 1,
          action: 'issue',
          from_state: null,
          to_state: 'issued',
          actor_id: user.userId,
          actor_name: actorName(user),
          opinion: '',
          photo_ids: '[]',
          deadline_before: null,
          deadline_after: r.deadline,
          client_key: null,
          created_at: now,
        })
        .execute();
      await queueTaskNotice(tctx, { ...r, returns: 0 }, names.get(r.unit_id) ?? '', {
        kind: 'task_issued',
        causeKey: `task:${r.id}:issued`,
        audiences: ['unit'],
        mention: await reportersOf(tctx, r.unit_id),
      });
    }
    await audit(tctx, { action: 'task.issued', target: input.title, after: input });
  });
  return getTask(ctx, id);
}

// ---------- read ----------

export async function listTasks(
  ctx: Ctx,
  q: {
    state?: string | undefined;
    unitId?: string | undefined;
    light?: string | undefined;
    visitId?: string | undefined;
    q?: string | undefined;
    limit: number;
  },
): Promise<TaskSummary[]> {
  const user = requireUser(ctx.actor);
  let query = ctx.db
    .selectFrom('sv_tasks')
    .selectAll()
    .orderBy('deadline')
    .orderBy('created_at')
    .orderBy('id');
  if (user.role === 'reporter') query = query.where('unit_id', '=', user.unitId ?? '');
  if (q.state) query = query.where('state', '=', q.state);
  if (q.unitId) query = query.where('unit_id', '=', q.unitId);
  if (q.visitId) query = query.where('visit_id', '=', q.visitId);
  if (q.q) query = query.where('title', 'like', `%${q.q.replace(/[%_]/g, '')}%`);
  const [rows, names, settings] = await Promise.all([query.execute(), unitNames(ctx), loadSettings(ctx)]);
  const nowMs = ctx.now.getTime();
  const all = rows.map((r) => summarize(r, names, settings, nowMs));
  const lit = q.light ? all.filter((t) => t.light === q.light) : all;
  return lit.slice(0, q.limit);
}

function partiesOf(user: UserActor, t: TaskRow): TaskParty[] {
  return taskParties(
    { role: user.role, userId: user.userId, unitId: user.unitId },
    { unitId: t.unit_id, issuerUserId: t.issuer_user_id },
  );
}

export async function getTask(ctx: Ctx, id: string): Promise<TaskDetail> {
  const user = requireUser(ctx.actor);
  const t = await loadTask(ctx, id);
  assertReads(user, t);
  const [names, settings, steps, subtasks, photos] = await Promise.all([
    unitNames(ctx),
    loadSettings(ctx),
    ctx.db
      .selectFrom('sv_task_steps')
      .selectAll()
      .where('task_id', '=', id)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    ctx.db.selectFrom('sv_tasks').selectAll().where('parent_id', '=', id).orderBy('created_at').execute(),
    photosOf(ctx, 'task', [id], t.created_at),
  ]);
  const nowMs = ctx.now.getTime();
  return {
    ...summarize(t, names, settings, nowMs),
    standard: t.standard,
    sourceText: t.source_text,
    cadence: t.cadence as Cadence,
    nextReportDue: nextReportDue({
      state: t.state,
      cadence: t.cadence as Cadence,
      acceptedAt: t.accepted_at,
      lastReportAt: t.last_report_at,
    }),
    actions: taskActionsFor(t.state as TaskState, partiesOf(user, t)),
    steps: steps.map((s) => ({
      id: s.id,
      action: s.action,
      fromState: s.from_state,
      toState: s.to_state,
      actorName: s.actor_name,
      opinion: s.opinion,
      photoIds: JSON.parse(s.photo_ids) as string[],
      deadlineBefore: s.deadline_before,
      deadlineAfter: s.deadline_after,
      createdAt: s.created_at,
    })),
    photos,
    subtasks: subtasks.map((s) => summarize(s, names, settings, nowMs)),
  };
}

// ---------- steps ----------

const refusalError = (refusal: string, t: TaskRow, openSubtasks: number): AppError => {
  switch (refusal) {
    case 'party':
      return new AppError('forbidden');
    case 'reason':
      return new AppError('reason_required', {}, { field: 'opinion' });
    case 'extension_date':
      return new AppError('extension_date_invalid', { deadline: t.deadline }, { field: 'newDeadline' });
    case 'subtasks_open':
      return new AppError('subtasks_open', { count: openSubtasks });
    default:
      return new AppError('task_state_conflict', {
        state: translator('zh-CN')(`supervision:state.${t.state}`),
      });
  }
};

/** Which notice a step sends, to whom. */
function stepNotice(
  action: TaskAction,
  t: TaskRow,
  reporters: string[],
): Omit<TaskNoticeInput, 'causeKey' | 'vars'> | null {
  const issuer = t.issuer_user_id ? [t.issuer_user_id] : [];
  switch (action) {
    case 'submit':
      return { kind: 'task_submitted', audiences: ['office'], mention: issuer };
    case 'return':
      return { kind: 'task_returned', audiences: ['unit'], mention: reporters };
    case 'verify':
      return { kind: 'task_verified', audiences: ['unit'], mention: reporters };
    case 'request_extension':
      return { kind: 'extension_requested', audiences: ['office'], mention: issuer };
    case 'approve_extension':
    case 'refuse_extension':
      return { kind: 'extension_decided', audiences: ['unit'], mention: reporters };
    default:
      return null;
  }
}

/** Whether a step with this client key was taken on the task (a retried request). */
async function alreadyTaken(ctx: Ctx, taskId: string, clientKey: string | null): Promise<boolean> {
  if (!clientKey) return false;
  const done = await ctx.db
    .selectFrom('sv_task_steps')
    .select('id')
    .where('task_id', '=', taskId)
    .where('client_key', '=', clientKey)
    .executeTakeFirst();
  return done !== undefined;
}

export async function stepTask(ctx: Ctx, id: string, input: StepBody): Promise<TaskDetail> {
  const user = requireUser(ctx.actor);
  const t = await loadTask(ctx, id);
  assertReads(user, t);
  if (await alreadyTaken(ctx, id, input.clientKey)) return getTask(ctx, id);
  const openSubtasks = Number(
    (
      await ctx.db
        .selectFrom('sv_tasks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('parent_id', '=', id)
        .where('state', '!=', 'closed')
        .executeTakeFirstOrThrow()
    ).n,
  );
  const decision = decideTaskStep(
    { state: t.state as TaskState, deadline: t.deadline, openSubtasks },
    partiesOf(user, t),
    { action: input.action, opinion: input.opinion, newDeadline: input.newDeadline },
  );
  if (!decision.ok) throw refusalError(decision.refusal, t, openSubtasks);
  if (input.photoIds.length > 0) {
    const mine = await ctx.db
      .selectFrom('sv_photos')
      .select('id')
      .where('id', 'in', input.photoIds)
      .where('owner_kind', '=', 'task')
      .where('owner_id', '=', id)
      .execute();
    if (mine.length !== new Set(input.photoIds).size) throw new AppError('photo_not_yours');
  }
  const now = nowIso(ctx);
  const patch: Partial<TaskRow> = { state: decision.to, updated_at: now };
  let deadlineAfter: string | null = null;
  if (input.action === 'accept') patch.accepted_at = now;
  if (input.action === 'report_progress' || input.action === 'submit') patch.last_report_at = now;
  if (input.action === 'verify') patch.closed_at = now;
  if (input.action === 'return') patch.returns = t.returns + 1;
  if (input.action === 'request_extension') patch.requested_deadline = input.newDeadline;
  if (input.action === 'approve_extension' && t.requested_deadline) {
    patch.deadline = t.requested_deadline;
    deadlineAfter = t.requested_deadline;
    // A new deadline is a new clock: its own lights, reminders and escalation.
    patch.escalated_at = null;
  }
  if (input.action === 'approve_extension' || input.action === 'refuse_extension')
    patch.requested_deadline = null;
  const stepId = newId();
  const to = decision.to;
  const names = await unitNames(ctx);
  try {
    await takeStep();
  } catch (e) {
    // The same request twice at once: the second meets the first's client key and answers as it would.
    if (await alreadyTaken(ctx, id, input.clientKey)) return getTask(ctx, id);
    throw e;
  }
  return getTask(ctx, id);

  async function takeStep() {
    await ctx.db.transaction().execute(async (trx) => {
      const tctx = { ...ctx, db: trx };
      // Only from the state we decided on: of two concurrent steps, the second finds it changed.
      const res = await trx
        .updateTable('sv_tasks')
        .set(patch)
        .where('id', '=', id)
        .where('state', '=', t.state)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw new AppError('task_state_conflict', { state: '' });
      // The task's row was just updated under its state check: no other step of it runs until commit.
      const last = await trx
        .selectFrom('sv_task_steps')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('task_id', '=', id)
        .executeTakeFirst();
      await trx
        .insertInto('sv_task_steps')
        .values({
          id: stepId,
          task_id: id,
          seq: Number(last?.seq ?? 0) + 1,
          action: input.action,
          from_state: t.state,
          to_state: to,
          actor_id: user.userId,
          actor_name: actorName(user),
          opinion: input.opinion,
          photo_ids: JSON.stringify(input.photoIds),
          deadline_before: t.deadline,
          deadline_after: deadlineAfter ?? (input.action === 'request_extension' ? input.newDeadline : null),
          client_key: input.clientKey,
          created_at: now,
        })
        .execute();
      const notice = stepNotice(input.action, t, await reportersOf(tctx, t.unit_id));
      if (notice) {
        const t_ = translator('zh-CN');
        await queueTaskNotice(tctx, { ...t, ...patch } as TaskRow, names.get(t.unit_id) ?? '', {
          ...notice,
          causeKey: `task:${id}:step:${stepId}`,
          vars: {
            opinion: input.opinion || '—',
            newDeadline: input.newDeadline ? zhDate(input.newDeadline) : '',
            decision: t_(
              `supervision:notice.${input.action === 'approve_extension' ? 'approved' : 'refused'}`,
            ),
          },
        });
      }
      await audit(tctx, { action: `task.${input.action}`, target: t.title, reason: input.opinion || null });
    });
  }
}

/** The unit's handler adds evidence to a task it is answering (before it submits). */
export async function uploadTaskPhoto(
  ctx: Ctx,
  id: string,
  body: unknown,
  pair: 'before' | 'after' | null,
): Promise<EvidencePhoto> {
  const user = requireUser(ctx.actor);
  const t = await loadTask(ctx, id);
  assertReads(user, t);
  if (!partiesOf(user, t).includes('handler')) throw new AppError('forbidden');
  if (t.state === 'closed' || t.state === 'submitted')
    throw new AppError('task_state_conflict', { state: translator('zh-CN')(`supervision:state.${t.state}`) });
  return storeEvidencePhoto(
    ctx,
    { kind: 'task', id, unitId: t.unit_id, startedAt: t.created_at },
    body,
    pair,
  );
}
