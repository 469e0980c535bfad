// Livelihood projects and their milestones by Excel, one row per milestone (the project's columns
// repeated, as such lists are kept): 项目编号 is the stable key, so importing the same file again
// changes nothing and a changed file updates the projects it names. All or nothing, with every bad
// row's reason.
import { requireOrganizer } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import type { ImportRowError } from '../../kernel/schemas.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { readSheet } from '../../platform/excel.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { upsertProject } from './projects.ts';
import type { ProjectBody } from './schemas.ts';

const FIELDS = [
  'code',
  'name',
  'year',
  'level',
  'category',
  'content',
  'leadUnit',
  'coUnits',
  'contactLeader',
  'sites',
  'outputs',
  'startDate',
  'deadline',
  'interval',
  'milestone',
  'plannedDate',
  'weight',
  'evidence',
] as const;
const REQUIRED = new Set(['code', 'name', 'year', 'level', 'category', 'leadUnit', 'startDate', 'deadline']);
const PROJECT_FIELDS = FIELDS.filter((f) => !['milestone', 'plannedDate', 'weight', 'evidence'].includes(f));

function columns(): Record<string, string[]> {
  const zh = translator('zh-CN');
  const en = translator('en-US');
  return Object.fromEntries(
    FIELDS.map((k) => [k, [zh(`supervision:projectSheet.${k}`), en(`supervision:projectSheet.${k}`)]]),
  );
}

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
const split = (s: string) =>
  s
    .split(/[、,，;；\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** "开设课程 15 门；招收学员 1000 人" → outputs, or null when a part does not read so. */
export function parseOutputs(text: string): ProjectBody['outputs'] | null {
  const out: ProjectBody['outputs'] = [];
  for (const part of text
    .split(/[;；\n]/)
    .map((x) => x.trim())
    .filter(Boolean)) {
    const m = /^(.+?)\s*(\d+(?:\.\d+)?)\s*(\S{0,20})$/.exec(part);
    if (!m) return null;
    out.push({ name: m[1]!.trim().slice(0, 60), target: Number(m[2]), unit: m[3] ?? '', actual: 0 });
  }
  return out;
}

export async function importProjects(
  ctx: Ctx,
  file: Buffer,
): Promise<{ created: number; updated: number; unchanged: number }> {
  requireOrganizer(ctx.actor);
  const t = translator(ctx.locale);
  const col = (k: string) => t(`supervision:projectSheet.${k}`);
  const err = (k: string, o?: Record<string, unknown>) => t(`supervision:projectSheet.errors.${k}`, o);
  const { rows, missingColumns } = await readSheet(file, columns());
  const errors: ImportRowError[] = missingColumns
    .filter((m) => REQUIRED.has(m))
    .map((m) => ({
      row: 1,
      column: col(m),
      message: t('excel:rowErrors.missingColumn', { column: col(m) }),
    }));
  if (errors.length > 0) throw new AppError('import_failed', { count: errors.length }, { errors });

  const units = await ctx.db.selectFrom('units').select(['id', 'code', 'name', 'short_name']).execute();
  const unitOf = new Map<string, string>();
  for (const u of units) for (const k of [u.name, u.code, u.short_name]) if (k) unitOf.set(k, u.id);
  const levels = new Map<string, ProjectBody['level']>();
  for (const loc of ['zh-CN', 'en-US'] as const)
    for (const l of ['provincial', 'municipal', 'both'] as const)
      levels.set(translator(loc)(`supervision:projectSheet.levels.${l}`).toLowerCase(), l);
  const intervals: Record<string, ProjectBody['reportInterval']> = {
    每周: 'weekly',
    每月: 'monthly',
    weekly: 'weekly',
    monthly: 'monthly',
    '': 'monthly',
  };

  const projects = new Map<string, { body: ProjectBody; row: number; signature: string }>();
  for (const r of rows) {
    const c = (k: string) => (r.cells[k] ?? '').trim();
    const before = errors.length;
    const bad = (k: string, message: string) => errors.push({ row: r.row, column: col(k), message });
    for (const k of REQUIRED) if (!c(k)) bad(k, t('excel:rowErrors.required'));
    for (const [k, max] of [
      ['code', 40],
      ['name', 200],
      ['category', 60],
      ['content', 2000],
      ['contactLeader', 60],
      ['milestone', 200],
    ] as const)
      if (c(k).length > max) bad(k, err('tooLong', { max }));
    const year = Number(c('year'));
    if (c('year') && !(Number.isInteger(year) && year >= 2000 && year <= 2100)) bad('year', err('badYear'));
    const level = levels.get(c('level').toLowerCase());
    if (c('level') && !level) bad('level', err('badLevel'));
    const lead = unitOf.get(c('leadUnit'));
    if (c('leadUnit') && !lead) bad('leadUnit', err('unknownUnit', { unit: c('leadUnit') }));
    const coUnits: string[] = [];
    for (const name of split(c('coUnits'))) {
      const id = unitOf.get(name);
      if (id) coUnits.push(id);
      else bad('coUnits', err('unknownUnit', { unit: name }));
    }
    for (const k of ['startDate', 'deadline'] as const) if (c(k) && !isDate(c(k))) bad(k, err('badDate'));
    if (isDate(c('startDate')) && isDate(c('deadline')) && c('deadline') < c('startDate'))
      bad('deadline', err('deadlineBeforeStart'));
    const interval = intervals[c('interval')] ?? intervals[c('interval').toLowerCase()];
    if (!interval) bad('interval', err('badInterval'));
    const outputs = parseOutputs(c('outputs'));
    if (!outputs) bad('outputs', err('badOutputs'));
    const weight = c('weight') ? Number(c('weight')) : 1;
    if (!(Number.isInteger(weight) && weight >= 1 && weight <= 100)) bad('weight', err('badWeight'));
    if (c('milestone') && !isDate(c('plannedDate')))
      bad('plannedDate', c('plannedDate') ? err('badDate') : t('excel:rowErrors.required'));
    if (errors.length > before || !level || !lead || !interval || !outputs) continue;
    const body: ProjectBody = {
      code: c('code'),
      name: c('name'),
      year,
      level,
      category: c('category'),
      content: c('content'),
      leadUnitId: lead,
      coUnitIds: coUnits,
      contactLeader: c('contactLeader'),
      sites: split(c('sites')),
      outputs,
      indicatorIds: [],
      startDate: c('startDate'),
      deadline: c('deadline'),
      reportInterval: interval,
      manualProgress: null,
      milestones: [],
    };
    const signature = JSON.stringify(PROJECT_FIELDS.map((k) => c(k)));
    const seen = projects.get(body.code);
    if (seen && seen.signature !== signature) {
      bad('code', err('conflict', { row: seen.row }));
      continue;
    }
    const project = seen ?? { body, row: r.row, signature };
    if (c('milestone')) {
      if (project.body.milestones.some((m) => m.title === c('milestone'))) {
        bad('milestone', t('excel:rowErrors.duplicateInFile', { row: project.row }));
        continue;
      }
      project.body.milestones.push({
        title: c('milestone'),
        plannedDate: c('plannedDate'),
        doneDate: null,
        weight,
        evidenceRequired: ['是', 'yes', 'y', '1', '需要'].includes(c('evidence').toLowerCase()),
      });
    }
    projects.set(body.code, project);
  }
  if (errors.length > 0)
    throw new AppError('import_failed', { count: new Set(errors.map((e) => e.row)).size }, { errors });

  let created = 0;
  let updated = 0;
  let unchanged = 0;
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    for (const { body } of projects.values()) {
      const existing = await trx
        .selectFrom('lp_projects')
        .selectAll()
        .where('code', '=', body.code)
        .executeTakeFirst();
      if (existing) {
        const ms = await trx
          .selectFrom('lp_milestones')
          .selectAll()
          .where('project_id', '=', existing.id)
          .orderBy('sort')
          .execute();
        // Keep what the units reported: done dates and output values are theirs, not the sheet's.
        for (const m of body.milestones) m.doneDate = ms.find((x) => x.title === m.title)?.done_date ?? null;
        const actual = JSON.parse(existing.outputs) as { name: string; actual: number }[];
        for (const o of body.outputs) o.actual = actual.find((x) => x.name === o.name)?.actual ?? 0;
        const same =
          existing.name === body.name &&
          existing.year === body.year &&
          existing.level === body.level &&
          existing.category === body.category &&
          existing.content === body.content &&
          existing.lead_unit_id === body.leadUnitId &&
          existing.co_unit_ids === JSON.stringify(body.coUnitIds) &&
          existing.contact_leader === body.contactLeader &&
          existing.sites === JSON.stringify(body.sites) &&
          existing.outputs === JSON.stringify(body.outputs) &&
          existing.start_date === body.startDate &&
          existing.deadline === body.deadline &&
          existing.report_interval === body.reportInterval &&
          ms.length === body.milestones.length &&
          ms.every(
            (m, i) =>
              m.title === body.milestones[i]!.title &&
              m.planned_date === body.milestones[i]!.plannedDate &&
              m.weight === body.milestones[i]!.weight &&
              (m.evidence_required === 1) === body.milestones[i]!.evidenceRequired,
          );
        if (same) {
          unchanged++;
          continue;
        }
        updated++;
        body.manualProgress = existing.manual_progress ? JSON.parse(existing.manual_progress) : null;
      } else created++;
      await upsertProject(tctx, body, tctx);
    }
    await audit(tctx, { action: 'project.imported', after: { created, updated, unchanged } });
  });
  return { created, updated, unchanged };
}
