// The hall's big screen: what it may show (screenState) and the read-only links that sign it in.
//
// Privacy is decided here, once, for every way the state leaves the server (HTTP and WebSocket): the
// state carries names of units and tracks, the timer, "N of M" counts, and a ranking only for a track
// the organizer revealed and only in reveal mode. Never a judge's name, never an individual score, and
// results are not even computed unless they are about to be shown.
//
// Cost: the hub computes this a few times per second per event while scores pour in, so outside reveal
// mode it is a handful of small queries (event, agenda, and for the current slot: judge count,
// recusals, distinct scorers).
import QRCode from 'qrcode';
import { type Actor, requireOrganizer, requireUser, type ScreenActor } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { notify, nowIso, requireLinkKey } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { linkToken, reprintToken, tokenDigest } from '../../platform/link-tokens.ts';
import { getEventRow, withTransaction } from './event-view.ts';
import { screenSettingsOf } from './host.ts';
import {
  buildLiveResults,
  loadEventData,
  parseSettings,
  publishedSnapshot,
  revealedTrackIds,
} from './results.ts';
import type { ScreenState, ScreenTokenView } from './schemas.ts';
import { slotState } from './schemas.ts';
import { presentTimer, timerStateOf } from './timer-view.ts';

const UP_NEXT = 3;

/** A screen of that event, or a signed-in organizer / observer / leader previewing it. */
function requireScreenViewer(actor: Actor, eventId: string): void {
  if (actor.kind === 'screen') {
    if (actor.eventId !== eventId) throw new AppError('forbidden');
    return;
  }
  requireUser(actor, 'organizer', 'observer', 'leader');
}

/** The signed-in big screen itself (GET /api/screen/state): users and judges have their own pages. */
function requireScreen(actor: Actor): ScreenActor {
  if (actor.kind === 'anonymous') throw new AppError('unauthenticated');
  if (actor.kind !== 'screen') throw new AppError('forbidden');
  return actor;
}

/** "N of M" for one slot: M = the event's judges not recused from the unit, N = those with an entry. */
async function slotCounts(
  ctx: Ctx,
  eventId: string,
  slotId: string,
  unitId: string,
): Promise<{ scored: number; eligible: number }> {
  const judges = await ctx.db
    .selectFrom('judges')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  const recused = (
    await ctx.db
      .selectFrom('judge_affiliations')
      .innerJoin('judges', 'judges.id', 'judge_affiliations.judge_id')
      .select('judge_affiliations.judge_id')
      .where('judges.event_id', '=', eventId)
      .where('judge_affiliations.unit_id', '=', unitId)
      .execute()
  ).map((r) => r.judge_id);
  let scoredQuery = ctx.db
    .selectFrom('score_entries')
    .select((eb) => eb.fn.count('judge_id').distinct().as('n'))
    .where('slot_id', '=', slotId);
  if (recused.length > 0) scoredQuery = scoredQuery.where('judge_id', 'not in', recused);
  const scored = await scoredQuery.executeTakeFirst();
  return {
    scored: Number(scored?.n ?? 0),
    eligible: Math.max(0, Number(judges?.n ?? 0) - new Set(recused).size),
  };
}

/** The ranking of one revealed track: rank, unit, score, penalty, grade — nothing per judge. */
async function revealRows(ctx: Ctx, eventId: string, trackId: string) {
  const event = await getEventRow(ctx, eventId);
  const results =
    publishedSnapshot(event) ??
    buildLiveResults(
      // One transaction: the ledger, slots and settings must agree with each other.
      await withTransaction(ctx, (tctx) => loadEventData(tctx.db, eventId)),
      ctx.now,
    );
  const track = results.tracks.find((t) => t.trackId === trackId);
  if (!track) return null;
  const rows = track.rows
    .map((r, i) => ({ r, i }))
    .sort(
      (a, b) => (a.r.rank ?? Number.MAX_SAFE_INTEGER) - (b.r.rank ?? Number.MAX_SAFE_INTEGER) || a.i - b.i,
    )
    .map(({ r }) => ({
      rank: r.rank,
      unitName: r.unitName,
      score: r.score,
      penalty: r.penalty,
      grade: r.grade,
      quorumMet: r.quorumMet,
    }));
  return { trackName: track.trackName, decimals: parseSettings(event.settings).decimals, rows };
}

/** What the big screen of an event shows now (see the header for what it may contain). */
export async function getScreenState(ctx: Ctx, eventId: string): Promise<ScreenState> {
  requireScreenViewer(ctx.actor, eventId);
  // Not selectAll: the published snapshot can be large and is read only when it is shown.
  const event = await ctx.db
    .selectFrom('events')
    .select([
      'id',
      'title',
      'start_date',
      'end_date',
      'venue',
      'revealed',
      'current_slot_id',
      'screen_mode',
      'screen_track_id',
      'screen_theme',
      'screen_reveal_count',
      'auto_open_on_stop',
      'screen_slide_slot_id',
      'screen_slide_index',
    ])
    .where('id', '=', eventId)
    .executeTakeFirst();
  if (!event) throw new AppError('not_found', { what: 'event' });
  const settings = screenSettingsOf(event);
  const zh = ctx.locale === 'zh-CN';

  const rows = await ctx.db
    .selectFrom('slots')
    .innerJoin('units', 'units.id', 'slots.unit_id')
    .innerJoin('tracks', 'tracks.id', 'slots.track_id')
    .leftJoin('event_tracks', (join) =>
      join
        .onRef('event_tracks.track_id', '=', 'slots.track_id')
        .onRef('event_tracks.event_id', '=', 'slots.event_id'),
    )
    .select([
      'slots.id',
      'slots.unit_id',
      'slots.track_id',
      'slots.position',
      'slots.state',
      'slots.time_limit_sec',
      'slots.timer_started_at',
      'slots.timer_paused_at',
      'slots.timer_paused_ms',
      'slots.timer_extended_sec',
      'slots.timer_stopped_at',
      'units.name as unit_name',
      'tracks.name_zh',
      'tracks.name_en',
      'tracks.sort as track_own_sort',
      'event_tracks.sort as track_sort',
    ])
    .where('slots.event_id', '=', eventId)
    .execute();
  // Agenda order, as everywhere else: the event's track order, then position within the track.
  rows.sort(
    (a, b) =>
      (a.track_sort ?? Number.MAX_SAFE_INTEGER) - (b.track_sort ?? Number.MAX_SAFE_INTEGER) ||
      Number(a.track_own_sort) - Number(b.track_own_sort) ||
      (a.track_id < b.track_id ? -1 : a.track_id > b.track_id ? 1 : 0) ||
      Number(a.position) - Number(b.position),
  );
  const trackName = (r: { name_zh: string; name_en: string }): string =>
    zh ? r.name_zh : r.name_en || r.name_zh;
  const slots = rows.map((r) => ({
    id: r.id,
    unitId: r.unit_id,
    trackId: r.track_id,
    unitName: r.unit_name,
    trackName: trackName(r),
    position: Number(r.position),
    state: slotState.catch('pending').parse(r.state),
    timer: presentTimer(r.id, timerStateOf(r)),
  }));

  const current =
    (event.current_slot_id ? slots.find((s) => s.id === event.current_slot_id) : undefined) ??
    slots.find((s) => s.state === 'open') ??
    null;

  // Up next: the pending slots after the current one in agenda order, then any skipped earlier.
  const at = current ? slots.indexOf(current) : -1;
  const upNext = [...slots.slice(at + 1), ...slots.slice(0, Math.max(0, at))]
    .filter((s) => s.state === 'pending')
    .slice(0, UP_NEXT)
    .map((s) => ({ unitName: s.unitName, trackName: s.trackName, position: s.position }));

  const agenda: ScreenState['agenda'] = [];
  for (const s of slots) {
    let group = agenda.at(-1);
    if (!group || group.trackId !== s.trackId) {
      group = { trackId: s.trackId, trackName: s.trackName, slots: [] };
      agenda.push(group);
    }
    group.slots.push({ slotId: s.id, unitName: s.unitName, position: s.position, state: s.state });
  }

  let reveal: ScreenState['reveal'] = null;
  const trackId = settings.trackId;
  if (settings.mode === 'reveal' && trackId !== null && revealedTrackIds(event).includes(trackId)) {
    const shown = await revealRows(ctx, eventId, trackId);
    if (shown) {
      const named = slots.find((s) => s.trackId === trackId)?.trackName ?? shown.trackName;
      // Step by step from the last place up: the rows not yet revealed are not sent at all, so no screen
      // (or anyone reading its feed) knows a rank before the host shows it.
      const total = shown.rows.length;
      const count = settings.revealCount === null ? total : Math.min(settings.revealCount, total);
      reveal = {
        trackId,
        trackName: named,
        decimals: shown.decimals,
        total,
        shown: count,
        rows: shown.rows.slice(total - count),
      };
    }
  }

  return {
    event: {
      id: event.id,
      title: event.title,
      startDate: event.start_date,
      endDate: event.end_date,
      venue: event.venue,
    },
    mode: settings.mode,
    theme: settings.theme,
    current: current
      ? {
          slotId: current.id,
          unitId: current.unitId,
          unitName: current.unitName,
          trackName: current.trackName,
          position: current.position,
          state: current.state,
          timer: current.timer,
          progress: await slotCounts(ctx, eventId, current.id, current.unitId),
          slide: current.id === event.screen_slide_slot_id ? Number(event.screen_slide_index) : 0,
        }
      : null,
    upNext,
    agenda,
    reveal,
  };
}

/** The state of the event the signed-in screen belongs to. */
export async function getOwnScreenState(ctx: Ctx): Promise<ScreenState> {
  const screen = requireScreen(ctx.actor);
  return getScreenState(ctx, screen.eventId);
}

// ---------------------------------------------------------------------------------------------------
// Screen tokens (organizer): read-only links that sign a display in to one event

export const screenUrl = (ctx: Pick<Ctx, 'publicUrl'>, token: string): string =>
  `${ctx.publicUrl.replace(/\/+$/, '')}/screen/?t=${encodeURIComponent(token)}`;

async function tokenRow(ctx: Ctx, eventId: string, tokenId: string) {
  const row = await ctx.db
    .selectFrom('screen_tokens')
    .selectAll()
    .where('id', '=', tokenId)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', { what: 'screenToken' });
  return row;
}

export async function createScreenToken(
  ctx: Ctx,
  eventId: string,
  input: { label: string },
): Promise<ScreenTokenView> {
  requireOrganizer(ctx.actor);
  const event = await getEventRow(ctx, eventId);
  const id = newId();
  const token = linkToken(requireLinkKey(ctx), 'screen', id);
  const row = {
    id,
    event_id: eventId,
    token_hash: tokenDigest(token),
    label: input.label.trim(),
    created_at: nowIso(ctx),
    revoked_at: null,
  };
  await withTransaction(ctx, async (tctx) => {
    await tctx.db.insertInto('screen_tokens').values(row).execute();
    // The token is a credential: the audit log records that a link was issued, never the link.
    await audit(tctx, {
      eventId,
      action: 'screen_token.created',
      target: row.label || event.title,
      after: { tokenId: row.id, label: row.label },
    });
  });
  return { id: row.id, label: row.label, url: screenUrl(ctx, token), createdAt: row.created_at };
}

/** The event's live screen links, oldest first. */
export async function listScreenTokens(ctx: Ctx, eventId: string): Promise<ScreenTokenView[]> {
  requireOrganizer(ctx.actor);
  await getEventRow(ctx, eventId);
  const rows = await ctx.db
    .selectFrom('screen_tokens')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const key = requireLinkKey(ctx);
  return rows.map((r) => {
    const token = reprintToken(key, 'screen', r.id, r.token_hash);
    return {
      id: r.id,
      label: r.label,
      url: token === null ? null : screenUrl(ctx, token),
      createdAt: r.created_at,
    };
  });
}

/** A revoked link stops at once: the displays signed in with it lose their sessions. */
export async function revokeScreenToken(ctx: Ctx, eventId: string, tokenId: string): Promise<void> {
  requireOrganizer(ctx.actor);
  const event = await getEventRow(ctx, eventId);
  const changed = await withTransaction(ctx, async (tctx) => {
    const row = await tokenRow(tctx, eventId, tokenId);
    const ended = await tctx.db
      .deleteFrom('sessions')
      .where('screen_token_id', '=', tokenId)
      .executeTakeFirst();
    if (row.revoked_at) return false;
    await tctx.db
      .updateTable('screen_tokens')
      .set({ revoked_at: nowIso(tctx) })
      .where('id', '=', tokenId)
      .execute();
    await audit(tctx, {
      eventId,
      action: 'screen_token.revoked',
      target: row.label || event.title,
      after: { tokenId, sessionsEnded: Number(ended.numDeletedRows) },
    });
    return true;
  });
  // Lets the live hub recompute; the display's next request or reconnect resolves to anonymous.
  if (changed) notify(ctx, eventId, 'screen');
}

/** The QR code (SVG) of a live screen link: scanned with a tablet or phone that drives a display. */
export async function screenTokenQrSvg(ctx: Ctx, eventId: string, tokenId: string): Promise<string> {
  requireOrganizer(ctx.actor);
  const row = await tokenRow(ctx, eventId, tokenId);
  const token = row.revoked_at ? null : reprintToken(requireLinkKey(ctx), 'screen', row.id, row.token_hash);
  if (token === null) throw new AppError('not_found', { what: 'screenToken' });
  return QRCode.toString(screenUrl(ctx, token), { type: 'svg', margin: 1 });
}
