// The live hub: one WebSocket per client (GET /api/live?eventId=…, see docs/live.md and route.ts).
//
// Per event, changes are coalesced (coalescing.ts), each audience's snapshot is built once per rebuild
// (audiences.ts), serialized once and sent to every socket of that audience (sending.ts). Snapshots
// are complete and versioned, so a client that missed one (a slow socket we skipped, a reconnect) only
// needs the newest. This file keeps the clients (joining, leaving, heartbeat, session checks) and
// versions each rebuild's snapshots.
import type { FastifyBaseLogger } from 'fastify';
import type { Actor } from '../../../kernel/actor.ts';
import type { Ctx } from '../../../platform/context.ts';
import type { Database } from '../../../platform/db/database.ts';
import type { LiveTopic } from '../../../platform/live-bus.ts';
import { actorFromSession } from '../../accounts/index.ts';
import type { LiveAudience, LiveServerMessage, ScreenState } from '../schemas.ts';
import {
  affects,
  audienceOf,
  buildSnapshotBody,
  LIVE_CLOSE,
  type LiveBuilders,
  refusalReason,
  type SnapshotBody,
} from './audiences.ts';
import { type CoalescedEvent, createCoalescer, idleTiming } from './coalescing.ts';
import { type AudienceState, CLOSED, createSender, type LiveSocket, OPEN } from './sending.ts';

export interface LiveHubOptions {
  database: Database;
  builders: LiveBuilders;
  /** The app's clock: serverNow and the use cases' `now` follow it (tests move it). */
  clock: () => Date;
  log: Pick<FastifyBaseLogger, 'error' | 'warn'>;
  publicUrl?: string | undefined;
  /**
   * Minimum time between two rebuilds of one event; twice that while changes keep coming (see
   * untilDue). A burst of scores thus costs half the fan-out, and the screen still shows the final
   * count soon after the last one.
   */
  coalesceMs?: number;
  /**
   * WebSocket ping interval. A socket is terminated when two pings in a row went unanswered, so
   * 2–3 intervals after its last pong (one missed tick is tolerated: under load the timer can run
   * before the pong that already arrived is read).
   */
  heartbeatMs?: number;
  /** How often a connected socket's session is checked again (sign-out, revoked screen token). */
  revalidateMs?: number;
  /** A socket with more unsent bytes than this skips snapshots until it drains. */
  maxBufferedBytes?: number;
}

export interface LiveStats {
  /** Open, authorised sockets. */
  clients: number;
  /** Events with at least one socket. */
  events: number;
  /** Coalesced rebuilds run (each builds every affected audience of one event once). */
  rebuilds: number;
  /** Audience snapshots built. */
  builds: number;
  /** Builds that threw (the previous snapshot was kept). */
  buildErrors: number;
  /** Longest single audience build so far (ms), to see what a rebuild costs under load. */
  maxBuildMs: number;
  /** Messages sent to sockets (snapshots and refreshes, not hello/pong). */
  sent: number;
  /** Sends skipped because the socket's buffer was full (it gets a later snapshot). */
  skipped: number;
}

export interface LiveHub {
  /** Takes an upgraded socket; the handshake's actor and session token decide what it receives. */
  accept(
    socket: LiveSocket,
    input: { actor: Actor; sessionToken: string | undefined; eventId: unknown },
  ): void;
  stats(): LiveStats;
  close(): Promise<void>;
}

interface Client {
  socket: LiveSocket;
  eventId: string;
  audience: LiveAudience;
  /** The judge, for revalidation: a socket never moves to another judge's session. */
  judgeId: string | null;
  sessionToken: string | undefined;
  lastVersion: number;
  /** Pings sent since the last pong. */
  missed: number;
  revalidateAt: number;
  /** Message allowance (token bucket), refilled over time. */
  allowance: number;
  allowanceAt: number;
}

interface EventState extends CoalescedEvent {
  audiences: Map<LiveAudience, AudienceState<Client>>;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Strictly increasing per process, close to wall time, so a version also says roughly "when". */
function versionCounter(): () => number {
  let last = 0;
  return () => {
    last = Math.max(Date.now(), last + 1);
    return last;
  };
}

export function createLiveHub(options: LiveHubOptions): LiveHub {
  const { database, builders, clock, log } = options;
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const revalidateMs = options.revalidateMs ?? 60_000;
  const nextVersion = versionCounter();
  const events = new Map<string, EventState>();
  const inflight = new Set<Promise<unknown>>();
  const stats = { rebuilds: 0, builds: 0, buildErrors: 0, maxBuildMs: 0, sent: 0, skipped: 0 };
  let closed = false;

  const serverNow = (): number => clock().getTime();
  const refresh = (version: number): string =>
    JSON.stringify({ type: 'refresh', version, serverNow: serverNow() } satisfies LiveServerMessage);
  const baseCtx = (actor: Actor): Ctx => ({
    db: database.db,
    dbKind: database.kind,
    actor,
    now: clock(),
    publicUrl: options.publicUrl ?? '',
    locale: 'zh-CN',
    // No bus: building a snapshot must never announce a change (that would loop).
    bus: undefined,
  });

  const track = <T>(p: Promise<T>): Promise<T> => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p)).catch(() => undefined);
    return p;
  };

  const { sendRaw, sendLatest, broadcast } = createSender({
    maxBufferedBytes: options.maxBufferedBytes ?? 256 * 1024,
    stats,
    stopped: () => closed,
  });

  // ---------- building ----------

  const rebuild = async (
    ev: EventState,
    topics: ReadonlySet<LiveTopic>,
    initial: ReadonlySet<LiveAudience>,
  ) => {
    const targets = [...ev.audiences]
      .filter(([a, st]) => st.clients.size > 0 && (initial.has(a) || affects(a, topics)))
      .map(([a]) => a);
    if (targets.length === 0) return;
    stats.rebuilds++;
    const version = nextVersion();
    const shared: { screen?: Promise<ScreenState> } = {};
    await Promise.all(
      targets.map(async (audience) => {
        let body: string;
        let message: string;
        if (audience === 'judge') {
          // Judges get no data here, only the cue to refetch their own state through the API.
          body = '';
          message = refresh(version);
        } else {
          let payload: SnapshotBody;
          const started = performance.now();
          try {
            stats.builds++;
            payload = await buildSnapshotBody(builders, baseCtx, audience, ev.eventId, shared);
            stats.maxBuildMs = Math.max(stats.maxBuildMs, Math.round(performance.now() - started));
          } catch (err) {
            // A failing builder must not take the hub down: clients keep the previous snapshot.
            stats.buildErrors++;
            log.error({ err, eventId: ev.eventId, audience }, 'live snapshot build failed');
            return;
          }
          body = JSON.stringify(payload);
          const st = ev.audiences.get(audience);
          if (st?.last && st.last.body === body) {
            // Nothing this audience sees changed: no new version, but a client that joined while
            // this rebuild was due still gets the current one.
            broadcast(st);
            return;
          }
          message = JSON.stringify({
            type: 'snapshot',
            version,
            serverNow: serverNow(),
            ...payload,
          } satisfies LiveServerMessage);
        }
        // The audience may have emptied (or the event been dropped) while we built: a snapshot kept
        // for nobody would go stale, since nothing rebuilds an audience without clients.
        const st = events.get(ev.eventId)?.audiences.get(audience);
        if (!st || st.clients.size === 0) return;
        if (st.last && st.last.version > version) return;
        st.last = { version, body, message };
        broadcast(st);
      }),
    );
  };

  const { schedule, onChange } = createCoalescer<EventState>({
    coalesceMs: options.coalesceMs ?? 250,
    stopped: () => closed,
    watched: (eventId) => events.get(eventId),
    watchedAll: () => events.values(),
    rebuild,
    track,
    log,
  });
  const unsubscribe = database.bus.subscribe(onChange);

  // ---------- clients ----------

  const eventState = (eventId: string): EventState => {
    let ev = events.get(eventId);
    if (!ev) {
      ev = { ...idleTiming(eventId), audiences: new Map() };
      events.set(eventId, ev);
    }
    return ev;
  };

  const allClients = function* (): Generator<[Client, AudienceState<Client>]> {
    for (const ev of events.values())
      for (const st of ev.audiences.values()) for (const c of st.clients) yield [c, st];
  };

  const remove = (c: Client): void => {
    const ev = events.get(c.eventId);
    const st = ev?.audiences.get(c.audience);
    if (!ev || !st?.clients.delete(c)) return;
    if (st.clients.size === 0) ev.audiences.delete(c.audience);
    if (ev.audiences.size === 0) {
      if (ev.timer) clearTimeout(ev.timer);
      events.delete(c.eventId);
    }
  };

  const register = (c: Client): void => {
    const ev = eventState(c.eventId);
    let st = ev.audiences.get(c.audience);
    if (!st) {
      st = { clients: new Set(), last: null };
      ev.audiences.set(c.audience, st);
    }
    st.clients.add(c);
    sendRaw(
      c,
      JSON.stringify({
        type: 'hello',
        audience: c.audience,
        serverNow: serverNow(),
      } satisfies LiveServerMessage),
    );
    if (c.audience === 'judge') {
      // A (re)connected judge page refetches at once: it may have missed changes while away.
      const version = nextVersion();
      c.lastVersion = version;
      sendRaw(c, refresh(version));
      return;
    }
    if (st.last) {
      // Current unless a rebuild is due, which then reaches this client too.
      sendLatest(c, st);
    } else {
      ev.initial.add(c.audience);
      schedule(ev);
    }
  };

  const onMessage = (c: Client, data: unknown, isBinary: boolean): void => {
    const now = Date.now();
    // Token bucket: 20 messages of burst, 5 per second sustained. Far above what a client needs.
    c.allowance = Math.min(20, c.allowance + ((now - c.allowanceAt) / 1000) * 5);
    c.allowanceAt = now;
    if (c.allowance < 1) {
      c.socket.close(LIVE_CLOSE.policy, 'too many messages');
      return;
    }
    c.allowance -= 1;
    if (isBinary) return;
    let msg: unknown;
    try {
      msg = JSON.parse(String(data));
    } catch {
      return; // Not ours to answer.
    }
    const m = msg as { type?: unknown; t0?: unknown };
    if (m.type === 'ping' && typeof m.t0 === 'number' && Number.isFinite(m.t0)) {
      sendRaw(
        c,
        JSON.stringify({ type: 'pong', t0: m.t0, serverNow: serverNow() } satisfies LiveServerMessage),
      );
    }
  };

  const accept: LiveHub['accept'] = (socket, input) => {
    const pendingClose = (code: number, reason: string) => socket.close(code, reason);
    socket.on('error', () => undefined); // ws reports socket errors here; 'close' follows.
    if (closed) return pendingClose(LIVE_CLOSE.goingAway, 'server stopping');
    const eventId = typeof input.eventId === 'string' ? input.eventId : '';
    if (!ID_PATTERN.test(eventId)) return pendingClose(LIVE_CLOSE.badRequest, 'eventId');
    const audience = audienceOf(input.actor, eventId);
    if (typeof audience !== 'string') return pendingClose(audience.close, refusalReason(audience.close));
    const now = Date.now();
    const c: Client = {
      socket,
      eventId,
      audience,
      judgeId: input.actor.kind === 'judge' ? input.actor.judgeId : null,
      sessionToken: input.sessionToken,
      lastVersion: 0,
      missed: 0,
      // Spread the checks so that sockets opened together are not all checked in one tick.
      revalidateAt: now + revalidateMs * (0.5 + Math.random()),
      allowance: 20,
      allowanceAt: now,
    };
    let registered = false;
    let gone = false;
    // Listen at once: ws drops events that arrive before a listener exists.
    socket.on('message', (data, isBinary) => {
      if (registered) onMessage(c, data, isBinary);
    });
    socket.on('pong', () => {
      c.missed = 0;
    });
    socket.on('close', () => {
      gone = true;
      if (registered) remove(c);
    });
    const check = track(
      database.db
        .selectFrom('events')
        .select('id')
        .where('id', '=', eventId)
        .executeTakeFirst()
        .then((row) => {
          if (gone || closed) return;
          if (!row) return pendingClose(LIVE_CLOSE.notFound, 'event');
          registered = true;
          register(c);
        }),
    );
    check.catch((err) => {
      log.error({ err, eventId }, 'live connect failed');
      if (!gone) socket.close(1011, 'internal');
    });
  };

  // ---------- heartbeat and session checks ----------

  const revalidate = async (batch: Client[]): Promise<void> => {
    const byToken = new Map<string, Promise<Actor>>();
    await Promise.all(
      batch.map(async (c) => {
        const token = c.sessionToken ?? '';
        let actor = byToken.get(token);
        if (!actor) {
          actor = actorFromSession(
            { db: database.db, dbKind: database.kind, now: clock(), publicUrl: '', locale: 'zh-CN' },
            c.sessionToken,
          );
          byToken.set(token, actor);
        }
        const a = await actor;
        const audience = audienceOf(a, c.eventId);
        const sameJudge = a.kind !== 'judge' || a.judgeId === c.judgeId;
        if (audience === c.audience && sameJudge) return;
        const code = a.kind === 'anonymous' ? LIVE_CLOSE.unauthenticated : LIVE_CLOSE.forbidden;
        c.socket.close(code, refusalReason(code));
      }),
    );
  };

  const heartbeat = setInterval(() => {
    const now = Date.now();
    const due: Client[] = [];
    for (const [c, st] of allClients()) {
      if (c.missed >= 2) {
        // The peer is gone (phone asleep, Wi-Fi lost): free the socket now, no close handshake.
        c.socket.terminate();
        continue;
      }
      c.missed++;
      if (c.socket.readyState === OPEN) c.socket.ping();
      // A socket that skipped snapshots while its buffer was full catches up once it drained.
      sendLatest(c, st);
      if (c.revalidateAt <= now) {
        c.revalidateAt = now + revalidateMs;
        due.push(c);
      }
    }
    if (due.length > 0) {
      track(revalidate(due)).catch((err) => log.warn({ err }, 'live session check failed'));
    }
  }, heartbeatMs);
  heartbeat.unref();

  return {
    accept,
    stats: () => {
      let clients = 0;
      for (const _ of allClients()) clients++;
      return { clients, events: events.size, ...stats };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(heartbeat);
      const sockets: LiveSocket[] = [];
      for (const ev of events.values()) {
        if (ev.timer) clearTimeout(ev.timer);
        for (const st of ev.audiences.values()) for (const c of st.clients) sockets.push(c.socket);
      }
      for (const s of sockets) s.close(LIVE_CLOSE.goingAway, 'server stopping');
      // Builds in flight still use the database, which the caller closes after us.
      await Promise.allSettled([...inflight]);
      // Give clients a moment to answer the close frame, then cut the rest: app.close() waits for
      // every connection.
      const deadline = Date.now() + 1000;
      while (sockets.some((s) => s.readyState !== CLOSED) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      for (const s of sockets) if (s.readyState !== CLOSED) s.terminate();
      events.clear();
    },
  };
}
