// Live scoring: the organizer opens and closes each unit's scoring window, judges submit scores into
// the ledger, everyone with a right to it watches progress.
//
// Concurrency: the events row is the per-event lock. Every slot transition and every ledger append
// starts its transaction by updating that row, so on PostgreSQL they queue on its row lock and on
// SQLite on the write lock. A submission therefore re-reads the slot state after taking the lock: a
// close that committed first makes it fail (and roll back), a close that comes second waits for it.
import type { Kysely } from 'kysely';
import { requireJudge, requireOrganizer, requireUser } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { notify, nowIso } from '../../platform/context.ts';
import { precompiled } from '../../platform/db/precompiled.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Locale } from '../../platform/i18n/locales.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { type SubmissionIssue, validateSubmission } from './domain/rubric.ts';
import { loadCriteria, loadEventDetail, loadSlots } from './event-view.ts';
import {
  type AppendedEntry,
  appendScoreEntries,
  appendScoreEntry,
  isUniqueViolation,
  type NewScoreEntry,
} from './ledger.ts';
import type {
  CriterionView,
  EventDetail,
  JudgeSlotView,
  JudgeState,
  ProgressView,
  SlotView,
  SubmitScoreResult,
} from './schemas.ts';
import { presentTimer, timerStateOf } from './timer-view.ts';

type SlotState = SlotView['state'];
type EventStatus = JudgeState['event']['status'];

/** EXISTS comes back as 0/1 from SQLite and as a boolean from PostgreSQL. */
const truthy = (v: unknown): boolean => v === true || v === 1 || v === '1';

// ---------------------------------------------------------------------------------------------------
// Slot control (organizer)

/**
 * Takes the per-event lock (see the header) and returns the event's state as of now. Touching
 * updated_at is the write that takes the lock; it is also true: the event changes.
 */
async function lockEventRow(trx: Kysely<DB>, eventId: string, now: string) {
  const row = await trx
    .updateTable('events')
    .set({ updated_at: now })
    .where('id', '=', eventId)
    .returning(['id', 'title', 'status', 'scoring_started'])
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', { what: 'event' });
  return row;
}

async function loadSlotRow(db: Kysely<DB>, eventId: string, slotId: string) {
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

type SlotRowWithUnit = Awaited<ReturnType<typeof loadSlotRow>>;

function presentSlot(s: SlotRowWithUnit): SlotView {
  return {
    id: s.id,
    trackId: s.track_id,
    unitId: s.unit_id,
    unitName: s.unit_name,
    position: Number(s.position),
    timeLimitSec: Number(s.time_limit_sec),
    overtimeSec: Number(s.overtime_sec),
    manualPenalty: Number(s.manual_penalty),
    state: s.state as SlotState,
    openedAt: s.opened_at,
    closedAt: s.closed_at,
  };
}

type SlotAction = 'open' | 'close' | 'reopen';

/**
 * The slot's window: pending → open → closed, and closed → open again only by reopen (with a reason).
 * Asking for the state a slot already has is a no-op that answers the current view, so a double click
 * on the host console does no harm.
 */
function nextState(action: SlotAction, state: SlotState): SlotState | null {
  switch (action) {
    case 'open':
      if (state === 'closed') throw new AppError('slot_already_closed');
      return state === 'pending' ? 'open' : null;
    case 'close':
      if (state === 'pending') throw new AppError('slot_not_open');
      return state === 'open' ? 'closed' : null;
    case 'reopen':
      if (state === 'pending') throw new AppError('slot_not_open');
      return state === 'closed' ? 'open' : null;
  }
}

async function changeSlot(
  ctx: Ctx,
  eventId: string,
  slotId: string,
  action: SlotAction,
  reason: string | null,
): Promise<SlotView> {
  requireOrganizer(ctx.actor);
  const now = nowIso(ctx);
  const { view, changed } = await ctx.db.transaction().execute(async (trx) => {
    const event = await lockEventRow(trx, eventId, now);
    if (event.status === 'locked') throw new AppError('event_locked');
    const slot = await loadSlotRow(trx, eventId, slotId);
    const state = slot.state as SlotState;
    const next = nextState(action, state);
    if (next === null) return { view: presentSlot(slot), changed: false };

    const patch =
      next === 'open' ? { state: next, opened_at: now, closed_at: null } : { state: next, closed_at: now };
    await trx.updateTable('slots').set(patch).where('id', '=', slotId).execute();
    if (next === 'open' && (event.status !== 'active' || Number(event.scoring_started) !== 1)) {
      await trx
        .updateTable('events')
        .set({ status: 'active', scoring_started: 1 })
        .where('id', '=', eventId)
        .execute();
    }
    const updated = { ...slot, ...patch };
    await audit(
      { ...ctx, db: trx },
      {
        eventId,
        action: `slot.${action}`,
        target: slot.unit_name,
        before: { state, openedAt: slot.opened_at, closedAt: slot.closed_at },
        after: { state: next, openedAt: updated.opened_at, closedAt: updated.closed_at },
        reason,
      },
    );
    return { view: presentSlot(updated), changed: true };
  });
  if (changed) notify(ctx, eventId, 'slots', 'progress', 'event');
  return view;
}

/** Opens a unit's scoring window; the first one opened makes the event active. */
export function openSlot(ctx: Ctx, eventId: string, slotId: string): Promise<SlotView> {
  return changeSlot(ctx, eventId, slotId, 'open', null);
}

export function closeSlot(ctx: Ctx, eventId: string, slotId: string): Promise<SlotView> {
  return changeSlot(ctx, eventId, slotId, 'close', null);
}

/** Reopening changes what counts after judges saw the window close, so it needs a reason on record. */
export function reopenSlot(ctx: Ctx, eventId: string, slotId: string, reason: string): Promise<SlotView> {
  requireOrganizer(ctx.actor);
  const why = reason.trim();
  if (why === '') throw new AppError('reopen_reason_required');
  return changeSlot(ctx, eventId, slotId, 'reopen', why);
}

/** Ends the event: open windows close, and from now on nothing about it changes. */
export async function lockEvent(ctx: Ctx, eventId: string): Promise<EventDetail> {
  requireOrganizer(ctx.actor);
  const now = nowIso(ctx);
  const changed = await ctx.db.transaction().execute(async (trx) => {
    const event = await lockEventRow(trx, eventId, now);
    if (event.status === 'locked') return false;
    const open = await trx
      .selectFrom('slots')
      .innerJoin('units', 'units.id', 'slots.unit_id')
      .select(['slots.id', 'units.name'])
      .where('slots.event_id', '=', eventId)
      .where('slots.state', '=', 'open')
      .execute();
    if (open.length > 0) {
      await trx
        .updateTable('slots')
        .set({ state: 'closed', closed_at: now })
        .where('event_id', '=', eventId)
        .where('state', '=', 'open')
        .execute();
    }
    await trx.updateTable('events').set({ status: 'locked' }).where('id', '=', eventId).execute();
    await audit(
      { ...ctx, db: trx },
      {
        eventId,
        action: 'event.lock',
        target: event.title,
        before: { status: event.status },
        after: { status: 'locked', closedSlots: open.map((s) => s.name) },
      },
    );
    return true;
  });
  if (changed) notify(ctx, eventId, 'event', 'slots', 'progress');
  return loadEventDetail(ctx, eventId);
}

// ---------------------------------------------------------------------------------------------------
// Progress (organizer, observer)

/**
 * "N of M" per slot: M = the event's judges not affiliated with the unit, N = those of them with an
 * entry. Never values. Observers watch fairness, not people: they get the counts without names.
 */
export async function getProgress(ctx: Ctx, eventId: string): Promise<ProgressView> {
  const user = requireUser(ctx.actor, 'organizer', 'observer');
  const event = await ctx.db.selectFrom('events').select('id').where('id', '=', eventId).executeTakeFirst();
  if (!event) throw new AppError('not_found', { what: 'event' });

  const [slots, judges, affiliations, scored] = await Promise.all([
    loadSlots(ctx, eventId),
    ctx.db
      .selectFrom('judges')
      .select(['id', 'name'])
      .where('event_id', '=', eventId)
      .orderBy('sort')
      .orderBy('id')
      .execute(),
    ctx.db
      .selectFrom('judge_affiliations')
      .innerJoin('judges', 'judges.id', 'judge_affiliations.judge_id')
      .select(['judge_affiliations.judge_id', 'judge_affiliations.unit_id'])
      .where('judges.event_id', '=', eventId)
      .execute(),
    ctx.db
      .selectFrom('score_entries')
      .select(['slot_id', 'judge_id'])
      .distinct()
      .where('event_id', '=', eventId)
      .execute(),
  ]);

  const recused = new Set(affiliations.map((a) => `${a.judge_id}\u0000${a.unit_id}`));
  const hasEntry = new Set(scored.map((s) => `${s.slot_id}\u0000${s.judge_id}`));
  const showNames = user.role === 'organizer';

  return {
    slots: slots.map((slot) => {
      const eligible = judges.filter((j) => !recused.has(`${j.id}\u0000${slot.unitId}`));
      const missing = eligible.filter((j) => !hasEntry.has(`${slot.id}\u0000${j.id}`));
      return {
        slotId: slot.id,
        state: slot.state,
        scored: eligible.length - missing.length,
        eligible: eligible.length,
        missing: showNames ? missing.map((j) => ({ judgeId: j.id, name: j.name })) : [],
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------
// Submissions (judge)

const criterionName = (c: CriterionView, locale: Locale): string =>
  locale === 'zh-CN' ? c.nameZh : c.nameEn || c.nameZh;

// Punctuation between issues, per language (not words, so not in the locale files).
const issueSeparator: Record<Locale, string> = { 'zh-CN': '；', 'en-US': '; ' };

/** One readable line listing every issue, in the caller's language, naming the criteria. */
function describeIssues(
  criteria: readonly CriterionView[],
  issues: readonly SubmissionIssue[],
  locale: Locale,
): string {
  const t = translator(locale);
  const byId = new Map(criteria.map((c) => [c.id, c]));
  return issues
    .map((issue) => {
      const c = issue.criterionId === null ? undefined : byId.get(issue.criterionId);
      const criterion = c ? criterionName(c, locale) : (issue.criterionId ?? '');
      return t(`errors:issues.${issue.code}`, { criterion, max: issue.max, step: issue.step });
    })
    .join(issueSeparator[locale]);
}

/** The first accepted entry for (judge, clientId), as the judge was told about it. */
async function findSubmitted(
  db: Kysely<DB>,
  judgeId: string,
  clientId: string,
): Promise<SubmitScoreResult | null> {
  const row = await db
    .selectFrom('score_entries as e')
    .select((eb) => [
      'e.id',
      'e.slot_id',
      'e.total',
      'e.created_at',
      eb
        .selectFrom('score_entries as p')
        .select((p) => p.fn.countAll().as('n'))
        .whereRef('p.slot_id', '=', 'e.slot_id')
        .whereRef('p.judge_id', '=', 'e.judge_id')
        .whereRef('p.seq', '<=', 'e.seq')
        .as('version'),
    ])
    .where('e.judge_id', '=', judgeId)
    .where('e.client_id', '=', clientId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    entryId: row.id,
    slotId: row.slot_id,
    total: Number(row.total),
    version: Number(row.version),
    duplicate: true,
    createdAt: row.created_at,
  };
}

/**
 * Everything a submission is checked against, in one query: the slot, its event's status, the unit's
 * name, whether this judge is recused from it, an earlier entry with this clientId, and the rubric
 * (one row per criterion, the slot's columns repeated).
 */
const submissionContext = precompiled(['judgeId', 'slotId', 'clientId'], (db, p) =>
  db
    .selectFrom('slots')
    .innerJoin('events', 'events.id', 'slots.event_id')
    .innerJoin('units', 'units.id', 'slots.unit_id')
    .leftJoin('criteria', 'criteria.event_id', 'slots.event_id')
    .select((eb) => [
      'slots.event_id',
      'slots.state',
      'events.status',
      'units.name as unit_name',
      eb
        .exists(
          eb
            .selectFrom('judge_affiliations')
            .select('judge_affiliations.judge_id')
            .where('judge_affiliations.judge_id', '=', p.judgeId)
            .whereRef('judge_affiliations.unit_id', '=', 'slots.unit_id'),
        )
        .as('recused'),
      eb
        .selectFrom('score_entries')
        .select('score_entries.id')
        .where('score_entries.judge_id', '=', p.judgeId)
        .where('score_entries.client_id', '=', p.clientId)
        .as('earlier_id'),
      'criteria.id as criterion_id',
      'criteria.name_zh',
      'criteria.name_en',
      'criteria.max_points',
      'criteria.step',
      'criteria.sort',
    ])
    .where('slots.id', '=', p.slotId),
);

async function loadSubmissionContext(db: Kysely<DB>, judgeId: string, slotId: string, clientId: string) {
  const rows = await submissionContext(db, { judgeId, slotId, clientId });
  const first = rows[0];
  if (!first) return null;
  const criteria: CriterionView[] = [];
  for (const r of rows) {
    if (r.criterion_id === null) continue;
    criteria.push({
      id: r.criterion_id,
      nameZh: r.name_zh ?? '',
      nameEn: r.name_en ?? '',
      maxPoints: Number(r.max_points),
      step: Number(r.step),
      sort: Number(r.sort),
    });
  }
  criteria.sort((a, b) => a.sort - b.sort || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    eventId: first.event_id,
    state: first.state,
    status: first.status,
    unitName: first.unit_name,
    recused: truthy(first.recused),
    earlierId: first.earlier_id,
    criteria,
  };
}

/**
 * Stores one judge's score for one slot as a new ledger entry and answers only after it committed.
 * Retries are safe: the same clientId from the same judge returns the first entry (duplicate: true).
 *
 * Statements on the hot path: the session (one precompiled join, in the request hook), the context
 * (one precompiled query, above), then a share of one group commit (below): a lone submission's
 * transaction has three statements (lock and bump seq, insert, move the head while re-reading the
 * window under the lock), a batch of n has five or so for all n together.
 */
export async function submitScore(
  ctx: Ctx,
  input: { clientId: string; slotId: string; values: Record<string, unknown> },
): Promise<SubmitScoreResult> {
  const judge = requireJudge(ctx.actor);
  const slot = await loadSubmissionContext(ctx.db, judge.judgeId, input.slotId, input.clientId);
  if (!slot) throw new AppError('not_found', { what: 'slot' });

  // A retry of an accepted submission is answered as such, whatever happened since (even a close).
  if (slot.earlierId) {
    const earlier = await findSubmitted(ctx.db, judge.judgeId, input.clientId);
    if (earlier) return earlier;
  }
  if (slot.eventId !== judge.eventId) throw new AppError('slot_wrong_event');
  if (slot.recused) throw new AppError('judge_recused');

  const checked = validateSubmission(
    slot.criteria.map((c) => ({
      id: c.id,
      nameZh: c.nameZh,
      nameEn: c.nameEn,
      maxPoints: c.maxPoints,
      step: c.step,
    })),
    input.values,
  );
  if (!checked.ok) {
    throw new AppError(
      'score_invalid',
      { detail: describeIssues(slot.criteria, checked.issues, ctx.locale) },
      { issues: checked.issues },
    );
  }

  const rejectLate = async (): Promise<never> => {
    // Kept for the record (a dispute may ask what a judge tried to send), never counted.
    await audit(ctx, {
      eventId: judge.eventId,
      action: 'score.rejected_late',
      target: slot.unitName,
      after: {
        slotId: input.slotId,
        judgeId: judge.judgeId,
        clientId: input.clientId,
        values: checked.values,
      },
    });
    throw new AppError('slot_closed');
  };
  if (slot.state === 'pending' && slot.status !== 'locked') throw new AppError('slot_not_open');
  if (slot.state !== 'open' || slot.status === 'locked') return rejectLate();

  try {
    const entry = await appendCommitted(ctx, {
      eventId: judge.eventId,
      slotId: input.slotId,
      judgeId: judge.judgeId,
      clientId: input.clientId,
      values: checked.values,
      total: checked.total,
      createdAt: nowIso(ctx),
    });
    return {
      entryId: entry.id,
      slotId: entry.slotId,
      total: entry.total,
      version: entry.version,
      duplicate: false,
      createdAt: entry.createdAt,
    };
  } catch (e) {
    if (e instanceof ClosedMeanwhile) return rejectLate();
    // Two sends of the same submission raced past the first check: the loser answers with the winner.
    if (isUniqueViolation(e) || e instanceof SentMeanwhile) {
      const earlier = await findSubmitted(ctx.db, judge.judgeId, input.clientId);
      if (earlier) return earlier;
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------
// Group commit of submissions
//
// Every append serializes on the event's lock and ends in a durable commit (an fsync on SQLite with
// synchronous = FULL, a WAL flush on PostgreSQL). Done one by one, a burst of submissions waits in
// line for one fsync each. Instead, the submissions of one event that arrive while a commit is under
// way wait in a queue, and the next commit takes all of them: one lock, one seq bump, multi-row
// inserts, one head move, one fsync, one live notification. Nobody is answered before the commit that
// holds their entry; an idle server commits a lone submission at once (no added delay beyond one turn
// of the event loop). If anything in a batch is off (a window closed under the lock, a resend from
// another process raced in), the batch rolls back and its entries are appended one by one, each with
// its own outcome — the rare path is the original, simple one.

/** The slot closed (or the event locked) before the lock was ours: the entry was rolled back. */
class ClosedMeanwhile extends Error {}

/** The same submission (judge, clientId) was committed by an earlier send queued in this process. */
class SentMeanwhile extends Error {}

/** Entries per commit: a bound on statement size and on how long one commit holds the lock. */
const MAX_BATCH = 256;

interface Waiter {
  entry: NewScoreEntry;
  bus: Ctx['bus'];
  resolve(entry: AppendedEntry): void;
  reject(error: unknown): void;
}

interface EventQueue {
  waiting: Waiter[];
  /** A flush is scheduled or running. */
  busy: boolean;
  /** (judge, clientId) → the append in flight for it, so a resend waits for the first send. */
  inFlight: Map<string, Promise<AppendedEntry>>;
}

/** Per database handle (one per process and storage), per event. */
const queues = new WeakMap<Kysely<DB>, Map<string, EventQueue>>();

function queueOf(db: Kysely<DB>, eventId: string): EventQueue {
  let byEvent = queues.get(db);
  if (!byEvent) {
    byEvent = new Map();
    queues.set(db, byEvent);
  }
  let q = byEvent.get(eventId);
  if (!q) {
    q = { waiting: [], busy: false, inFlight: new Map() };
    byEvent.set(eventId, q);
  }
  return q;
}

const isLate = (a: AppendedEntry): boolean => a.slotState !== 'open' || a.eventStatus === 'locked';

/**
 * Progress notifications, at most one per event per PROGRESS_NOTIFY_MS and bus: the first at once
 * (an idle hall sees a score immediately), later ones folded into one at the end of the window — never
 * before the commit they announce, never dropped. Receivers re-read the state, so one notification
 * covers every commit before it; on PostgreSQL each one is a NOTIFY round trip saved.
 */
const PROGRESS_NOTIFY_MS = 20;
const progressNotices = new WeakMap<
  NonNullable<Ctx['bus']>,
  Map<string, { lastAt: number; timer: NodeJS.Timeout | null }>
>();

function notifyProgress(bus: Ctx['bus'], eventId: string): void {
  if (!bus) return;
  let byEvent = progressNotices.get(bus);
  if (!byEvent) {
    byEvent = new Map();
    progressNotices.set(bus, byEvent);
  }
  const state = byEvent.get(eventId) ?? { lastAt: 0, timer: null };
  byEvent.set(eventId, state);
  if (state.timer) return; // the window's trailing notification is already due
  const wait = state.lastAt + PROGRESS_NOTIFY_MS - Date.now();
  if (wait <= 0) {
    state.lastAt = Date.now();
    notify({ bus }, eventId, 'progress');
    return;
  }
  state.timer = setTimeout(() => {
    state.timer = null;
    state.lastAt = Date.now();
    notify({ bus }, eventId, 'progress');
  }, wait);
  // A script that ends right after a score need not wait for the notice: nobody listens there.
  state.timer.unref();
}

function announce(waiters: readonly Waiter[], eventId: string): void {
  // One notification per commit at most, whatever its size (all waiters of a process share one bus).
  for (const bus of new Set(waiters.map((w) => w.bus))) notifyProgress(bus, eventId);
}

async function appendOne(db: Kysely<DB>, w: Waiter): Promise<void> {
  try {
    const appended = await db.transaction().execute(async (trx) => {
      const a = await appendScoreEntry(trx, w.entry);
      // Read under the lock: a close that committed before us shows here (a later one waits for us).
      if (isLate(a)) throw new ClosedMeanwhile();
      return a;
    });
    w.resolve(appended);
    announce([w], w.entry.eventId);
  } catch (e) {
    w.reject(e);
  }
}

async function commitBatch(db: Kysely<DB>, batch: readonly Waiter[]): Promise<void> {
  if (batch.length === 1) return appendOne(db, batch[0]!);
  const eventId = batch[0]!.entry.eventId;
  let appended: AppendedEntry[] | null = null;
  try {
    appended = await db.transaction().execute(async (trx) => {
      const all = await appendScoreEntries(
        trx,
        batch.map((w) => w.entry),
      );
      // Roll the whole batch back; the one-by-one path below gives each entry its own answer.
      if (all.some(isLate)) throw new ClosedMeanwhile();
      return all;
    });
  } catch {
    appended = null;
  }
  if (appended) {
    for (const [i, w] of batch.entries()) w.resolve(appended[i]!);
    announce(batch, eventId);
    return;
  }
  for (const w of batch) await appendOne(db, w);
}

async function flush(db: Kysely<DB>, q: EventQueue): Promise<void> {
  try {
    while (q.waiting.length > 0) await commitBatch(db, q.waiting.splice(0, MAX_BATCH));
  } finally {
    q.busy = false;
    if (q.waiting.length > 0) schedule(db, q);
  }
}

function schedule(db: Kysely<DB>, q: EventQueue): void {
  if (q.busy) return;
  q.busy = true;
  // After the current turn of the event loop: requests already received reach the queue first.
  setImmediate(() => void flush(db, q));
}

/** Appends one entry through its event's queue; resolves once the commit holding it is durable. */
async function appendCommitted(ctx: Ctx, entry: NewScoreEntry): Promise<AppendedEntry> {
  const q = queueOf(ctx.db, entry.eventId);
  const key = `${entry.judgeId}\u0000${entry.clientId}`;
  const first = q.inFlight.get(key);
  if (first) {
    // A resend while the first send is queued: answer with the first once it committed; if it failed,
    // try on our own (the failure may not repeat).
    const committed = await first.then(
      () => true,
      () => false,
    );
    if (committed) throw new SentMeanwhile();
  }
  const appended = new Promise<AppendedEntry>((resolve, reject) => {
    q.waiting.push({ entry, bus: ctx.bus, resolve, reject });
    schedule(ctx.db, q);
  });
  q.inFlight.set(key, appended);
  const forget = (): void => {
    if (q.inFlight.get(key) === appended) q.inFlight.delete(key);
  };
  appended.then(forget, forget);
  return appended;
}

// ---------------------------------------------------------------------------------------------------
// The judge's page

/** What one judge's phone shows: the rubric, the slots and their own latest scores, nobody else's. */
export async function getJudgeState(ctx: Ctx): Promise<JudgeState> {
  const actor = requireJudge(ctx.actor);
  const me = await ctx.db
    .selectFrom('judges')
    .innerJoin('panels', 'panels.id', 'judges.panel_id')
    .innerJoin('events', 'events.id', 'judges.event_id')
    .select([
      'judges.id',
      'judges.name',
      'panels.name as panel_name',
      'events.id as event_id',
      'events.title',
      'events.status',
    ])
    .where('judges.id', '=', actor.judgeId)
    .where('judges.event_id', '=', actor.eventId)
    .executeTakeFirst();
  if (!me) throw new AppError('not_found', { what: 'judge' });

  const [criteria, slots, timers, affiliations, entries] = await Promise.all([
    loadCriteria(ctx, me.event_id),
    loadSlots(ctx, me.event_id),
    ctx.db
      .selectFrom('slots')
      .select([
        'id',
        'time_limit_sec',
        'timer_started_at',
        'timer_paused_at',
        'timer_paused_ms',
        'timer_extended_sec',
        'timer_stopped_at',
      ])
      .where('event_id', '=', me.event_id)
      .execute(),
    ctx.db.selectFrom('judge_affiliations').select('unit_id').where('judge_id', '=', me.id).execute(),
    ctx.db
      .selectFrom('score_entries')
      .select(['slot_id', 'score_values', 'total', 'created_at', 'seq'])
      .where('event_id', '=', me.event_id)
      .where('judge_id', '=', me.id)
      .orderBy('seq')
      .execute(),
  ]);
  const trackIds = [...new Set(slots.map((s) => s.trackId))];
  const tracks =
    trackIds.length === 0
      ? []
      : await ctx.db
          .selectFrom('tracks')
          .select(['id', 'name_zh', 'name_en'])
          .where('id', 'in', trackIds)
          .execute();
  const trackName = new Map(
    tracks.map((t) => [t.id, ctx.locale === 'zh-CN' ? t.name_zh : t.name_en || t.name_zh] as const),
  );

  const timerOf = new Map(timers.map((t) => [t.id, presentTimer(t.id, timerStateOf(t))]));
  const affiliated = new Set(affiliations.map((a) => a.unit_id));
  const mine = new Map<string, NonNullable<JudgeSlotView['mine']>>();
  for (const e of entries) {
    const version = (mine.get(e.slot_id)?.version ?? 0) + 1;
    mine.set(e.slot_id, {
      values: JSON.parse(e.score_values) as Record<string, number>,
      total: Number(e.total),
      version,
      createdAt: e.created_at,
    });
  }
  const views: JudgeSlotView[] = slots.map((s) => ({
    id: s.id,
    unitName: s.unitName,
    trackName: trackName.get(s.trackId) ?? '',
    position: s.position,
    state: s.state,
    recused: affiliated.has(s.unitId),
    timer: timerOf.get(s.id) ?? null,
    mine: mine.get(s.id) ?? null,
  }));
  // Stable sort: open slots move to the front, everything else keeps agenda order.
  views.sort((a, b) => Number(b.state === 'open') - Number(a.state === 'open'));

  return {
    event: { id: me.event_id, title: me.title, status: me.status as EventStatus },
    judge: { id: me.id, name: me.name, panelName: me.panel_name },
    criteria,
    slots: views,
  };
}
