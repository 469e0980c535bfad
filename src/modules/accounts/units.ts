import { requireOrganizer, requireUser } from '../../kernel/actor.ts';
import { AppError, alreadyTaken, inUse } from '../../kernel/errors.ts';
import type { ImportRowError } from '../../kernel/schemas.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import type { UnitRow } from '../../platform/db/schema.ts';
import { readSheet, writeWorkbook } from '../../platform/excel.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { newId } from '../../platform/ids.ts';
import type { TrackView, UnitKind, UnitView } from './schemas.ts';
import { unitKindSchema } from './schemas.ts';

const presentUnit = (u: UnitRow): UnitView => ({
  id: u.id,
  code: u.code,
  name: u.name,
  shortName: u.short_name,
  kind: u.kind as UnitKind,
  trackId: u.track_id,
  sort: u.sort,
});

export async function listTracks(ctx: Ctx): Promise<TrackView[]> {
  requireUser(ctx.actor);
  const rows = await ctx.db.selectFrom('tracks').selectAll().orderBy('sort').orderBy('name_zh').execute();
  return rows.map((t) => ({ id: t.id, nameZh: t.name_zh, nameEn: t.name_en, sort: t.sort }));
}

export async function createTrack(
  ctx: Ctx,
  input: { nameZh: string; nameEn: string; sort: number },
): Promise<TrackView> {
  requireOrganizer(ctx.actor);
  const dup = await ctx.db
    .selectFrom('tracks')
    .select('id')
    .where('name_zh', '=', input.nameZh)
    .executeTakeFirst();
  if (dup) throw alreadyTaken('nameZh', input.nameZh);
  const row = { id: newId(), name_zh: input.nameZh, name_en: input.nameEn, sort: input.sort };
  await ctx.db.insertInto('tracks').values(row).execute();
  await audit(ctx, { action: 'track.created', target: input.nameZh, after: input });
  return { id: row.id, ...input };
}

export async function updateTrack(
  ctx: Ctx,
  id: string,
  patch: { nameZh?: string | undefined; nameEn?: string | undefined; sort?: number | undefined },
): Promise<TrackView> {
  requireOrganizer(ctx.actor);
  const t = await ctx.db.selectFrom('tracks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!t) throw new AppError('not_found', { what: 'track' });
  const next = {
    name_zh: patch.nameZh ?? t.name_zh,
    name_en: patch.nameEn ?? t.name_en,
    sort: patch.sort ?? t.sort,
  };
  const dup = await ctx.db
    .selectFrom('tracks')
    .select('id')
    .where('name_zh', '=', next.name_zh)
    .where('id', '!=', id)
    .executeTakeFirst();
  if (dup) throw alreadyTaken('nameZh', next.name_zh);
  await ctx.db.updateTable('tracks').set(next).where('id', '=', id).execute();
  await audit(ctx, { action: 'track.updated', target: t.name_zh, before: t, after: next });
  return { id, nameZh: next.name_zh, nameEn: next.name_en, sort: next.sort };
}

export async function listUnits(ctx: Ctx): Promise<UnitView[]> {
  requireUser(ctx.actor);
  const rows = await ctx.db.selectFrom('units').selectAll().orderBy('sort').orderBy('code').execute();
  return rows.map(presentUnit);
}

interface UnitInput {
  code: string;
  name: string;
  shortName: string;
  kind: UnitKind;
  trackId: string | null;
  sort: number;
}

async function assertTrack(ctx: Ctx, trackId: string | null): Promise<void> {
  if (!trackId) return;
  const t = await ctx.db.selectFrom('tracks').select('id').where('id', '=', trackId).executeTakeFirst();
  if (!t) throw new AppError('not_found', { what: 'track' });
}

export async function createUnit(ctx: Ctx, input: UnitInput): Promise<UnitView> {
  requireOrganizer(ctx.actor);
  await assertTrack(ctx, input.trackId);
  const dup = await ctx.db
    .selectFrom('units')
    .select(['code', 'name'])
    .where((eb) => eb.or([eb('code', '=', input.code), eb('name', '=', input.name)]))
    .executeTakeFirst();
  if (dup)
    throw dup.code === input.code ? alreadyTaken('code', input.code) : alreadyTaken('name', input.name);
  const row: UnitRow = {
    id: newId(),
    code: input.code,
    name: input.name,
    short_name: input.shortName || input.name,
    kind: input.kind,
    track_id: input.trackId,
    sort: input.sort,
    created_at: nowIso(ctx),
  };
  await ctx.db.insertInto('units').values(row).execute();
  await audit(ctx, { action: 'unit.created', target: row.name, after: presentUnit(row) });
  return presentUnit(row);
}

export async function updateUnit(ctx: Ctx, id: string, patch: Partial<UnitInput>): Promise<UnitView> {
  requireOrganizer(ctx.actor);
  const u = await ctx.db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
  if (!u) throw new AppError('not_found', { what: 'unit' });
  if (patch.trackId !== undefined) await assertTrack(ctx, patch.trackId);
  const next: UnitRow = {
    ...u,
    code: patch.code ?? u.code,
    name: patch.name ?? u.name,
    short_name: patch.shortName ?? u.short_name,
    kind: patch.kind ?? u.kind,
    track_id: patch.trackId !== undefined ? patch.trackId : u.track_id,
    sort: patch.sort ?? u.sort,
  };
  const dup = await ctx.db
    .selectFrom('units')
    .select(['id', 'code', 'name'])
    .where('id', '!=', id)
    .where((eb) => eb.or([eb('code', '=', next.code), eb('name', '=', next.name)]))
    .executeTakeFirst();
  if (dup) throw dup.code === next.code ? alreadyTaken('code', next.code) : alreadyTaken('name', next.name);
  await ctx.db
    .updateTable('units')
    .set({
      code: next.code,
      name: next.name,
      short_name: next.short_name,
      kind: next.kind,
      track_id: next.track_id,
      sort: next.sort,
    })
    .where('id', '=', id)
    .execute();
  await audit(ctx, {
    action: 'unit.updated',
    target: u.name,
    before: presentUnit(u),
    after: presentUnit(next),
  });
  return presentUnit(next);
}

export async function deleteUnit(ctx: Ctx, id: string): Promise<void> {
  requireOrganizer(ctx.actor);
  const u = await ctx.db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
  if (!u) throw new AppError('not_found', { what: 'unit' });
  const used = await ctx.db.selectFrom('slots').select('id').where('unit_id', '=', id).executeTakeFirst();
  const usedByUser = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('unit_id', '=', id)
    .executeTakeFirst();
  if (used || usedByUser) throw inUse(u.name, used ? 'agenda' : 'accounts');
  await ctx.db.deleteFrom('judge_affiliations').where('unit_id', '=', id).execute();
  await ctx.db.deleteFrom('units').where('id', '=', id).execute();
  await audit(ctx, { action: 'unit.deleted', target: u.name, before: presentUnit(u) });
}

// ---------- Excel ----------

const kindNames: Record<UnitKind, string[]> = {
  town: ['镇', 'town'],
  street: ['街道', 'street'],
  zone: ['区', 'zone'],
  department: ['部门', 'department'],
};

function unitColumns(): Record<string, string[]> {
  const zh = translator('zh-CN');
  const en = translator('en-US');
  const both = (k: string) => [zh(`excel:units.${k}`), en(`excel:units.${k}`)];
  return {
    code: both('code'),
    name: both('name'),
    shortName: both('shortName'),
    kind: both('kind'),
    track: both('track'),
  };
}

export async function exportUnits(ctx: Ctx): Promise<Buffer> {
  requireUser(ctx.actor, 'organizer', 'leader', 'observer');
  const t = translator(ctx.locale);
  const units = await ctx.db.selectFrom('units').selectAll().orderBy('sort').orderBy('code').execute();
  // In the reader's language; the import matches a track by either name, so the file re-imports.
  const tracks = new Map(
    (await ctx.db.selectFrom('tracks').selectAll().execute()).map((x) => [
      x.id,
      ctx.locale === 'en-US' && x.name_en ? x.name_en : x.name_zh,
    ]),
  );
  const kindLabel = (k: string) => t(`common:unitKinds.${k}`);
  return writeWorkbook([
    {
      name: t('excel:units.sheet'),
      headers: ['code', 'name', 'shortName', 'kind', 'track'].map((k) => t(`excel:units.${k}`)),
      rows: units.map((u) => [
        u.code,
        u.name,
        u.short_name,
        kindLabel(u.kind),
        u.track_id ? (tracks.get(u.track_id) ?? '') : '',
      ]),
      widths: [12, 30, 16, 10, 16],
    },
  ]);
}

/**
 * Imports units keyed by code (name when the code is empty). All or nothing: any bad row rejects the
 * whole file with every row's reason. Unknown track names create the track. Re-importing an export
 * changes nothing.
 */
export async function importUnits(
  ctx: Ctx,
  file: Buffer,
): Promise<{ created: number; updated: number; unchanged: number }> {
  requireOrganizer(ctx.actor);
  const t = translator(ctx.locale);
  const cols = unitColumns();
  const { rows, missingColumns } = await readSheet(file, cols);
  const required = ['name', 'kind', 'track'];
  const errors: ImportRowError[] = [];
  for (const m of missingColumns.filter((c) => required.includes(c))) {
    errors.push({
      row: 1,
      column: t(`excel:units.${m}`),
      message: t('excel:rowErrors.missingColumn', { column: t(`excel:units.${m}`) }),
    });
  }
  if (errors.length > 0) throw new AppError('import_failed', { count: errors.length }, { errors });

  const existing = await ctx.db.selectFrom('units').selectAll().execute();
  const byCode = new Map(existing.map((u) => [u.code, u]));
  const byName = new Map(existing.map((u) => [u.name, u]));
  const tracks = await ctx.db.selectFrom('tracks').selectAll().execute();
  const trackByName = new Map<string, string>();
  for (const tr of tracks) {
    trackByName.set(tr.name_zh, tr.id);
    if (tr.name_en) trackByName.set(tr.name_en, tr.id);
  }
  const seen = new Map<string, number>();
  const parsed: {
    row: number;
    code: string;
    name: string;
    shortName: string;
    kind: UnitKind;
    track: string;
  }[] = [];
  for (const r of rows) {
    const c = r.cells;
    const rowErrors: ImportRowError[] = [];
    const name = c.name ?? '';
    const trackName = c.track ?? '';
    if (!name)
      rowErrors.push({ row: r.row, column: t('excel:units.name'), message: t('excel:rowErrors.required') });
    if (!trackName)
      rowErrors.push({ row: r.row, column: t('excel:units.track'), message: t('excel:rowErrors.required') });
    const kindText = (c.kind ?? '').toLowerCase();
    const kind = (Object.entries(kindNames).find(([, names]) => names.includes(kindText))?.[0] ??
      null) as UnitKind | null;
    if (!kind || !unitKindSchema.safeParse(kind).success) {
      rowErrors.push({ row: r.row, column: t('excel:units.kind'), message: t('excel:rowErrors.badKind') });
    }
    const key = c.code || name;
    const prev = seen.get(key) ?? seen.get(`name:${name}`);
    if (key && prev !== undefined) {
      rowErrors.push({
        row: r.row,
        column: t(`excel:units.${c.code ? 'code' : 'name'}`),
        message: t('excel:rowErrors.duplicateInFile', { row: prev }),
      });
    }
    if (key) seen.set(key, r.row);
    if (name) seen.set(`name:${name}`, r.row);
    const target = c.code ? byCode.get(c.code) : byName.get(name);
    const nameOwner = byName.get(name);
    if (nameOwner && target && nameOwner.id !== target.id) {
      rowErrors.push({
        row: r.row,
        column: t('excel:units.name'),
        message: t('excel:rowErrors.nameTaken', { code: nameOwner.code }),
      });
    } else if (nameOwner && !target && c.code) {
      rowErrors.push({
        row: r.row,
        column: t('excel:units.name'),
        message: t('excel:rowErrors.nameTaken', { code: nameOwner.code }),
      });
    }
    if (rowErrors.length > 0) errors.push(...rowErrors);
    else
      parsed.push({
        row: r.row,
        code: c.code ?? '',
        name,
        shortName: c.shortName ?? '',
        kind: kind as UnitKind,
        track: trackName,
      });
  }
  if (errors.length > 0)
    throw new AppError('import_failed', { count: new Set(errors.map((e) => e.row)).size }, { errors });

  let created = 0;
  let updated = 0;
  let unchanged = 0;
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    let nextCode = existing.length + 1;
    for (const p of parsed) {
      let trackId = trackByName.get(p.track);
      if (!trackId) {
        trackId = newId();
        await trx
          .insertInto('tracks')
          .values({ id: trackId, name_zh: p.track, name_en: '', sort: trackByName.size })
          .execute();
        trackByName.set(p.track, trackId);
      }
      const target = p.code ? byCode.get(p.code) : byName.get(p.name);
      const shortName = p.shortName || target?.short_name || p.name;
      if (target) {
        if (
          target.name === p.name &&
          target.short_name === shortName &&
          target.kind === p.kind &&
          target.track_id === trackId
        ) {
          unchanged++;
          continue;
        }
        await trx
          .updateTable('units')
          .set({ name: p.name, short_name: shortName, kind: p.kind, track_id: trackId })
          .where('id', '=', target.id)
          .execute();
        updated++;
      } else {
        let code = p.code;
        while (!code || byCode.has(code)) code = `U${String(nextCode++).padStart(3, '0')}`;
        await trx
          .insertInto('units')
          .values({
            id: newId(),
            code,
            name: p.name,
            short_name: shortName,
            kind: p.kind,
            track_id: trackId,
            sort: p.row,
            created_at: nowIso(ctx),
          })
          .execute();
        byCode.set(code, {} as UnitRow);
        created++;
      }
    }
    await audit(tctx, { action: 'unit.imported', after: { created, updated, unchanged } });
  });
  return { created, updated, unchanged };
}
