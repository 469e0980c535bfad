// The rules the clock drives: a task due soon (yellow), overdue (red), overdue long enough to escalate
// to the office and the issuing leader, a periodic progress report missing, a project's update
// missing. Each tick claims its window once per cluster (platform/scheduled.ts), and each notice has
// the key of its cause (the task and its deadline, the report's due date), so a rule that runs again,
// or on another process, tells nobody twice.
import type { Ctx } from '../../platform/context.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { runOncePerCluster } from '../../platform/scheduled.ts';
import { plainVars } from '../notifications/domain/notices.ts';
import { enqueueNotice } from '../notifications/index.ts';
import {
  type Cadence,
  daysLeft,
  nextReportDue,
  reportMissing,
  shouldEscalate,
  taskLight,
} from './domain/deadlines.ts';
import { listProjects } from './projects.ts';
import { loadSettings } from './settings.ts';
import { queueTaskNotice, unitNames, zhDate } from './tasks.ts';

/** Rules run at most once per window of this length across the cluster. */
export const RULE_WINDOW_MS = 60_000;

export interface RuleRun {
  dueSoon: number;
  overdue: number;
  escalated: number;
  reportsMissing: number;
  updatesMissing: number;
}

/** Applies the rules at ctx.now to every open task and project; counts the notices queued. */
export async function applyTimeRules(ctx: Ctx): Promise<RuleRun> {
  const run: RuleRun = { dueSoon: 0, overdue: 0, escalated: 0, reportsMissing: 0, updatesMissing: 0 };
  const [settings, names] = await Promise.all([loadSettings(ctx), unitNames(ctx)]);
  const nowMs = ctx.now.getTime();
  const organizers = (
    await ctx.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'organizer')
      .where('disabled', '=', 0)
      .execute()
  ).map((u) => u.id);
  const tasks = await ctx.db.selectFrom('sv_tasks').selectAll().where('state', '!=', 'closed').execute();
  const reporters = new Map<string, string[]>();
  for (const r of await ctx.db
    .selectFrom('users')
    .select(['id', 'unit_id'])
    .where('role', '=', 'reporter')
    .where('disabled', '=', 0)
    .execute())
    if (r.unit_id) reporters.set(r.unit_id, [...(reporters.get(r.unit_id) ?? []), r.id]);
  for (const t of tasks) {
    const unit = names.get(t.unit_id) ?? '';
    const mention = reporters.get(t.unit_id) ?? [];
    const light = taskLight(t, nowMs, settings);
    // Answered tasks wait for the issuer, not the unit: no chasing of the unit then.
    const chasing = t.state !== 'submitted';
    if (chasing && light === 'yellow') {
      const queued = await queueTaskNotice(ctx, t, unit, {
        kind: 'task_due_soon',
        causeKey: `task:${t.id}:due_soon:${t.deadline}`,
        audiences: ['unit'],
        mention,
        vars: { days: daysLeft(t, nowMs) },
      });
      if (queued) run.dueSoon++;
    }
    if (chasing && light === 'red') {
      const queued = await queueTaskNotice(ctx, t, unit, {
        kind: 'task_overdue',
        causeKey: `task:${t.id}:overdue:${t.deadline}`,
        audiences: ['unit'],
        mention,
      });
      if (queued) run.overdue++;
    }
    if (chasing && shouldEscalate({ ...t, escalatedAt: t.escalated_at }, nowMs, settings)) {
      const marked = await ctx.db
        .updateTable('sv_tasks')
        .set({ escalated_at: ctx.now.toISOString() })
        .where('id', '=', t.id)
        .where('escalated_at', 'is', null)
        .executeTakeFirst();
      if (Number(marked.numUpdatedRows) > 0) {
        await queueTaskNotice(ctx, t, unit, {
          kind: 'task_escalated',
          causeKey: `task:${t.id}:escalated:${t.deadline}`,
          audiences: ['unit', 'office', 'leaders'],
          mention: [...organizers, ...(t.issuer_user_id ? [t.issuer_user_id] : [])],
          vars: { days: -daysLeft(t, nowMs) },
        });
        run.escalated++;
      }
    }
    const due = nextReportDue({
      state: t.state,
      cadence: t.cadence as Cadence,
      acceptedAt: t.accepted_at,
      lastReportAt: t.last_report_at,
    });
    if (due && reportMissing(due, nowMs, settings.reportGraceDays)) {
      const queued = await queueTaskNotice(ctx, t, unit, {
        kind: 'task_report_missing',
        causeKey: `task:${t.id}:report_missing:${due}`,
        audiences: ['unit'],
        mention,
        vars: { due: zhDate(due) },
      });
      if (queued) run.reportsMissing++;
    }
  }
  const t_ = translator('zh-CN');
  const projects = await ctx.db
    .selectFrom('lp_projects')
    .select(['id', 'last_update_at', 'report_interval'])
    .execute();
  const byId = new Map(projects.map((p) => [p.id, p]));
  // The rules read every project as the office would.
  const office = {
    kind: 'user',
    userId: 'system',
    name: 'system',
    role: 'organizer',
    unitId: null,
    mustChangePassword: false,
  } as const;
  for (const p of await listProjects({ ...ctx, actor: office })) {
    if (!p.updateMissing) continue;
    const last = byId.get(p.id)?.last_update_at ?? null;
    const queued = await enqueueNotice(ctx, {
      // Once per missed interval: the key names the last update the unit made (or none).
      causeKey: `project:${p.id}:update_missing:${last ?? 'never'}`,
      kind: 'project_update_missing',
      unitId: p.leadUnitId,
      audiences: ['unit'],
      title: t_('supervision:notice.project_update_missing.title', plainVars({ name: p.name })),
      markdown: t_('supervision:notice.project_update_missing.body', {
        ...plainVars({ name: p.name, unit: p.leadUnitName }),
        interval: t_(`supervision:interval.${byId.get(p.id)?.report_interval ?? 'monthly'}`),
        last: last ? zhDate(last.slice(0, 10)) : t_('supervision:never'),
      }),
      linkPath: `/supervision/projects/${p.id}`,
      mentionUserIds: reporters.get(p.leadUnitId) ?? [],
    });
    if (queued) run.updatesMissing++;
  }
  return run;
}

/** One tick of the cluster: runs the rules if no process has run this window yet. */
export async function tickTimeRules(ctx: Ctx): Promise<RuleRun | null> {
  const windowKey = new Date(Math.floor(ctx.now.getTime() / RULE_WINDOW_MS) * RULE_WINDOW_MS).toISOString();
  let result: RuleRun | null = null;
  await runOncePerCluster(ctx.db, 'supervision.time-rules', windowKey, ctx.now.toISOString(), async (trx) => {
    result = await applyTimeRules({ ...ctx, db: trx });
  });
  return result;
}
