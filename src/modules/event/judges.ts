// Judges of an event and their affiliations, which make recusal automatic. Their invite links are in
// judge-invites.ts, the Excel round trip in judges-excel.ts.
import { requireOrganizer } from '../../kernel/actor.ts';
import { AppError, alreadyTaken } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { assertNotLocked, loadJudges, lockEventRow, withTransaction } from './event-view.ts';
import { insertInvite } from './judge-invites.ts';
import type { JudgeView } from './schemas.ts';
import { conflict, invalid } from './setup-errors.ts';

export interface JudgeInput {
  name: string;
  title: string;
  panelId: string;
  affiliatedUnitIds: string[];
}

export type JudgePatchInput = Partial<JudgeInput>;

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
  if (await q.executeTakeFirst()) throw alreadyTaken('name', name);
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

/** Replaces the judge's affiliations. No authorization, no audit: callers do both. */
export async function setAffiliations(ctx: Ctx, judgeId: string, unitIds: readonly string[]): Promise<void> {
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
