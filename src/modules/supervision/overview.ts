// The supervision dashboard (projects by level and status, tasks by state, light and unit, overdue
// first), the bulletin of a period (督查通报: each unit's tasks, on-time closure, returns, overdue days
// and handling score; the overdue and returned lists) as data, A4 page and Excel, and the two lists
// people keep in Excel today: the 工作清单 (projects) and the 责任清单 (tasks).
import { requireUser } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { writeWorkbook } from '../../platform/excel.ts';
import { escapeHtml, renderA4Page } from '../../platform/http/print.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { dateOfDay, dayOf, dayOfDate, taskLight } from './domain/deadlines.ts';
import { handlingScore } from './domain/handling.ts';
import { listProjects } from './projects.ts';
import type { BulletinView, TaskSummary } from './schemas.ts';
import { loadSettings } from './settings.ts';
import { listTasks, summarize, unitNames } from './tasks.ts';

/** Leaders, observers and the office: everyone but the units, who see their own work elsewhere. */
const requireOverviewReader = (ctx: Ctx) => requireUser(ctx.actor, 'organizer', 'leader', 'observer');

export async function dashboard(ctx: Ctx) {
  requireOverviewReader(ctx);
  const nowMs = ctx.now.getTime();
  const today = dateOfDay(dayOf(nowMs));
  // Counts from three narrow columns of every task (the light needs only the state and the deadline);
  // whole rows only for the overdue list, which is capped.
  const [projects, narrow, late, names, settings] = await Promise.all([
    listProjects(ctx),
    ctx.db.selectFrom('sv_tasks').select(['unit_id', 'state', 'deadline']).execute(),
    ctx.db
      .selectFrom('sv_tasks')
      .selectAll()
      .where('state', '!=', 'closed')
      .where('deadline', '<', today)
      .orderBy('deadline')
      .orderBy('id')
      .limit(50)
      .execute(),
    unitNames(ctx),
    loadSettings(ctx),
  ]);
  const count = <T>(xs: T[], key: (x: T) => string) => {
    const out: Record<string, number> = {};
    for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
    return out;
  };
  const levels = new Map<string, number>();
  for (const p of projects)
    levels.set(`${p.level}|${p.status}`, (levels.get(`${p.level}|${p.status}`) ?? 0) + 1);
  const lit = narrow.map((t) => ({ ...t, light: taskLight(t, nowMs, settings) }));
  const byUnit = new Map<
    string,
    { unitId: string; unitName: string; total: number; open: number; overdue: number; closed: number }
  >();
  for (const t of lit) {
    const u = byUnit.get(t.unit_id) ?? {
      unitId: t.unit_id,
      unitName: names.get(t.unit_id) ?? '',
      total: 0,
      open: 0,
      overdue: 0,
      closed: 0,
    };
    u.total++;
    if (t.state === 'closed') u.closed++;
    else u.open++;
    if (t.light === 'red') u.overdue++;
    byUnit.set(t.unit_id, u);
  }
  return {
    projects: {
      byStatus: count(projects, (p) => p.status),
      byLevel: [...levels].map(([k, n]) => {
        const [level = '', status = ''] = k.split('|');
        return { level, status, count: n };
      }),
    },
    tasks: {
      byState: count(lit, (t) => t.state),
      byLight: count(lit, (t) => t.light),
      byUnit: [...byUnit.values()].sort(
        (a, b) => b.overdue - a.overdue || b.open - a.open || a.unitName.localeCompare(b.unitName),
      ),
    },
    // The earliest deadlines are the most days overdue.
    overdue: late.map((t) => summarize(t, names, settings, nowMs)),
  };
}

export async function bulletin(ctx: Ctx, from: string, to: string): Promise<BulletinView> {
  requireOverviewReader(ctx);
  if (to < from) throw new AppError('validation_failed', { detail: 'to' });
  const [rows, names, settings] = await Promise.all([
    // The period's tasks: those due in it (what units were asked to finish by then).
    ctx.db
      .selectFrom('sv_tasks')
      .selectAll()
      .where('deadline', '>=', from)
      .where('deadline', '<=', to)
      .execute(),
    unitNames(ctx),
    loadSettings(ctx),
  ]);
  // Counted up to the period's end, or now if it has not ended.
  const endMs = Math.min(ctx.now.getTime(), Date.parse(`${to}T23:59:59+08:00`));
  const tasks = rows.map((r) => summarize(r, names, settings, endMs));
  const byUnit = new Map<string, TaskSummary[]>();
  for (const t of tasks) byUnit.set(t.unitId, [...(byUnit.get(t.unitId) ?? []), t]);
  const out = [...byUnit.entries()].map(([unitId, ts]) => {
    const handled = ts.map((t) => ({
      closedOnTime:
        t.state === 'closed' && t.closedAt !== null && dayOf(Date.parse(t.closedAt)) <= dayOfDate(t.deadline),
      returns: t.returns,
      overdueDays: t.overdueDays,
    }));
    const score = handlingScore(handled);
    return {
      unitId,
      unitName: names.get(unitId) ?? '',
      tasks: ts.length,
      closed: ts.filter((t) => t.state === 'closed').length,
      closedOnTime: handled.filter((h) => h.closedOnTime).length,
      onTimeRate: score.onTimeRate,
      overdueOpen: ts.filter((t) => t.state !== 'closed' && t.overdueDays > 0).length,
      returns: handled.reduce((s, h) => s + h.returns, 0),
      overdueDays: handled.reduce((s, h) => s + h.overdueDays, 0),
      score: score.score,
    };
  });
  out.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.unitName.localeCompare(b.unitName));
  return {
    from,
    to,
    rows: out,
    overdue: tasks
      .filter((t) => t.state !== 'closed' && t.overdueDays > 0)
      .sort((a, b) => b.overdueDays - a.overdueDays),
    returned: tasks.filter((t) => t.returns > 0),
  };
}

/** The bulletin's table, on paper and in Excel alike. */
const BULLETIN_COLUMNS = [
  'unit',
  'tasks',
  'closed',
  'closedOnTime',
  'onTimeRate',
  'overdueOpen',
  'returns',
  'overdueDays',
  'score',
] as const;

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

export async function bulletinPage(ctx: Ctx, from: string, to: string): Promise<string> {
  const b = await bulletin(ctx, from, to);
  const t = translator('zh-CN');
  const w = (k: string, o?: Record<string, unknown>) => t(`supervision:bulletin.${k}`, o);
  const e = escapeHtml;
  const head = BULLETIN_COLUMNS;
  const table = `<table class="grid"><thead><tr>${head.map((h) => `<th>${e(w(h))}</th>`).join('')}</tr></thead><tbody>${b.rows
    .map(
      (r) =>
        `<tr><td>${e(r.unitName)}</td>${[
          r.tasks,
          r.closed,
          r.closedOnTime,
          pct(r.onTimeRate),
          r.overdueOpen,
          r.returns,
          r.overdueDays,
          r.score ?? '—',
        ]
          .map((c) => `<td class="num">${e(String(c))}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</tbody></table><p class="small muted">${e(w('formula'))}</p>`;
  const list = (title: string, ts: TaskSummary[], extra: (x: TaskSummary) => string) =>
    `<h2>${e(title)}</h2>${
      ts.length === 0
        ? `<p class="muted">${e(w('none'))}</p>`
        : `<table class="grid"><tbody>${ts.map((x) => `<tr><td>${e(x.unitName)}</td><td>${e(x.title)}</td><td>${e(x.deadline)}</td><td class="num">${e(extra(x))}</td></tr>`).join('')}</tbody></table>`
    }`;
  return renderA4Page({
    title: w('title', { from, to }),
    bodyHtml: `${table}${list(w('overdueList'), b.overdue, (x) => `${x.overdueDays}`)}${list(w('returnedList'), b.returned, (x) => `${x.returns}`)}`,
    signatureLines: ['经办人', '审核人'],
    lang: 'zh-CN',
    printedAt: ctx.now,
  });
}

export async function bulletinWorkbook(ctx: Ctx, from: string, to: string): Promise<Buffer> {
  const b = await bulletin(ctx, from, to);
  const t = translator(ctx.locale);
  const w = (k: string) => t(`supervision:bulletin.${k}`);
  const l = (k: string) => t(`supervision:list.${k}`);
  return writeWorkbook([
    {
      name: t('supervision:bulletin.title', { from, to }).slice(0, 31),
      headers: BULLETIN_COLUMNS.map(w),
      rows: b.rows.map((r) => [
        r.unitName,
        r.tasks,
        r.closed,
        r.closedOnTime,
        r.onTimeRate,
        r.overdueOpen,
        r.returns,
        r.overdueDays,
        r.score,
      ]),
    },
    {
      name: w('overdueList'),
      headers: [l('leadUnit'), l('task'), l('deadline'), w('overdueDays')],
      rows: b.overdue.map((x) => [x.unitName, x.title, x.deadline, x.overdueDays]),
    },
  ]);
}

/** 工作清单 (projects) and 责任清单 (tasks) in one workbook, in the columns people use today. */
export async function listsWorkbook(ctx: Ctx): Promise<Buffer> {
  requireOverviewReader(ctx);
  const t = translator(ctx.locale);
  const l = (k: string) => t(`supervision:list.${k}`);
  const [projects, tasks, names] = await Promise.all([
    listProjects(ctx),
    listTasks(ctx, { limit: 1_000_000 }),
    unitNames(ctx),
  ]);
  const details = await ctx.db.selectFrom('lp_projects').select(['id', 'content', 'outputs']).execute();
  const tasksDetail = await ctx.db
    .selectFrom('sv_tasks')
    .select(['id', 'source_text', 'standard', 'parent_id', 'unit_id'])
    .execute();
  const detailOf = new Map(details.map((d) => [d.id, d]));
  const taskDetailOf = new Map(tasksDetail.map((d) => [d.id, d]));
  const coUnits = new Map<string, string[]>();
  for (const x of tasksDetail)
    if (x.parent_id)
      coUnits.set(x.parent_id, [...(coUnits.get(x.parent_id) ?? []), names.get(x.unit_id) ?? '']);
  const coUnitsOf = (id: string) => (coUnits.get(id) ?? []).join('、');
  const target = (id: string) =>
    (
      JSON.parse(detailOf.get(id)?.outputs ?? '[]') as {
        name: string;
        unit: string;
        target: number;
        actual: number;
      }[]
    )
      .map((o) => `${o.name} ${o.target}${o.unit}`)
      .join('；');
  return writeWorkbook([
    {
      name: l('work'),
      headers: [
        'project',
        'content',
        'target',
        'leadUnit',
        'coUnits',
        'contactLeader',
        'deadline',
        'progress',
        'status',
      ].map(l),
      widths: [30, 40, 30, 18, 24, 12, 12, 10, 10],
      rows: projects.map((p) => [
        p.name,
        detailOf.get(p.id)?.content ?? '',
        target(p.id),
        p.leadUnitName,
        p.coUnitNames.join('、'),
        p.contactLeader,
        p.deadline,
        `${Math.round(p.progress * 100)}%`,
        t(`supervision:projectStatus.${p.status}`),
      ]),
    },
    {
      name: l('responsibility'),
      headers: [
        'task',
        'source',
        'standard',
        'leadUnit',
        'coUnits',
        'issuer',
        'deadline',
        'status',
        'light',
      ].map(l),
      widths: [30, 30, 40, 18, 24, 12, 12, 12, 8],
      rows: tasks
        .filter((x) => x.parentId === null)
        .map((x) => {
          const d = taskDetailOf.get(x.id);
          return [
            x.title,
            d?.source_text ?? '',
            d?.standard ?? '',
            x.unitName,
            coUnitsOf(x.id),
            x.issuerName,
            x.deadline,
            t(`supervision:state.${x.state}`),
            t(`supervision:light.${x.light}`),
          ];
        }),
    },
  ]);
}
