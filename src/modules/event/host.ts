// The organizer's host console: which slot is on stage, what the big screen shows, and the one state
// the console page renders (slots with their timers, "N of M" progress, reveal status).
import { requireOrganizer } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { notify } from '../../platform/context.ts';
import type { EventRow } from '../../platform/db/schema.ts';
import {
  assertNotLocked,
  getEventRow,
  loadSlots,
  lockEventRow,
  revealedTrackIds,
  withTransaction,
} from './event-view.ts';
import { getProgress } from './progress.ts';
import { eventStatus, type HostState, type ScreenMode, screenMode, screenTheme } from './schemas.ts';
import { loadSlotTimers, presentTimer, timerStateOf } from './timer-view.ts';

export interface ScreenSettingsInput {
  mode?: ScreenMode | undefined;
  trackId?: string | null | undefined;
  theme?: 'red' | 'neutral' | undefined;
  autoOpenOnStop?: boolean | undefined;
  revealCount?: number | null | undefined;
}

/** Stored screen settings, read defensively: an unknown value falls back to the default. */
export function screenSettingsOf(
  row: Pick<
    EventRow,
    | 'screen_mode'
    | 'screen_track_id'
    | 'screen_theme'
    | 'auto_open_on_stop'
    | 'screen_reveal_count'
    | 'current_slot_id'
    | 'screen_slide_slot_id'
    | 'screen_slide_index'
  >,
) {
  const mode = screenMode.safeParse(row.screen_mode);
  const theme = screenTheme.safeParse(row.screen_theme);
  return {
    mode: mode.success ? mode.data : ('title' as const),
    trackId: row.screen_track_id,
    theme: theme.success ? theme.data : ('red' as const),
    autoOpenOnStop: Number(row.auto_open_on_stop) === 1,
    revealCount: row.screen_reveal_count === null ? null : Number(row.screen_reveal_count),
    // The page a slot's deck was left on; a unit newly on stage starts at its first slide.
    slide:
      row.current_slot_id !== null && row.screen_slide_slot_id === row.current_slot_id
        ? Number(row.screen_slide_index)
        : 0,
  };
}

/** Everything the host console shows, in one read (organizer only). */
export async function getHostState(ctx: Ctx, eventId: string): Promise<HostState> {
  requireOrganizer(ctx.actor);
  const event = await getEventRow(ctx, eventId);
  const [slots, timers, progress] = await Promise.all([
    loadSlots(ctx, eventId),
    loadSlotTimers(ctx, eventId),
    getProgress(ctx, eventId),
  ]);
  const timerOf = new Map(timers.map((t) => [t.id, timerStateOf(t)]));
  const settings = screenSettingsOf(event);
  return {
    eventId,
    status: eventStatus.catch('draft').parse(event.status),
    // The agenda may have been replaced since: a current slot that no longer exists is none.
    currentSlotId: slots.some((s) => s.id === event.current_slot_id) ? event.current_slot_id : null,
    screen: {
      mode: settings.mode,
      trackId: settings.trackId,
      theme: settings.theme,
      revealCount: settings.revealCount,
      slide: settings.slide,
    },
    autoOpenOnStop: settings.autoOpenOnStop,
    slots: slots.map((s) => {
      const timer = timerOf.get(s.id);
      return {
        ...s,
        timer: presentTimer(
          s.id,
          timer ?? {
            limitSec: s.timeLimitSec,
            startedAt: null,
            pausedAt: null,
            pausedMs: 0,
            extendedSec: 0,
            stoppedAt: null,
          },
        ),
      };
    }),
    progress: progress.slots,
    revealedTrackIds: revealedTrackIds(event),
  };
}

/** Puts a slot on stage (or none): the big screen and the judges' pages follow. Organizer, audited. */
export async function setCurrentSlot(ctx: Ctx, eventId: string, slotId: string | null): Promise<HostState> {
  requireOrganizer(ctx.actor);
  const changed = await withTransaction(ctx, async (tctx) => {
    const event = await lockEventRow(tctx, eventId);
    assertNotLocked(event);
    let target: string | null = null;
    if (slotId !== null) {
      const slot = await tctx.db
        .selectFrom('slots')
        .innerJoin('units', 'units.id', 'slots.unit_id')
        .select(['slots.id', 'units.name'])
        .where('slots.id', '=', slotId)
        .where('slots.event_id', '=', eventId)
        .executeTakeFirst();
      if (!slot) throw new AppError('not_found', { what: 'slot' });
      target = slot.name;
    }
    if (event.current_slot_id === slotId) return false;
    // A unit going on stage starts its showcase slides at the first one.
    await tctx.db
      .updateTable('events')
      .set({ current_slot_id: slotId, screen_slide_slot_id: slotId, screen_slide_index: 0 })
      .where('id', '=', eventId)
      .execute();
    await audit(tctx, {
      eventId,
      action: 'screen.current_slot',
      target: target ?? event.title,
      before: { currentSlotId: event.current_slot_id },
      after: { currentSlotId: slotId },
    });
    return true;
  });
  if (changed) notify(ctx, eventId, 'screen', 'slots');
  return getHostState(ctx, eventId);
}

/**
 * What the big screen shows and how (organizer, audited). Reveal mode needs a track that has been
 * revealed: the screen never shows a ranking the organizer has not released.
 */
export async function updateScreenSettings(
  ctx: Ctx,
  eventId: string,
  input: ScreenSettingsInput,
): Promise<HostState> {
  requireOrganizer(ctx.actor);
  const changed = await withTransaction(ctx, async (tctx) => {
    const event = await lockEventRow(tctx, eventId);
    assertNotLocked(event);
    // The slide is not a setting: it turns with the deck (setScreenSlide), unaudited.
    const { slide: _slide, ...before } = screenSettingsOf(event);
    const after = {
      mode: input.mode ?? before.mode,
      trackId: input.trackId !== undefined ? input.trackId : before.trackId,
      theme: input.theme ?? before.theme,
      autoOpenOnStop: input.autoOpenOnStop ?? before.autoOpenOnStop,
      // Another track's reveal starts over as "show all" unless the host says how many.
      revealCount:
        input.revealCount !== undefined
          ? input.revealCount
          : input.trackId !== undefined && input.trackId !== before.trackId
            ? null
            : before.revealCount,
    };
    if (input.trackId) {
      // Sequential: tctx.db is one transaction, i.e. one connection.
      const listed = await tctx.db
        .selectFrom('event_tracks')
        .select('track_id')
        .where('event_id', '=', eventId)
        .where('track_id', '=', input.trackId)
        .executeTakeFirst();
      const used = await tctx.db
        .selectFrom('slots')
        .select('id')
        .where('event_id', '=', eventId)
        .where('track_id', '=', input.trackId)
        .limit(1)
        .executeTakeFirst();
      if (!listed && !used) throw new AppError('not_found', { what: 'track' });
    }
    if (
      after.mode === 'reveal' &&
      (after.trackId === null || !revealedTrackIds(event).includes(after.trackId))
    ) {
      throw new AppError('screen_track_not_revealed');
    }
    const same =
      after.mode === before.mode &&
      after.trackId === before.trackId &&
      after.theme === before.theme &&
      after.autoOpenOnStop === before.autoOpenOnStop &&
      after.revealCount === before.revealCount;
    if (same) return false;
    await tctx.db
      .updateTable('events')
      .set({
        screen_mode: after.mode,
        screen_track_id: after.trackId,
        screen_theme: after.theme,
        auto_open_on_stop: after.autoOpenOnStop ? 1 : 0,
        screen_reveal_count: after.revealCount,
      })
      .where('id', '=', eventId)
      .execute();
    await audit(tctx, { eventId, action: 'screen.settings', target: event.title, before, after });
    return true;
  });
  if (changed) notify(ctx, eventId, 'screen');
  return getHostState(ctx, eventId);
}

/**
 * Pages the showcase slides of the unit on stage (organizer: the host console or the presenter's page).
 * The index is absolute, so a retried click lands on the same slide, and it names the slot, so a click
 * sent just before the next unit went on stage does not page that unit's deck. Not audited: a page turn
 * changes nothing anyone is accountable for, and a deck is turned dozens of times an hour.
 */
export async function setScreenSlide(
  ctx: Ctx,
  eventId: string,
  input: { slotId: string; index: number },
): Promise<HostState> {
  requireOrganizer(ctx.actor);
  const changed = await withTransaction(ctx, async (tctx) => {
    const event = await lockEventRow(tctx, eventId);
    if (event.current_slot_id !== input.slotId) throw new AppError('slot_not_on_stage');
    if (event.screen_slide_slot_id === input.slotId && Number(event.screen_slide_index) === input.index)
      return false;
    await tctx.db
      .updateTable('events')
      .set({ screen_slide_slot_id: input.slotId, screen_slide_index: input.index })
      .where('id', '=', eventId)
      .execute();
    return true;
  });
  if (changed) notify(ctx, eventId, 'screen');
  return getHostState(ctx, eventId);
}
