// The stored score ledger, on SQLite and PostgreSQL: accepted submissions form one gap-free hash chain
// per event, under concurrency too, and any later edit of a stored row is detected.
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, latestPerSlotAndJudge, verifyChain } from '../../src/domain/ledger.ts';
import { defaultScoringSettings } from '../../src/domain/scoring.ts';
import { type App, buildApp } from '../../src/server/app.ts';
import { newId, newToken } from '../../src/services/ids.ts';
import { latestScores, readLedger } from '../../src/services/ledger.ts';
import type { Database } from '../../src/storage/db.ts';
import type { DB } from '../../src/storage/schema.ts';
import { dbKinds } from '../support/db.ts';
import { asJudge, asRole, type Client, createTestApp, type TestApp } from '../support/http.ts';

interface Fixture {
  eventId: string;
  slotIds: string[];
  criterionIds: [string, string];
  judges: { id: string; token: string }[];
}

let seeded = 0;

/** One event: `units` slots, a two-criterion rubric (50/0.5 and 50/1), `judges` judges with invites. */
async function seedEvent(db: Kysely<DB>, units: number, judges: number): Promise<Fixture> {
  const tag = `${++seeded}-${Math.random().toString(36).slice(2, 8)}`;
  const now = new Date().toISOString();
  const eventId = newId();
  const trackId = newId();
  const panelId = newId();
  const criterionIds: [string, string] = [newId(), newId()];
  await db
    .insertInto('tracks')
    .values({ id: trackId, name_zh: `组${tag}`, name_en: '', sort: 0 })
    .execute();
  await db
    .insertInto('events')
    .values({
      id: eventId,
      title: `晒拼 ${tag}`,
      start_date: '2023-08-02',
      end_date: '2023-08-03',
      venue: '',
      status: 'draft',
      settings: JSON.stringify(defaultScoringSettings),
      draw_seed: null,
      ledger_seq: 0,
      ledger_head: GENESIS_HASH,
      revealed: '[]',
      published_at: null,
      published_results: null,
      scoring_started: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db.insertInto('event_tracks').values({ event_id: eventId, track_id: trackId, sort: 0 }).execute();
  await db
    .insertInto('criteria')
    .values([
      {
        id: criterionIds[0],
        event_id: eventId,
        sort: 0,
        name_zh: '工作实绩',
        name_en: 'Results',
        max_points: 50,
        step: 0.5,
      },
      {
        id: criterionIds[1],
        event_id: eventId,
        sort: 1,
        name_zh: '特色亮点',
        name_en: 'Highlights',
        max_points: 50,
        step: 1,
      },
    ])
    .execute();
  await db
    .insertInto('panels')
    .values({ id: panelId, event_id: eventId, sort: 0, name: '评委组', weight: 1 })
    .execute();
  const slotIds: string[] = [];
  for (let i = 0; i < units; i++) {
    const unitId = newId();
    const slotId = newId();
    slotIds.push(slotId);
    await db
      .insertInto('units')
      .values({
        id: unitId,
        code: `L${tag}-${i}`,
        name: `单位${tag}-${i}`,
        short_name: '',
        kind: 'town',
        track_id: trackId,
        sort: i,
        created_at: now,
      })
      .execute();
    await db
      .insertInto('slots')
      .values({
        id: slotId,
        event_id: eventId,
        track_id: trackId,
        unit_id: unitId,
        position: i + 1,
        time_limit_sec: 300,
        overtime_sec: 0,
        manual_penalty: 0,
        state: 'pending',
        opened_at: null,
        closed_at: null,
      })
      .execute();
  }
  const js = Array.from({ length: judges }, () => ({ id: newId(), token: newToken() }));
  // Batches keep each statement well below SQLite's bound-parameter limit.
  for (let i = 0; i < js.length; i += 100) {
    const batch = js.slice(i, i + 100);
    await db
      .insertInto('judges')
      .values(
        batch.map((j, k) => ({
          id: j.id,
          event_id: eventId,
          panel_id: panelId,
          name: `评委${i + k + 1}`,
          title: '',
          sort: i + k,
        })),
      )
      .execute();
    await db
      .insertInto('invites')
      .values(
        batch.map((j) => ({
          id: newId(),
          judge_id: j.id,
          event_id: eventId,
          token: j.token,
          created_at: now,
          revoked_at: null,
        })),
      )
      .execute();
  }
  return { eventId, slotIds, criterionIds, judges: js };
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
    const [c1, c2] = f.criterionIds;
    let accepted = 0;
    let step = 0;
    const send = async (j: Client, slot: number, clientId = cid()) => {
      step++;
      const values = { [c1]: (step % 100) / 2, [c2]: step % 51 };
      return j.post('/api/judge/scores', { clientId, slotId: f.slotIds[slot], values });
    };
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
          values: { [c1]: 0.3, [c2]: 1 },
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
    const f = await seedEvent(db, 3, 5);
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
    const f = await seedEvent(db, 3, 5);
    await fiftyMixedSubmissions(f);
    const victim = await db
      .selectFrom('score_entries')
      .select(['id', 'score_values'])
      .where('event_id', '=', f.eventId)
      .where('seq', '=', 17)
      .executeTakeFirstOrThrow();
    const values = JSON.parse(victim.score_values) as Record<string, number>;
    const [c1] = f.criterionIds;
    values[c1] = (values[c1] ?? 0) === 50 ? 49.5 : (values[c1] ?? 0) + 0.5;
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
    const f = await seedEvent(db, 3, 5);
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
    const f = await seedEvent(db, 1, 200);
    const judges = await Promise.all(f.judges.map((j) => asJudge(t, j.token)));
    await slotAction(f, 0, 'open');
    const [c1, c2] = f.criterionIds;
    const results = await Promise.all(
      judges.map((j, i) =>
        j.post('/api/judge/scores', {
          clientId: cid(),
          slotId: f.slotIds[0],
          values: { [c1]: (i % 101) / 2, [c2]: i % 51 },
        }),
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
    expect(progress.json.slots[0]).toMatchObject({ scored: 200, eligible: 200, missing: [] });
  });
});

// Two server processes on one PostgreSQL database: the events row lock orders appends across pools.
// (SQLite is a single-writer file served by one process, so this case exists only on PostgreSQL.)
describe('score ledger with two servers on one postgres database', () => {
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
    const f = await seedEvent(db, 1, 60);
    const organizer = await asRole(t, 'organizer');
    const judges = await Promise.all(
      f.judges.map((j, i) => asJudge({ app: i % 2 === 0 ? t.app : other }, j.token)),
    );
    expect((await organizer.post(`/api/events/${f.eventId}/slots/${f.slotIds[0]}/open`)).status).toBe(200);
    const [c1, c2] = f.criterionIds;
    const bodies = judges.map((_, i) => ({
      clientId: cid(),
      slotId: f.slotIds[0],
      values: { [c1]: i / 2, [c2]: i % 51 },
    }));
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
