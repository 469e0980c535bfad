// Loading, guarding and presenting one event. These helpers do NOT authorize: the calling use case has
// already applied its own access rule (requireOrganizer, requireUser(…), requireJudge(…)).
import type { Kysely } from 'kysely';
import { AppError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import type { DB, EventRow } from '../../platform/db/schema.ts';
import type { TrackView } from '../accounts/schemas.ts';
import { defaultScoringSettings, type ScoringSettings } from './domain/scoring.ts';
import type { CriterionView, EventDetail, EventSummary, JudgeView, PanelView, SlotView } from './schemas.ts';
import { eventStatus, scoringSettingsSchema, slotState } from './schemas.ts';

/** The event row, or 404. */
export async function getEventRow(ctx: Ctx, eventId: string): Promise<EventRow> {
  const row = await ctx.db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst();
  if (!row) throw new AppError('not_found', { what: 'event' });
  return row;
}

/**
 * The event row, read after taking the per-event write lock: touching updated_at makes PostgreSQL queue
 * every other writer of this event (slot transitions, score appends, setup changes) behind this
 * transaction, and SQLite has one writer anyway. Use it as the first statement of a write transaction.
 */
export async function lockEventRow(ctx: Ctx, eventId: string): Promise<EventRow> {
  const row = await ctx.db
    .updateTable('events')
    .set({ updated_at: nowIso(ctx) })
    .where('id', '=', eventId)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', { what: 'event' });
  return row;
}

/** A locked event is the filed record: nothing about it changes any more. */
export function assertNotLocked(row: EventRow): void {
  if (row.status === 'locked') throw new AppError('event_locked');
}

/** Once scoring has begun, changing how scores count needs a stated reason (it is audited). */
export function assertReasonOnceScoring(row: EventRow, reason: string | undefined | null): void {
  if (row.scoring_started === 1 && !reason?.trim()) throw new AppError('rubric_locked');
}

/** Stored settings, completed with defaults so an older row still parses. */
export function eventSettings(row: EventRow): ScoringSettings {
  const parsed = parseStoredSettings(row.settings);
  return parsed.success ? parsed.data : { ...defaultScoringSettings };
}

/** Stored settings JSON over the defaults, checked (a broken or older row parses as far as it can). */
export function parseStoredSettings(json: string) {
  let stored: unknown = {};
  try {
    stored = JSON.parse(json);
  } catch {
    stored = {};
  }
  return scoringSettingsSchema.safeParse({
    ...defaultScoringSettings,
    ...(typeof stored === 'object' && stored !== null ? stored : {}),
  });
}

export function revealedTrackIds(row: EventRow): string[] {
  try {
    const v: unknown = JSON.parse(row.revealed);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function presentEventSummary(row: EventRow): EventSummary {
  return {
    id: row.id,
    title: row.title,
    startDate: row.start_date,
    endDate: row.end_date,
    venue: row.venue,
    status: eventStatus.parse(row.status),
    publishedAt: row.published_at,
  };
}

/** The event's tracks in the event's order. */
export async function loadEventTracks(ctx: Ctx, eventId: string): Promise<TrackView[]> {
  const rows = await ctx.db
    .selectFrom('event_tracks')
    .innerJoin('tracks', 'tracks.id', 'event_tracks.track_id')
    .select(['tracks.id', 'tracks.name_zh', 'tracks.name_en', 'event_tracks.sort'])
    .where('event_tracks.event_id', '=', eventId)
    .orderBy('event_tracks.sort')
    .orderBy('tracks.sort')
    .orderBy('tracks.name_zh')
    .execute();
  return rows.map((t) => ({ id: t.id, nameZh: t.name_zh, nameEn: t.name_en, sort: t.sort }));
}

export async function loadCriteria(ctx: Ctx, eventId: string): Promise<CriterionView[]> {
  const rows = await ctx.db
    .selectFrom('criteria')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('sort')
    .orderBy('id')
    .execute();
  return rows.map((c) => ({
    id: c.id,
    nameZh: c.name_zh,
    nameEn: c.name_en,
    maxPoints: Number(c.max_points),
    step: Number(c.step),
    sort: c.sort,
  }));
}

export async function loadPanels(ctx: Ctx, eventId: string): Promise<PanelView[]> {
  const rows = await ctx.db
    .selectFrom('panels')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('sort')
    .orderBy('id')
    .execute();
  return rows.map((p) => ({ id: p.id, name: p.name, weight: Number(p.weight), sort: p.sort }));
}

/** Judges with their affiliated units (the basis of recusal) and whether a live invite exists. */
export async function loadJudges(ctx: Ctx, eventId: string): Promise<JudgeView[]> {
  const judges = await ctx.db
    .selectFrom('judges')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('sort')
    .orderBy('id')
    .execute();
  const affiliations = await ctx.db
    .selectFrom('judge_affiliations')
    .innerJoin('judges', 'judges.id', 'judge_affiliations.judge_id')
    .select(['judge_affiliations.judge_id', 'judge_affiliations.unit_id'])
    .where('judges.event_id', '=', eventId)
    .orderBy('judge_affiliations.unit_id')
    .execute();
  const invited = new Set(
    (
      await ctx.db
        .selectFrom('invites')
        .select('judge_id')
        .where('event_id', '=', eventId)
        .where('revoked_at', 'is', null)
        .execute()
    ).map((i) => i.judge_id),
  );
  const unitsOf = new Map<string, string[]>();
  for (const a of affiliations) unitsOf.set(a.judge_id, [...(unitsOf.get(a.judge_id) ?? []), a.unit_id]);
  return judges.map((j) => ({
    id: j.id,
    name: j.name,
    title: j.title,
    panelId: j.panel_id,
    affiliatedUnitIds: unitsOf.get(j.id) ?? [],
    sort: j.sort,
    inviteActive: invited.has(j.id),
  }));
}

/** Agenda slots in speaking order: by the event's track order, then position within the track. */
export async function loadSlots(ctx: Ctx, eventId: string): Promise<SlotView[]> {
  const rows = await ctx.db
    .selectFrom('slots')
    .innerJoin('units', 'units.id', 'slots.unit_id')
    .leftJoin('event_tracks', (join) =>
      join
        .onRef('event_tracks.track_id', '=', 'slots.track_id')
        .onRef('event_tracks.event_id', '=', 'slots.event_id'),
    )
    .selectAll('slots')
    .select(['units.name as unit_name', 'event_tracks.sort as track_sort'])
    .where('slots.event_id', '=', eventId)
    .execute();
  rows.sort(
    (a, b) =>
      (a.track_sort ?? Number.MAX_SAFE_INTEGER) - (b.track_sort ?? Number.MAX_SAFE_INTEGER) ||
      (a.track_id < b.track_id ? -1 : a.track_id > b.track_id ? 1 : 0) ||
      a.position - b.position,
  );
  return rows.map((s) => ({
    id: s.id,
    trackId: s.track_id,
    unitId: s.unit_id,
    unitName: s.unit_name,
    position: s.position,
    timeLimitSec: s.time_limit_sec,
    overtimeSec: s.overtime_sec,
    manualPenalty: Number(s.manual_penalty),
    state: slotState.parse(s.state),
    openedAt: s.opened_at,
    closedAt: s.closed_at,
  }));
}

/** The whole `eventDetail` of an event (404 when it does not exist). */
export async function loadEventDetail(ctx: Ctx, eventId: string): Promise<EventDetail> {
  const row = await getEventRow(ctx, eventId);
  // Sequential on purpose: ctx.db may be a transaction, i.e. one connection.
  const tracks = await loadEventTracks(ctx, eventId);
  const criteria = await loadCriteria(ctx, eventId);
  const panels = await loadPanels(ctx, eventId);
  const judges = await loadJudges(ctx, eventId);
  const slots = await loadSlots(ctx, eventId);
  return {
    event: {
      ...presentEventSummary(row),
      settings: eventSettings(row),
      drawSeed: row.draw_seed,
      scoringStarted: row.scoring_started === 1,
      revealedTrackIds: revealedTrackIds(row),
      ledgerHead: row.ledger_head,
    },
    tracks,
    criteria,
    panels,
    judges,
    slots,
  };
}

/**
 * Runs `fn` in one transaction: a new one, or the caller's when ctx.db already is a transaction
 * (Kysely cannot nest them).
 */
export async function withTransaction<T>(ctx: Ctx, fn: (tctx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx }));
}

/** One slot of the event with its unit's name, or 404. */
export async function loadSlotRow(db: Kysely<DB>, eventId: string, slotId: string) {
  const row = await db
    .selectFrom('slots')
    .innerJoin('units', 'units.id', 'slots.unit_id')
    .selectAll('slots')
    .select('units.name as unit_name')
    .where('slots.id', '=', slotId)
    .where('slots.event_id', '=', eventId)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', { what: 'slot' });
  return row;
}
