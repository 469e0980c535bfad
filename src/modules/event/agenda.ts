// The agenda of an event: which unit speaks when, in which track, with what time limit; the draw by
// lot of that order; and the organizer's manual corrections of a slot (overtime, penalty).
import { randomInt } from 'node:crypto';
import type { z } from 'zod';
import { requireOrganizer } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { SlotRow } from '../../platform/db/schema.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { drawOrder, readableSeed } from './domain/agenda.ts';
import { assertNotLocked, loadEventTracks, loadSlots, lockEventRow, withTransaction } from './event-view.ts';
import { newPendingSlotRow } from './new-rows.ts';
import { withdrawPublicationFor } from './results.ts';
import type { agendaBody, drawBody, SlotView, slotPatch } from './schemas.ts';

export type AgendaInput = z.output<typeof agendaBody>;
export type DrawInput = z.output<typeof drawBody>;
export type SlotPatchInput = z.output<typeof slotPatch>;

const invalid = (ctx: Ctx, key: string, params: Record<string, unknown> = {}): AppError =>
  new AppError('validation_failed', { detail: translator(ctx.locale)(`print:messages.${key}`, params) });

const conflict = (ctx: Ctx, key: string, params: Record<string, unknown> = {}): AppError =>
  new AppError('conflict', { detail: translator(ctx.locale)(`print:messages.${key}`, params) });

/** The order as the audit log shows it: unit names per track, first speaker first. */
const auditOrder = (slots: readonly SlotView[]) =>
  slots.map((s) => ({
    trackId: s.trackId,
    position: s.position,
    unit: s.unitName,
    timeLimitSec: s.timeLimitSec,
  }));

/**
 * Replaces the agenda: positions follow the array order within each track (1-based). Pending slots are
 * created, moved or dropped freely; a slot that is open or closed must stay where it is, with its time
 * limit. A manual reorder makes the stored draw seed meaningless, so it is cleared.
 */
export async function replaceAgenda(ctx: Ctx, eventId: string, input: AgendaInput): Promise<SlotView[]> {
  requireOrganizer(ctx.actor);
  return withTransaction(ctx, async (tctx) => {
    const event = await lockEventRow(tctx, eventId);
    assertNotLocked(event);
    const trackIds = new Set((await loadEventTracks(tctx, eventId)).map((t) => t.id));
    const unitIds = [...new Set(input.slots.map((s) => s.unitId))];
    const units =
      unitIds.length === 0
        ? []
        : await tctx.db.selectFrom('units').select(['id', 'name']).where('id', 'in', unitIds).execute();
    const unitName = new Map(units.map((u) => [u.id, u.name]));

    const positionIn = new Map<string, number>();
    const wanted: { unitId: string; trackId: string; position: number; timeLimitSec: number }[] = [];
    const seen = new Set<string>();
    for (const s of input.slots) {
      if (!trackIds.has(s.trackId)) throw invalid(tctx, 'trackNotInEvent');
      if (!unitName.has(s.unitId)) throw invalid(tctx, 'unitUnknown', { id: s.unitId });
      if (seen.has(s.unitId)) throw invalid(tctx, 'unitTwice', { name: unitName.get(s.unitId) });
      seen.add(s.unitId);
      const position = (positionIn.get(s.trackId) ?? 0) + 1;
      positionIn.set(s.trackId, position);
      wanted.push({ ...s, position });
    }

    const before = await loadSlots(tctx, eventId);
    const existing = new Map(
      (await tctx.db.selectFrom('slots').selectAll().where('event_id', '=', eventId).execute()).map((s) => [
        s.unit_id,
        s,
      ]),
    );
    const byUnit = new Map(wanted.map((w) => [w.unitId, w]));
    for (const s of before) {
      if (s.state === 'pending') continue;
      const w = byUnit.get(s.unitId);
      if (!w || w.trackId !== s.trackId || w.position !== s.position || w.timeLimitSec !== s.timeLimitSec) {
        throw conflict(tctx, 'slotFixed', { unit: s.unitName });
      }
    }

    const dropped = [...existing.values()].filter((s) => !byUnit.has(s.unit_id)).map((s) => s.id);
    if (dropped.length > 0) await tctx.db.deleteFrom('slots').where('id', 'in', dropped).execute();
    for (const w of wanted) {
      const cur = existing.get(w.unitId);
      if (cur) {
        if (
          cur.track_id === w.trackId &&
          cur.position === w.position &&
          cur.time_limit_sec === w.timeLimitSec
        )
          continue;
        await tctx.db
          .updateTable('slots')
          .set({ track_id: w.trackId, position: w.position, time_limit_sec: w.timeLimitSec })
          .where('id', '=', cur.id)
          .execute();
      } else {
        await tctx.db
          .insertInto('slots')
          .values(
            newPendingSlotRow({
              eventId,
              trackId: w.trackId,
              unitId: w.unitId,
              position: w.position,
              timeLimitSec: w.timeLimitSec,
            }),
          )
          .execute();
      }
    }
    const after = await loadSlots(tctx, eventId);
    const orderKey = (list: readonly SlotView[]) =>
      list.map((s) => `${s.trackId}/${s.position}/${s.unitId}`).join(',');
    if (event.draw_seed !== null && orderKey(after) !== orderKey(before)) {
      await tctx.db.updateTable('events').set({ draw_seed: null }).where('id', '=', eventId).execute();
    }
    await audit(tctx, {
      eventId,
      action: 'agenda.replaced',
      target: event.title,
      before: auditOrder(before),
      after: auditOrder(after),
    });
    return after;
  });
}

/**
 * Draws the speaking order by lot, per track, from a seed (see domain/agenda.ts for the exact, public
 * procedure). Without a seed a readable one is generated. The seed is stored and shown with the event
 * so that anyone can redo the draw. Only before any slot has opened.
 */
export async function drawAgenda(ctx: Ctx, eventId: string, input: DrawInput): Promise<SlotView[]> {
  requireOrganizer(ctx.actor);
  return withTransaction(ctx, async (tctx) => {
    const event = await lockEventRow(tctx, eventId);
    assertNotLocked(event);
    const before = await loadSlots(tctx, eventId);
    if (before.some((s) => s.state !== 'pending')) throw conflict(tctx, 'drawAfterStart');
    const seed = input.seed ?? readableSeed(randomInt(0, 100_000_000));
    const codes = new Map(
      before.length === 0
        ? []
        : (
            await tctx.db
              .selectFrom('units')
              .select(['id', 'code'])
              .where(
                'id',
                'in',
                before.map((s) => s.unitId),
              )
              .execute()
          ).map((u) => [u.id, u.code]),
    );
    const tracks = (await loadEventTracks(tctx, eventId)).map((t) => ({
      trackId: t.id,
      units: before
        .filter((s) => s.trackId === t.id)
        .map((s) => ({ unitId: s.unitId, code: codes.get(s.unitId) ?? '' })),
    }));
    for (const drawn of drawOrder(seed, tracks)) {
      for (const [i, unitId] of drawn.unitIds.entries()) {
        await tctx.db
          .updateTable('slots')
          .set({ position: i + 1 })
          .where('event_id', '=', eventId)
          .where('unit_id', '=', unitId)
          .execute();
      }
    }
    await tctx.db.updateTable('events').set({ draw_seed: seed }).where('id', '=', eventId).execute();
    const after = await loadSlots(tctx, eventId);
    await audit(tctx, {
      eventId,
      action: 'agenda.drawn',
      target: event.title,
      before: auditOrder(before),
      after: { seed, order: auditOrder(after) },
    });
    return after;
  });
}

/**
 * The organizer's correction of a slot: overtime seconds, manual penalty, time limit. Audited with
 * before and after; once the slot has closed (its score may already be on the big screen) a reason is
 * required.
 */
export async function patchSlot(
  ctx: Ctx,
  eventId: string,
  slotId: string,
  input: SlotPatchInput,
): Promise<SlotView> {
  requireOrganizer(ctx.actor);
  return withTransaction(ctx, async (tctx) => {
    const event = await lockEventRow(tctx, eventId);
    assertNotLocked(event);
    const slot: SlotRow | undefined = await tctx.db
      .selectFrom('slots')
      .selectAll()
      .where('id', '=', slotId)
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    if (!slot) throw new AppError('not_found', { what: 'slot' });
    if (slot.state === 'closed' && !input.reason) throw invalid(tctx, 'reasonRequired');
    const changes =
      (input.overtimeSec !== undefined && input.overtimeSec !== Number(slot.overtime_sec)) ||
      (input.manualPenalty !== undefined && input.manualPenalty !== Number(slot.manual_penalty));
    if (changes)
      await withdrawPublicationFor(tctx, event, {
        confirmed: input.withdrawPublication === true,
        reason: input.reason || null,
      });
    const before = {
      overtimeSec: slot.overtime_sec,
      manualPenalty: Number(slot.manual_penalty),
      timeLimitSec: slot.time_limit_sec,
    };
    const after = {
      overtimeSec: input.overtimeSec ?? before.overtimeSec,
      manualPenalty: input.manualPenalty ?? before.manualPenalty,
      timeLimitSec: input.timeLimitSec ?? before.timeLimitSec,
    };
    await tctx.db
      .updateTable('slots')
      .set({
        overtime_sec: after.overtimeSec,
        manual_penalty: after.manualPenalty,
        time_limit_sec: after.timeLimitSec,
      })
      .where('id', '=', slotId)
      .execute();
    const unit = await tctx.db
      .selectFrom('units')
      .select('name')
      .where('id', '=', slot.unit_id)
      .executeTakeFirst();
    await audit(tctx, {
      eventId,
      action: 'slot.corrected',
      target: unit?.name ?? slot.unit_id,
      before,
      after,
      reason: input.reason || null,
    });
    const view = (await loadSlots(tctx, eventId)).find((s) => s.id === slotId);
    if (!view) throw new AppError('not_found', { what: 'slot' });
    return view;
  });
}
