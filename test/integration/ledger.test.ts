// The stored score ledger, on SQLite and PostgreSQL: accepted submissions form one gap-free hash chain
// per event, under concurrency too, and any later edit of a stored row is detected.
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestPerSlotAndJudge, verifyChain } from '../../src/modules/event/domain/ledger.ts';
import { latestScores, readLedger } from '../../src/modules/event/ledger.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { DB } from '../../src/platform/db/schema.ts';
import type { App } from '../../src/platform/http/app.ts';
import { newId } from '../../src/platform/ids.ts';
import { buildApp } from '../../src/server/app.ts';
import { dbKinds, onDialect } from '../support/db.ts';
import { seedEventFixture } from '../support/fixtures.ts';
import { asJudge, asRole, type Client, clientFor, createTestApp, type TestApp } from '../support/http.ts';

interface Fixture {
  eventId: string;
  /** Slots every judge may score (the shared fixture recuses judges[0] from units[0]). */
  slotIds: string[];
  criteria: { id: string; maxPoints: number; step: number }[];
  judges: { id: string; token: string }[];
}

/** The shared event fixture (2 tracks × 2 units, 2 panels × `judgesPerPanel` judges), seen by slot. */
async function seedEvent(database: Pick<Database, 'db'>, judgesPerPanel: number): Promise<Fixture> {
  const e = await seedEventFixture(database, { unitsPerTrack: 2, judgesPerPanel });
  const recusedUnits = new Set(e.judges.flatMap((j) => j.affiliatedUnitIds));
  return {
    eventId: e.eventId,
    slotIds: e.slots.filter((s) => !recusedUnits.has(s.unitId)).map((s) => s.id),
    criteria: e.criteria,
    judges: e.judges,
  };
}

/** Valid values that differ with n: each criterion gets a multiple of its step within its range. */
function valuesFor(f: Fixture, n: number): Record<string, number> {
  return Object.fromEntries(
    f.criteria.map((c, i) => {
      const steps = Math.round(c.maxPoints / c.step);
      const decimals = String(c.step).split('.')[1]?.length ?? 0;
      return [c.id, Number((((n * (i + 7)) % (steps + 1)) * c.step).toFixed(decimals))];
    }),
  );
}

const cid = (): string => `c-${newId()}`;

describe.each(dbKinds)('score ledger on %s', (kind) => {
  let t: TestApp;
  let db: Kysely<DB>;
  let organizer: Client;

  beforeAll(async () => {
    t = await createTestApp(kind);
    db = t.database.db;
    organizer = await asRole(t, 'organizer');
  });
  afterAll(async () => {
    await t?.close();
  });

  const slotAction = async (f: Fixture, slot: number, action: 'open' | 'close') => {
    const res = await organizer.post(`/api/events/${f.eventId}/slots/${f.slotIds[slot]}/${action}`);
    expect(res.status).toBe(200);
  };
  const headOf = async (eventId: string) =>
    db
      .selectFrom('events')
      .select(['ledger_seq', 'ledger_head'])
      .where('id', '=', eventId)
      .executeTakeFirstOrThrow();

  /** 50 accepted entries among duplicates, late, invalid and recused-free revisions over three slots. */
  async function fiftyMixedSubmissions(f: Fixture): Promise<void> {
    const judges = await Promise.all(f.judges.map((j) => asJudge(t, j.token)));
    let accepted = 0;
    let step = 0;
    const send = async (j: Client, slot: number, clientId = cid(), values = valuesFor(f, ++step)) =>
      j.post('/api/judge/scores', { clientId, slotId: f.slotIds[slot], values });
    await slotAction(f, 0, 'open');
    for (let round = 0; round < 3; round++) {
      for (const j of judges) {
        const res = await send(j, 0);
        expect(res.status).toBe(200);
        accepted++;
      }
    }
    // Resends are answered, not stored; an invalid value is refused.
    const resend = cid();
    const resent = valuesFor(f, ++step);
    expect((await send(judges[0]!, 0, resend, resent)).json.duplicate).toBe(false);
    accepted++;
    expect((await send(judges[0]!, 0, resend, resent)).json.duplicate).toBe(true);
    expect(
      (
        await judges[1]!.post('/api/judge/scores', {
          clientId: cid(),
          slotId: f.slotIds[0],
          values: { ...valuesFor(f, 1), [f.criteria[0]!.id]: 0.3 },
        })
      ).status,
    ).toBe(400);
    await slotAction(f, 1, 'open');
    await slotAction(f, 0, 'close');
    expect((await send(judges[2]!, 0)).status).toBe(409);
    // Two slots open at once, submissions interleaved and partly concurrent.
    await slotAction(f, 2, 'open');
    while (accepted < 50) {
      const batch = judges.slice(0, Math.min(judges.length, 50 - accepted));
      const results = await Promise.all(batch.map((j, i) => send(j, 1 + ((accepted + i) % 2))));
      expect(results.map((r) => r.status)).toEqual(batch.map(() => 200));
      accepted += batch.length;
    }
  }

  it('chains 50 mixed submissions without a gap, and the stored head is the chain head', async () => {
    const f = await seedEvent(t.database, 3);
    await fiftyMixedSubmissions(f);
    const chain = await readLedger(db, f.eventId);
    expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const check = verifyChain(chain);
    expect(check).toEqual({ ok: true, head: chain[49]!.hash, length: 50 });
    const head = await headOf(f.eventId);
    expect(Number(head.ledger_seq)).toBe(50);
    expect(head.ledger_head).toBe(chain[49]!.hash);
    // latestScores picks the same versions as the domain rule over the whole chain.
    const latest = await latestScores(db, f.eventId);
    const expected = latestPerSlotAndJudge(chain).map((e) => ({
      slotId: e.slotId,
      judgeId: e.judgeId,
      values: e.values,
    }));
    const key = (s: { slotId: string; judgeId: string }) => `${s.slotId}/${s.judgeId}`;
    expect([...latest].sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      expected.sort((a, b) => key(a).localeCompare(key(b))),
    );
  });

  it('detects an edited score row at its seq', async () => {
    const f = await seedEvent(t.database, 3);
    await fiftyMixedSubmissions(f);
    const victim = await db
      .selectFrom('score_entries')
      .select(['id', 'score_values'])
      .where('event_id', '=', f.eventId)
      .where('seq', '=', 17)
      .executeTakeFirstOrThrow();
    const values = JSON.parse(victim.score_values) as Record<string, number>;
    const c1 = f.criteria[0]!;
    const was = values[c1.id] ?? 0;
    values[c1.id] = was === c1.maxPoints ? was - c1.step : was + c1.step;
    await db
      .updateTable('score_entries')
      .set({ score_values: JSON.stringify(values) })
      .where('id', '=', victim.id)
      .execute();
    expect(verifyChain(await readLedger(db, f.eventId))).toEqual({
      ok: false,
      seq: 17,
      reason: 'hash_mismatch',
    });
  });

  it('detects a deleted row and a rewritten total', async () => {
    const f = await seedEvent(t.database, 3);
    await fiftyMixedSubmissions(f);
    await db
      .updateTable('score_entries')
      .set({ total: 100 })
      .where('event_id', '=', f.eventId)
      .where('seq', '=', 40)
      .execute();
    expect(verifyChain(await readLedger(db, f.eventId))).toEqual({
      ok: false,
      seq: 40,
      reason: 'hash_mismatch',
    });
    await db.deleteFrom('score_entries').where('event_id', '=', f.eventId).where('seq', '=', 8).execute();
    expect(verifyChain(await readLedger(db, f.eventId))).toEqual({ ok: false, seq: 9, reason: 'seq_gap' });
  });

  it('takes 200 concurrent submissions by 200 judges as 200 entries, seq 1..200, chain valid', async () => {
    const f = await seedEvent(t.database, 100);
    const judges = await Promise.all(f.judges.map((j) => asJudge(t, j.token)));
    await slotAction(f, 0, 'open');
    const results = await Promise.all(
      judges.map((j, i) =>
        j.post('/api/judge/scores', { clientId: cid(), slotId: f.slotIds[0], values: valuesFor(f, i) }),
      ),
    );
    expect(results.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
    expect(results.every((r) => r.json.version === 1 && r.json.duplicate === false)).toBe(true);
    const chain = await readLedger(db, f.eventId);
    expect(chain).toHaveLength(200);
    expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(new Set(chain.map((e) => e.judgeId)).size).toBe(200);
    expect(verifyChain(chain)).toMatchObject({ ok: true, length: 200 });
    expect((await headOf(f.eventId)).ledger_head).toBe(chain[199]!.hash);
    const progress = await organizer.get(`/api/events/${f.eventId}/progress`);
    expect(progress.json.slots.find((s: { slotId: string }) => s.slotId === f.slotIds[0])).toMatchObject({
      scored: 200,
      eligible: 200,
      missing: [],
    });
  });
});

// Two server processes on one PostgreSQL database: the events row lock orders appends across pools.
// (SQLite is a single-writer file served by one process, so this case exists only on PostgreSQL.)
onDialect('postgres')('score ledger with two servers on one postgres database', () => {
  let t: TestApp;
  let other: App;
  let second: Database;

  beforeAll(async () => {
    t = await createTestApp('postgres');
    second = t.database.reopen();
    other = await buildApp({ database: second, logger: false, loginRateLimit: 10_000 });
  });
  afterAll(async () => {
    await other?.close();
    await second?.close();
    await t?.close();
  });

  it('keeps one gap-free chain and one entry per submission when both append at once', async () => {
    const db = t.database.db;
    const f = await seedEvent(t.database, 30);
    const organizer = await asRole(t, 'organizer');
    const judges = await Promise.all(
      f.judges.map((j, i) => asJudge({ app: i % 2 === 0 ? t.app : other }, j.token)),
    );
    expect((await organizer.post(`/api/events/${f.eventId}/slots/${f.slotIds[0]}/open`)).status).toBe(200);
    const bodies = judges.map((_, i) => ({ clientId: cid(), slotId: f.slotIds[0], values: valuesFor(f, i) }));
    // Every submission is also resent at once, through the same server.
    const results = await Promise.all(
      judges.flatMap((j, i) => [
        j.post('/api/judge/scores', bodies[i]),
        j.post('/api/judge/scores', bodies[i]),
      ]),
    );
    expect(results.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
    expect(results.filter((r) => r.json.duplicate === false)).toHaveLength(60);
    const chain = await readLedger(db, f.eventId);
    expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(verifyChain(chain)).toMatchObject({ ok: true, length: 60 });
  });

  /**
   * One judge, signed in once, whose phone sends the same submission (same clientId) to both servers;
   * the session lives in the database, so its cookie is valid on either.
   */
  async function judgeOnBothServers(): Promise<{ f: Fixture; viaFirst: Client; viaSecond: Client }> {
    const f = await seedEvent(t.database, 2);
    const organizer = await asRole(t, 'organizer');
    expect((await organizer.post(`/api/events/${f.eventId}/slots/${f.slotIds[0]}/open`)).status).toBe(200);
    const viaFirst = await asJudge(t, f.judges[1]!.token);
    return { f, viaFirst, viaSecond: clientFor(other, viaFirst.cookie) };
  }

  /** The judge's entries of the event, grouped by clientId. */
  async function entriesByClientId(eventId: string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const e of await readLedger(t.database.db, eventId))
      counts.set(e.clientId, (counts.get(e.clientId) ?? 0) + 1);
    return counts;
  }

  it('stores a submission sent to both servers at the same instant once, and both answers name that entry', async () => {
    // Each server's in-process dedupe only knows its own sends, and both sends pass the "already
    // stored?" check before either commits: only the database's unique (judge, clientId) can refuse the
    // second insert. To make the overlap certain, a third connection holds the event's row lock (which
    // every append takes first) until both servers' appends are waiting for it.
    const { f, viaFirst, viaSecond } = await judgeOnBothServers();
    const holder = t.database.reopen();
    const rounds = 12;
    const clientIds: string[] = [];
    try {
      for (let round = 1; round <= rounds; round++) {
        const body = { clientId: cid(), slotId: f.slotIds[0], values: valuesFor(f, round) };
        clientIds.push(body.clientId);
        let release!: () => void;
        const released = new Promise<void>((r) => {
          release = r;
        });
        let locked!: () => void;
        const isLocked = new Promise<void>((r) => {
          locked = r;
        });
        const holding = holder.db.transaction().execute(async (trx) => {
          await trx.selectFrom('events').select('id').where('id', '=', f.eventId).forUpdate().execute();
          locked();
          await released;
        });
        await isLocked;
        const answers = Promise.all([
          viaFirst.post('/api/judge/scores', body),
          viaSecond.post('/api/judge/scores', body),
        ]);
        await waitForLockWaiters(t.database.db, 2);
        release();
        await holding;
        const [a, b] = await answers;
        expect([a.status, b.status], `${a.body} ${b.body}`).toEqual([200, 200]);
        expect(a.json.entryId).toBe(b.json.entryId);
        expect([a.json.version, b.json.version]).toEqual([round, round]);
        expect([a.json.total, b.json.total]).toEqual([a.json.total, a.json.total]);
        expect([a.json.duplicate, b.json.duplicate].sort()).toEqual([false, true]);
      }
    } finally {
      await holder.close();
    }
    const counts = await entriesByClientId(f.eventId);
    expect([...counts.keys()].sort()).toEqual([...clientIds].sort());
    expect([...counts.values()]).toEqual(clientIds.map(() => 1));
    const chain = await readLedger(t.database.db, f.eventId);
    // The refused insert's seq bump rolled back with it: no gap.
    expect(verifyChain(chain)).toMatchObject({ ok: true, length: rounds });
  });

  it('keeps one entry per clientId when many submissions go to both servers at once', async () => {
    const { f, viaFirst, viaSecond } = await judgeOnBothServers();
    const bodies = Array.from({ length: 40 }, (_, i) => ({
      clientId: cid(),
      slotId: f.slotIds[0],
      values: valuesFor(f, i + 1),
    }));
    const answers = await Promise.all(
      bodies.map((body) =>
        Promise.all([viaFirst.post('/api/judge/scores', body), viaSecond.post('/api/judge/scores', body)]),
      ),
    );
    for (const [a, b] of answers) {
      expect([a.status, b.status], `${a.body} ${b.body}`).toEqual([200, 200]);
      expect(a.json.entryId).toBe(b.json.entryId);
      // At most one of the two is the first send; a resend that arrived later is a duplicate too.
      expect([a.json.duplicate, b.json.duplicate].filter((d) => d === false).length).toBeLessThanOrEqual(1);
    }
    const counts = await entriesByClientId(f.eventId);
    expect([...counts.keys()].sort()).toEqual(bodies.map((b) => b.clientId).sort());
    expect([...counts.values()]).toEqual(bodies.map(() => 1));
    const chain = await readLedger(t.database.db, f.eventId);
    expect(verifyChain(chain)).toMatchObject({ ok: true, length: bodies.length });
    expect(new Set(answers.map(([a]) => a.json.entryId)).size).toBe(bodies.length);
  });
});

/** Waits until `n` sessions of this database wait for a lock (the appends queued behind a holder). */
async function waitForLockWaiters(db: Kysely<DB>, n: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { rows } = await sql<{ waiting: string | number }>`
      select count(*) as waiting from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
    if (Number(rows[0]?.waiting ?? 0) >= n) return;
    if (attempt > 2_000) throw new Error(`waitForLockWaiters: fewer than ${n} sessions wait for a lock`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
