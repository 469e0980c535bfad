// Supervision visits (督查): who led them, where they went, what they found, and the instructions
// given on site, each of which the office turns into follow-up tasks. The briefing page of a visit
// reads everything back with the tasks' states.
import { requireOrganizer, requireUser } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { dateOfDay, dayOf } from './domain/deadlines.ts';
import { projectStates } from './projects.ts';
import type { VisitBody, VisitDetail } from './schemas.ts';
import { loadSettings } from './settings.ts';
import { summarize, unitNames } from './tasks.ts';

export async function createVisit(ctx: Ctx, input: VisitBody): Promise<VisitDetail> {
  const user = requireOrganizer(ctx.actor);
  if (input.leaderUserId) {
    const leader = await ctx.db
      .selectFrom('users')
      .select('role')
      .where('id', '=', input.leaderUserId)
      .executeTakeFirst();
    if (leader?.role !== 'leader') throw new AppError('not_found', { what: 'leader' });
  }
  const projectIds = [
    ...new Set([
      ...input.projectIds,
      ...input.instructions.flatMap((i) => (i.projectId ? [i.projectId] : [])),
    ]),
  ];
  if (projectIds.length > 0) {
    const found = await ctx.db.selectFrom('lp_projects').select('id').where('id', 'in', projectIds).execute();
    if (found.length !== projectIds.length) throw new AppError('not_found', { what: 'project' });
  }
  const id = newId();
  const now = nowIso(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sv_visits')
      .values({
        id,
        title: input.title,
        visit_date: input.visitDate,
        leader_user_id: input.leaderUserId,
        leader_name: input.leaderName,
        companions: input.companions,
        project_ids: JSON.stringify(input.projectIds),
        sites: input.sites,
        findings: input.findings,
        created_by: user.userId,
        created_at: now,
      })
      .execute();
    if (input.instructions.length > 0)
      await trx
        .insertInto('sv_instructions')
        .values(
          input.instructions.map((i, sort) => ({
            id: newId(),
            visit_id: id,
            sort,
            text: i.text,
            project_id: i.projectId,
            created_at: now,
          })),
        )
        .execute();
    await audit({ ...ctx, db: trx }, { action: 'visit.recorded', target: input.title, after: input });
  });
  return getVisit(ctx, id);
}

export async function listVisits(ctx: Ctx) {
  requireUser(ctx.actor);
  const user = requireUser(ctx.actor);
  const [visits, instructions, tasks] = await Promise.all([
    ctx.db
      .selectFrom('sv_visits')
      .selectAll()
      .orderBy('visit_date', 'desc')
      .orderBy('created_at', 'desc')
      .execute(),
    ctx.db.selectFrom('sv_instructions').select(['visit_id']).execute(),
    ctx.db
      .selectFrom('sv_tasks')
      .select(['visit_id', 'state', 'deadline', 'unit_id'])
      .where('visit_id', 'is not', null)
      .where('parent_id', 'is', null)
      .execute(),
  ]);
  const today = dateOfDay(dayOf(ctx.now.getTime()));
  return (
    visits
      .map((v) => {
        const mine = tasks.filter((t) => t.visit_id === v.id);
        return {
          id: v.id,
          title: v.title,
          visitDate: v.visit_date,
          leaderName: v.leader_name,
          instructions: instructions.filter((i) => i.visit_id === v.id).length,
          tasks: mine.length,
          openTasks: mine.filter((t) => t.state !== 'closed').length,
          overdueTasks: mine.filter((t) => t.state !== 'closed' && t.deadline < today).length,
          unitIds: mine.map((t) => t.unit_id),
        };
      })
      // A reporter sees the visits that gave its unit work; everyone else all of them.
      .filter((v) => user.role !== 'reporter' || v.unitIds.includes(user.unitId ?? ''))
      .map(({ unitIds: _u, ...v }) => v)
  );
}

export async function getVisit(ctx: Ctx, id: string): Promise<VisitDetail> {
  const user = requireUser(ctx.actor);
  const v = await ctx.db.selectFrom('sv_visits').selectAll().where('id', '=', id).executeTakeFirst();
  if (!v) throw new AppError('not_found', { what: 'visit' });
  const [instructions, tasks, names, settings] = await Promise.all([
    ctx.db.selectFrom('sv_instructions').selectAll().where('visit_id', '=', id).orderBy('sort').execute(),
    ctx.db.selectFrom('sv_tasks').selectAll().where('visit_id', '=', id).orderBy('created_at').execute(),
    unitNames(ctx),
    loadSettings(ctx),
  ]);
  if (user.role === 'reporter' && !tasks.some((t) => t.unit_id === user.unitId))
    throw new AppError('forbidden');
  const projectIds = [
    ...new Set([
      ...(JSON.parse(v.project_ids) as string[]),
      ...instructions.flatMap((i) => (i.project_id ? [i.project_id] : [])),
    ]),
  ];
  const projects = await projectStates(ctx, projectIds, settings);
  const nowMs = ctx.now.getTime();
  const visible = (unitId: string) => user.role !== 'reporter' || unitId === user.unitId;
  return {
    id: v.id,
    title: v.title,
    visitDate: v.visit_date,
    leaderUserId: v.leader_user_id,
    leaderName: v.leader_name,
    companions: v.companions,
    sites: v.sites,
    findings: v.findings,
    projects,
    instructions: instructions.map((i) => ({
      id: i.id,
      text: i.text,
      projectId: i.project_id,
      tasks: tasks
        .filter((t) => t.source_id === i.id && t.parent_id === null && visible(t.unit_id))
        .map((t) => summarize(t, names, settings, nowMs)),
    })),
  };
}
