// Live updates over one WebSocket per client (GET /api/live?eventId=…), see docs/live.md.
//
// The bus says only *what* changed. Per event, changes are coalesced (at most one rebuild per
// `coalesceMs`: leading edge when idle, then trailing), each audience's snapshot is built once per
// rebuild through the same authorised use cases as the HTTP API, serialized once and sent to every
// socket of that audience. Snapshots are complete and versioned, so a client that missed one (a slow
// socket we skipped, a reconnect) only needs the newest.
import fastifyWebsocket from '@fastify/websocket';
import type { FastifyBaseLogger } from 'fastify';
import type { Actor } from '../../../kernel/actor.ts';
import type { Ctx } from '../../../platform/context.ts';
import type { Database } from '../../../platform/db/database.ts';
import type { App } from '../../../platform/http/app.ts';
import type { LiveChange, LiveTopic } from '../../../platform/live-bus.ts';
import { actorFromSession } from '../../accounts/index.ts';
import { getHostState } from '../host.ts';
import type { HostState, LiveAudience, LiveServerMessage, ScreenState } from '../schemas.ts';
import { getScreenState } from '../screen.ts';

/**
 * Close codes of /api/live (4000–4999 are the application's range). A client must not reconnect
 * after 4400/4401/4403/4404 without a user action: the answer would be the same.
 */
export const LIVE_CLOSE = {
  /** eventId missing or malformed. */
  badRequest: 4400,
  /** No valid session, or the session ended while connected (sign-out, expiry, disabled account). */
  unauthenticated: 4401,
  /** The actor may not watch this event (reporter, a judge or screen of another event…). */
  forbidden: 4403,
  /** No such event. */
  notFound: 4404,
  /** The server is stopping; reconnect. */
  goingAway: 1001,
  /** The client floods us with messages. */
  policy: 1008,
} as const;

/** Incoming frames larger than this close the socket (1009): clients only send tiny pings. */
export const LIVE_MAX_CLIENT_MESSAGE_BYTES = 1024;

/** Builds the snapshot of an audience; the actor in ctx is the audience's role, never a person. */
export interface LiveBuilders {
  host(ctx: Ctx, eventId: string): Promise<HostState>;
  screen(ctx: Ctx, eventId: string): Promise<ScreenState>;
}

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

/** The part of a `ws` WebSocket the hub uses (`ws` ships no type declarations of its own). */
export interface LiveSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string, cb?: (err?: Error) => void): void;
  ping(): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown;
  on(event: 'pong' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

const OPEN = 1;
/** Sockets sent to per turn of the event loop (see broadcast). */
const BROADCAST_CHUNK = 50;
/** A pause in the changes of an event ends a burst: at least this long (see untilDue)… */
const QUIET_MS = 35;
/** …and at most this long, however far apart the burst's own changes came. */
const MAX_QUIET_MS = 150;

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

interface Sent {
  version: number;
  /** The audience payload as JSON, to recognise a rebuild that changed nothing for it. */
  body: string;
  message: string;
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

interface AudienceState {
  clients: Set<Client>;
  /** Latest snapshot of the audience; dropped when its last client leaves (it would go stale). */
  last: Sent | null;
}

interface EventState {
  eventId: string;
  audiences: Map<LiveAudience, AudienceState>;
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

/** Judges refetch their own state; only these topics change what the judge page shows. */
const JUDGE_TOPICS: ReadonlySet<LiveTopic> = new Set<LiveTopic>(['slots', 'event', 'timer']);

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Which audience an actor joins for an event, or the close code that refuses it. */
export function audienceOf(actor: Actor, eventId: string): LiveAudience | { close: number } {
  switch (actor.kind) {
    case 'anonymous':
      return { close: LIVE_CLOSE.unauthenticated };
    case 'judge':
      return actor.eventId === eventId ? 'judge' : { close: LIVE_CLOSE.forbidden };
    case 'screen':
      return actor.eventId === eventId ? 'screen' : { close: LIVE_CLOSE.forbidden };
    case 'user':
      if (actor.mustChangePassword) return { close: LIVE_CLOSE.forbidden };
      if (actor.role === 'organizer' || actor.role === 'observer' || actor.role === 'leader')
        return actor.role;
      return { close: LIVE_CLOSE.forbidden };
  }
}

/**
 * The actor a snapshot is built as: the audience's role, not the person who connected, because every
 * member of an audience must see exactly the same thing (and one person's expiry must not starve
 * the others).
 */
function audienceActor(audience: Exclude<LiveAudience, 'judge'>, eventId: string): Actor {
  if (audience === 'screen') return { kind: 'screen', eventId, name: 'live' };
  return {
    kind: 'user',
    userId: `live:${audience}`,
    name: 'live',
    role: audience,
    unitId: null,
    mustChangePassword: false,
  };
}

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
  const coalesceMs = options.coalesceMs ?? 250;
  const busyCoalesceMs = 2 * coalesceMs;
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const revalidateMs = options.revalidateMs ?? 60_000;
  const maxBuffered = options.maxBufferedBytes ?? 256 * 1024;
  const nextVersion = versionCounter();
  const events = new Map<string, EventState>();
  const inflight = new Set<Promise<unknown>>();
  const stats = { rebuilds: 0, builds: 0, buildErrors: 0, maxBuildMs: 0, sent: 0, skipped: 0 };
  let closed = false;

  const serverNow = (): number => clock().getTime();
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

  // ---------- sending ----------

  const sendRaw = (c: Client, message: string): void => {
    if (c.socket.readyState === OPEN) c.socket.send(message);
  };

  /** Sends the audience's latest message unless the client has it or cannot take it now. */
  const sendLatest = (c: Client, st: AudienceState): void => {
    const last = st.last;
    if (!last || c.lastVersion >= last.version || c.socket.readyState !== OPEN) return;
    if (c.socket.bufferedAmount > maxBuffered) {
      // Never queue unboundedly: this socket gets the newest snapshot once its buffer drains.
      stats.skipped++;
      return;
    }
    c.lastVersion = last.version;
    stats.sent++;
    c.socket.send(last.message, (err) => {
      // A newer snapshot may have been skipped while this one was in flight: catch up now.
      if (!err && st.last && c.lastVersion < st.last.version) sendLatest(c, st);
    });
  };

  // A send costs the event loop a syscall (on loopback also the receiver's TCP work): 2,000 sockets
  // in one go held it for ~100 ms, during which no score was acknowledged. So a broadcast goes out
  // BROADCAST_CHUNK sockets per turn of the loop; requests and database replies get a turn in between.
  // Later chunks send whatever is latest by then (sendLatest), never an outdated snapshot.
  const broadcast = (st: AudienceState): void => {
    const clients = [...st.clients];
    let i = 0;
    const step = (): void => {
      const end = Math.min(i + BROADCAST_CHUNK, clients.length);
      for (; i < end; i++) sendLatest(clients[i]!, st);
      if (i < clients.length && !closed) setImmediate(step);
    };
    step();
  };

  // ---------- building ----------

  const buildBody = async (
    audience: Exclude<LiveAudience, 'judge'>,
    eventId: string,
    shared: { screen?: Promise<ScreenState> },
  ): Promise<Pick<Extract<LiveServerMessage, { type: 'snapshot' }>, 'host' | 'screen'>> => {
    const ctx = baseCtx(audienceActor(audience, eventId));
    // What the hall sees is the same for every audience that sees it (the screen state depends on
    // the event only): built once per rebuild, not once per audience.
    const screen = () => {
      shared.screen ??= builders.screen(ctx, eventId);
      return shared.screen;
    };
    if (audience === 'organizer') {
      // The console shows what the hall sees beside its own controls.
      const [host, shown] = await Promise.all([builders.host(ctx, eventId), screen()]);
      return { host, screen: shown };
    }
    return { screen: await screen() };
  };

  const affects = (audience: LiveAudience, topics: ReadonlySet<LiveTopic>): boolean => {
    if (audience !== 'judge') return topics.size > 0;
    for (const t of topics) if (JUDGE_TOPICS.has(t)) return true;
    return false;
  };

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
          message = JSON.stringify({
            type: 'refresh',
            version,
            serverNow: serverNow(),
          } satisfies LiveServerMessage);
        } else {
          let payload: Awaited<ReturnType<typeof buildBody>>;
          const started = performance.now();
          try {
            stats.builds++;
            payload = await buildBody(audience, ev.eventId, shared);
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

  // ---------- coalescing ----------

  const schedule = (ev: EventState): void => {
    if (closed || ev.running) return;
    if (ev.pending.size === 0 && ev.initial.size === 0) return;
    // A client waiting for its first snapshot does not wait for the window.
    const wait = ev.initial.size > 0 ? 0 : untilDue(ev, Date.now());
    if (ev.timer) {
      if (wait > 0) return;
      clearTimeout(ev.timer);
    }
    ev.timer = setTimeout(() => {
      ev.timer = null;
      if (ev.initial.size === 0 && untilDue(ev, Date.now()) > 0) schedule(ev);
      else void track(run(ev));
    }, wait);
  };

  /**
   * Milliseconds until the pending changes of an event are due: coalesceMs after the last rebuild once
   * the changes paused, busyCoalesceMs after it while they keep coming.
   */
  const untilDue = (ev: EventState, now: number): number => {
    // A pause counts once it is clearly longer than the gaps of the burst so far: on PostgreSQL the
    // commits of a burst come tens of milliseconds apart, on SQLite a few.
    const quietAt = ev.lastChangeAt + Math.min(MAX_QUIET_MS, Math.max(QUIET_MS, 1.5 * ev.changeGapMs));
    const due =
      now >= quietAt
        ? ev.lastRunAt + coalesceMs
        : Math.min(ev.lastRunAt + busyCoalesceMs, Math.max(quietAt, ev.lastRunAt + coalesceMs));
    return Math.max(0, due - now);
  };

  const run = async (ev: EventState): Promise<void> => {
    if (closed || events.get(ev.eventId) !== ev) return;
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
      await rebuild(ev, topics, initial);
    } catch (err) {
      log.error({ err, eventId: ev.eventId }, 'live rebuild failed');
    } finally {
      ev.running = false;
      schedule(ev);
    }
  };

  const onChange = (change: LiveChange): void => {
    if (closed) return;
    if (change.eventId === '*') {
      // The bus reconnected and may have missed changes: everyone gets a fresh snapshot.
      for (const ev of events.values()) {
        ev.pending.add('event');
        schedule(ev);
      }
      return;
    }
    const ev = events.get(change.eventId);
    if (!ev) return; // Nobody watches this event here.
    for (const t of change.topics) ev.pending.add(t);
    const now = Date.now();
    const gap = now - ev.lastChangeAt;
    ev.changeGapMs = gap < MAX_QUIET_MS ? 0.7 * ev.changeGapMs + 0.3 * gap : 0;
    ev.lastChangeAt = now;
    schedule(ev);
  };
  const unsubscribe = database.bus.subscribe(onChange);

  // ---------- clients ----------

  const eventState = (eventId: string): EventState => {
    let ev = events.get(eventId);
    if (!ev) {
      ev = {
        eventId,
        audiences: new Map(),
        pending: new Set(),
        initial: new Set(),
        timer: null,
        running: false,
        lastRunAt: 0,
        lastChangeAt: 0,
        changeGapMs: 0,
      };
      events.set(eventId, ev);
    }
    return ev;
  };

  const allClients = function* (): Generator<[Client, AudienceState]> {
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
      sendRaw(
        c,
        JSON.stringify({ type: 'refresh', version, serverNow: serverNow() } satisfies LiveServerMessage),
      );
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
    if (typeof audience !== 'string') {
      return pendingClose(
        audience.close,
        audience.close === LIVE_CLOSE.unauthenticated ? 'unauthenticated' : 'forbidden',
      );
    }
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
        c.socket.close(code, code === LIVE_CLOSE.unauthenticated ? 'unauthenticated' : 'forbidden');
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
      while (sockets.some((s) => s.readyState !== 3) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      for (const s of sockets) if (s.readyState !== 3) s.terminate();
      events.clear();
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The route

export interface LiveRouteOptions extends Omit<LiveHubOptions, 'log' | 'builders'> {
  /** Defaults to the host console and big-screen use cases. */
  builders?: LiveBuilders | undefined;
  sessionCookie: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The live-update hub of this app (stats for tests and benchmarks). */
    live: LiveHub;
  }
}

/**
 * Browsers send the session cookie with a WebSocket handshake whatever page opened it, and the
 * same-site rule ignores ports (another service on the hall server's address is "same site"): a page
 * of another origin must not read the live feed with the organizer's cookie. Non-browser clients
 * send no Origin.
 */
export function sameOrigin(origin: string | undefined, host: string, publicHost: string | null): boolean {
  if (origin === undefined) return true;
  let from: string;
  try {
    from = new URL(origin).host;
  } catch {
    return false;
  }
  return from === host || from === publicHost;
}

/**
 * Registers @fastify/websocket and GET /api/live. Call before any other route is added: the plugin
 * hooks route registration. The hub closes (sockets get 1001) when the app closes.
 */
export async function registerLive(app: App, options: LiveRouteOptions): Promise<LiveHub> {
  const hub = createLiveHub({
    ...options,
    builders: options.builders ?? { host: getHostState, screen: getScreenState },
    log: app.log,
  });
  await app.register(fastifyWebsocket, {
    options: { maxPayload: LIVE_MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false },
    preClose: async function (this: { websocketServer: { close(): void } }) {
      await hub.close();
      this.websocketServer.close();
    },
  });
  app.decorate('live', hub);
  const publicHost = options.publicUrl ? new URL(options.publicUrl).host : null;
  app.get('/api/live', { websocket: true, schema: { hide: true } }, (socket: LiveSocket, request) => {
    if (!sameOrigin(request.headers.origin, request.host, publicHost)) {
      socket.on('error', () => undefined);
      socket.close(LIVE_CLOSE.forbidden, 'origin');
      return;
    }
    hub.accept(socket, {
      actor: request.actor,
      sessionToken: request.cookies[options.sessionCookie],
      eventId: (request.query as Record<string, unknown> | undefined)?.eventId,
    });
  });
  return hub;
}
