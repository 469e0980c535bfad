// The judges of an event as an Excel sheet: exported for editing, imported back all or nothing.
import { requireOrganizer } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import type { ImportRowError } from '../../kernel/schemas.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { readSheet, type SheetRow, writeWorkbook } from '../../platform/excel.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { assertNotLocked, getEventRow, loadJudges, lockEventRow, withTransaction } from './event-view.ts';
import { insertJudge, type JudgeInput, judgeHasScores, setAffiliations } from './judges.ts';
import type { JudgeView } from './schemas.ts';

const sheetKeys = ['name', 'title', 'panel', 'units'] as const;
const UNIT_SEPARATOR = '、';

function judgeColumns(): Record<string, string[]> {
  const zh = translator('zh-CN');
  const en = translator('en-US');
  return Object.fromEntries(
    sheetKeys.map((k) => [k, [zh(`print:judgesSheet.${k}`), en(`print:judgesSheet.${k}`)]]),
  );
}

/** One row per judge: name, title, panel name, affiliated unit names joined by 、. */
export async function exportJudges(ctx: Ctx, eventId: string): Promise<Buffer> {
  requireOrganizer(ctx.actor);
  await getEventRow(ctx, eventId);
  const t = translator(ctx.locale);
  const judges = await loadJudges(ctx, eventId);
  const panels = new Map(
    (await ctx.db.selectFrom('panels').select(['id', 'name']).where('event_id', '=', eventId).execute()).map(
      (p) => [p.id, p.name],
    ),
  );
  const units = new Map(
    (await ctx.db.selectFrom('units').select(['id', 'name']).execute()).map((u) => [u.id, u.name]),
  );
  return writeWorkbook([
    {
      name: t('print:judgesSheet.sheet'),
      headers: sheetKeys.map((k) => t(`print:judgesSheet.${k}`)),
      rows: judges.map((j) => [
        j.name,
        j.title,
        panels.get(j.panelId) ?? '',
        j.affiliatedUnitIds
          .map((u) => units.get(u) ?? u)
          .sort()
          .join(UNIT_SEPARATOR),
      ]),
      widths: [16, 24, 18, 50],
    },
  ]);
}

/**
 * Imports judges keyed by name. All or nothing: any bad row rejects the whole file with every row's
 * reason. Units are matched by name, short name or code; several are separated by 、 (or , ; ，；).
 * New judges get an invite. Judges missing from the file are kept. Re-importing an export changes
 * nothing.
 */
export async function importJudges(
  ctx: Ctx,
  eventId: string,
  file: Buffer,
): Promise<{ created: number; updated: number; unchanged: number }> {
  requireOrganizer(ctx.actor);
  assertNotLocked(await getEventRow(ctx, eventId));
  const t = translator(ctx.locale);
  const col = (k: string) => t(`print:judgesSheet.${k}`);
  const { rows, missingColumns } = await readSheet(file, judgeColumns());
  const missing: ImportRowError[] = missingColumns
    .filter((c) => c === 'name' || c === 'panel')
    .map((m) => ({
      row: 1,
      column: col(m),
      message: t('excel:rowErrors.missingColumn', { column: col(m) }),
    }));
  if (missing.length > 0) throw new AppError('import_failed', { count: missing.length }, { errors: missing });

  // Checked and written under the event lock: a score arriving meanwhile cannot slip past the panel rule.
  return withTransaction(ctx, async (tctx) => {
    assertNotLocked(await lockEventRow(tctx, eventId));
    const { parsed, existing } = await checkJudgeRows(tctx, eventId, rows);
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    for (const p of parsed) {
      const before = existing.get(p.name);
      if (!before) {
        await insertJudge(tctx, eventId, p);
        created++;
        continue;
      }
      const sameUnits =
        before.affiliatedUnitIds.length === p.affiliatedUnitIds.length &&
        p.affiliatedUnitIds.every((u) => before.affiliatedUnitIds.includes(u));
      if (before.title === p.title && before.panelId === p.panelId && sameUnits) {
        unchanged++;
        continue;
      }
      await tctx.db
        .updateTable('judges')
        .set({ title: p.title, panel_id: p.panelId })
        .where('id', '=', before.id)
        .execute();
      if (!sameUnits) await setAffiliations(tctx, before.id, p.affiliatedUnitIds);
      updated++;
    }
    await audit(tctx, { eventId, action: 'judge.imported', after: { created, updated, unchanged } });
    return { created, updated, unchanged };
  });
}

/** Every row's problems at once (import_failed), or the rows ready to write. */
async function checkJudgeRows(
  ctx: Ctx,
  eventId: string,
  rows: SheetRow[],
): Promise<{ parsed: (JudgeInput & { row: number })[]; existing: Map<string, JudgeView> }> {
  const t = translator(ctx.locale);
  const col = (k: string) => t(`print:judgesSheet.${k}`);
  const panelByName = new Map(
    (await ctx.db.selectFrom('panels').select(['id', 'name']).where('event_id', '=', eventId).execute()).map(
      (p) => [p.name, p.id],
    ),
  );
  const unitByKey = new Map<string, string>();
  for (const u of await ctx.db.selectFrom('units').select(['id', 'name', 'short_name', 'code']).execute()) {
    // Full names win over short names and codes when they collide.
    for (const key of [u.code, u.short_name, u.name]) if (key) unitByKey.set(key, u.id);
  }
  const existing = new Map((await loadJudges(ctx, eventId)).map((j) => [j.name, j]));
  const errors: ImportRowError[] = [];
  const seen = new Map<string, number>();
  const parsed: (JudgeInput & { row: number })[] = [];
  for (const r of rows) {
    const c = r.cells;
    const rowErrors: ImportRowError[] = [];
    const err = (column: string, message: string) =>
      rowErrors.push({ row: r.row, column: col(column), message });
    const name = c.name ?? '';
    const panelName = c.panel ?? '';
    if (!name) err('name', t('excel:rowErrors.required'));
    const prev = seen.get(name);
    if (name && prev !== undefined) err('name', t('excel:rowErrors.duplicateInFile', { row: prev }));
    if (name) seen.set(name, r.row);
    const panelId = panelByName.get(panelName);
    if (!panelName) err('panel', t('excel:rowErrors.required'));
    else if (!panelId) err('panel', t('print:judgesSheet.unknownPanel', { panel: panelName }));
    const unitIds: string[] = [];
    const unitNames = (c.units ?? '')
      .split(/[、,，;；\n]/)
      .map((x) => x.trim())
      .filter(Boolean);
    for (const unitName of unitNames) {
      const id = unitByKey.get(unitName);
      if (id) unitIds.push(id);
      else err('units', t('print:judgesSheet.unknownUnit', { unit: unitName }));
    }
    // A judge who has scored keeps their panel (see updateJudge).
    const before = existing.get(name);
    if (before && panelId && before.panelId !== panelId && (await judgeHasScores(ctx, before.id))) {
      err('panel', t('print:messages.judgePanelFixed', { name }));
    }
    if (rowErrors.length > 0) errors.push(...rowErrors);
    else
      parsed.push({
        row: r.row,
        name,
        title: c.title ?? '',
        panelId: panelId as string,
        affiliatedUnitIds: [...new Set(unitIds)],
      });
  }
  if (errors.length > 0)
    throw new AppError('import_failed', { count: new Set(errors.map((e) => e.row)).size }, { errors });
  return { parsed, existing };
}
