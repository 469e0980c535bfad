// 必晒内容 by an Excel sheet: one row per item — 单位 (name or code), 类别 (必晒指标 / 必晒工作), 事项 (an
// indicator's code or name, or the work item's title). All or nothing, with every bad row's reason;
// each unit in the sheet gets exactly its rows, in sheet order, so importing the same file again
// changes nothing.
import { requireOrganizer } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import type { ImportRowError } from '../../kernel/schemas.ts';
import type { Ctx } from '../../platform/context.ts';
import { readSheet } from '../../platform/excel.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { getEventRow, loadSlots } from '../event/index.ts';
import { getRequired, lockedOf, setRequired } from './reports.ts';

const FIELDS = ['unit', 'kind', 'item'] as const;

function columns(): Record<string, string[]> {
  const zh = translator('zh-CN');
  const en = translator('en-US');
  return Object.fromEntries(
    FIELDS.map((k) => [k, [zh(`reports:requiredSheet.${k}`), en(`reports:requiredSheet.${k}`)]]),
  );
}

type Item = { kind: 'indicator' | 'work'; indicatorId: string | null; title: string };

export async function importRequired(
  ctx: Ctx,
  eventId: string,
  file: Buffer,
): Promise<{ created: number; updated: number; unchanged: number }> {
  requireOrganizer(ctx.actor);
  const event = await getEventRow(ctx, eventId);
  if (lockedOf(event)) throw new AppError('reports_locked');
  const t = translator(ctx.locale);
  const col = (k: string) => t(`reports:requiredSheet.${k}`);
  const { rows, missingColumns } = await readSheet(file, columns());
  const errors: ImportRowError[] = missingColumns.map((m) => ({
    row: 1,
    column: col(m),
    message: t('excel:rowErrors.missingColumn', { column: col(m) }),
  }));
  if (errors.length > 0) throw new AppError('import_failed', { count: errors.length }, { errors });

  const onAgenda = new Set((await loadSlots(ctx, eventId)).map((s) => s.unitId));
  const units = await ctx.db.selectFrom('units').select(['id', 'code', 'name']).execute();
  const unitOf = new Map<string, string>();
  for (const u of units) {
    unitOf.set(u.name, u.id);
    if (u.code) unitOf.set(u.code, u.id);
  }
  const indicators = await ctx.db
    .selectFrom('indicators')
    .select(['id', 'code', 'name', 'unit_id'])
    .execute();
  const kinds: Record<string, Item['kind']> = {
    [translator('zh-CN')('reports:requiredSheet.kinds.indicator')]: 'indicator',
    [translator('zh-CN')('reports:requiredSheet.kinds.work')]: 'work',
    [translator('en-US')('reports:requiredSheet.kinds.indicator').toLowerCase()]: 'indicator',
    [translator('en-US')('reports:requiredSheet.kinds.work').toLowerCase()]: 'work',
    指标: 'indicator',
    工作: 'work',
  };

  const byUnit = new Map<string, Item[]>();
  const seen = new Map<string, number>();
  for (const r of rows) {
    const bad = (k: string, message: string) => errors.push({ row: r.row, column: col(k), message });
    const unitText = (r.cells.unit ?? '').trim();
    const kindText = (r.cells.kind ?? '').trim();
    const itemText = (r.cells.item ?? '').trim();
    const unitId = unitOf.get(unitText);
    if (!unitText) bad('unit', t('excel:rowErrors.required'));
    else if (!unitId) bad('unit', t('reports:requiredSheet.errors.unknownUnit', { unit: unitText }));
    else if (!onAgenda.has(unitId))
      bad('unit', t('reports:requiredSheet.errors.notOnAgenda', { unit: unitText }));
    const kind = kinds[kindText] ?? kinds[kindText.toLowerCase()];
    if (!kind) bad('kind', t('reports:requiredSheet.errors.badKind'));
    if (!itemText) bad('item', t('excel:rowErrors.required'));
    else if (itemText.length > 100) bad('item', t('reports:requiredSheet.errors.tooLong', { max: 100 }));
    if (!unitId || !kind || !itemText || itemText.length > 100) continue;
    let item: Item | null = null;
    if (kind === 'indicator') {
      const own = indicators.filter(
        (i) => i.unit_id === unitId && (i.code === itemText || i.name === itemText),
      );
      const any = indicators.some((i) => i.code === itemText || i.name === itemText);
      if (own.length === 1) item = { kind, indicatorId: own[0]!.id, title: own[0]!.name };
      else if (own.length > 1) bad('item', t('reports:requiredSheet.errors.ambiguous', { item: itemText }));
      else if (any)
        bad('item', t('reports:requiredSheet.errors.notUnitsIndicator', { item: itemText, unit: unitText }));
      else bad('item', t('reports:requiredSheet.errors.unknownIndicator', { item: itemText }));
    } else item = { kind, indicatorId: null, title: itemText };
    if (!item) continue;
    const key = `${unitId}\u0000${item.kind}\u0000${item.indicatorId ?? item.title}`;
    const prev = seen.get(key);
    if (prev !== undefined) {
      bad('item', t('excel:rowErrors.duplicateInFile', { row: prev }));
      continue;
    }
    seen.set(key, r.row);
    byUnit.set(unitId, [...(byUnit.get(unitId) ?? []), item]);
  }
  if (errors.length > 0)
    throw new AppError('import_failed', { count: new Set(errors.map((e) => e.row)).size }, { errors });

  let created = 0;
  let updated = 0;
  let unchanged = 0;
  for (const [unitId, items] of byUnit) {
    const before = await getRequired(ctx, eventId, unitId);
    const same =
      before.length === items.length &&
      before.every(
        (b, i) =>
          b.kind === items[i]!.kind && b.indicatorId === items[i]!.indicatorId && b.title === items[i]!.title,
      );
    if (same) {
      unchanged++;
      continue;
    }
    if (before.length === 0) created++;
    else updated++;
    await setRequired(ctx, eventId, unitId, items);
  }
  return { created, updated, unchanged };
}
