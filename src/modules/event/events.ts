// Event setup: the event itself, its scoring settings and tracks, and a new event as a copy of another.
// The rubric and the panels are replaced in criteria-panels.ts, the judges in judges.ts.
import type { z } from 'zod';
import { requireOrganizer, requireUser } from '../../kernel/actor.ts';
import { canonicalJson } from '../../kernel/canonical-json.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import type { EventRow } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import { defaultScoringSettings, type ScoringSettings } from './domain/scoring.ts';
import {
  assertNotLocked,
  assertReasonOnceScoring,
  eventSettings,
  getEventRow,
  loadCriteria,
  loadEventDetail,
  loadEventTracks,
  loadJudges,
  loadPanels,
  lockEventRow,
  presentEventSummary,
  withTransaction,
} from './event-view.ts';
import { insertJudge } from './judges.ts';
import { newEventRow, newPendingSlotRow } from './new-rows.ts';
import type { createEventBody, EventDetail, EventSummary, updateEventBody } from './schemas.ts';
import { conflict, invalid } from './setup-errors.ts';

export type CreateEventInput = z.output<typeof createEventBody>;
export type UpdateEventInput = z.output<typeof updateEventBody>;

const READERS = ['organizer', 'leader', 'observer'] as const;

// ---------- reading ----------

/** Organizers, leaders and observers see every event; reporters only published ones. */
export async function listEvents(ctx: Ctx): Promise<EventSummary[]> {
  const user = requireUser(ctx.actor, ...READERS, 'reporter');
  let q = ctx.db.selectFrom('events').selectAll().orderBy('start_date', 'desc').orderBy('created_at', 'desc');
  if (user.role === 'reporter') q = q.where('published_at', 'is not', null);
  return (await q.execute()).map(presentEventSummary);
}

export async function getEvent(ctx: Ctx, eventId: string): Promise<EventDetail> {
  const user = requireUser(ctx.actor, ...READERS);
  const detail = await loadEventDetail(ctx, eventId);
  // Judges are anonymous to all but the organizer: no names, titles, ids or affiliations.
  return user.role === 'organizer' ? detail : { ...detail, judges: [] };
}

// ---------- helpers ----------

function assertDates(ctx: Ctx, startDate: string, endDate: string): void {
  if (endDate < startDate) throw invalid(ctx, 'dateOrder');
}

async function assertTracksExist(ctx: Ctx, trackIds: readonly string[]): Promise<void> {
  if (new Set(trackIds).size !== trackIds.length) {
    throw invalid(ctx, 'itemTwice', { id: trackIds.find((t, i) => trackIds.indexOf(t) !== i) });
  }
  if (trackIds.length === 0) return;
  const found = new Set(
    (
      await ctx.db
        .selectFrom('tracks')
        .select('id')
        .where('id', 'in', [...trackIds])
        .execute()
    ).map((t) => t.id),
  );
  if (trackIds.some((t) => !found.has(t))) throw new AppError('not_found', { what: 'track' });
}

function assertTieBreakPanel(ctx: Ctx, settings: ScoringSettings, panelIds: ReadonlySet<string>): void {
  if (settings.tieBreakPanelId !== null && !panelIds.has(settings.tieBreakPanelId))
    throw invalid(ctx, 'tieBreakPanel');
}

async function setEventTracks(ctx: Ctx, eventId: string, trackIds: readonly string[]): Promise<void> {
  await ctx.db.deleteFrom('event_tracks').where('event_id', '=', eventId).execute();
  for (const [i, trackId] of trackIds.entries()) {
    await ctx.db
      .insertInto('event_tracks')
      .values({ event_id: eventId, track_id: trackId, sort: i + 1 })
      .execute();
  }
}

const eventAuditView = (row: EventRow, trackIds: readonly string[]) => ({
  title: row.title,
  startDate: row.start_date,
  endDate: row.end_date,
  venue: row.venue,
  trackIds,
  settings: eventSettings(row),
});

// ---------- create ----------

/**
 * Creates an event, optionally as a copy of another: settings, tracks, criteria, panels, judges with
 * affiliations and the agenda (order and time limits) are copied; scores, invites (copied judges get
 * fresh links), slot states, reveal and publication are not.
 */
export async function createEvent(ctx: Ctx, input: CreateEventInput): Promise<EventDetail> {
  requireOrganizer(ctx.actor);
  assertDates(ctx, input.startDate, input.endDate);
  return withTransaction(ctx, async (tctx) => {
    const source = input.copyFromEventId ? await getEventRow(tctx, input.copyFromEventId) : null;
    const sourceTracks = source ? (await loadEventTracks(tctx, source.id)).map((t) => t.id) : [];
    const trackIds = [...new Set([...sourceTracks, ...input.trackIds])];
    await assertTracksExist(tctx, trackIds);

    const id = newId();
    const now = nowIso(tctx);
    const panelMap = new Map<string, string>();
    if (source) for (const p of await loadPanels(tctx, source.id)) panelMap.set(p.id, newId());
    const settings: ScoringSettings = {
      ...(input.settings ?? (source ? eventSettings(source) : defaultScoringSettings)),
    };
    // The tie-break panel of a copy is the copy of the source's panel.
    if (settings.tieBreakPanelId !== null && panelMap.has(settings.tieBreakPanelId)) {
      settings.tieBreakPanelId = panelMap.get(settings.tieBreakPanelId) as string;
    }
    assertTieBreakPanel(tctx, settings, new Set(panelMap.values()));

    await tctx.db
      .insertInto('events')
      .values(
        newEventRow({
          id,
          title: input.title,
          startDate: input.startDate,
          endDate: input.endDate,
          venue: input.venue,
          settings,
          at: now,
        }),
      )
      .execute();
    await setEventTracks(tctx, id, trackIds);
    if (source) await copySetup(tctx, source.id, id, panelMap);
    await audit(tctx, {
      eventId: id,
      action: 'event.created',
      target: input.title,
      after: {
        title: input.title,
        startDate: input.startDate,
        endDate: input.endDate,
        venue: input.venue,
        trackIds,
        settings,
        copiedFrom: source ? { id: source.id, title: source.title } : null,
      },
    });
    return loadEventDetail(tctx, id);
  });
}

async function copySetup(
  ctx: Ctx,
  fromId: string,
  toId: string,
  panelMap: ReadonlyMap<string, string>,
): Promise<void> {
  for (const c of await loadCriteria(ctx, fromId)) {
    await ctx.db
      .insertInto('criteria')
      .values({
        id: newId(),
        event_id: toId,
        sort: c.sort,
        name_zh: c.nameZh,
        name_en: c.nameEn,
        max_points: c.maxPoints,
        step: c.step,
      })
      .execute();
  }
  for (const p of await loadPanels(ctx, fromId)) {
    await ctx.db
      .insertInto('panels')
      .values({
        id: panelMap.get(p.id) as string,
        event_id: toId,
        sort: p.sort,
        name: p.name,
        weight: p.weight,
      })
      .execute();
  }
  for (const j of await loadJudges(ctx, fromId)) {
    await insertJudge(ctx, toId, {
      name: j.name,
      title: j.title,
      panelId: panelMap.get(j.panelId) as string,
      affiliatedUnitIds: j.affiliatedUnitIds,
      sort: j.sort,
    });
  }
  const slots = await ctx.db.selectFrom('slots').selectAll().where('event_id', '=', fromId).execute();
  for (const s of slots) {
    await ctx.db
      .insertInto('slots')
      .values(
        newPendingSlotRow({
          eventId: toId,
          trackId: s.track_id,
          unitId: s.unit_id,
          position: s.position,
          timeLimitSec: s.time_limit_sec,
        }),
      )
      .execute();
  }
}

// ---------- update ----------

/**
 * Title, dates and venue change freely until the event is locked. Settings and tracks change how scores
 * count: once scoring has begun they need a reason, and the change is audited with before and after.
 */
export async function updateEvent(ctx: Ctx, eventId: string, input: UpdateEventInput): Promise<EventDetail> {
  requireOrganizer(ctx.actor);
  return withTransaction(ctx, async (tctx) => {
    const row = await lockEventRow(tctx, eventId);
    assertNotLocked(row);
    const beforeTracks = (await loadEventTracks(tctx, eventId)).map((t) => t.id);
    const next: EventRow = {
      ...row,
      title: input.title ?? row.title,
      start_date: input.startDate ?? row.start_date,
      end_date: input.endDate ?? row.end_date,
      venue: input.venue ?? row.venue,
      settings: input.settings ? JSON.stringify(input.settings) : row.settings,
      updated_at: nowIso(tctx),
    };
    assertDates(tctx, next.start_date, next.end_date);
    const trackIds = input.trackIds ?? beforeTracks;
    const settingsChanged = canonicalJson(eventSettings(next)) !== canonicalJson(eventSettings(row));
    const tracksChanged = canonicalJson(trackIds) !== canonicalJson(beforeTracks);
    if (settingsChanged) {
      const panelIds = new Set((await loadPanels(tctx, eventId)).map((p) => p.id));
      assertTieBreakPanel(tctx, eventSettings(next), panelIds);
    }
    if (tracksChanged) {
      await assertTracksExist(tctx, trackIds);
      const used = await tctx.db
        .selectFrom('slots')
        .innerJoin('tracks', 'tracks.id', 'slots.track_id')
        .select('tracks.name_zh')
        .where('slots.event_id', '=', eventId)
        .where('slots.track_id', 'not in', trackIds.length > 0 ? trackIds : [''])
        .executeTakeFirst();
      if (used) throw conflict(tctx, 'trackInUse', { name: used.name_zh });
    }
    if (settingsChanged || tracksChanged) assertReasonOnceScoring(row, input.reason);

    await tctx.db
      .updateTable('events')
      .set({
        title: next.title,
        start_date: next.start_date,
        end_date: next.end_date,
        venue: next.venue,
        settings: next.settings,
        updated_at: next.updated_at,
      })
      .where('id', '=', eventId)
      .execute();
    if (tracksChanged) await setEventTracks(tctx, eventId, trackIds);
    await audit(tctx, {
      eventId,
      action: 'event.updated',
      target: row.title,
      before: eventAuditView(row, beforeTracks),
      after: eventAuditView(next, trackIds),
      reason: input.reason || null,
    });
    return loadEventDetail(tctx, eventId);
  });
}
