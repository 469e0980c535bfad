// The inbox: what this user must act on now, most urgent first (red before yellow before green, then
// urgency, then deadline). Computed from the work's states, so it cannot drift from them.
import { requireUser } from '../../kernel/actor.ts';
import type { Ctx } from '../../platform/context.ts';
import { returnedReportsOf } from '../reports/index.ts';
import type { InboxItem } from './schemas.ts';
import { loadSettings } from './settings.ts';
import { summarize, unitNames } from './tasks.ts';

const lightRank = { red: 0, yellow: 1, green: 2, closed: 3 } as const;
const urgencyRank = { critical: 0, urgent: 1, normal: 2 } as const;

export async function inbox(ctx: Ctx): Promise<{ items: InboxItem[]; count: number }> {
  const user = requireUser(ctx.actor);
  const [names, settings] = await Promise.all([unitNames(ctx), loadSettings(ctx)]);
  const nowMs = ctx.now.getTime();
  const items: InboxItem[] = [];
  let tasks = ctx.db.selectFrom('sv_tasks').selectAll();
  if (user.role === 'reporter') {
    tasks = tasks
      .where('unit_id', '=', user.unitId ?? '')
      .where('state', 'in', ['issued', 'accepted', 'in_progress']);
  } else if (user.role === 'organizer') {
    tasks = tasks.where('state', 'in', ['submitted', 'extension_requested']);
  } else if (user.role === 'leader') {
    tasks = tasks
      .where('issuer_user_id', '=', user.userId)
      .where('state', 'in', ['submitted', 'extension_requested']);
  } else {
    return { items: [], count: 0 };
  }
  for (const t of await tasks.execute()) {
    const s = summarize(t, names, settings, nowMs);
    const kind: InboxItem['kind'] =
      t.state === 'issued'
        ? 'task_accept'
        : t.state === 'submitted'
          ? 'task_verify'
          : t.state === 'extension_requested'
            ? 'extension_decide'
            : t.returns > 0
              ? 'task_returned'
              : 'task_answer';
    items.push({
      kind,
      id: t.id,
      title: t.title,
      unitName: s.unitName,
      deadline: t.deadline,
      light: s.light,
      urgency: s.urgency,
      link: `/supervision/tasks/${t.id}`,
      since: t.updated_at,
    });
  }
  // Project updates: the office acknowledges submitted ones; a unit reworks returned ones.
  let updates = ctx.db
    .selectFrom('lp_updates as u')
    .innerJoin('lp_projects as p', 'p.id', 'u.project_id')
    .select(['u.id', 'u.project_id', 'u.status', 'u.unit_id', 'u.created_at', 'p.name', 'p.deadline']);
  if (user.role === 'organizer') updates = updates.where('u.status', '=', 'submitted');
  else if (user.role === 'reporter')
    updates = updates.where('u.status', '=', 'returned').where('u.unit_id', '=', user.unitId ?? '');
  else updates = updates.where('u.id', '=', '');
  const pending = await updates.execute();
  // A returned update is done with once the unit has sent a newer one for that project.
  const latest = new Map<string, string>();
  if (user.role === 'reporter' && pending.length > 0) {
    const newer = await ctx.db
      .selectFrom('lp_updates')
      .select(['project_id', (eb) => eb.fn.max('created_at').as('at')])
      .where('unit_id', '=', user.unitId ?? '')
      .groupBy('project_id')
      .execute();
    for (const n of newer) latest.set(n.project_id, String(n.at));
  }
  for (const u of pending) {
    if (u.status === 'returned' && (latest.get(u.project_id) ?? '') > u.created_at) continue;
    items.push({
      kind: u.status === 'submitted' ? 'update_acknowledge' : 'update_returned',
      id: u.id,
      title: u.name,
      unitName: names.get(u.unit_id) ?? '',
      deadline: null,
      light: null,
      urgency: 'normal',
      link: `/supervision/projects/${u.project_id}`,
      since: u.created_at,
    });
  }
  if (user.role === 'reporter' && user.unitId) {
    for (const r of await returnedReportsOf(ctx, user.unitId)) {
      items.push({
        kind: 'report_returned',
        id: r.eventId,
        title: r.eventTitle,
        unitName: names.get(user.unitId) ?? '',
        deadline: r.deadline,
        light: null,
        urgency: 'normal',
        link: `/events/${r.eventId}/report`,
        since: r.updatedAt,
      });
    }
  }
  items.sort(
    (a, b) =>
      lightRank[a.light ?? 'green'] - lightRank[b.light ?? 'green'] ||
      urgencyRank[a.urgency] - urgencyRank[b.urgency] ||
      (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999') ||
      a.since.localeCompare(b.since),
  );
  return { items, count: items.length };
}
