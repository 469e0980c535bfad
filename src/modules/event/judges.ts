// Judges of an event, their affiliations (which make recusal automatic) and their personal invites.
import QRCode from 'qrcode';
import { requireOrganizer } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import type { ImportRowError } from '../../kernel/schemas.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import { readSheet, type SheetRow, writeWorkbook } from '../../platform/excel.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { newId, newToken } from '../../platform/ids.ts';
import { assertNotLocked, getEventRow, loadJudges, lockEventRow, withTransaction } from './event-view.ts';
import type { InviteView, JudgeView } from './schemas.ts';

export interface JudgeInput {
  name: string;
  title: string;
  panelId: string;
  affiliatedUnitIds: string[];
}

export type JudgePatchInput = Partial<JudgeInput>;

const invalid = (ctx: Ctx, key: string, params: Record<string, unknown> = {}): AppError =>
  new AppError('validation_failed', { detail: translator(ctx.locale)(`print:messages.${key}`, params) });

const conflict = (ctx: Ctx, key: string, params: Record<string, unknown> = {}): AppError =>
  new AppError('conflict', { detail: translator(ctx.locale)(`print:messages.${key}`, params) });

export const inviteUrl = (ctx: Pick<Ctx, 'publicUrl'>, token: string): string =>
  `${ctx.publicUrl.replace(/\/+$/, '')}/judge/?t=${encodeURIComponent(token)}`;

async function judgeRow(ctx: Ctx, eventId: string, judgeId: string) {
  const j = await ctx.db
    .selectFrom('judges')
    .selectAll()
    .where('id', '=', judgeId)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  if (!j) throw new AppError('not_found', { what: 'judge' });
  return j;
}

async function presentJudge(ctx: Ctx, eventId: string, judgeId: string): Promise<JudgeView> {
  const j = (await loadJudges(ctx, eventId)).find((x) => x.id === judgeId);
  if (!j) throw new AppError('not_found', { what: 'judge' });
  return j;
}

export async function judgeHasScores(ctx: Ctx, judgeId: string): Promise<boolean> {
  const s = await ctx.db
    .selectFrom('score_entries')
    .select('id')
    .where('judge_id', '=', judgeId)
    .limit(1)
    .executeTakeFirst();
  return s !== undefined;
}

async function assertPanel(ctx: Ctx, eventId: string, panelId: string): Promise<string> {
  const p = await ctx.db
    .selectFrom('panels')
    .select(['id', 'name'])
    .where('id', '=', panelId)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  if (!p) throw invalid(ctx, 'itemNotInEvent', { id: panelId });
  return p.name;
}

async function assertUnits(ctx: Ctx, unitIds: readonly string[]): Promise<void> {
  if (new Set(unitIds).size !== unitIds.length) {
    const twice = unitIds.find((u, i) => unitIds.indexOf(u) !== i) ?? '';
    throw invalid(ctx, 'itemTwice', { id: twice });
  }
  if (unitIds.length === 0) return;
  const found = new Set(
    (
      await ctx.db
        .selectFrom('units')
        .select('id')
        .where('id', 'in', [...unitIds])
        .execute()
    ).map((u) => u.id),
  );
  const missing = unitIds.find((u) => !found.has(u));
  if (missing) throw invalid(ctx, 'unitUnknown', { id: missing });
}

async function assertNameFree(
  ctx: Ctx,
  eventId: string,
  name: string,
  exceptJudgeId?: string,
): Promise<void> {
  let q = ctx.db.selectFrom('judges').select('id').where('event_id', '=', eventId).where('name', '=', name);
  if (exceptJudgeId) q = q.where('id', '!=', exceptJudgeId);
  // Names identify judges on printed QR sheets and in the Excel round trip: they must be distinct.
  if (await q.executeTakeFirst()) throw new AppError('conflict', { detail: name });
}

async function nextJudgeSort(ctx: Ctx, eventId: string): Promise<number> {
  const r = await ctx.db
    .selectFrom('judges')
    .select((eb) => eb.fn.max('sort').as('m'))
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return Number(r?.m ?? 0) + 1;
}

/** Stores a judge with affiliations and a fresh invite. No authorization, no audit: callers do both. */
export async function insertJudge(
  ctx: Ctx,
  eventId: string,
  input: JudgeInput & { sort?: number },
): Promise<string> {
  const id = newId();
  await ctx.db
    .insertInto('judges')
    .values({
      id,
      event_id: eventId,
      panel_id: input.panelId,
      name: input.name,
      title: input.title,
      sort: input.sort ?? (await nextJudgeSort(ctx, eventId)),
    })
    .execute();
  for (const unitId of new Set(input.affiliatedUnitIds)) {
    await ctx.db.insertInto('judge_affiliations').values({ judge_id: id, unit_id: unitId }).execute();
  }
  await insertInvite(ctx, eventId, id);
  return id;
}

/**
 * Revokes the judge's live invites and ends their sessions, then stores a new invite. No authorization,
 * no audit: callers do both.
 */
export async function insertInvite(
  ctx: Ctx,
  eventId: string,
  judgeId: string,
): Promise<{ token: string; createdAt: string }> {
  await revokeJudgeAccess(ctx, judgeId);
  const token = newToken();
  const createdAt = nowIso(ctx);
  await ctx.db
    .insertInto('invites')
    .values({
      id: newId(),
      judge_id: judgeId,
      event_id: eventId,
      token,
      created_at: createdAt,
      revoked_at: null,
    })
    .execute();
  return { token, createdAt };
}

/** A revoked link must stop working at once, including on a phone that already opened it. */
async function revokeJudgeAccess(ctx: Ctx, judgeId: string): Promise<number> {
  const r = await ctx.db
    .updateTable('invites')
    .set({ revoked_at: nowIso(ctx) })
    .where('judge_id', '=', judgeId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  await ctx.db.deleteFrom('sessions').where('judge_id', '=', judgeId).execute();
  return Number(r.numUpdatedRows);
}

async function setAffiliations(ctx: Ctx, judgeId: string, unitIds: readonly string[]): Promise<void> {
  await ctx.db.deleteFrom('judge_affiliations').where('judge_id', '=', judgeId).execute();
  for (const unitId of new Set(unitIds)) {
    await ctx.db.insertInto('judge_affiliations').values({ judge_id: judgeId, unit_id: unitId }).execute();
  }
}

/** What the audit log records of a judge: readable names, not ids alone. */
async function auditJudge(
  ctx: Ctx,
  j: { name: string; title: string; panelId: string; affiliatedUnitIds: readonly string[] },
) {
  const panel = await ctx.db
    .selectFrom('panels')
    .select('name')
    .where('id', '=', j.panelId)
    .executeTakeFirst();
  const units =
    j.affiliatedUnitIds.length === 0
      ? []
      : await ctx.db
          .selectFrom('units')
          .select('name')
          .where('id', 'in', [...j.affiliatedUnitIds])
          .orderBy('name')
          .execute();
  return {
    name: j.name,
    title: j.title,
    panel: panel?.name ?? j.panelId,
    affiliatedUnits: units.map((u) => u.name),
  };
}

export async function createJudge(ctx: Ctx, eventId: string, input: JudgeInput): Promise<JudgeView> {
  requireOrganizer(ctx.actor);
  return withTransaction(ctx, async (tctx) => {
    assertNotLocked(await lockEventRow(tctx, eventId));
    await assertPanel(tctx, eventId, input.panelId);
    await assertUnits(tctx, input.affiliatedUnitIds);
    await assertNameFree(tctx, eventId, input.name);
    const id = await insertJudge(tctx, eventId, input);
    await audit(tctx, {
      eventId,
      action: 'judge.created',
      target: input.name,
      after: await auditJudge(tctx, input),
    });
    return presentJudge(tctx, eventId, id);
  });
}

export async function updateJudge(
  ctx: Ctx,
  eventId: string,
  judgeId: string,
  patch: JudgePatchInput,
): Promise<JudgeView> {
  requireOrganizer(ctx.actor);
  return withTransaction(ctx, async (tctx) => {
    assertNotLocked(await lockEventRow(tctx, eventId));
    const before = await presentJudge(tctx, eventId, judgeId);
    const next: JudgeInput = {
      name: patch.name ?? before.name,
      title: patch.title ?? before.title,
      panelId: patch.panelId ?? before.panelId,
      affiliatedUnitIds: patch.affiliatedUnitIds ?? before.affiliatedUnitIds,
    };
    if (next.panelId !== before.panelId) {
      await assertPanel(tctx, eventId, next.panelId);
      // Moving a judge who has scored would silently move their scores to another panel's average.
      if (await judgeHasScores(tctx, judgeId)) throw conflict(tctx, 'judgePanelFixed', { name: before.name });
    }
    if (patch.affiliatedUnitIds) await assertUnits(tctx, patch.affiliatedUnitIds);
    if (next.name !== before.name) await assertNameFree(tctx, eventId, next.name, judgeId);
    await tctx.db
      .updateTable('judges')
      .set({ name: next.name, title: next.title, panel_id: next.panelId })
      .where('id', '=', judgeId)
      .execute();
    if (patch.affiliatedUnitIds) await setAffiliations(tctx, judgeId, patch.affiliatedUnitIds);
    await audit(tctx, {
      eventId,
      action: 'judge.updated',
      target: before.name,
      before: await auditJudge(tctx, before),
      after: await auditJudge(tctx, next),
    });
    return presentJudge(tctx, eventId, judgeId);
  });
}

export async function deleteJudge(ctx: Ctx, eventId: string, judgeId: string): Promise<void> {
  requireOrganizer(ctx.actor);
  await withTransaction(ctx, async (tctx) => {
    assertNotLocked(await lockEventRow(tctx, eventId));
    const before = await presentJudge(tctx, eventId, judgeId);
    if (await judgeHasScores(tctx, judgeId)) throw conflict(tctx, 'judgeHasScores', { name: before.name });
    await tctx.db.deleteFrom('sessions').where('judge_id', '=', judgeId).execute();
    await tctx.db.deleteFrom('invites').where('judge_id', '=', judgeId).execute();
    await tctx.db.deleteFrom('judge_affiliations').where('judge_id', '=', judgeId).execute();
    await tctx.db.deleteFrom('judges').where('id', '=', judgeId).execute();
    await audit(tctx, {
      eventId,
      action: 'judge.deleted',
      target: before.name,
      before: await auditJudge(tctx, before),
    });
  });
}

// ---------- invites ----------

/** The live invite links of the event, one per judge that has one, in judge order. */
export async function listInvites(ctx: Ctx, eventId: string): Promise<InviteView[]> {
  requireOrganizer(ctx.actor);
  await getEventRow(ctx, eventId);
  const rows = await ctx.db
    .selectFrom('invites')
    .innerJoin('judges', 'judges.id', 'invites.judge_id')
    .select(['invites.judge_id', 'invites.token', 'invites.created_at', 'judges.name'])
    .where('invites.event_id', '=', eventId)
    .where('invites.revoked_at', 'is', null)
    .orderBy('judges.sort')
    .orderBy('judges.id')
    .execute();
  return rows.map((r) => ({
    judgeId: r.judge_id,
    judgeName: r.name,
    url: inviteUrl(ctx, r.token),
    createdAt: r.created_at,
  }));
}

/** Issues a new personal link; the old one and every session opened with it stop working. */
export async function issueInvite(ctx: Ctx, eventId: string, judgeId: string): Promise<InviteView> {
  requireOrganizer(ctx.actor);
  return withTransaction(ctx, async (tctx) => {
    assertNotLocked(await lockEventRow(tctx, eventId));
    const j = await judgeRow(tctx, eventId, judgeId);
    const { token, createdAt } = await insertInvite(tctx, eventId, judgeId);
    // The token is a credential: the audit log records that a link was issued, never the link.
    await audit(tctx, { eventId, action: 'invite.issued', target: j.name });
    return { judgeId, judgeName: j.name, url: inviteUrl(tctx, token), createdAt };
  });
}

export async function revokeInvite(ctx: Ctx, eventId: string, judgeId: string): Promise<void> {
  requireOrganizer(ctx.actor);
  await withTransaction(ctx, async (tctx) => {
    assertNotLocked(await lockEventRow(tctx, eventId));
    const j = await judgeRow(tctx, eventId, judgeId);
    const revoked = await revokeJudgeAccess(tctx, judgeId);
    await audit(tctx, { eventId, action: 'invite.revoked', target: j.name, after: { revoked } });
  });
}

async function liveInviteToken(ctx: Ctx, judgeId: string): Promise<string | null> {
  const inv = await ctx.db
    .selectFrom('invites')
    .select('token')
    .where('judge_id', '=', judgeId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return inv?.token ?? null;
}

const qrSvg = (url: string): Promise<string> => QRCode.toString(url, { type: 'svg', margin: 1 });

/** The QR code (SVG) of the judge's live invite link; 404 when the link was revoked. */
export async function inviteQrSvg(ctx: Ctx, eventId: string, judgeId: string): Promise<string> {
  requireOrganizer(ctx.actor);
  await getEventRow(ctx, eventId);
  await judgeRow(ctx, eventId, judgeId);
  const token = await liveInviteToken(ctx, judgeId);
  if (!token) throw new AppError('not_found', { what: 'invite' });
  return qrSvg(inviteUrl(ctx, token));
}

export interface InviteCard {
  judgeName: string;
  judgeTitle: string;
  panelName: string;
  /** Null when the judge's link has been revoked and not re-issued. */
  url: string | null;
  qrSvg: string | null;
}

/** Everything a printed QR sheet shows: every judge of the event, in judge order. */
export async function loadInviteSheet(
  ctx: Ctx,
  eventId: string,
): Promise<{ eventTitle: string; cards: InviteCard[] }> {
  requireOrganizer(ctx.actor);
  const event = await getEventRow(ctx, eventId);
  const judges = await ctx.db
    .selectFrom('judges')
    .innerJoin('panels', 'panels.id', 'judges.panel_id')
    .select(['judges.id', 'judges.name', 'judges.title', 'panels.name as panel_name'])
    .where('judges.event_id', '=', eventId)
    .orderBy('panels.sort')
    .orderBy('judges.sort')
    .orderBy('judges.id')
    .execute();
  const cards: InviteCard[] = [];
  for (const j of judges) {
    const token = await liveInviteToken(ctx, j.id);
    const url = token ? inviteUrl(ctx, token) : null;
    cards.push({
      judgeName: j.name,
      judgeTitle: j.title,
      panelName: j.panel_name,
      url,
      qrSvg: url ? await qrSvg(url) : null,
    });
  }
  return { eventTitle: event.title, cards };
}

// ---------- Excel ----------

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
