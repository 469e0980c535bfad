// Results of an event: the live computation over the ledger, who may see which part of it, the reveal
// of a track, and publication (a frozen snapshot naming the ledger head it was computed over).
import type { Kysely } from 'kysely';
import { requireOrganizer, requireUser, type UserActor } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import type { DB, EventRow, SlotRow } from '../../platform/db/schema.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { plainVars } from '../notifications/domain/notices.ts';
import { enqueueNotice } from '../notifications/index.ts';
import { type ChainedEntry, GENESIS_HASH, latestPerSlotAndJudge } from './domain/ledger.ts';
import { computeResults, type ScoringSettings } from './domain/scoring.ts';
import { parseStoredSettings } from './event-view.ts';
import { readLedger } from './ledger.ts';
import { type ResultsView, resultsView } from './schemas.ts';

export interface EventTrack {
  id: string;
  nameZh: string;
  nameEn: string;
}
export interface EventUnit {
  id: string;
  code: string;
  name: string;
  shortName: string;
}
export interface EventCriterion {
  id: string;
  nameZh: string;
  nameEn: string;
  maxPoints: number;
  step: number;
}
export interface EventPanel {
  id: string;
  name: string;
  weight: number;
}
export interface EventJudge {
  id: string;
  name: string;
  panelId: string;
  affiliatedUnitIds: string[];
  /** 1-based position in judge order (sort, then id): the anonymous 评委01… of exports. */
  number: number;
}

/** Everything the results of one event are computed from, read in one consistent pass. */
export interface EventData {
  event: EventRow;
  settings: ScoringSettings;
  /** The event's tracks in event order, then any other track an agenda slot uses. */
  tracks: EventTrack[];
  units: Map<string, EventUnit>;
  criteria: EventCriterion[];
  panels: EventPanel[];
  judges: EventJudge[];
  /** In agenda order (track, then position). */
  slots: SlotRow[];
  ledger: ChainedEntry[];
}

/** Stored settings over the defaults: an event created before a setting existed still computes. */
export function parseSettings(json: string): ScoringSettings {
  const parsed = parseStoredSettings(json);
  if (!parsed.success)
    throw new AppError('results_invalid', { detail: parsed.error.issues[0]?.message ?? 'settings' });
  return parsed.data;
}

export async function findEvent(db: Kysely<DB>, eventId: string): Promise<EventRow> {
  const event = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst();
  if (!event) throw new AppError('not_found', { what: 'event' });
  return event;
}

/** Reads an event's results inputs. Call inside a transaction when the reads must agree. */
export async function loadEventData(db: Kysely<DB>, eventId: string): Promise<EventData> {
  const event = await findEvent(db, eventId);
  const [eventTracks, criteria, panels, judges, affiliations, slots, ledger] = await Promise.all([
    db
      .selectFrom('event_tracks')
      .innerJoin('tracks', 'tracks.id', 'event_tracks.track_id')
      .select(['tracks.id', 'tracks.name_zh', 'tracks.name_en'])
      .where('event_tracks.event_id', '=', eventId)
      .orderBy('event_tracks.sort')
      .orderBy('tracks.sort')
      .orderBy('tracks.id')
      .execute(),
    db
      .selectFrom('criteria')
      .selectAll()
      .where('event_id', '=', eventId)
      .orderBy('sort')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('panels')
      .selectAll()
      .where('event_id', '=', eventId)
      .orderBy('sort')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('judges')
      .selectAll()
      .where('event_id', '=', eventId)
      .orderBy('sort')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('judge_affiliations')
      .innerJoin('judges', 'judges.id', 'judge_affiliations.judge_id')
      .select(['judge_affiliations.judge_id', 'judge_affiliations.unit_id'])
      .where('judges.event_id', '=', eventId)
      .orderBy('judge_affiliations.unit_id')
      .execute(),
    db
      .selectFrom('slots')
      .selectAll()
      .where('event_id', '=', eventId)
      .orderBy('position')
      .orderBy('id')
      .execute(),
    readLedger(db, eventId),
  ]);

  const tracks: EventTrack[] = eventTracks.map((t) => ({ id: t.id, nameZh: t.name_zh, nameEn: t.name_en }));
  const known = new Set(tracks.map((t) => t.id));
  const extraTrackIds = [...new Set(slots.map((s) => s.track_id))].filter((id) => !known.has(id));
  if (extraTrackIds.length > 0) {
    const extra = await db
      .selectFrom('tracks')
      .select(['id', 'name_zh', 'name_en'])
      .where('id', 'in', extraTrackIds)
      .orderBy('sort')
      .orderBy('id')
      .execute();
    for (const t of extra) tracks.push({ id: t.id, nameZh: t.name_zh, nameEn: t.name_en });
  }
  const trackOrder = new Map(tracks.map((t, i) => [t.id, i]));
  slots.sort(
    (a, b) =>
      (trackOrder.get(a.track_id) ?? 0) - (trackOrder.get(b.track_id) ?? 0) || a.position - b.position,
  );

  const affiliated = new Map<string, string[]>();
  for (const a of affiliations) {
    const list = affiliated.get(a.judge_id) ?? [];
    list.push(a.unit_id);
    affiliated.set(a.judge_id, list);
  }
  const unitIds = [...new Set([...slots.map((s) => s.unit_id), ...affiliations.map((a) => a.unit_id)])];
  const unitRows =
    unitIds.length === 0
      ? []
      : await db
          .selectFrom('units')
          .select(['id', 'code', 'name', 'short_name'])
          .where('id', 'in', unitIds)
          .orderBy('sort')
          .orderBy('code')
          .execute();

  // 评委01, 评委02 … in the order of the judges' random ids, not of the judge list: a number in an
  // export cannot be matched to a name by counting down the printed list.
  const numberOf = new Map(
    [...judges]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((j, i) => [j.id, i + 1] as const),
  );

  return {
    event,
    settings: parseSettings(event.settings),
    tracks,
    units: new Map(
      unitRows.map((u) => [u.id, { id: u.id, code: u.code, name: u.name, shortName: u.short_name }]),
    ),
    criteria: criteria.map((c) => ({
      id: c.id,
      nameZh: c.name_zh,
      nameEn: c.name_en,
      maxPoints: Number(c.max_points),
      step: Number(c.step),
    })),
    panels: panels.map((p) => ({ id: p.id, name: p.name, weight: Number(p.weight) })),
    judges: judges.map((j) => ({
      id: j.id,
      name: j.name,
      panelId: j.panel_id,
      affiliatedUnitIds: affiliated.get(j.id) ?? [],
      number: numberOf.get(j.id)!,
    })),
    slots,
    ledger,
  };
}

export function revealedTrackIds(event: Pick<EventRow, 'revealed'>): string[] {
  try {
    const ids: unknown = JSON.parse(event.revealed);
    return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function publishedSnapshot(
  event: Pick<EventRow, 'published_results' | 'publication_version'>,
): ResultsView | null {
  if (event.published_results === null) return null;
  // The number is the event's (a snapshot frozen before versions existed does not carry it).
  return {
    ...resultsView.parse(JSON.parse(event.published_results)),
    version: Number(event.publication_version),
  };
}

/**
 * Before a change that would make the published results disagree with the ledger (reopening a slot,
 * correcting a closed slot's overtime or penalty): refused unless the organizer confirmed the
 * withdrawal; confirmed, the publication is withdrawn (audited with the withdrawn version's figures)
 * and the results are live again until published anew as the next version. Runs in the caller's
 * transaction, after the event lock. Returns whether a publication was withdrawn.
 */
export async function withdrawPublicationFor(
  ctx: Ctx,
  event: EventRow,
  input: { confirmed: boolean; reason: string | null },
): Promise<boolean> {
  if (event.published_at === null) return false;
  const version = Number(event.publication_version);
  if (!input.confirmed) throw new AppError('publication_withdrawal_required', { version, next: version + 1 });
  const withdrawn = publishedSnapshot(event);
  await ctx.db
    .updateTable('events')
    .set({ published_at: null, published_results: null, updated_at: nowIso(ctx) })
    .where('id', '=', event.id)
    .execute();
  await audit(ctx, {
    eventId: event.id,
    action: 'results.withdrawn',
    target: event.title,
    before: {
      version,
      publishedAt: event.published_at,
      ledgerHead: withdrawn?.ledgerHead ?? null,
      ledgerLength: withdrawn?.ledgerLength ?? null,
    },
    reason: input.reason,
  });
  return true;
}

/**
 * The live results over the whole ledger, every track, with names and reveal flags. The scores of
 * `withheld` slots are left out (those units show as not yet scored); the ledger's head and length
 * still cover every entry.
 */
export function buildLiveResults(
  data: EventData,
  now: Date,
  withheld: ReadonlySet<string> = new Set(),
): ResultsView {
  let computed: ReturnType<typeof computeResults>;
  try {
    computed = computeResults({
      settings: data.settings,
      criteria: data.criteria,
      panels: data.panels,
      judges: data.judges,
      slots: data.slots.map((s) => ({
        id: s.id,
        unitId: s.unit_id,
        trackId: s.track_id,
        overtimeSeconds: Number(s.overtime_sec),
        manualPenalty: Number(s.manual_penalty),
      })),
      scores: latestPerSlotAndJudge(data.ledger.filter((e) => !withheld.has(e.slotId))).map((e) => ({
        slotId: e.slotId,
        judgeId: e.judgeId,
        values: e.values,
      })),
    });
  } catch (e) {
    // The rule refuses an inconsistent configuration (e.g. a criterion added after scores without it)
    // rather than guessing; say so instead of failing with a bare 500.
    if (e instanceof RangeError) throw new AppError('results_invalid', { detail: e.message });
    throw e;
  }
  const rowsByTrack = new Map(computed.map((t) => [t.trackId, t.rows]));
  const revealed = new Set(revealedTrackIds(data.event));
  const last = data.ledger.at(-1);
  return {
    eventId: data.event.id,
    computedAt: now.toISOString(),
    ledgerHead: last?.hash ?? GENESIS_HASH,
    ledgerLength: data.ledger.length,
    publishedAt: null,
    published: false,
    version: null,
    quorumReason: null,
    tracks: data.tracks.map((t) => ({
      trackId: t.id,
      trackName: t.nameZh,
      revealed: revealed.has(t.id),
      rows: (rowsByTrack.get(t.id) ?? []).map((r) => ({
        ...r,
        unitName: data.units.get(r.unitId)?.name ?? r.unitId,
      })),
    })),
  };
}

/**
 * The view with its tracks named in the reader's language: English when the reader reads English and
 * the track has an English name. Computed and frozen views name tracks in Chinese (the published
 * snapshot is the record, whoever published it); this only relabels them for the reader. `tracks` when
 * loaded already, else the current names of the view's tracks are read.
 */
async function namedForReader(
  ctx: Ctx,
  view: ResultsView,
  tracks?: readonly EventTrack[],
): Promise<ResultsView> {
  if (ctx.locale === 'zh-CN' || view.tracks.length === 0) return view;
  const known =
    tracks ??
    (
      await ctx.db
        .selectFrom('tracks')
        .select(['id', 'name_zh', 'name_en'])
        .where(
          'id',
          'in',
          view.tracks.map((t) => t.trackId),
        )
        .execute()
    ).map((r) => ({ id: r.id, nameZh: r.name_zh, nameEn: r.name_en }));
  const byId = new Map(known.map((t) => [t.id, t]));
  return {
    ...view,
    tracks: view.tracks.map((t) => {
      // Without an English name the view keeps its own (the name the snapshot was frozen with).
      const nameEn = byId.get(t.trackId)?.nameEn;
      return nameEn ? { ...t, trackName: nameEn } : t;
    }),
  };
}

/** Who may read results at all: organizers, observers, leaders and reporters; judges never. */
function requireResultsReader(ctx: Ctx): UserActor {
  return requireUser(ctx.actor, 'organizer', 'observer', 'leader', 'reporter');
}

/** What this reader may see of the live (unpublished) results: the visibility rule in one place. */
function visibleLive(user: UserActor, live: ResultsView): ResultsView {
  if (user.role === 'organizer' || user.role === 'observer') return live;
  // Leaders follow the reveal on the big screen; reporters wait for the publication.
  return { ...live, tracks: user.role === 'leader' ? live.tracks.filter((t) => t.revealed) : [] };
}

async function inTransaction<T>(ctx: Ctx, fn: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  return ctx.db.isTransaction ? fn(ctx.db) : ctx.db.transaction().execute(fn);
}

/**
 * The results as the caller may see them. Organizer: everything, live. Observer: live, without the
 * running score of an open slot. Leader: the same, revealed tracks only. Reporter: nothing until
 * published. Once published, everyone sees the frozen snapshot (`published: true`).
 */
export async function computeEventResults(ctx: Ctx, eventId: string): Promise<ResultsView> {
  const user = requireResultsReader(ctx);
  const event = await findEvent(ctx.db, eventId);
  const snapshot = publishedSnapshot(event);
  if (snapshot !== null) return namedForReader(ctx, snapshot);
  // Reporters never see live figures, so they are not even computed for them.
  if (user.role === 'reporter') {
    return {
      eventId,
      computedAt: nowIso(ctx),
      ledgerHead: event.ledger_head,
      ledgerLength: Number(event.ledger_seq),
      publishedAt: null,
      published: false,
      version: null,
      quorumReason: null,
      tracks: [],
    };
  }
  const data = await inTransaction(ctx, (db) => loadEventData(db, eventId));
  // While a slot is open only the organizer sees its running score: from the first judge's entry on, a
  // running panel score would tell an observer what that judge gave.
  const withheld =
    user.role === 'organizer'
      ? new Set<string>()
      : new Set(data.slots.filter((s) => s.state === 'open').map((s) => s.id));
  return namedForReader(ctx, visibleLive(user, buildLiveResults(data, ctx.now, withheld)), data.tracks);
}

/** Shows (or hides) one track's results to leaders and the big screen. Audited when it changes. */
export async function revealTrack(
  ctx: Ctx,
  eventId: string,
  input: { trackId: string; revealed: boolean; confirmIncomplete?: boolean | undefined },
): Promise<ResultsView> {
  requireOrganizer(ctx.actor);
  await inTransaction(ctx, async (db) => {
    const tctx = { ...ctx, db };
    const data = await loadEventData(db, eventId);
    const track = data.tracks.find((t) => t.id === input.trackId);
    if (!track) throw new AppError('not_found', { what: 'track' });
    const before = revealedTrackIds(data.event);
    const was = before.includes(input.trackId);
    if (was === input.revealed) return;
    // Published results are public: hiding a track again would only make the screens disagree.
    if (!input.revealed && data.event.published_at !== null) throw new AppError('results_already_published');
    // A reveal is a verdict: a unit still being scored (or not yet on stage) would be shown an unfinished
    // rank. Refused until every slot of the track is closed, unless the organizer saw the list.
    const unfinished = data.slots.filter((s) => s.track_id === input.trackId && s.state !== 'closed');
    if (input.revealed && unfinished.length > 0 && !input.confirmIncomplete) {
      const names = unfinished.map((s) => data.units.get(s.unit_id)?.name ?? s.unit_id);
      throw new AppError(
        'reveal_incomplete',
        { count: unfinished.length, units: names.join('、') },
        { slots: unfinished.map((s, i) => ({ slotId: s.id, unitName: names[i], state: s.state })) },
      );
    }
    const after = input.revealed ? [...before, input.trackId] : before.filter((id) => id !== input.trackId);
    await db
      .updateTable('events')
      .set({ revealed: JSON.stringify(after), updated_at: nowIso(ctx) })
      .where('id', '=', eventId)
      .execute();
    await audit(tctx, {
      eventId,
      action: input.revealed ? 'results.revealed' : 'results.hidden',
      target: track.nameZh,
      before: { revealedTrackIds: before },
      after: { revealedTrackIds: after },
    });
  });
  return computeEventResults(ctx, eventId);
}

/**
 * Freezes the results: refused while any slot is still pending or open, and once published. The
 * snapshot names the ledger head and length it was computed over, so `shaipin verify` can recompute
 * it from the exported ledger; every track is revealed with it.
 */
export async function publishResults(
  ctx: Ctx,
  eventId: string,
  input: { quorumReason?: string | undefined } = {},
): Promise<ResultsView> {
  requireOrganizer(ctx.actor);
  await inTransaction(ctx, async (db) => {
    const tctx = { ...ctx, db };
    const data = await loadEventData(db, eventId);
    if (data.event.published_at !== null) throw new AppError('results_already_published');
    const unfinished = data.slots.filter((s) => s.state !== 'closed');
    if (data.slots.length === 0 || unfinished.length > 0) {
      throw new AppError(
        'results_not_final',
        { count: unfinished.length },
        {
          slots: unfinished.map((s) => ({ slotId: s.id, unitId: s.unit_id, state: s.state })),
        },
      );
    }
    const publishedAt = nowIso(ctx);
    const version = Number(data.event.publication_version) + 1;
    const live = buildLiveResults(data, ctx.now);
    // Units below the quorum are published only with the organizer's written reason, which the
    // snapshot (and so the print and the export) and the audit carry.
    const short = live.tracks.flatMap((t) => t.rows.filter((r) => !r.quorumMet));
    const quorumReason = short.length > 0 ? input.quorumReason?.trim() || null : null;
    if (short.length > 0 && quorumReason === null) {
      throw new AppError(
        'quorum_reason_required',
        { count: short.length, units: short.map((r) => r.unitName).join('、') },
        { slots: short.map((r) => ({ slotId: r.slotId, unitName: r.unitName })) },
      );
    }
    const frozen: ResultsView = {
      ...live,
      publishedAt,
      published: true,
      version,
      quorumReason,
      tracks: live.tracks.map((t) => ({ ...t, revealed: true })),
    };
    // The ledger_seq guard makes a score appended after our read fail the publication instead of
    // being silently left out of a snapshot that claims an older head.
    const updated = await db
      .updateTable('events')
      .set({
        published_at: publishedAt,
        published_results: JSON.stringify(frozen),
        publication_version: version,
        revealed: JSON.stringify(data.tracks.map((t) => t.id)),
        updated_at: publishedAt,
      })
      .where('id', '=', eventId)
      .where('published_at', 'is', null)
      .where('ledger_seq', '=', data.event.ledger_seq)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('conflict', { detail: data.event.title });
    await audit(tctx, {
      eventId,
      action: 'results.published',
      target: data.event.title,
      after: {
        publishedAt,
        version,
        belowQuorum: short.map((r) => r.unitName),
        ledgerHead: frozen.ledgerHead,
        ledgerLength: frozen.ledgerLength,
        units: frozen.tracks.reduce((n, t) => n + t.rows.length, 0),
      },
      reason: quorumReason,
    });
    // The office, the leaders and every unit on the agenda hear of it, in the publication's transaction.
    const t = translator('zh-CN');
    const words = plainVars({ event: data.event.title, version });
    for (const unitId of [null, ...new Set(data.slots.map((s) => s.unit_id))])
      await enqueueNotice(tctx, {
        causeKey: `results:${eventId}:v${version}:${unitId ?? 'all'}`,
        kind: 'results_published',
        unitId,
        audiences: unitId ? ['unit'] : ['office', 'leaders'],
        title: t('results:notice.published.title', words),
        markdown: t('results:notice.published.body', words),
        linkPath: `/events/${eventId}/results`,
        mentionUserIds: [],
      });
  });
  // As every reader then sees it (the track names in the caller's language).
  return computeEventResults(ctx, eventId);
}
