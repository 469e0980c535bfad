// Group commit of score submissions.
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
import type { Kysely } from 'kysely';
import type { Ctx } from '../../platform/context.ts';
import { notify } from '../../platform/context.ts';
import type { DB } from '../../platform/db/schema.ts';
import { type AppendedEntry, appendScoreEntries, appendScoreEntry, type NewScoreEntry } from './ledger.ts';

/** The slot closed (or the event locked) before the lock was ours: the entry was rolled back. */
export class ClosedMeanwhile extends Error {}

/** The same submission (judge, clientId) was committed by an earlier send queued in this process. */
export class SentMeanwhile extends Error {}

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

/**
 * Appends one entry through its event's queue; resolves once the commit holding it is durable. Rejects
 * with ClosedMeanwhile or SentMeanwhile (above) for the caller to answer.
 */
export async function appendCommitted(ctx: Ctx, entry: NewScoreEntry): Promise<AppendedEntry> {
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
