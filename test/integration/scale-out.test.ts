// Two server processes on one PostgreSQL database (two apps, each with its own pool and LISTEN
// connection, as two processes behind a load balancer would have): a change committed through one
// reaches the WebSocket clients of the other. PostgreSQL only: with SQLite one process is the
// supported setup (docs/live.md).
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LiveServerMessage } from '../../src/modules/event/schemas.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { type App, SESSION_COOKIE } from '../../src/platform/http/app.ts';
import { newId } from '../../src/platform/ids.ts';
import { buildApp } from '../../src/server/app.ts';
import { createTestDatabase, onDialect, type TestDatabase } from '../support/db.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';
import { anonymous, asJudge, asRole, type Client } from '../support/http.ts';
import { type LiveConnection, openLive } from '../support/live-socket.ts';

type Snapshot = Extract<LiveServerMessage, { type: 'snapshot' }>;
const isSnapshot = (m: LiveServerMessage): m is Snapshot => m.type === 'snapshot';
const verbose = process.env.LIVE_TEST_VERBOSE === '1';

async function listen(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

onDialect('postgres')('live updates across two processes on postgres', () => {
  let database: TestDatabase;
  let second: Database;
  let a: App;
  let b: App;
  let baseB: string;
  let e: EventFixture;
  /** Clients of process A (app.inject); the session cookies are valid on B too (same database). */
  let organizerA: Client;
  let judgeA: Client;
  let screenCookie: string;
  const sockets: LiveConnection[] = [];
  const connectB = async (cookie: string | null) => {
    const s = await openLive(baseB, e.eventId, cookie);
    sockets.push(s);
    return s;
  };
  const slotUrl = (i: number, action: string) => `/api/events/${e.eventId}/slots/${e.slots[i]?.id}/${action}`;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    second = database.reopen();
    a = await buildApp({ database, logger: false, loginRateLimit: 10_000, publicUrl: 'http://a.test' });
    b = await buildApp({
      database: second,
      logger: false,
      loginRateLimit: 10_000,
      publicUrl: 'http://b.test',
    });
    await listen(a);
    baseB = await listen(b);
    e = await seedEventFixture(database, { unitsPerTrack: 2, judgesPerPanel: 2 });
    organizerA = await asRole({ app: a, database }, 'organizer');
    judgeA = await asJudge({ app: a }, e.judges[1]?.token ?? '');
    const link = await organizerA.post(`/api/events/${e.eventId}/screen-tokens`, { label: '主屏' });
    const token = new URL(link.json.url).searchParams.get('t');
    const session = await anonymous({ app: a }).post('/api/screen/session', { token });
    expect(session.status, session.body).toBe(200);
    screenCookie = `${SESSION_COOKIE}=${session.cookies.find((c) => c.name === SESSION_COOKIE)?.value}`;
  });

  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close().catch(() => undefined)));
    await a?.close();
    await b?.close();
    await second?.close();
    await database?.drop();
  });

  it('a score submitted through A reaches the organizer and the screen connected to B within 2 s', async () => {
    const organizer = await connectB(organizerA.cookie);
    const screen = await connectB(screenCookie);
    await organizer.next(isSnapshot);
    await screen.next(isSnapshot);

    const slotId = e.slots[1]?.id as string;
    let from = organizer.received.length;
    expect((await organizerA.post(slotUrl(1, 'open'))).status).toBe(200);
    await organizer.next(
      (m) => isSnapshot(m) && m.host?.slots.find((s) => s.id === slotId)?.state === 'open',
      {
        from,
      },
    );

    from = organizer.received.length;
    const screenFrom = screen.received.length;
    const started = Date.now();
    const res = await judgeA.post('/api/judge/scores', {
      clientId: `c-${newId()}`,
      slotId,
      values: Object.fromEntries(e.criteria.map((c) => [c.id, c.maxPoints / 2])),
    });
    expect(res.status, res.body).toBe(200);
    const toOrganizer = await organizer.next(
      (m) => isSnapshot(m) && m.host?.progress.find((p) => p.slotId === slotId)?.scored === 1,
      { from },
    );
    const toScreen = await screen.next(
      (m) => isSnapshot(m) && m.screen?.current?.slotId === slotId && m.screen.current.progress.scored === 1,
      { from: screenFrom },
    );
    if (verbose) {
      console.info(
        `A → B: organizer ${toOrganizer.at - started} ms, screen ${toScreen.at - started} ms after the submission`,
      );
    }
    // B built those snapshots itself, from the bus, not from anything A sent it.
    expect(b.live.stats().rebuilds).toBeGreaterThan(0);
  });

  it('a change made while the listeners were cut reaches B once its listener reconnects', async () => {
    const organizer = await connectB(organizerA.cookie);
    await organizer.next(isSnapshot);
    const admin = new pg.Client({ connectionString: database.location });
    await admin.connect();
    try {
      const cut = await admin.query(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
          WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
      );
      // A's and B's listeners.
      expect(cut.rowCount).toBe(2);
    } finally {
      await admin.end();
    }
    // Committed while nobody listens: its notification is lost, so only the resync can bring it.
    const slotId = e.slots[2]?.id as string;
    const from = organizer.received.length;
    expect((await organizerA.post(slotUrl(2, 'open'))).status).toBe(200);
    await organizer.next(
      (m) => isSnapshot(m) && m.host?.slots.find((s) => s.id === slotId)?.state === 'open',
      { from },
    );
  });

  it("a change reaches its own process's listeners at once and the other process's once each", async () => {
    const seen = { a: [] as string[], b: [] as string[] };
    const offA = database.bus.subscribe((c) => seen.a.push(`${c.eventId}:${c.topics.join()}`));
    const offB = second.bus.subscribe((c) => seen.b.push(`${c.eventId}:${c.topics.join()}`));
    try {
      const id = `bus-${newId()}`;
      database.bus.publish({ eventId: id, topics: ['timer'] });
      // Local delivery does not wait for the NOTIFY round trip.
      await new Promise((r) => setImmediate(r));
      expect(seen.a.filter((x) => x.startsWith(id))).toEqual([`${id}:timer`]);
      const until = async (cond: () => boolean, what: string) => {
        const giveUpAt = Date.now() + 20_000;
        while (!cond()) {
          if (Date.now() > giveUpAt) throw new Error(`${what} never came`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await until(() => seen.b.some((x) => x.startsWith(id)), 'the change on B');
      // A's own NOTIFY comes back to A's listener too, and must not be delivered twice. A marker
      // published by B after that (so committed after A's NOTIFY) reaches A behind it: once A has the
      // marker, A's own notification has been and gone.
      const marker = `marker-${newId()}`;
      second.bus.publish({ eventId: marker, topics: ['event'] });
      await until(() => seen.a.some((x) => x.startsWith(marker)), 'the marker on A');
      expect(seen.b.filter((x) => x.startsWith(id))).toEqual([`${id}:timer`]);
      expect(seen.a.filter((x) => x.startsWith(id))).toEqual([`${id}:timer`]);
      expect(seen.a.filter((x) => x.startsWith(marker))).toEqual([`${marker}:event`]);
    } finally {
      offA();
      offB();
    }
  });
});
