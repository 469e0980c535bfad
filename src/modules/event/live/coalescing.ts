// When the live hub rebuilds an event's snapshots. The bus says only *what* changed; per event, the
// changes are coalesced into at most one rebuild per `coalesceMs` (leading edge when idle, then
// trailing), twice that while a burst goes on, and a client waiting for its first snapshot does not
// wait at all.
import type { FastifyBaseLogger } from 'fastify';
import type { LiveChange, LiveTopic } from '../../../platform/live-bus.ts';
import type { LiveAudience } from '../schemas.ts';

/** A pause in the changes of an event ends a burst: at least this long (see untilDue)… */
const QUIET_MS = 35;
/** …and at most this long, however far apart the burst's own changes came. */
const MAX_QUIET_MS = 150;

/** The rebuild timing of one watched event. */
export interface CoalescedEvent {
  readonly eventId: string;
  /** Topics changed since the last rebuild. */
  pending: Set<LiveTopic>;
  /** Audiences whose first client waits for a snapshot: built without waiting for the window. */
  initial: Set<LiveAudience>;
  timer: NodeJS.Timeout | null;
  running: boolean;
  lastRunAt: number;
  lastChangeAt: number;
  /** Smoothed gap between changes while they come in bursts (ms). */
  changeGapMs: number;
}

/** The timing of an event nothing happened to yet. */
export const idleTiming = (eventId: string): CoalescedEvent => ({
  eventId,
  pending: new Set(),
  initial: new Set(),
  timer: null,
  running: false,
  lastRunAt: 0,
  lastChangeAt: 0,
  changeGapMs: 0,
});

/**
 * Milliseconds until the pending changes of an event are due: coalesceMs after the last rebuild once
 * the changes paused, twice that after it while they keep coming.
 */
export function untilDue(
  ev: Pick<CoalescedEvent, 'lastRunAt' | 'lastChangeAt' | 'changeGapMs'>,
  now: number,
  coalesceMs: number,
): number {
  // A pause counts once it is clearly longer than the gaps of the burst so far: on PostgreSQL the
  // commits of a burst come tens of milliseconds apart, on SQLite a few.
  const quietAt = ev.lastChangeAt + Math.min(MAX_QUIET_MS, Math.max(QUIET_MS, 1.5 * ev.changeGapMs));
  const due =
    now >= quietAt
      ? ev.lastRunAt + coalesceMs
      : Math.min(ev.lastRunAt + 2 * coalesceMs, Math.max(quietAt, ev.lastRunAt + coalesceMs));
  return Math.max(0, due - now);
}

export interface CoalescerOptions<E extends CoalescedEvent> {
  coalesceMs: number;
  /** True once the hub closes: nothing is scheduled any more. */
  stopped(): boolean;
  /** The event's state while someone here watches it. */
  watched(eventId: string): E | undefined;
  watchedAll(): Iterable<E>;
  /** Rebuilds the audiences concerned by `topics`, and those in `initial` whatever the topics. */
  rebuild(ev: E, topics: ReadonlySet<LiveTopic>, initial: ReadonlySet<LiveAudience>): Promise<void>;
  /** Registers a running rebuild, so that closing the hub waits for it. */
  track<T>(p: Promise<T>): Promise<T>;
  log: Pick<FastifyBaseLogger, 'error'>;
}

export interface Coalescer<E extends CoalescedEvent> {
  /** Sets the event's timer for whatever is pending (a no-op while a rebuild runs: it reschedules). */
  schedule(ev: E): void;
  /** The bus listener. */
  onChange(change: LiveChange): void;
}

export function createCoalescer<E extends CoalescedEvent>(options: CoalescerOptions<E>): Coalescer<E> {
  const { coalesceMs, stopped, watched, log } = options;

  const schedule = (ev: E): void => {
    if (stopped() || ev.running) return;
    if (ev.pending.size === 0 && ev.initial.size === 0) return;
    // A client waiting for its first snapshot does not wait for the window.
    const wait = ev.initial.size > 0 ? 0 : untilDue(ev, Date.now(), coalesceMs);
    if (ev.timer) {
      if (wait > 0) return;
      clearTimeout(ev.timer);
    }
    ev.timer = setTimeout(() => {
      ev.timer = null;
      if (ev.initial.size === 0 && untilDue(ev, Date.now(), coalesceMs) > 0) schedule(ev);
      else void options.track(run(ev));
    }, wait);
  };

  const run = async (ev: E): Promise<void> => {
    if (stopped() || watched(ev.eventId) !== ev) return;
    // A run started early for a new audience leaves the other changes to the window's trailing edge.
    const due = Date.now() - ev.lastRunAt >= coalesceMs;
    const topics = due ? ev.pending : new Set<LiveTopic>();
    if (due) {
      ev.pending = new Set();
      ev.lastRunAt = Date.now();
    }
    const initial = ev.initial;
    ev.initial = new Set();
    ev.running = true;
    try {
      await options.rebuild(ev, topics, initial);
    } catch (err) {
      log.error({ err, eventId: ev.eventId }, 'live rebuild failed');
    } finally {
      ev.running = false;
      schedule(ev);
    }
  };

  const onChange = (change: LiveChange): void => {
    if (stopped()) return;
    if (change.eventId === '*') {
      // The bus reconnected and may have missed changes: everyone gets a fresh snapshot.
      for (const ev of options.watchedAll()) {
        ev.pending.add('event');
        schedule(ev);
      }
      return;
    }
    const ev = watched(change.eventId);
    if (!ev) return; // Nobody watches this event here.
    for (const t of change.topics) ev.pending.add(t);
    const now = Date.now();
    const gap = now - ev.lastChangeAt;
    ev.changeGapMs = gap < MAX_QUIET_MS ? 0.7 * ev.changeGapMs + 0.3 * gap : 0;
    ev.lastChangeAt = now;
    schedule(ev);
  };

  return { schedule, onChange };
}
