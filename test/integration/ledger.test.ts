// The stored score ledger, on SQLite and PostgreSQL: accepted submissions form one gap-free hash chain
// per event, under concurrency too, and any later edit of a stored row is detected.
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestPerSlotAndJudge, verifyChain } from '../../src/modules/event/domain/ledger.ts';
import { latestScores, readLedger } from '../../src/modules/event/ledger.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { DB } from '../../src/platform/db/schema.ts';
import { newId } from '../../src/platform/ids.ts';
import type { App } from '../../src/platform/http/app.ts';
import { buildApp } from '../../src/server/app.ts';
import { dbKinds, onDialect } from '../support/db.ts';
import { seedEventFixture } from '../support/fixtures.ts';
import { asJudge, asRole, type Client, createTestApp, type TestApp } from '../support/http.ts';

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
    const send = async (j: Client, slot: number, clientId = cid()) =>
      j.post('/api/judge/scores', { clientId, slotId: f.slotIds[slot], values: valuesFor(f, ++step) });
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
    expect((await send(judges[0]!, 0, resend)).json.duplicate).toBe(false);
    accepted++;
    expect((await send(judges[0]!, 0, resend)).json.duplicate).toBe(true);
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
});
