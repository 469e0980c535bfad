// Live scoring over HTTP, on SQLite and PostgreSQL: the organizer's window control, the judge's
// submissions (idempotent, never lost, never counted late) and progress without values.
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, verifyChain } from '../../src/modules/event/domain/ledger.ts';
import { latestScores, readLedger } from '../../src/modules/event/ledger.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { DB } from '../../src/platform/db/schema.ts';
import { newId } from '../../src/platform/ids.ts';
import type { LiveChange } from '../../src/platform/live-bus.ts';
import { dbKinds, onDialect } from '../support/db.ts';
import { seedEventFixture } from '../support/fixtures.ts';
import {
  anonymous,
  asJudge,
  asRole,
  type Client,
  createTestApp,
  type TestApp,
  type TestResponse,
} from '../support/http.ts';

// ---------- the shared event fixture, with the recusals each test states ----------

interface Fixture {
  eventId: string;
  /** Agenda order: the first track's units, then the second's. */
  slots: { id: string; unitId: string; unitName: string }[];
  /** 工作实绩 40/0.5, 特色亮点 30/0.5, 问题剖析 20/0.5, 精神面貌 10/0.1. */
  criteria: { id: string; nameZh: string; nameEn: string }[];
  /** Judges in order, `judgesPerPanel` per panel; the first panel is 市领导组. */
  judges: { id: string; name: string; token: string }[];
}

/**
 * seedEventFixture (2 tracks × `unitsPerTrack` units, 2 panels × `judgesPerPanel` judges), with its
 * default recusal replaced by `recusals`: [judge index, slot index] pairs.
 */
async function seedEvent(
  database: Pick<Database, 'db'>,
  opts: { unitsPerTrack?: number; judgesPerPanel?: number; recusals?: [number, number][] } = {},
): Promise<Fixture> {
  const e = await seedEventFixture(database, {
    unitsPerTrack: opts.unitsPerTrack ?? 2,
    judgesPerPanel: opts.judgesPerPanel ?? 2,
  });
  const judgeIds = e.judges.map((j) => j.id);
  await database.db.deleteFrom('judge_affiliations').where('judge_id', 'in', judgeIds).execute();
  for (const [j, s] of opts.recusals ?? []) {
    await database.db
      .insertInto('judge_affiliations')
      .values({ judge_id: e.judges[j]!.id, unit_id: e.slots[s]!.unitId })
      .execute();
  }
  const unitName = new Map(e.units.map((u) => [u.id, u.name]));
  return {
    eventId: e.eventId,
    slots: e.slots.map((s) => ({ id: s.id, unitId: s.unitId, unitName: unitName.get(s.unitId)! })),
    criteria: e.criteria,
    judges: e.judges,
  };
}

/** Values for the rubric, in criterion order. */
const scoreOf = (f: Fixture, points: [unknown, unknown, unknown, unknown]): Record<string, unknown> =>
  Object.fromEntries(f.criteria.map((c, i) => [c.id, points[i]]));

const clientId = (): string => `c-${newId()}`;

describe.each(dbKinds)('live scoring on %s', (kind) => {
  let t: TestApp;
  let organizer: Client;
  let observer: Client;
  let leader: Client;
  let db: Kysely<DB>;

  beforeAll(async () => {
    t = await createTestApp(kind);
    db = t.database.db;
    organizer = await asRole(t, 'organizer');
    observer = await asRole(t, 'observer');
    leader = await asRole(t, 'leader');
  });
  afterAll(async () => {
    await t?.close();
  });

  const slotUrl = (f: Fixture, i: number, action: string): string =>
    `/api/events/${f.eventId}/slots/${f.slots[i]!.id}/${action}`;
  const open = (f: Fixture, i: number) => organizer.post(slotUrl(f, i, 'open'));
  const close = (f: Fixture, i: number) => organizer.post(slotUrl(f, i, 'close'));
  const entriesOf = (eventId: string) =>
    db.selectFrom('score_entries').selectAll().where('event_id', '=', eventId).orderBy('seq').execute();
  const auditOf = (eventId: string, action: string) =>
    db
      .selectFrom('audit_log')
      .selectAll()
      .where('event_id', '=', eventId)
      .where('action', '=', action)
      .execute();

  describe('slot control', () => {
    it('opens a slot, making the event active, then closes and reopens it with a reason, all audited', async () => {
      const f = await seedEvent(t.database);
      const opened = await open(f, 0);
      expect(opened.status).toBe(200);
      expect(opened.json).toMatchObject({
        id: f.slots[0]!.id,
        unitName: f.slots[0]!.unitName,
        state: 'open',
        closedAt: null,
      });
      expect(opened.json.openedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      const event = await db
        .selectFrom('events')
        .selectAll()
        .where('id', '=', f.eventId)
        .executeTakeFirstOrThrow();
      expect(event.status).toBe('active');
      expect(Number(event.scoring_started)).toBe(1);

      const closed = await close(f, 0);
      expect(closed.status).toBe(200);
      expect(closed.json.state).toBe('closed');
      expect(closed.json.closedAt).not.toBeNull();

      const reopened = await organizer.post(slotUrl(f, 0, 'reopen'), { reason: '评委 3 网络故障未能提交' });
      expect(reopened.status).toBe(200);
      expect(reopened.json).toMatchObject({ state: 'open', closedAt: null });

      const actions = await db
        .selectFrom('audit_log')
        .select(['action', 'target', 'reason', 'before_json', 'after_json'])
        .where('event_id', '=', f.eventId)
        .orderBy('created_at')
        .execute();
      expect(actions.map((a) => a.action).sort()).toEqual(['slot.close', 'slot.open', 'slot.reopen']);
      const reopen = actions.find((a) => a.action === 'slot.reopen')!;
      expect(reopen.target).toBe(f.slots[0]!.unitName);
      expect(reopen.reason).toBe('评委 3 网络故障未能提交');
      expect(JSON.parse(reopen.before_json!)).toMatchObject({ state: 'closed' });
      expect(JSON.parse(reopen.after_json!)).toMatchObject({ state: 'open' });
    });

    it('allows several open slots at once and treats a repeated open or close as a no-op', async () => {
      const f = await seedEvent(t.database);
      expect((await open(f, 0)).status).toBe(200);
      expect((await open(f, 1)).status).toBe(200);
      const again = await open(f, 0);
      expect(again.status).toBe(200);
      expect(again.json.state).toBe('open');
      expect(await auditOf(f.eventId, 'slot.open')).toHaveLength(2);
      expect((await close(f, 1)).status).toBe(200);
      expect((await close(f, 1)).json.state).toBe('closed');
      expect(await auditOf(f.eventId, 'slot.close')).toHaveLength(1);
    });

    it('refuses transitions the window does not allow', async () => {
      const f = await seedEvent(t.database);
      const closePending = await close(f, 0);
      expect(closePending.status).toBe(409);
      expect(closePending.json.code).toBe('slot_not_open');
      await open(f, 0);
      await close(f, 0);
      const openClosed = await open(f, 0);
      expect(openClosed.status).toBe(409);
      expect(openClosed.json.code).toBe('slot_already_closed');
      const unknown = await organizer.post(`/api/events/${f.eventId}/slots/${newId()}/open`);
      expect(unknown.status).toBe(404);
      const otherEvent = await seedEvent(t.database);
      const crossed = await organizer.post(`/api/events/${otherEvent.eventId}/slots/${f.slots[1]!.id}/open`);
      expect(crossed.status).toBe(404);
    });

    it('requires a reason to reopen', async () => {
      const f = await seedEvent(t.database);
      await open(f, 0);
      await close(f, 0);
      for (const body of [{ reason: '' }, { reason: '   ' }, {}]) {
        const res = await organizer.post(slotUrl(f, 0, 'reopen'), body, { lang: 'en-US' });
        expect(res.status).toBe(400);
        expect(res.json).toMatchObject({
          code: 'reopen_reason_required',
          message: 'A reason is required to reopen scoring',
        });
      }
      const state = await db
        .selectFrom('slots')
        .select('state')
        .where('id', '=', f.slots[0]!.id)
        .executeTakeFirstOrThrow();
      expect(state.state).toBe('closed');
    });

    it('locks the event: open slots close, then nothing changes any more', async () => {
      const f = await seedEvent(t.database);
      const [judge] = await Promise.all(f.judges.map((j) => asJudge(t, j.token)));
      await open(f, 0);
      await open(f, 1);
      await close(f, 1);
      const locked = await organizer.post(`/api/events/${f.eventId}/lock`);
      expect(locked.status).toBe(200);
      expect(locked.json.event.status).toBe('locked');
      expect(locked.json.slots.map((s: { state: string }) => s.state)).toEqual([
        'closed',
        'closed',
        'pending',
        'pending',
      ]);
      const lockAudit = await auditOf(f.eventId, 'event.lock');
      expect(lockAudit).toHaveLength(1);
      expect(JSON.parse(lockAudit[0]!.after_json!)).toEqual({
        status: 'locked',
        closedSlots: [f.slots[0]!.unitName],
      });

      for (const action of ['open', 'close']) {
        const res = await organizer.post(slotUrl(f, 2, action));
        expect(res.status).toBe(409);
        expect(res.json.code).toBe('event_locked');
      }
      const reopen = await organizer.post(slotUrl(f, 0, 'reopen'), { reason: '补录' });
      expect(reopen.json.code).toBe('event_locked');
      const late = await judge!.post('/api/judge/scores', {
        clientId: clientId(),
        slotId: f.slots[0]!.id,
        values: scoreOf(f, [30, 20, 15, 5]),
      });
      expect(late.status).toBe(409);
      expect(late.json.code).toBe('slot_closed');
      expect(await entriesOf(f.eventId)).toHaveLength(0);
      expect((await organizer.post(`/api/events/${f.eventId}/lock`)).status).toBe(200);
    });

    it('is for organizers only', async () => {
      const f = await seedEvent(t.database);
      const judge = await asJudge(t, f.judges[0]!.token);
      const reporter = await asRole(t, 'reporter', f.slots[0]!.unitId);
      const urls = [slotUrl(f, 0, 'open'), slotUrl(f, 0, 'close'), `/api/events/${f.eventId}/lock`];
      for (const url of urls) {
        expect((await anonymous(t).post(url)).status).toBe(401);
        for (const c of [observer, leader, reporter, judge]) {
          const res = await c.post(url);
          expect(res.status).toBe(403);
          expect(res.json.code).toBe('forbidden');
        }
      }
      expect((await anonymous(t).post(slotUrl(f, 0, 'reopen'), { reason: 'x' })).status).toBe(401);
      expect((await observer.post(slotUrl(f, 0, 'reopen'), { reason: 'x' })).status).toBe(403);
      const slot = await db
        .selectFrom('slots')
        .select('state')
        .where('id', '=', f.slots[0]!.id)
        .executeTakeFirstOrThrow();
      expect(slot.state).toBe('pending');
      expect(
        await db.selectFrom('audit_log').select('id').where('event_id', '=', f.eventId).execute(),
      ).toHaveLength(0);
    });
  });

  describe('submissions', () => {
    it('stores a score and confirms it only once it is in the ledger', async () => {
      const f = await seedEvent(t.database);
      const judge = await asJudge(t, f.judges[0]!.token);
      await open(f, 0);
      const id = clientId();
      const res = await judge.post('/api/judge/scores', {
        clientId: id,
        slotId: f.slots[0]!.id,
        values: scoreOf(f, [35.5, 27.5, 18, 7.3]),
      });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        entryId: expect.any(String),
        slotId: f.slots[0]!.id,
        total: 88.3,
        version: 1,
        duplicate: false,
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      });
      const rows = await entriesOf(f.eventId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        id: res.json.entryId,
        seq: 1,
        judge_id: f.judges[0]!.id,
        client_id: id,
        created_at: res.json.createdAt,
      });
      expect(JSON.parse(rows[0]!.score_values)).toEqual(scoreOf(f, [35.5, 27.5, 18, 7.3]));
      const event = await db
        .selectFrom('events')
        .selectAll()
        .where('id', '=', f.eventId)
        .executeTakeFirstOrThrow();
      expect(Number(event.ledger_seq)).toBe(1);
      expect(event.ledger_head).toBe(rows[0]!.hash);
      expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    });

    it('keeps every revision while the slot is open and counts the latest', async () => {
      const f = await seedEvent(t.database);
      const [a, b] = await Promise.all(f.judges.map((j) => asJudge(t, j.token)));
      await open(f, 0);
      const send = (c: Client, v: [number, number, number, number]) =>
        c.post('/api/judge/scores', { clientId: clientId(), slotId: f.slots[0]!.id, values: scoreOf(f, v) });
      expect((await send(a!, [30, 20, 15, 5])).json.version).toBe(1);
      expect((await send(b!, [25, 25, 10, 5])).json.version).toBe(1);
      const second = await send(a!, [31, 21.5, 15, 6]);
      expect(second.json).toMatchObject({ version: 2, total: 73.5, duplicate: false });
      const third = await send(a!, [32, 22, 16, 6]);
      expect(third.json.version).toBe(3);

      expect(await entriesOf(f.eventId)).toHaveLength(4);
      const latest = await latestScores(db, f.eventId);
      expect(latest).toHaveLength(2);
      expect(latest.find((s) => s.judgeId === f.judges[0]!.id)?.values).toEqual(scoreOf(f, [32, 22, 16, 6]));
      expect(latest.find((s) => s.judgeId === f.judges[1]!.id)?.values).toEqual(scoreOf(f, [25, 25, 10, 5]));

      const state = await a!.get('/api/judge/state');
      expect(state.json.slots[0].mine).toMatchObject({
        version: 3,
        total: 76,
        values: scoreOf(f, [32, 22, 16, 6]),
      });
    });

    it('answers a resent submission with the first entry, even after the slot closed', async () => {
      const f = await seedEvent(t.database);
      const judge = await asJudge(t, f.judges[0]!.token);
      await open(f, 0);
      const body = { clientId: clientId(), slotId: f.slots[0]!.id, values: scoreOf(f, [30, 20, 15, 5]) };
      const first = await judge.post('/api/judge/scores', body);
      const again = await judge.post('/api/judge/scores', body);
      expect(again.status).toBe(200);
      expect(again.json).toEqual({ ...first.json, duplicate: true });
      await close(f, 0);
      const afterClose = await judge.post('/api/judge/scores', body);
      expect(afterClose.status).toBe(200);
      expect(afterClose.json).toEqual({ ...first.json, duplicate: true });
      expect(await entriesOf(f.eventId)).toHaveLength(1);
      expect(await auditOf(f.eventId, 'score.rejected_late')).toHaveLength(0);
    });

    it('refuses a used clientId with other values or for another slot, and stores nothing', async () => {
      const f = await seedEvent(t.database);
      const judge = await asJudge(t, f.judges[0]!.token);
      await open(f, 0);
      await open(f, 1);
      const id = clientId();
      const first = await judge.post('/api/judge/scores', {
        clientId: id,
        slotId: f.slots[0]!.id,
        values: scoreOf(f, [30, 20, 15, 5]),
      });
      expect(first.status).toBe(200);
      for (const body of [
        { clientId: id, slotId: f.slots[0]!.id, values: scoreOf(f, [31, 20, 15, 5]) },
        { clientId: id, slotId: f.slots[1]!.id, values: scoreOf(f, [30, 20, 15, 5]) },
      ]) {
        const res = await judge.post('/api/judge/scores', body);
        expect(res.status).toBe(409);
        expect(res.json).toMatchObject({
          code: 'submission_conflict',
          message: '这次提交的编号已用于另一份不同的评分，本次未保存：请刷新页面后重新提交',
        });
      }
      // The same values written another way (30 as 30.0) are the same submission.
      const again = await judge.post('/api/judge/scores', {
        clientId: id,
        slotId: f.slots[0]!.id,
        values: scoreOf(f, [30.0, 20, 15, 5]),
      });
      expect(again.json).toEqual({ ...first.json, duplicate: true });
      expect(await entriesOf(f.eventId)).toHaveLength(1);
    });

    it('stores one entry when the same submission arrives ten times at once', async () => {
      const f = await seedEvent(t.database);
      const judge = await asJudge(t, f.judges[0]!.token);
      await open(f, 0);
      const body = { clientId: clientId(), slotId: f.slots[0]!.id, values: scoreOf(f, [30, 20, 15, 5]) };
      const all = await Promise.all(Array.from({ length: 10 }, () => judge.post('/api/judge/scores', body)));
      expect(all.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(new Set(all.map((r) => r.json.entryId)).size).toBe(1);
      expect(all.filter((r) => r.json.duplicate === false)).toHaveLength(1);
      expect(all.every((r) => r.json.version === 1 && r.json.total === 70)).toBe(true);
      expect(await entriesOf(f.eventId)).toHaveLength(1);
      const event = await db
        .selectFrom('events')
        .select('ledger_seq')
        .where('id', '=', f.eventId)
        .executeTakeFirstOrThrow();
      expect(Number(event.ledger_seq)).toBe(1);
    });

    it('refuses a late submission, keeps it in the audit log and not in the ledger', async () => {
      const f = await seedEvent(t.database);
      const judge = await asJudge(t, f.judges[1]!.token);
      await open(f, 0);
      await close(f, 0);
      const id = clientId();
      const res = await judge.post('/api/judge/scores', {
        clientId: id,
        slotId: f.slots[0]!.id,
        values: scoreOf(f, [30, 20, 15, 5]),
      });
      expect(res.status).toBe(409);
      expect(res.json).toMatchObject({
        code: 'slot_closed',
        message: '该单位的评分已结束，本次提交未计入（已记录备查）',
      });
      expect(await entriesOf(f.eventId)).toHaveLength(0);
      const late = await auditOf(f.eventId, 'score.rejected_late');
      expect(late).toHaveLength(1);
      expect(late[0]).toMatchObject({
        actor_id: f.judges[1]!.id,
        actor_name: f.judges[1]!.name,
        target: f.slots[0]!.unitName,
      });
      expect(JSON.parse(late[0]!.after_json!)).toEqual({
        slotId: f.slots[0]!.id,
        judgeId: f.judges[1]!.id,
        clientId: id,
        values: scoreOf(f, [30, 20, 15, 5]),
      });
    });

    it('refuses a slot that has not opened yet, without recording it', async () => {
      const f = await seedEvent(t.database);
      const judge = await asJudge(t, f.judges[0]!.token);
      const res = await judge.post('/api/judge/scores', {
        clientId: clientId(),
        slotId: f.slots[0]!.id,
        values: scoreOf(f, [1, 1, 1, 1]),
      });
      expect(res.status).toBe(409);
      expect(res.json.code).toBe('slot_not_open');
      expect(await entriesOf(f.eventId)).toHaveLength(0);
      expect(await auditOf(f.eventId, 'score.rejected_late')).toHaveLength(0);
    });

    it('refuses a recused judge', async () => {
      const f = await seedEvent(t.database, { recusals: [[0, 1]] });
      const judge = await asJudge(t, f.judges[0]!.token);
      await open(f, 1);
      const res = await judge.post('/api/judge/scores', {
        clientId: clientId(),
        slotId: f.slots[1]!.id,
        values: scoreOf(f, [30, 20, 15, 5]),
      });
      expect(res.status).toBe(403);
      expect(res.json.code).toBe('judge_recused');
      expect(await entriesOf(f.eventId)).toHaveLength(0);
    });

    it('rejects invalid values with every issue named, and stores nothing', async () => {
      const f = await seedEvent(t.database);
      const judge = await asJudge(t, f.judges[0]!.token);
      await open(f, 0);
      const [c1, c2, c3, c4] = f.criteria.map((c) => c.id);
      const cases: {
        values: Record<string, unknown>;
        issues: { criterionId: string | null; code: string }[];
      }[] = [
        { values: scoreOf(f, [41, 20, 15, 5]), issues: [{ criterionId: c1!, code: 'out_of_range' }] },
        { values: scoreOf(f, [-1, 20, 15, 5]), issues: [{ criterionId: c1!, code: 'out_of_range' }] },
        {
          values: scoreOf(f, [30.3, 20.25, 15.5, 5.05]),
          issues: [
            { criterionId: c1!, code: 'wrong_step' },
            { criterionId: c2!, code: 'wrong_step' },
            { criterionId: c4!, code: 'wrong_step' },
          ],
        },
        {
          values: { ...scoreOf(f, [30, 20, 15, 5]), bogus: 3 },
          issues: [{ criterionId: 'bogus', code: 'unknown_criterion' }],
        },
        {
          values: scoreOf(f, ['30', 20, 15, null]),
          issues: [
            { criterionId: c1!, code: 'not_a_number' },
            { criterionId: c4!, code: 'not_a_number' },
          ],
        },
        {
          values: { [c1!]: 30, [c2!]: 20, [c3!]: 15 },
          issues: [{ criterionId: c4!, code: 'missing_criterion' }],
        },
        {
          values: {},
          issues: [
            { criterionId: c1!, code: 'missing_criterion' },
            { criterionId: c2!, code: 'missing_criterion' },
            { criterionId: c3!, code: 'missing_criterion' },
            { criterionId: c4!, code: 'missing_criterion' },
          ],
        },
      ];
      for (const { values, issues } of cases) {
        const res = await judge.post('/api/judge/scores', {
          clientId: clientId(),
          slotId: f.slots[0]!.id,
          values,
        });
        expect(res.status, JSON.stringify(values)).toBe(400);
        expect(res.json.code).toBe('score_invalid');
        expect(res.json.details.issues).toEqual(issues.map((i) => expect.objectContaining(i)));
      }
      expect(await entriesOf(f.eventId)).toHaveLength(0);
      expect(
        Number(
          (
            await db
              .selectFrom('events')
              .select('ledger_seq')
              .where('id', '=', f.eventId)
              .executeTakeFirstOrThrow()
          ).ledger_seq,
        ),
      ).toBe(0);
    });

    it('explains invalid values in the judge language, naming each criterion', async () => {
      const f = await seedEvent(t.database);
      const judge = await asJudge(t, f.judges[0]!.token);
      await open(f, 0);
      const body = {
        clientId: clientId(),
        slotId: f.slots[0]!.id,
        values: { [f.criteria[0]!.id]: 45, [f.criteria[1]!.id]: 2.25, [f.criteria[3]!.id]: 5 },
      };
      const zh = await judge.post('/api/judge/scores', body);
      expect(zh.json.message).toBe(
        '评分有误：「工作实绩」应在 0 到 40 之间；「特色亮点」须按 0.5 分递进；「问题剖析」未打分',
      );
      const en = await judge.post('/api/judge/scores', body, { lang: 'en-US' });
      expect(en.json.message).toBe(
        'Invalid score: "Results" must be between 0 and 40; "Highlights" must be in steps of 0.5; "Shortfalls" has no score',
      );
    });

    it('keeps a judge inside their own event', async () => {
      const a = await seedEvent(t.database);
      const b = await seedEvent(t.database);
      const judgeA = await asJudge(t, a.judges[0]!.token);
      await open(a, 0);
      await open(b, 0);
      const res = await judgeA.post('/api/judge/scores', {
        clientId: clientId(),
        slotId: b.slots[0]!.id,
        values: scoreOf(b, [30, 20, 15, 5]),
      });
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('slot_wrong_event');
      const unknown = await judgeA.post('/api/judge/scores', {
        clientId: clientId(),
        slotId: newId(),
        values: scoreOf(a, [30, 20, 15, 5]),
      });
      expect(unknown.status).toBe(404);
      expect(await entriesOf(b.eventId)).toHaveLength(0);
      for (const res of [
        await judgeA.get(`/api/events/${b.eventId}/progress`),
        await judgeA.get(`/api/events/${a.eventId}/progress`),
        await judgeA.post(`/api/events/${b.eventId}/slots/${b.slots[0]!.id}/close`),
      ]) {
        expect(res.status).toBe(403);
      }
      const state = await judgeA.get('/api/judge/state');
      expect(state.json.event.id).toBe(a.eventId);
      expect(state.json.slots.map((s: { id: string }) => s.id).sort()).toEqual(
        a.slots.map((s) => s.id).sort(),
      );
    });

    it('is for judges only', async () => {
      const f = await seedEvent(t.database);
      await open(f, 0);
      const body = { clientId: clientId(), slotId: f.slots[0]!.id, values: scoreOf(f, [30, 20, 15, 5]) };
      expect((await anonymous(t).post('/api/judge/scores', body)).status).toBe(401);
      expect((await organizer.post('/api/judge/scores', body)).status).toBe(403);
      expect((await anonymous(t).get('/api/judge/state')).status).toBe(401);
      expect((await organizer.get('/api/judge/state')).status).toBe(403);
      const tooShort = await (await asJudge(t, f.judges[0]!.token)).post('/api/judge/scores', {
        ...body,
        clientId: 'x',
      });
      expect(tooShort.status).toBe(400);
      expect(tooShort.json.code).toBe('validation_failed');
      expect(await entriesOf(f.eventId)).toHaveLength(0);
    });
  });

  describe('progress and the judge page', () => {
    it('shows N of M eligible judges with the missing names to the organizer, counts only to the observer', async () => {
      // Four judges; judge 2 is affiliated with unit 0: 3 eligible there, 4 elsewhere.
      const f = await seedEvent(t.database, { recusals: [[2, 0]] });
      const judges = await Promise.all(f.judges.map((j) => asJudge(t, j.token)));
      await open(f, 0);
      await judges[0]!.post('/api/judge/scores', {
        clientId: clientId(),
        slotId: f.slots[0]!.id,
        values: scoreOf(f, [30, 20, 15, 5]),
      });
      await judges[0]!.post('/api/judge/scores', {
        clientId: clientId(),
        slotId: f.slots[0]!.id,
        values: scoreOf(f, [31, 20, 15, 5]),
      });

      const res = await organizer.get(`/api/events/${f.eventId}/progress`);
      expect(res.status).toBe(200);
      expect(res.json.slots).toEqual([
        {
          slotId: f.slots[0]!.id,
          state: 'open',
          scored: 1,
          eligible: 3,
          missing: [1, 3].map((i) => ({ judgeId: f.judges[i]!.id, name: f.judges[i]!.name })),
        },
        {
          slotId: f.slots[1]!.id,
          state: 'pending',
          scored: 0,
          eligible: 4,
          missing: f.judges.map((j) => ({ judgeId: j.id, name: j.name })),
        },
        expect.objectContaining({ slotId: f.slots[2]!.id, scored: 0, eligible: 4 }),
        expect.objectContaining({ slotId: f.slots[3]!.id, scored: 0, eligible: 4 }),
      ]);
      expect(res.body).not.toContain('"values"');
      expect(res.body).not.toContain('total');

      const seen = await observer.get(`/api/events/${f.eventId}/progress`);
      expect(seen.status).toBe(200);
      expect(
        seen.json.slots.map((s: { scored: number; eligible: number; missing: unknown[] }) => [
          s.scored,
          s.eligible,
          s.missing,
        ]),
      ).toEqual([
        [1, 3, []],
        [0, 4, []],
        [0, 4, []],
        [0, 4, []],
      ]);
      expect((await leader.get(`/api/events/${f.eventId}/progress`)).status).toBe(403);
      expect((await anonymous(t).get(`/api/events/${f.eventId}/progress`)).status).toBe(401);
      expect((await organizer.get(`/api/events/${newId()}/progress`)).status).toBe(404);
    });

    it('shows a judge the open slots first, their own latest score and recusals, nobody else\u2019s', async () => {
      // Two tracks of two units; the open slot 2 is the first of the second track.
      const f = await seedEvent(t.database, { judgesPerPanel: 1, recusals: [[0, 3]] });
      const [me, other] = await Promise.all(f.judges.map((j) => asJudge(t, j.token)));
      await open(f, 0);
      await me!.post('/api/judge/scores', {
        clientId: clientId(),
        slotId: f.slots[0]!.id,
        values: scoreOf(f, [30, 20, 15, 5]),
      });
      await other!.post('/api/judge/scores', {
        clientId: clientId(),
        slotId: f.slots[0]!.id,
        values: scoreOf(f, [11, 11, 11, 0]),
      });
      await close(f, 0);
      await open(f, 2);
      await other!.post('/api/judge/scores', {
        clientId: clientId(),
        slotId: f.slots[2]!.id,
        values: scoreOf(f, [12, 12, 12, 0]),
      });

      const res = await me!.get('/api/judge/state', { lang: 'en-US' });
      expect(res.status).toBe(200);
      expect(res.json.event).toEqual({ id: f.eventId, title: expect.any(String), status: 'active' });
      expect(res.json.judge).toEqual({ id: f.judges[0]!.id, name: f.judges[0]!.name, panelName: '市领导组' });
      expect(res.json.criteria.map((c: { nameZh: string }) => c.nameZh)).toEqual([
        '工作实绩',
        '特色亮点',
        '问题剖析',
        '精神面貌',
      ]);
      expect(res.json.slots.map((s: { id: string }) => s.id)).toEqual([
        f.slots[2]!.id,
        f.slots[0]!.id,
        f.slots[1]!.id,
        f.slots[3]!.id,
      ]);
      const [s2, s0, s1, s3] = res.json.slots;
      expect(s2).toMatchObject({ state: 'open', recused: false, mine: null, position: 1 });
      expect(s2.trackName).toMatch(/^Departments /);
      expect(s0.trackName).toMatch(/^Towns /);
      expect(s0).toMatchObject({
        state: 'closed',
        mine: { version: 1, total: 70, values: scoreOf(f, [30, 20, 15, 5]) },
      });
      expect(s1).toMatchObject({ state: 'pending', recused: false, mine: null });
      expect(s3).toMatchObject({ state: 'pending', recused: true, mine: null });
      // The other judge's 33 and 36 appear nowhere.
      expect(res.body).not.toMatch(/"total":3[36]\b/);
      expect(res.body).not.toContain(f.judges[1]!.id);
    });
  });

  it('tells live clients what changed, after the commit: slots on a transition, progress on a score', async () => {
    const f = await seedEvent(t.database);
    const judge = await asJudge(t, f.judges[0]!.token);
    const seen: LiveChange[] = [];
    const stop = t.database.bus.subscribe((c) => {
      if (c.eventId === f.eventId) seen.push(c);
    });
    const arrived = async (n: number): Promise<void> => {
      for (let i = 0; seen.length < n; i++) {
        if (i > 2_000) throw new Error(`expected ${n} changes, got ${JSON.stringify(seen)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    try {
      await open(f, 0);
      await arrived(1);
      expect(seen[0]!.topics).toEqual(expect.arrayContaining(['slots', 'progress']));
      const body = { clientId: clientId(), slotId: f.slots[0]!.id, values: scoreOf(f, [30, 20, 15, 5]) };
      await judge.post('/api/judge/scores', body);
      await arrived(2);
      expect(seen[1]!.topics).toEqual(['progress']);
      // Nothing changed: no message for a resend or a repeated open.
      await judge.post('/api/judge/scores', body);
      await open(f, 0);
      await close(f, 0);
      await arrived(3);
      expect(seen[2]!.topics).toEqual(expect.arrayContaining(['slots']));
    } finally {
      stop();
    }
  });

  it('reads back a ledger that verifies', async () => {
    const f = await seedEvent(t.database);
    const judges = await Promise.all(f.judges.map((j) => asJudge(t, j.token)));
    await open(f, 0);
    for (const j of judges) {
      await j.post('/api/judge/scores', {
        clientId: clientId(),
        slotId: f.slots[0]!.id,
        values: scoreOf(f, [30, 20, 15, 5]),
      });
    }
    const chain = await readLedger(db, f.eventId);
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(verifyChain(chain)).toMatchObject({ ok: true, length: 4 });
  });
});

// The window and the ledger share one lock (the events row). On PostgreSQL a close can commit while a
// submission that already passed its first check waits for that lock; the submission must then be late.
onDialect('postgres')('a close racing a submission on postgres', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp('postgres');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses, records and does not store a submission whose slot closed while it waited for the lock', async () => {
    const db = t.database.db;
    const f = await seedEvent(t.database);
    const organizer = await asRole(t, 'organizer');
    const judge = await asJudge(t, f.judges[0]!.token);
    expect((await organizer.post(`/api/events/${f.eventId}/slots/${f.slots[0]!.id}/open`)).status).toBe(200);
    const waitingForLock = async (): Promise<number> => {
      const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
      return r.rows[0]?.n ?? 0;
    };

    const other = t.database.reopen();
    let submission: Promise<TestResponse> | undefined;
    try {
      await other.db.transaction().execute(async (trx) => {
        const now = new Date().toISOString();
        await trx.updateTable('events').set({ updated_at: now }).where('id', '=', f.eventId).execute();
        submission = judge.post('/api/judge/scores', {
          clientId: clientId(),
          slotId: f.slots[0]!.id,
          values: scoreOf(f, [30, 20, 15, 5]),
        });
        for (let i = 0; (await waitingForLock()) === 0; i++) {
          if (i > 2_000) throw new Error('the submission never waited for the event lock');
          await new Promise((r) => setTimeout(r, 10));
        }
        await trx
          .updateTable('slots')
          .set({ state: 'closed', closed_at: now })
          .where('id', '=', f.slots[0]!.id)
          .execute();
      });
    } finally {
      await other.close();
    }
    const res = await submission!;
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('slot_closed');
    expect(
      await db.selectFrom('score_entries').select('id').where('event_id', '=', f.eventId).execute(),
    ).toHaveLength(0);
    const event = await db
      .selectFrom('events')
      .selectAll()
      .where('id', '=', f.eventId)
      .executeTakeFirstOrThrow();
    expect(Number(event.ledger_seq)).toBe(0);
    expect(event.ledger_head).toBe(GENESIS_HASH);
    const late = await db
      .selectFrom('audit_log')
      .select('action')
      .where('event_id', '=', f.eventId)
      .where('action', '=', 'score.rejected_late')
      .execute();
    expect(late).toHaveLength(1);
  });
});
