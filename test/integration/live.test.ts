// Live updates over /api/live on SQLite and PostgreSQL: real sockets against a listening app. Each
// audience gets only its own view, changes are coalesced and versioned, and a reconnecting client
// gets the current state at once.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../src/kernel/actor.ts';
import { getHostState } from '../../src/modules/event/host.ts';
import { LIVE_CLOSE, type LiveBuilders } from '../../src/modules/event/live/audiences.ts';
import { createLiveHub, type LiveHub } from '../../src/modules/event/live/hub.ts';
import { LIVE_MAX_CLIENT_MESSAGE_BYTES } from '../../src/modules/event/live/route.ts';
import type { LiveSocket } from '../../src/modules/event/live/sending.ts';
import type { HostState, LiveServerMessage, ScreenState } from '../../src/modules/event/schemas.ts';
import { getScreenState } from '../../src/modules/event/screen.ts';
import { type App, SESSION_COOKIE } from '../../src/platform/http/app.ts';
import { newId } from '../../src/platform/ids.ts';
import { buildApp } from '../../src/server/app.ts';
import {
  connectLive,
  type LiveClient,
  type LiveSnapshot,
  type LiveStatus,
  type WebSocketLike,
} from '../../web/common/live-client.ts';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';
import { anonymous, asJudge, asRole, type Client, createClock } from '../support/http.ts';
import {
  type LiveConnection,
  openLive,
  WebSocket,
  type WsClient,
  type WsClientOptions,
} from '../support/live-socket.ts';

type Snapshot = Extract<LiveServerMessage, { type: 'snapshot' }>;

const isSnapshot = (m: LiveServerMessage): m is Snapshot => m.type === 'snapshot';
const scoredOf = (m: LiveServerMessage, slotId: string): number | undefined =>
  isSnapshot(m) ? m.host?.progress.find((p) => p.slotId === slotId)?.scored : undefined;
const slotStateOf = (m: LiveServerMessage, slotId: string): string | undefined =>
  isSnapshot(m) ? m.host?.slots.find((s) => s.id === slotId)?.state : undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const verbose = process.env.LIVE_TEST_VERBOSE === '1';

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/**
 * How long a test waits for something that must happen before it gives up. A give-up, not a speed
 * requirement: what a test asserts is what arrives and in which order, never how fast.
 */
const GIVE_UP_MS = 20_000;

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms),
    ),
  ]);

describe.each(dbKinds)('live updates on %s', (kind) => {
  let database: TestDatabase;
  let app: App;
  let base: string;
  let e: EventFixture;
  let other: EventFixture;
  let organizer: Client;
  let observer: Client;
  let leader: Client;
  let reporter: Client;
  /** Signed-in phones of every judge of `e`, in fixture order. */
  let judges: Client[];
  let screenCookie: string;
  let screenTokenId: string;
  /** Switches that make the (otherwise real) snapshot builders throw. */
  const failing = { host: false };
  const sockets: LiveConnection[] = [];
  const t = () => ({ app, database });
  const connect = async (eventId: string, cookie: string | null, opts?: WsClientOptions) => {
    const c = await openLive(base, eventId, cookie, opts);
    sockets.push(c);
    return c;
  };
  const slotUrl = (i: number, action: string) => `/api/events/${e.eventId}/slots/${e.slots[i]?.id}/${action}`;
  const values = () => Object.fromEntries(e.criteria.map((c) => [c.id, c.maxPoints / 2]));
  const submit = async (judge: Client, slotIndex: number) => {
    const res = await judge.post('/api/judge/scores', {
      clientId: `c-${newId()}`,
      slotId: e.slots[slotIndex]?.id,
      values: values(),
    });
    expect(res.status, res.body).toBe(200);
  };

  // The scored slot: units[1] (judges[0] is recused from units[0] only, so every judge is eligible).
  const S = 1;
  let slotS: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const clock = createClock();
    const builders: LiveBuilders = {
      host: async (ctx, id) => {
        if (failing.host) throw new Error('host builder down (test)');
        return getHostState(ctx, id);
      },
      screen: getScreenState,
    };
    app = await buildApp({
      database,
      clock: clock.now,
      logger: false,
      loginRateLimit: 100_000,
      publicUrl: 'http://shaipin.test',
      // Short heartbeat and session checks so that their tests take a second, not a minute.
      live: { builders, heartbeatMs: 300, revalidateMs: 600 },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    e = await seedEventFixture(database, { unitsPerTrack: 3, judgesPerPanel: 101 });
    other = await seedEventFixture(database, { unitsPerTrack: 1, judgesPerPanel: 1 });
    slotS = e.slots[S]?.id as string;
    organizer = await asRole(t(), 'organizer');
    observer = await asRole(t(), 'observer');
    leader = await asRole(t(), 'leader');
    reporter = await asRole(t(), 'reporter', e.units[0]?.id);
    judges = [];
    for (let i = 0; i < e.judges.length; i += 25) {
      judges.push(...(await Promise.all(e.judges.slice(i, i + 25).map((j) => asJudge(t(), j.token)))));
    }
    const link = await organizer.post(`/api/events/${e.eventId}/screen-tokens`, { label: '主屏' });
    expect(link.status, link.body).toBe(200);
    screenTokenId = link.json.id;
    const token = new URL(link.json.url).searchParams.get('t');
    const session = await anonymous(t()).post('/api/screen/session', { token });
    const cookie = session.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(session.status, session.body).toBe(200);
    screenCookie = `${SESSION_COOKIE}=${cookie?.value}`;
  });

  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close().catch(() => undefined)));
    await app?.close();
    await database?.drop();
  });

  let org: LiveConnection;
  let judgeSocket: LiveConnection;
  /** Until the hub holds exactly the sockets still open on our side: every close has reached it. */
  const untilSettled = () =>
    until(() => app.live.stats().clients === sockets.filter((c) => c.ws.readyState === 1).length);

  it('an organizer gets hello and then the complete host snapshot at once, with the screen preview', async () => {
    org = await connect(e.eventId, organizer.cookie);
    const snap = await org.next(isSnapshot);
    // At once: the very next message after hello, with nothing changed in between to prompt it.
    expect(org.received.slice(0, 2).map((r) => r.msg.type)).toEqual(['hello', 'snapshot']);
    expect(org.received[0]?.msg).toMatchObject({ type: 'hello', audience: 'organizer' });
    expect(org.received[1]).toBe(snap);
    const m = snap.msg as Snapshot;
    expect(m.host?.eventId).toBe(e.eventId);
    expect(m.host?.slots).toHaveLength(e.slots.length);
    expect(m.screen?.event.id).toBe(e.eventId);
    expect(scoredOf(m, slotS)).toBe(0);
    expect(m.version).toBeGreaterThan(0);
  });

  it('a judge is told to refresh when a slot opens and never receives a snapshot', async () => {
    judgeSocket = await connect(e.eventId, judges[1]?.cookie ?? null);
    await judgeSocket.next((m) => m.type === 'hello' && m.audience === 'judge');
    // On connect a judge page refetches at once (it may have missed changes while away).
    await judgeSocket.next((m) => m.type === 'refresh');
    const from = judgeSocket.received.length;
    const orgFrom = org.received.length;
    const opened = await organizer.post(slotUrl(S, 'open'));
    expect(opened.status, opened.body).toBe(200);
    await judgeSocket.next((m) => m.type === 'refresh', { from });
    await org.next((m) => slotStateOf(m, slotS) === 'open', { from: orgFrom });
    expect(judgeSocket.received.some((r) => r.msg.type === 'snapshot')).toBe(false);
  });

  it('a submitted score reaches the organizer as scored + 1, without making judges refetch', async () => {
    const judgeFrom = judgeSocket.received.length;
    const from = org.received.length;
    const started = Date.now();
    await submit(judges[1] as Client, S);
    const got = await org.next((m) => scoredOf(m, slotS) === 1, { from });
    if (verbose) console.info(`[${kind}] submit → organizer snapshot: ${got.at - started} ms`);
    // Progress alone changes nothing a judge's page shows. The rebuild that brought the organizer
    // scored + 1 is over; a later change judges do see (a timer cue) is the marker: the judge must get
    // the marker's refresh and nothing before it.
    // Versions are per rebuild and increase, so the marker's refresh is the one newer than the score's.
    const scoreVersion = (got.msg as Snapshot).version;
    database.bus.publish({ eventId: e.eventId, topics: ['timer'] });
    const marker = await judgeSocket.next((m) => m.type === 'refresh' && m.version > scoreVersion, {
      from: judgeFrom,
    });
    expect(judgeSocket.received.slice(judgeFrom)).toEqual([marker]);
  });

  it('a burst of 200 submissions is coalesced into far fewer snapshots, in order, the last one complete', async () => {
    const screen = await connect(e.eventId, screenCookie);
    await screen.next(isSnapshot);
    const from = org.received.length;
    const screenFrom = screen.received.length;
    const before = app.live.stats();
    const burst = judges.slice(2, 202);
    expect(burst).toHaveLength(200);
    const started = Date.now();
    await pool(burst, 20, (j) => submit(j, S));
    const acked = Date.now();
    const final = await org.next((m) => scoredOf(m, slotS) === 201, { from });
    const screenFinal = await screen.next(
      (m) => isSnapshot(m) && m.screen?.current?.slotId === slotS && m.screen.current.progress.scored === 201,
      { from: screenFrom },
    );
    const snaps = org.received.slice(from, org.received.indexOf(final) + 1).filter((r) => isSnapshot(r.msg));
    const elapsed = final.at - started;
    // Coalesced: many submissions per snapshot (the exact window rule is tested on simulated time
    // below; here real sockets only have to show that the burst did not become a snapshot each).
    expect(snaps.length).toBeGreaterThanOrEqual(1);
    expect(snaps.length).toBeLessThan(burst.length / 4);
    const versions = snaps.map((r) => (r.msg as Snapshot).version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
    expect((screenFinal.msg as Snapshot).screen?.current?.progress.eligible).toBe(202);
    const after = app.live.stats();
    if (verbose) {
      console.info(
        `[${kind}] burst: 200 submissions acked in ${acked - started} ms; ${snaps.length} organizer snapshots ` +
          `in ${elapsed} ms; last update ${final.at - acked} ms after the last ack; rebuilds ${after.rebuilds - before.rebuilds} (longest build ${after.maxBuildMs} ms); ` +
          `organizer snapshot ${Buffer.byteLength(final.raw)} B, screen snapshot ${Buffer.byteLength(screenFinal.raw)} B`,
      );
    }
  });

  it('the screen, observers and leaders see counts but never a host view, a judge name or a value', async () => {
    const views = [
      { conn: await connect(e.eventId, screenCookie), audience: 'screen' },
      { conn: await connect(e.eventId, observer.cookie), audience: 'observer' },
      { conn: await connect(e.eventId, leader.cookie), audience: 'leader' },
    ];
    for (const v of views) {
      await v.conn.next((m) => m.type === 'hello' && m.audience === v.audience);
      const snap = await v.conn.next(isSnapshot);
      expect((snap.msg as Snapshot).host).toBeUndefined();
      expect((snap.msg as Snapshot).screen?.current?.progress.scored).toBe(201);
    }
    const from = views.map((v) => v.conn.received.length);
    // A change they see (another slot opens), so the assertion below covers a pushed update too.
    expect((await organizer.post(slotUrl(S + 1, 'open'))).status).toBe(200);
    await Promise.all(
      views.map((v, i) =>
        v.conn.next(
          (m) =>
            isSnapshot(m) &&
            !!m.screen?.agenda.some((g) =>
              g.slots.some((s) => s.state === 'open' && s.slotId === e.slots[S + 1]?.id),
            ),
          {
            from: from[i],
          },
        ),
      ),
    );
    expect((await organizer.post(slotUrl(S + 1, 'close'))).status).toBe(200);
    // Every frame any of them received, the screen's from the burst on included.
    const frames = sockets
      .filter(
        (s) =>
          s.received[0]?.msg.type === 'hello' &&
          s.received[0].msg.audience !== 'organizer' &&
          s.received[0].msg.audience !== 'judge',
      )
      .flatMap((s) => s.received.map((r) => r.raw));
    expect(frames.length).toBeGreaterThan(6);
    for (const raw of frames) {
      expect(raw).not.toContain('评委');
      for (const j of e.judges) expect(raw).not.toContain(j.id);
      expect(raw).not.toContain('"host"');
      expect(raw).not.toContain('"missing"');
    }
  });

  it('refuses who may not watch: anonymous 4401, reporter or another event 4403, unknown 4404, malformed 4400', async () => {
    const cases: [string, string | null, number][] = [
      [e.eventId, null, LIVE_CLOSE.unauthenticated],
      [e.eventId, `${SESSION_COOKIE}=not-a-session`, LIVE_CLOSE.unauthenticated],
      [e.eventId, reporter.cookie, LIVE_CLOSE.forbidden],
      [other.eventId, screenCookie, LIVE_CLOSE.forbidden],
      [e.eventId, (await asJudge(t(), other.judges[0]?.token ?? '')).cookie, LIVE_CLOSE.forbidden],
      [other.eventId, judges[1]?.cookie ?? null, LIVE_CLOSE.forbidden],
      [newId(), organizer.cookie, LIVE_CLOSE.notFound],
      ['not an id!', organizer.cookie, LIVE_CLOSE.badRequest],
      ['', organizer.cookie, LIVE_CLOSE.badRequest],
    ];
    for (const [eventId, cookie, code] of cases) {
      const s = await connect(eventId, cookie);
      const closed = await withTimeout(s.closed, GIVE_UP_MS, `close of ${eventId} for ${cookie}`);
      expect(closed.code, `${eventId} ${cookie}`).toBe(code);
      expect(s.received).toHaveLength(0);
    }
  });

  it("refuses a page of another origin carrying the organizer's cookie (4403), not its own pages", async () => {
    const foreign = await connect(e.eventId, organizer.cookie, {
      headers: { origin: 'http://10.0.0.5:8080' },
    });
    expect((await withTimeout(foreign.closed, GIVE_UP_MS, 'foreign origin')).code).toBe(LIVE_CLOSE.forbidden);
    expect(foreign.received).toHaveLength(0);
    for (const origin of [base, 'http://shaipin.test']) {
      const own = await connect(e.eventId, organizer.cookie, { headers: { origin } });
      await own.next(isSnapshot);
      await own.close();
    }
  });

  it('a reconnecting organizer gets the latest state at once', async () => {
    await org.close();
    // The server has let go of every socket this test closed: no organizer is connected now.
    await untilSettled();
    // While nobody of this audience is connected, the event changes.
    expect((await organizer.post(slotUrl(S + 2, 'open'))).status).toBe(200);
    org = await connect(e.eventId, organizer.cookie);
    const snap = await org.next(isSnapshot);
    // At once: the first snapshot, right after hello, is already the latest state.
    expect(org.received.slice(0, 2).map((r) => r.msg.type)).toEqual(['hello', 'snapshot']);
    expect(slotStateOf(snap.msg, e.slots[S + 2]?.id as string)).toBe('open');
    expect(slotStateOf(snap.msg, e.slots[S + 1]?.id as string)).toBe('closed');
    expect(scoredOf(snap.msg, slotS)).toBe(201);
  });

  it('answers a ping with the server clock and ignores what it does not understand', async () => {
    const from = org.received.length;
    const sentAt = Date.now();
    org.ws.send('not json');
    org.ws.send(JSON.stringify({ type: 'subscribe', eventId: other.eventId }));
    org.ws.send(JSON.stringify({ type: 'ping', t0: 1234.5 }));
    const pong = await org.next((m) => m.type === 'pong', { from });
    expect(pong.msg).toMatchObject({ type: 'pong', t0: 1234.5 });
    // The server's clock (the same machine's here), read between the ping and its answer.
    const { serverNow } = pong.msg as { serverNow: number };
    expect(serverNow).toBeGreaterThanOrEqual(sentAt);
    expect(serverNow).toBeLessThanOrEqual(pong.at);
    // Nothing but the pong answered the three frames.
    expect(org.received.slice(from).map((r) => r.msg.type)).toEqual(['pong']);
    expect(org.ws.readyState).toBe(1);
  });

  it('closes a socket that sends an oversized frame (1009)', async () => {
    const s = await connect(e.eventId, observer.cookie);
    await s.next(isSnapshot);
    s.ws.send(JSON.stringify({ type: 'ping', t0: 1, pad: 'x'.repeat(LIVE_MAX_CLIENT_MESSAGE_BYTES) }));
    expect((await withTimeout(s.closed, GIVE_UP_MS, 'oversized frame')).code).toBe(1009);
  });

  it('a failing snapshot builder keeps the previous snapshot and the hub alive', async () => {
    const errorsBefore = app.live.stats().buildErrors;
    const from = org.received.length;
    failing.host = true;
    try {
      expect((await organizer.post(slotUrl(S + 2, 'close'))).status).toBe(200);
      await until(() => app.live.stats().buildErrors > errorsBefore, GIVE_UP_MS);
      // The failed rebuild sent nothing: a ping answered after it finds no snapshot before its pong.
      org.ws.send(JSON.stringify({ type: 'ping', t0: 1 }));
      await org.next((m) => m.type === 'pong', { from });
      expect(org.received.slice(from).map((r) => r.msg.type)).toEqual(['pong']);
    } finally {
      failing.host = false;
    }
    // The next change brings a complete snapshot, including what happened while the builder failed.
    expect((await organizer.post(slotUrl(S + 3, 'open'))).status).toBe(200);
    const snap = await org.next((m) => slotStateOf(m, e.slots[S + 3]?.id as string) === 'open', { from });
    expect(slotStateOf(snap.msg, e.slots[S + 2]?.id as string)).toBe('closed');
  });

  it('terminates a socket that stops answering pings', async () => {
    const dead = await connect(e.eventId, observer.cookie, { autoPong: false });
    await dead.next(isSnapshot);
    const closed = await withTimeout(dead.closed, GIVE_UP_MS, 'heartbeat termination');
    // Terminated, not closed: no close frame reaches a peer that is gone.
    expect(closed.code).toBe(1006);
  });

  it('revoking the screen link closes its socket (4401) while others stay', async () => {
    const screen = await connect(e.eventId, screenCookie);
    await screen.next(isSnapshot);
    const revoked = await organizer.delete(`/api/events/${e.eventId}/screen-tokens/${screenTokenId}`);
    expect(revoked.status, revoked.body).toBe(200);
    const closed = await withTimeout(screen.closed, GIVE_UP_MS, 'close after revocation');
    expect(closed.code).toBe(LIVE_CLOSE.unauthenticated);
    expect(org.ws.readyState).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------------
// The hub alone, with sockets we control (buffer fill, pongs) and counting builders.

class FakeSocket implements LiveSocket {
  readyState = 1;
  bufferedAmount = 0;
  sent: LiveServerMessage[] = [];
  closedWith: number | null = null;
  private listeners = new Map<string, ((...args: never[]) => void)[]>();

  send(data: string, cb?: (err?: Error) => void): void {
    this.sent.push(JSON.parse(data) as LiveServerMessage);
    setImmediate(() => cb?.());
  }
  ping(): void {
    setImmediate(() => this.emit('pong'));
  }
  close(code?: number): void {
    if (this.readyState === 3) return;
    this.closedWith = code ?? null;
    this.readyState = 3;
    this.emit('close');
  }
  terminate(): void {
    this.close(1006);
  }
  on(event: string, listener: (...args: never[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  private emit(event: string): void {
    for (const l of this.listeners.get(event) ?? []) (l as () => void)();
  }
  snapshots(): Snapshot[] {
    return this.sent.filter(isSnapshot);
  }
}

const until = async (cond: () => boolean, ms = GIVE_UP_MS): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
};

describe.each(dbKinds)('live hub on %s', (kind) => {
  let database: TestDatabase;
  let e: EventFixture;
  let f: EventFixture;
  let hub: LiveHub;
  let builds = 0;
  const observerActor: Actor = {
    kind: 'user',
    userId: newId(),
    name: 'observer',
    role: 'observer',
    unitId: null,
    mustChangePassword: false,
  };
  const accept = async (eventId: string): Promise<FakeSocket> => {
    const s = new FakeSocket();
    hub.accept(s, { actor: observerActor, sessionToken: undefined, eventId });
    await until(() => s.snapshots().length > 0);
    return s;
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    e = await seedEventFixture(database, { unitsPerTrack: 1, judgesPerPanel: 1 });
    f = await seedEventFixture(database, { unitsPerTrack: 1, judgesPerPanel: 1 });
    // Every build differs (a counter in the title), so every rebuild is a new version to send.
    const builders: LiveBuilders = {
      host: async () => ({}) as HostState,
      screen: async (_ctx, eventId) => {
        builds++;
        return { event: { id: eventId, title: `build ${builds}` } } as ScreenState;
      },
    };
    hub = createLiveHub({
      database,
      builders,
      clock: () => new Date(),
      log: { error: () => undefined, warn: () => undefined },
      coalesceMs: 100,
      heartbeatMs: 100,
      revalidateMs: 60_000,
    });
  });
  afterAll(async () => {
    await hub?.close();
    await database?.drop();
  });

  // The coalescing tests run on simulated time (Date and timeouts; the heartbeat, the bus and the
  // sockets stay real), so each window, gap and pause is exact however busy the machine is.
  const simulatedTime = () => vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  /** Lets `ms` of simulated time pass, with every bus delivery, rebuild and send due in it. */
  const pass = async (ms = 0): Promise<void> => {
    await new Promise((r) => setImmediate(r));
    await vi.advanceTimersByTimeAsync(ms);
    await new Promise((r) => setImmediate(r));
  };
  /**
   * Closes the sockets of a simulated-time test before real time returns: the event's state (and
   * any timer still set on simulated time) goes with its last socket.
   */
  const closeAll = (list: FakeSocket[]) => {
    for (const x of list) x.close(1000);
  };
  /**
   * A watching socket on simulated time, once it has its first snapshot (joining checks the event in
   * the database: real I/O, waited for in real time while simulated time stands nearly still).
   */
  const acceptNow = async (eventId: string, list: FakeSocket[]): Promise<FakeSocket> => {
    const s = new FakeSocket();
    list.push(s);
    hub.accept(s, { actor: observerActor, sessionToken: undefined, eventId });
    await vi.waitFor(
      async () => {
        await pass();
        expect(s.snapshots()).toHaveLength(1);
      },
      { timeout: GIVE_UP_MS, interval: 1 },
    );
    return s;
  };
  /** Publishes `count` changes to the socket's event, `gapMs` of simulated time apart. */
  const stream = async (s: FakeSocket, count: number, gapMs: number) => {
    const before = hub.stats().rebuilds;
    const started = Date.now();
    let afterLast = 0;
    for (let i = 0; i < count; i++) {
      database.bus.publish({ eventId: e.eventId, topics: ['progress'] });
      await pass();
      afterLast = s.snapshots().length;
      await pass(gapMs);
    }
    return { streamed: Date.now() - started, duringStream: hub.stats().rebuilds - before, afterLast };
  };

  it('coalesces a stream of changes: the first out before a window passes, then at most one rebuild per window', async () => {
    simulatedTime();
    const sockets: FakeSocket[] = [];
    try {
      const s = await acceptNow(e.eventId, sockets);
      await pass(150); // longer than a window: idle
      const before = hub.stats().rebuilds;
      const started = Date.now();
      database.bus.publish({ eventId: e.eventId, topics: ['progress'] });
      // The leading edge: out within the short pause that tells a lone change from a burst, well
      // before the 100 ms window would end.
      await pass(99);
      expect(s.snapshots()).toHaveLength(2);
      for (let i = 0; i < 100; i++) {
        database.bus.publish({ eventId: e.eventId, topics: ['progress'] });
        await pass(10);
      }
      await pass(250);
      const elapsed = Date.now() - started;
      const rebuilds = hub.stats().rebuilds - before;
      expect(rebuilds).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
      expect(rebuilds).toBeGreaterThanOrEqual(3);
      // Far fewer rebuilds than changes, and the last one shows the newest state.
      expect(rebuilds).toBeLessThan(101 / 5);
      expect(s.snapshots().at(-1)?.screen?.event.title).toBe(`build ${builds}`);
    } finally {
      closeAll(sockets);
      vi.useRealTimers();
    }
  });

  it('while changes keep coming rebuilds are twice the window apart; once they pause, the last state goes out', async () => {
    simulatedTime();
    const sockets: FakeSocket[] = [];
    try {
      const s = await acceptNow(e.eventId, sockets);
      await pass(150);
      const { streamed, duringStream, afterLast } = await stream(s, 100, 10);
      // Busy: at most one rebuild per 2 × 100 ms (plus the leading one and the final one), not one per
      // 100 ms.
      expect(streamed).toBe(1000);
      expect(duringStream).toBeLessThanOrEqual(Math.ceil(streamed / 200) + 2);
      expect(duringStream).toBeGreaterThanOrEqual(2);
      // The pause lets the pending change out; the socket ends on the newest build.
      const buildsAtPause = builds;
      await pass(300);
      expect(s.snapshots().length).toBeGreaterThan(afterLast);
      expect(builds).toBe(buildsAtPause + 1);
      expect(s.snapshots().at(-1)?.screen?.event.title).toBe(`build ${builds}`);
    } finally {
      closeAll(sockets);
      vi.useRealTimers();
    }
  });

  it('a burst whose changes come further apart (commits on PostgreSQL) still counts as one burst', async () => {
    simulatedTime();
    const sockets: FakeSocket[] = [];
    try {
      const s = await acceptNow(e.eventId, sockets);
      await pass(300);
      // Further apart than the 35 ms quiet threshold, as commits of a burst are on PostgreSQL.
      const { streamed, duringStream, afterLast } = await stream(s, 24, 50);
      // One rebuild per window of 100 ms would be 12; a burst gets one per 200 ms.
      expect(streamed).toBe(1200);
      expect(duringStream).toBeLessThanOrEqual(Math.ceil(streamed / 200) + 2);
      expect(duringStream).toBeLessThan(12);
      await pass(300);
      expect(s.snapshots().length).toBeGreaterThan(afterLast);
      expect(s.snapshots().at(-1)?.screen?.event.title).toBe(`build ${builds}`);
    } finally {
      closeAll(sockets);
      vi.useRealTimers();
    }
  });

  it('builds what the hall sees once per rebuild, however many audiences show it', async () => {
    const organizer = new FakeSocket();
    hub.accept(organizer, {
      actor: { ...observerActor, userId: newId(), role: 'organizer' },
      sessionToken: undefined,
      eventId: e.eventId,
    });
    const observer = await accept(e.eventId);
    await until(() => organizer.snapshots().length > 0);
    await sleep(150);
    const [buildsBefore, rebuildsBefore] = [builds, hub.stats().rebuilds];
    const [o, v] = [organizer.snapshots().length, observer.snapshots().length];
    database.bus.publish({ eventId: e.eventId, topics: ['progress'] });
    await until(() => organizer.snapshots().length > o && observer.snapshots().length > v);
    expect(hub.stats().rebuilds - rebuildsBefore).toBe(1);
    expect(builds - buildsBefore).toBe(1);
    // Both got the same screen state.
    expect(organizer.snapshots().at(-1)?.screen).toEqual(observer.snapshots().at(-1)?.screen);
    organizer.close(1000);
    observer.close(1000);
  });

  it('a socket with a full buffer skips snapshots and, once drained, gets only the newest', async () => {
    const s = await accept(e.eventId);
    const count = s.snapshots().length;
    const skippedBefore = hub.stats().skipped;
    s.bufferedAmount = 10 * 1024 * 1024;
    for (let i = 0; i < 3; i++) {
      const built = builds;
      database.bus.publish({ eventId: e.eventId, topics: ['timer'] });
      // Each change is built (and skipped for this socket) before the next one comes.
      await until(() => builds > built);
    }
    expect(s.snapshots()).toHaveLength(count);
    expect(hub.stats().skipped - skippedBefore).toBeGreaterThanOrEqual(3);
    const newest = builds;
    s.bufferedAmount = 0;
    // The heartbeat catches it up: one snapshot, the newest.
    await until(() => s.snapshots().length > count);
    // A later change is the marker: before its snapshot, the socket got the newest one only.
    database.bus.publish({ eventId: e.eventId, topics: ['timer'] });
    await until(() => s.snapshots().length > count + 1);
    expect(
      s
        .snapshots()
        .map((x) => x.screen?.event.title)
        .slice(count),
    ).toEqual([`build ${newest}`, `build ${newest + 1}`]);
    s.close(1000);
  });

  it('a bus reconnect ({eventId: "*"}) rebuilds every watched event', async () => {
    const a = await accept(e.eventId);
    const b = await accept(f.eventId);
    await sleep(150);
    const [na, nb] = [a.snapshots().length, b.snapshots().length];
    database.bus.publish({ eventId: '*', topics: ['event'] });
    await until(() => a.snapshots().length > na && b.snapshots().length > nb);
    a.close(1000);
    b.close(1000);
    await until(() => hub.stats().clients === 0);
    expect(hub.stats().events).toBe(0);
  });

  it('answers pings of authorised sockets and closes a flooding one (1008)', async () => {
    const s = await accept(e.eventId);
    const on = (s as unknown as { listeners: Map<string, ((data: unknown, bin: boolean) => void)[]> })
      .listeners;
    const message = (text: string) => {
      for (const l of on.get('message') ?? []) l(Buffer.from(text), false);
    };
    message(JSON.stringify({ type: 'ping', t0: 42 }));
    expect(s.sent.at(-1)).toMatchObject({ type: 'pong', t0: 42 });
    for (let i = 0; i < 40 && s.readyState === 1; i++) message(JSON.stringify({ type: 'ping', t0: i }));
    expect(s.closedWith).toBe(LIVE_CLOSE.policy);
  });

  it('closes every socket with 1001 when the hub closes', async () => {
    const s = await accept(f.eventId);
    const other = createLiveHub({
      database,
      builders: { host: async () => ({}) as HostState, screen: async () => ({}) as ScreenState },
      clock: () => new Date(),
      log: { error: () => undefined, warn: () => undefined },
    });
    const t = new FakeSocket();
    other.accept(t, { actor: observerActor, sessionToken: undefined, eventId: f.eventId });
    await until(() => t.sent.length >= 2);
    await other.close();
    expect(t.closedWith).toBe(LIVE_CLOSE.goingAway);
    expect(s.readyState).toBe(1);
    // A socket offered to a closed hub is turned away the same way.
    const late = new FakeSocket();
    other.accept(late, { actor: observerActor, sessionToken: undefined, eventId: f.eventId });
    expect(late.closedWith).toBe(LIVE_CLOSE.goingAway);
    s.close(1000);
  });
});

// ---------------------------------------------------------------------------------------------------
// The browser's client (web/common/live-client.ts) against the real server, which restarts.

describe.each(dbKinds)('live client against a restarting server on %s', (kind) => {
  let database: TestDatabase;
  let app: App | null = null;
  let client: LiveClient | null = null;
  let port = 0;

  /** The server's clock runs an hour ahead, so the client has a real offset to measure. */
  const SKEW_MS = 3_600_000;

  const start = async (): Promise<App> => {
    const a = await buildApp({
      database,
      clock: () => new Date(Date.now() + SKEW_MS),
      logger: false,
      loginRateLimit: 10_000,
      publicUrl: 'http://shaipin.test',
    });
    await a.listen({ port, host: '127.0.0.1' });
    port = (a.server.address() as AddressInfo).port;
    return a;
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    client?.close();
    await app?.close();
    await database?.drop();
  });

  it('gets the current state at once, measures the server clock, and after a restart is back with the current state', async () => {
    app = await start();
    const e = await seedEventFixture(database, { unitsPerTrack: 1, judgesPerPanel: 1 });
    const organizer = await asRole({ app, database }, 'organizer');
    const cookie = organizer.cookie ?? '';
    const Ws = WebSocket as unknown as new (url: string, options: WsClientOptions) => WebSocketLike;
    /** Sockets the client opened (its connection attempts), and the pongs they received. */
    let attempts = 0;
    let pongs = 0;
    class CookieSocket extends Ws {
      constructor(url: string) {
        super(url, { headers: { cookie } });
        attempts++;
        (this as unknown as WsClient).on('message', (data) => {
          if ((JSON.parse(data.toString()) as LiveServerMessage).type === 'pong') pongs++;
        });
      }
    }
    const statuses: LiveStatus[] = [];
    const snapshots: { at: number; snapshot: LiveSnapshot }[] = [];
    const connectedAt = Date.now();
    client = connectLive({ eventId: e.eventId, baseUrl: `ws://127.0.0.1:${port}`, WebSocket: CookieSocket });
    client.onStatus((s) => statuses.push(s));
    client.onSnapshot((snapshot) => snapshots.push({ at: Date.now(), snapshot }));
    await until(() => snapshots.length > 0 && (client?.offsetMs() ?? null) !== null);
    expect(client.audience()).toBe('organizer');
    expect(snapshots[0]?.snapshot.host?.eventId).toBe(e.eventId);
    // The offset is the server's hour ahead, give or take the trip it was measured over (which
    // cannot be longer than the whole time since connecting): first from hello, then from a ping's
    // round trip once its pong is in.
    expect(Math.abs((client.offsetMs() ?? 0) - SKEW_MS)).toBeLessThanOrEqual(Date.now() - connectedAt);
    await until(() => pongs > 0);
    await new Promise((r) => setImmediate(r));
    expect(Math.abs((client.offsetMs() ?? 0) - SKEW_MS)).toBeLessThanOrEqual(Date.now() - connectedAt);

    const downAt = statuses.length;
    await app.close();
    app = null;
    await until(() => statuses.at(-1) === 'offline');
    // While the server is down, the event changes underneath, and the client keeps trying.
    const slotId = e.slots[0]?.id as string;
    await database.db.updateTable('slots').set({ state: 'open' }).where('id', '=', slotId).execute();
    const attemptsWhenDown = attempts;
    await until(() => attempts > attemptsWhenDown + 1);
    app = await start();
    const restarted = Date.now();
    await until(() => statuses.at(-1) === 'connected' && snapshots.some((s) => s.at >= restarted));
    const back = snapshots.filter((s) => s.at >= restarted);
    if (verbose)
      console.info(
        `[${kind}] client back with the current state ${back[0]!.at - restarted} ms after the restart`,
      );
    // The first snapshot after the restart already has what changed while the server was down.
    expect(back[0]?.snapshot.host?.slots[0]?.state).toBe('open');
    // A blip on a working connection, the failed retries, then back.
    expect(statuses.slice(downAt)).toEqual(['connecting', 'offline', 'connected']);
  });
});
