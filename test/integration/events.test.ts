// Event setup over HTTP on SQLite and PostgreSQL: events, settings, rubric, panels, agenda, the draw
// by lot and slot corrections, with the rubric lock once scoring has begun.
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/platform/db/schema.ts';
import { tokenDigest } from '../../src/platform/link-tokens.ts';
import { dbKinds } from '../support/db.ts';
import { rows } from '../support/factory.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';
import {
  anonymous,
  asJudge,
  asRole,
  type Client,
  createTestApp,
  type RoleClient,
  type TestApp,
} from '../support/http.ts';

interface Slot {
  id: string;
  trackId: string;
  unitId: string;
  unitName: string;
  position: number;
  timeLimitSec: number;
  state: string;
}

let seqs = 0;
/** A stored score (ledger hashing is not what these tests are about). */
async function insertScore(
  db: Kysely<DB>,
  eventId: string,
  slotId: string,
  judgeId: string,
  values: Record<string, number>,
) {
  const seq = ++seqs;
  await db
    .insertInto('score_entries')
    .values(rows.scoreEntry({ event_id: eventId, seq, slot_id: slotId, judge_id: judgeId, values }))
    .execute();
}

const auditOf = (db: Kysely<DB>, eventId: string, action: string) =>
  db
    .selectFrom('audit_log')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('action', '=', action)
    .orderBy('created_at')
    .execute();

const order = (slots: Slot[], trackId: string) =>
  slots.filter((s) => s.trackId === trackId).map((s) => s.unitId);

describe.each(dbKinds)('event setup on %s', (kind) => {
  let t: TestApp;
  let db: Kysely<DB>;
  let org: RoleClient;
  let leader: RoleClient;
  let observer: RoleClient;
  let reporter: RoleClient;
  let anon: Client;
  let f: EventFixture;

  beforeAll(async () => {
    t = await createTestApp(kind);
    db = t.database.db;
    f = await seedEventFixture(t.database);
    org = await asRole(t, 'organizer');
    leader = await asRole(t, 'leader');
    observer = await asRole(t, 'observer');
    reporter = await asRole(t, 'reporter', f.units[0]?.id);
    anon = anonymous(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const fresh = (opts?: Parameters<typeof seedEventFixture>[1]) => seedEventFixture(t.database, opts);
  const detail = async (eventId: string) => (await org.get(`/api/events/${eventId}`)).json;

  describe('creating and reading events', () => {
    it('an organizer creates an event with default settings; it is audited', async () => {
      const res = await org.post('/api/events', {
        title: '2024年上半年工作大晒拼',
        startDate: '2024-07-30',
        endDate: '2024-07-31',
        venue: '市民中心',
        trackIds: [f.tracks[1]?.id, f.tracks[0]?.id],
      });
      expect(res.status).toBe(200);
      expect(res.json.event).toMatchObject({
        title: '2024年上半年工作大晒拼',
        startDate: '2024-07-30',
        status: 'draft',
        drawSeed: null,
        scoringStarted: false,
        revealedTrackIds: [],
        ledgerHead: '0'.repeat(64),
        publishedAt: null,
        settings: {
          trimK: 1,
          trimMinRemaining: 3,
          decimals: 2,
          tieBreakPanelId: null,
          gradeBands: { kind: 'none' },
        },
      });
      expect(res.json.tracks.map((x: { id: string }) => x.id)).toEqual([f.tracks[1]?.id, f.tracks[0]?.id]);
      expect(res.json).toMatchObject({ criteria: [], panels: [], judges: [], slots: [] });
      const log = await auditOf(db, res.json.event.id, 'event.created');
      expect(log).toHaveLength(1);
      expect(JSON.parse(log[0]?.after_json ?? '{}')).toMatchObject({ title: '2024年上半年工作大晒拼' });
    });

    it('refuses bad input with validation_failed', async () => {
      const cases = [
        { title: '', startDate: '2024-07-30', endDate: '2024-07-31' },
        { title: 'x', startDate: '2024/07/30', endDate: '2024-07-31' },
        { title: 'x', startDate: '2024-07-30', endDate: '2024-07-29' },
        { title: 'x', startDate: '2024-07-30', endDate: '2024-07-31', settings: { trimK: -1 } },
        // No panel exists yet, so no panel can break ties.
        {
          title: 'x',
          startDate: '2024-07-30',
          endDate: '2024-07-31',
          settings: {
            trimK: 1,
            trimMinRemaining: 3,
            decimals: 2,
            overtimePenalty: { points: 0, perSeconds: 30 },
            gradeBands: { kind: 'none' },
            tieBreakPanelId: 'nope',
          },
        },
      ];
      for (const body of cases) {
        const res = await org.post('/api/events', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.json.code).toBe('validation_failed');
      }
      const unknownTrack = await org.post('/api/events', {
        title: 'x',
        startDate: '2024-07-30',
        endDate: '2024-07-31',
        trackIds: ['nope'],
      });
      expect(unknownTrack.status).toBe(404);
    });

    it('only organizers create events', async () => {
      const body = { title: 'x', startDate: '2024-07-30', endDate: '2024-07-31' };
      for (const c of [leader, observer, reporter])
        expect((await c.post('/api/events', body)).status).toBe(403);
      const judge = await asJudge(t, f.judges[1]?.token as string);
      expect((await judge.post('/api/events', body)).status).toBe(403);
      expect((await anon.post('/api/events', body)).json.code).toBe('unauthenticated');
    });

    it('lists events for organizers, leaders and observers; reporters see published events only', async () => {
      const published = await fresh();
      await db
        .updateTable('events')
        .set({ published_at: new Date().toISOString() })
        .where('id', '=', published.eventId)
        .execute();
      for (const c of [org, leader, observer]) {
        const res = await c.get('/api/events');
        expect(res.status).toBe(200);
        const ids = res.json.map((e: { id: string }) => e.id);
        expect(ids).toContain(f.eventId);
        expect(ids).toContain(published.eventId);
      }
      const mine = await reporter.get('/api/events');
      expect(mine.status).toBe(200);
      expect(mine.json.map((e: { id: string }) => e.id)).toEqual([published.eventId]);
      expect((await anon.get('/api/events')).status).toBe(401);
      const judge = await asJudge(t, f.judges[1]?.token as string);
      expect((await judge.get('/api/events')).status).toBe(403);
    });

    it('presents the event detail: judges with affiliations and invites, slots with unit names in order', async () => {
      for (const c of [org, leader, observer])
        expect((await c.get(`/api/events/${f.eventId}`)).status).toBe(200);
      const d = await detail(f.eventId);
      expect(d.tracks.map((x: { id: string }) => x.id)).toEqual(f.tracks.map((x) => x.id));
      expect(d.criteria.map((c: { id: string }) => c.id)).toEqual(f.criteria.map((c) => c.id));
      expect(d.criteria[3]).toEqual({
        id: f.criteria[3]?.id,
        nameZh: '精神面貌',
        nameEn: 'Spirit',
        maxPoints: 10,
        step: 0.1,
        sort: 4,
      });
      expect(d.panels.map((p: { weight: number }) => p.weight)).toEqual([60, 40]);
      expect(d.judges[0]).toEqual({
        id: f.judges[0]?.id,
        name: f.judges[0]?.name,
        title: '',
        panelId: f.panels[0]?.id,
        affiliatedUnitIds: [f.units[0]?.id],
        sort: 1,
        inviteActive: true,
      });
      expect(d.slots.map((s: Slot) => s.unitName)).toEqual(f.units.map((u) => u.name));
      expect(d.slots[0]).toMatchObject({
        position: 1,
        timeLimitSec: 480,
        overtimeSec: 0,
        manualPenalty: 0,
        state: 'pending',
        openedAt: null,
      });
    });

    it('refuses the detail to reporters, judges and anonymous callers, and 404s an unknown event', async () => {
      expect((await reporter.get(`/api/events/${f.eventId}`)).status).toBe(403);
      const judge = await asJudge(t, f.judges[2]?.token as string);
      expect((await judge.get(`/api/events/${f.eventId}`)).status).toBe(403);
      expect((await anon.get(`/api/events/${f.eventId}`)).status).toBe(401);
      const missing = await org.get('/api/events/nope');
      expect(missing.status).toBe(404);
      expect(missing.json.code).toBe('not_found');
    });
  });

  describe('updating an event', () => {
    it('changes title, dates, venue, tracks and settings; the tie-break panel must be one of the event', async () => {
      const e = await fresh();
      const settings = {
        ...(await detail(e.eventId)).event.settings,
        trimK: 0,
        tieBreakPanelId: e.panels[1]?.id,
      };
      const res = await org.patch(`/api/events/${e.eventId}`, {
        title: '改名后的晒拼',
        venue: '会议中心',
        settings,
      });
      expect(res.status).toBe(200);
      expect(res.json.event).toMatchObject({
        title: '改名后的晒拼',
        venue: '会议中心',
        settings: { trimK: 0, tieBreakPanelId: e.panels[1]?.id },
      });
      const log = await auditOf(db, e.eventId, 'event.updated');
      expect(JSON.parse(log[0]?.before_json ?? '{}').settings.trimK).toBe(1);
      expect(JSON.parse(log[0]?.after_json ?? '{}').settings.trimK).toBe(0);

      const foreign = await org.patch(`/api/events/${e.eventId}`, {
        settings: { ...settings, tieBreakPanelId: f.panels[0]?.id },
      });
      expect(foreign.status).toBe(400);
      expect(foreign.json.code).toBe('validation_failed');
      const badDates = await org.patch(`/api/events/${e.eventId}`, {
        startDate: '2030-01-02',
        endDate: '2030-01-01',
      });
      expect(badDates.json.code).toBe('validation_failed');
      expect((await org.patch(`/api/events/${e.eventId}`, { title: 42 })).status).toBe(400);
    });

    it('cannot drop a track that is on the agenda', async () => {
      const e = await fresh();
      const res = await org.patch(`/api/events/${e.eventId}`, { trackIds: [e.tracks[0]?.id] });
      expect(res.status).toBe(409);
      expect(res.json.code).toBe('conflict');
      await org.put(`/api/events/${e.eventId}/agenda`, {
        slots: e.slots
          .filter((s) => s.trackId === e.tracks[0]?.id)
          .map((s) => ({ unitId: s.unitId, trackId: s.trackId, timeLimitSec: 300 })),
      });
      const ok = await org.patch(`/api/events/${e.eventId}`, { trackIds: [e.tracks[0]?.id] });
      expect(ok.status).toBe(200);
      expect(ok.json.tracks.map((x: { id: string }) => x.id)).toEqual([e.tracks[0]?.id]);
    });

    it('only organizers update', async () => {
      for (const c of [leader, observer, reporter])
        expect((await c.patch(`/api/events/${f.eventId}`, { title: 'x' })).status).toBe(403);
      expect((await anon.patch(`/api/events/${f.eventId}`, { title: 'x' })).status).toBe(401);
    });
  });

  describe('criteria and panels', () => {
    it('replacing criteria keeps the ids of items sent with an id, adds new ones, drops the rest, in array order', async () => {
      const e = await fresh();
      const [a, b, , d] = e.criteria;
      const res = await org.put(`/api/events/${e.eventId}/criteria`, {
        criteria: [
          { id: d?.id, nameZh: '精神面貌', nameEn: 'Spirit', maxPoints: 15, step: 0.5 },
          { nameZh: '群众满意度', maxPoints: 10, step: 1 },
          { id: a?.id, nameZh: '工作实绩', nameEn: 'Results', maxPoints: 40, step: 0.5 },
          { id: b?.id, nameZh: '特色亮点', nameEn: 'Highlights', maxPoints: 35, step: 0.5 },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.json.map((c: { id: string }) => c.id).slice(0, 1)).toEqual([d?.id]);
      expect(res.json[1]).toMatchObject({
        nameZh: '群众满意度',
        nameEn: '',
        maxPoints: 10,
        step: 1,
        sort: 2,
      });
      expect(res.json.slice(2).map((c: { id: string }) => c.id)).toEqual([a?.id, b?.id]);
      expect(res.json.map((c: { sort: number }) => c.sort)).toEqual([1, 2, 3, 4]);
      expect((await detail(e.eventId)).criteria).toEqual(res.json);
      expect(await auditOf(db, e.eventId, 'criteria.replaced')).toHaveLength(1);
    });

    it('refuses bad criteria: unknown ids, repeated ids, empty lists, bad numbers', async () => {
      const e = await fresh();
      const c0 = e.criteria[0];
      const bodies = [
        { criteria: [] },
        { criteria: [{ nameZh: 'x', maxPoints: 0, step: 1 }] },
        { criteria: [{ nameZh: 'x', maxPoints: 10, step: -1 }] },
        { criteria: [{ id: f.criteria[0]?.id, nameZh: 'x', maxPoints: 10, step: 1 }] },
        {
          criteria: [
            { ...c0, id: c0?.id },
            { ...c0, id: c0?.id },
          ],
        },
      ];
      for (const body of bodies) {
        const res = await org.put(`/api/events/${e.eventId}/criteria`, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.json.code).toBe('validation_failed');
      }
    });

    it('replacing panels keeps ids; a panel with judges cannot go; dropping the tie-break panel clears it', async () => {
      const e = await fresh({ judgesPerPanel: 0 });
      await org.patch(`/api/events/${e.eventId}`, {
        settings: { ...(await detail(e.eventId)).event.settings, tieBreakPanelId: e.panels[1]?.id },
      });
      const res = await org.put(`/api/events/${e.eventId}/panels`, {
        panels: [
          { id: e.panels[0]?.id, name: '市领导', weight: 50 },
          { name: '群众代表', weight: 20 },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.json).toEqual([
        { id: e.panels[0]?.id, name: '市领导', weight: 50, sort: 1 },
        { id: expect.any(String), name: '群众代表', weight: 20, sort: 2 },
      ]);
      expect((await detail(e.eventId)).event.settings.tieBreakPanelId).toBeNull();

      const staffed = await fresh();
      const gone = await org.put(`/api/events/${staffed.eventId}/panels`, {
        panels: [{ id: staffed.panels[0]?.id, name: 'x', weight: 1 }],
      });
      expect(gone.status).toBe(409);
      expect(gone.json.code).toBe('conflict');
      expect(gone.json.message).toContain(staffed.panels[1]?.name);
      expect(
        (await org.put(`/api/events/${staffed.eventId}/panels`, { panels: [{ name: 'x', weight: 0 }] }))
          .status,
      ).toBe(400);
    });

    it('only organizers replace criteria and panels', async () => {
      const body = { criteria: [{ nameZh: 'x', maxPoints: 10, step: 1 }] };
      const panels = { panels: [{ name: 'x', weight: 1 }] };
      for (const c of [leader, observer, reporter]) {
        expect((await c.put(`/api/events/${f.eventId}/criteria`, body)).status).toBe(403);
        expect((await c.put(`/api/events/${f.eventId}/panels`, panels)).status).toBe(403);
      }
      expect((await anon.put(`/api/events/${f.eventId}/criteria`, body)).status).toBe(401);
      expect((await anon.put(`/api/events/${f.eventId}/panels`, panels)).status).toBe(401);
    });
  });

  describe('once scoring has begun (rubric lock)', () => {
    let e: EventFixture;
    beforeAll(async () => {
      e = await fresh();
      await db
        .updateTable('events')
        .set({ scoring_started: 1, status: 'active' })
        .where('id', '=', e.eventId)
        .execute();
      const [c0, c1, c2, c3] = e.criteria;
      await insertScore(db, e.eventId, e.slots[1]?.id as string, e.judges[0]?.id as string, {
        [c0?.id as string]: 30,
        [c1?.id as string]: 20,
        [c2?.id as string]: 10,
        [c3?.id as string]: 5,
      });
    });

    const criteriaBody = () =>
      e.criteria.map((c) => ({
        id: c.id,
        nameZh: c.nameZh,
        nameEn: c.nameEn,
        maxPoints: c.maxPoints,
        step: c.step,
      }));

    it('changing criteria needs a reason (409 rubric_locked); with one it is audited before/after', async () => {
      const changed = criteriaBody().map((c, i) => (i === 0 ? { ...c, maxPoints: 45 } : c));
      const refused = await org.put(`/api/events/${e.eventId}/criteria`, { criteria: changed });
      expect(refused.status).toBe(409);
      expect(refused.json.code).toBe('rubric_locked');
      const blank = await org.put(`/api/events/${e.eventId}/criteria`, { criteria: changed, reason: '   ' });
      expect(blank.json.code).toBe('rubric_locked');

      const ok = await org.put(`/api/events/${e.eventId}/criteria`, {
        criteria: changed,
        reason: '评审组决定上调实绩分值',
      });
      expect(ok.status).toBe(200);
      expect(ok.json[0]).toMatchObject({ id: e.criteria[0]?.id, maxPoints: 45 });
      const [entry] = await auditOf(db, e.eventId, 'criteria.replaced');
      expect(entry?.reason).toBe('评审组决定上调实绩分值');
      expect(JSON.parse(entry?.before_json ?? '[]')[0].maxPoints).toBe(40);
      expect(JSON.parse(entry?.after_json ?? '[]')[0].maxPoints).toBe(45);
    });

    it('sending the same criteria again needs no reason: nothing changes', async () => {
      const current = (await detail(e.eventId)).criteria.map(({ sort: _s, ...c }: { sort: number }) => c);
      const res = await org.put(`/api/events/${e.eventId}/criteria`, { criteria: current });
      expect(res.status).toBe(200);
    });

    it('a criterion that already has scores cannot be removed, even with a reason; a new one can be added', async () => {
      const without = (await detail(e.eventId)).criteria
        .slice(1)
        .map(({ sort: _s, ...c }: { sort: number }) => c);
      const res = await org.put(`/api/events/${e.eventId}/criteria`, { criteria: without, reason: '删除' });
      expect(res.status).toBe(409);
      expect(res.json.code).toBe('conflict');
      expect(res.json.message).toContain('工作实绩');
      const current = (await detail(e.eventId)).criteria.map(({ sort: _s, ...c }: { sort: number }) => c);
      const added = await org.put(`/api/events/${e.eventId}/criteria`, {
        criteria: [...current, { nameZh: '临时项', maxPoints: 5, step: 1 }],
        reason: '补充',
      });
      expect(added.status).toBe(200);
      const back = await org.put(`/api/events/${e.eventId}/criteria`, {
        criteria: current,
        reason: '撤回补充项',
      });
      expect(back.status).toBe(200);
      expect(back.json).toHaveLength(4);
    });

    it('panels: reason required; a panel whose judges scored cannot be removed', async () => {
      const panels = e.panels.map((p) => ({ id: p.id, name: p.name, weight: p.weight }));
      const reweighted = panels.map((p, i) => (i === 0 ? { ...p, weight: 70 } : p));
      expect((await org.put(`/api/events/${e.eventId}/panels`, { panels: reweighted })).json.code).toBe(
        'rubric_locked',
      );
      expect(
        (await org.put(`/api/events/${e.eventId}/panels`, { panels: reweighted, reason: '调整权重' })).status,
      ).toBe(200);
      const drop = await org.put(`/api/events/${e.eventId}/panels`, {
        panels: reweighted.slice(1),
        reason: '合并',
      });
      expect(drop.status).toBe(409);
      expect(drop.json.code).toBe('conflict');
      expect(drop.json.message).toContain(e.panels[0]?.name);
    });

    it('settings and tracks need a reason; title and venue do not', async () => {
      const settings = { ...(await detail(e.eventId)).event.settings, decimals: 3 };
      expect((await org.patch(`/api/events/${e.eventId}`, { settings })).json.code).toBe('rubric_locked');
      expect((await org.patch(`/api/events/${e.eventId}`, { title: '下半年大晒拼' })).status).toBe(200);
      const ok = await org.patch(`/api/events/${e.eventId}`, { settings, reason: '按通知保留三位小数' });
      expect(ok.status).toBe(200);
      expect(ok.json.event.settings.decimals).toBe(3);
      const log = await auditOf(db, e.eventId, 'event.updated');
      expect(log.at(-1)?.reason).toBe('按通知保留三位小数');
    });
  });

  describe('locked events', () => {
    it('refuse every change with event_locked', async () => {
      const e = await fresh();
      await db.updateTable('events').set({ status: 'locked' }).where('id', '=', e.eventId).execute();
      const id = e.eventId;
      const attempts = [
        org.patch(`/api/events/${id}`, { title: 'x' }),
        org.put(`/api/events/${id}/criteria`, {
          criteria: [{ nameZh: 'x', maxPoints: 1, step: 1 }],
          reason: 'r',
        }),
        org.put(`/api/events/${id}/panels`, { panels: [{ name: 'x', weight: 1 }], reason: 'r' }),
        org.post(`/api/events/${id}/judges`, { name: '新评委', panelId: e.panels[0]?.id }),
        org.patch(`/api/events/${id}/judges/${e.judges[1]?.id}`, { title: 'x' }),
        org.delete(`/api/events/${id}/judges/${e.judges[1]?.id}`),
        org.post(`/api/events/${id}/judges/${e.judges[1]?.id}/invite`),
        org.delete(`/api/events/${id}/judges/${e.judges[1]?.id}/invite`),
        org.put(`/api/events/${id}/agenda`, { slots: [] }),
        org.post(`/api/events/${id}/agenda/draw`, {}),
        org.patch(`/api/events/${id}/slots/${e.slots[0]?.id}`, { overtimeSec: 5, reason: 'r' }),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.status, res.body).toBe(409);
        expect(res.json.code).toBe('event_locked');
      }
      // Reading still works.
      expect((await org.get(`/api/events/${id}`)).status).toBe(200);
    });
  });

  describe('copying an event', () => {
    it('copies settings, tracks, rubric, panels, judges with affiliations and the agenda — not scores, invites or states', async () => {
      const src = await fresh();
      await org.patch(`/api/events/${src.eventId}`, {
        settings: {
          ...(await detail(src.eventId)).event.settings,
          trimK: 2,
          tieBreakPanelId: src.panels[0]?.id,
        },
      });
      await org.post(`/api/events/${src.eventId}/agenda/draw`, { seed: 'copy-me' });
      const srcDetail = await detail(src.eventId);
      await db
        .updateTable('slots')
        .set({ state: 'closed', overtime_sec: 30, manual_penalty: 1 })
        .where('id', '=', src.slots[0]?.id as string)
        .execute();
      await db
        .updateTable('events')
        .set({ scoring_started: 1, status: 'active' })
        .where('id', '=', src.eventId)
        .execute();
      await insertScore(db, src.eventId, src.slots[0]?.id as string, src.judges[1]?.id as string, {
        [src.criteria[0]?.id as string]: 1,
      });

      const res = await org.post('/api/events', {
        title: '下半年工作大晒拼',
        startDate: '2024-12-28',
        endDate: '2024-12-28',
        copyFromEventId: src.eventId,
      });
      expect(res.status).toBe(200);
      const copy = res.json;
      expect(copy.event).toMatchObject({
        title: '下半年工作大晒拼',
        status: 'draft',
        scoringStarted: false,
        drawSeed: null,
      });
      expect(copy.event.settings.trimK).toBe(2);
      const copiedPanel = copy.panels[0];
      expect(copy.event.settings.tieBreakPanelId).toBe(copiedPanel.id);
      expect(copiedPanel.id).not.toBe(src.panels[0]?.id);
      expect(copy.tracks).toEqual(srcDetail.tracks);
      const strip = <T extends { id: string }>(list: T[]) => list.map(({ id: _id, ...rest }) => rest);
      expect(strip(copy.criteria)).toEqual(strip(srcDetail.criteria));
      expect(strip(copy.panels)).toEqual(strip(srcDetail.panels));
      expect(copy.judges.map((j: { name: string }) => j.name)).toEqual(
        srcDetail.judges.map((j: { name: string }) => j.name),
      );
      expect(copy.judges[0].affiliatedUnitIds).toEqual([src.units[0]?.id]);
      expect(copy.judges[0].panelId).toBe(copiedPanel.id);
      expect(copy.judges.every((j: { inviteActive: boolean }) => j.inviteActive)).toBe(true);
      expect(copy.slots.map((s: Slot) => [s.trackId, s.unitId, s.position, s.timeLimitSec])).toEqual(
        srcDetail.slots.map((s: Slot) => [s.trackId, s.unitId, s.position, s.timeLimitSec]),
      );
      expect(
        copy.slots.every(
          (s: { state: string; overtimeSec: number; manualPenalty: number }) =>
            s.state === 'pending' && s.overtimeSec === 0 && s.manualPenalty === 0,
        ),
      ).toBe(true);

      const scores = await db
        .selectFrom('score_entries')
        .select('id')
        .where('event_id', '=', copy.event.id)
        .execute();
      expect(scores).toHaveLength(0);
      const oldDigests = new Set(src.judges.map((j) => tokenDigest(j.token)));
      const newDigests = await db
        .selectFrom('invites')
        .select('token_hash')
        .where('event_id', '=', copy.event.id)
        .execute();
      expect(newDigests).toHaveLength(src.judges.length);
      expect(newDigests.some((x) => oldDigests.has(x.token_hash))).toBe(false);
      // The source is untouched.
      expect((await detail(src.eventId)).judges).toHaveLength(src.judges.length);
    });

    it('404s an unknown source event', async () => {
      const res = await org.post('/api/events', {
        title: 'x',
        startDate: '2024-01-01',
        endDate: '2024-01-01',
        copyFromEventId: 'nope',
      });
      expect(res.status).toBe(404);
    });
  });

  describe('agenda', () => {
    it('replaces the agenda: positions per track follow array order; unknown tracks and units, repeats are refused', async () => {
      const e = await fresh();
      const [t1, t2] = e.tracks;
      const u = e.units;
      const slots = [
        { unitId: u[2]?.id, trackId: t1?.id, timeLimitSec: 300 },
        { unitId: u[3]?.id, trackId: t2?.id, timeLimitSec: 600 },
        { unitId: u[0]?.id, trackId: t1?.id, timeLimitSec: 300 },
        { unitId: u[5]?.id, trackId: t2?.id, timeLimitSec: 600 },
      ];
      const res = await org.put(`/api/events/${e.eventId}/agenda`, { slots });
      expect(res.status).toBe(200);
      expect(res.json.map((s: Slot) => [s.unitId, s.trackId, s.position, s.timeLimitSec])).toEqual([
        [u[2]?.id, t1?.id, 1, 300],
        [u[0]?.id, t1?.id, 2, 300],
        [u[3]?.id, t2?.id, 1, 600],
        [u[5]?.id, t2?.id, 2, 600],
      ]);
      // Units that stay keep their slot id (scores point at slots).
      expect(res.json.find((s: Slot) => s.unitId === u[0]?.id).id).toBe(e.slots[0]?.id);
      expect(await auditOf(db, e.eventId, 'agenda.replaced')).toHaveLength(1);

      const bad = [
        { slots: [{ unitId: u[0]?.id, trackId: f.tracks[0]?.id, timeLimitSec: 300 }] },
        { slots: [{ unitId: 'nope', trackId: t1?.id, timeLimitSec: 300 }] },
        { slots: [slots[0], slots[0]] },
        { slots: [{ unitId: u[0]?.id, trackId: t1?.id, timeLimitSec: 5 }] },
        { slots: [{ unitId: u[0]?.id }] },
      ];
      for (const body of bad) {
        const r = await org.put(`/api/events/${e.eventId}/agenda`, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.json.code).toBe('validation_failed');
      }
    });

    it('slots that are open or closed cannot be dropped or moved', async () => {
      const e = await fresh();
      await db
        .updateTable('slots')
        .set({ state: 'closed' })
        .where('id', '=', e.slots[0]?.id as string)
        .execute();
      await db
        .updateTable('slots')
        .set({ state: 'open' })
        .where('id', '=', e.slots[3]?.id as string)
        .execute();
      const all = e.slots.map((s) => ({
        unitId: s.unitId,
        trackId: s.trackId,
        timeLimitSec: s.timeLimitSec,
      }));
      const dropClosed = await org.put(`/api/events/${e.eventId}/agenda`, { slots: all.slice(1) });
      expect(dropClosed.status).toBe(409);
      expect(dropClosed.json.code).toBe('conflict');
      const moveOpen = [all[0], all[1], all[2], all[4], all[3], all[5]];
      expect((await org.put(`/api/events/${e.eventId}/agenda`, { slots: moveOpen })).status).toBe(409);
      const retime = all.map((s, i) => (i === 0 ? { ...s, timeLimitSec: 900 } : s));
      expect((await org.put(`/api/events/${e.eventId}/agenda`, { slots: retime })).status).toBe(409);
      // Pending slots around them still move freely.
      const swapPending = [all[0], all[2], all[1], all[3], all[5], all[4]];
      const ok = await org.put(`/api/events/${e.eventId}/agenda`, { slots: swapPending });
      expect(ok.status).toBe(200);
      expect(order(ok.json, e.tracks[0]?.id as string)).toEqual([
        e.units[0]?.id,
        e.units[2]?.id,
        e.units[1]?.id,
      ]);
    });

    it('draws by lot: same seed, same order (whatever the current order); the seed is shown in the detail', async () => {
      const e = await fresh({ unitsPerTrack: 8 });
      const [t1, t2] = e.tracks.map((x) => x.id);
      const first = await org.post(`/api/events/${e.eventId}/agenda/draw`, { seed: '2024-上半年-抽签' });
      expect(first.status).toBe(200);
      expect(first.json.filter((s: Slot) => s.trackId === t1).map((s: Slot) => s.position)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8,
      ]);
      const d = await detail(e.eventId);
      expect(d.event.drawSeed).toBe('2024-上半年-抽签');
      expect(d.slots).toEqual(first.json);
      const [entry] = await auditOf(db, e.eventId, 'agenda.drawn');
      expect(JSON.parse(entry?.after_json ?? '{}').seed).toBe('2024-上半年-抽签');

      // A manual reorder clears the seed (it no longer describes the order) …
      const reversed = [...first.json]
        .reverse()
        .map((s: Slot) => ({ unitId: s.unitId, trackId: s.trackId, timeLimitSec: s.timeLimitSec }));
      await org.put(`/api/events/${e.eventId}/agenda`, { slots: reversed });
      expect((await detail(e.eventId)).event.drawSeed).toBeNull();
      // … and drawing again with the same seed gives the same order.
      const again = await org.post(`/api/events/${e.eventId}/agenda/draw`, { seed: '2024-上半年-抽签' });
      expect(order(again.json, t1 as string)).toEqual(order(first.json, t1 as string));
      expect(order(again.json, t2 as string)).toEqual(order(first.json, t2 as string));

      const other = await org.post(`/api/events/${e.eventId}/agenda/draw`, { seed: 'another seed' });
      expect(order(other.json, t1 as string)).not.toEqual(order(first.json, t1 as string));
      expect([...order(other.json, t1 as string)].sort()).toEqual(
        [...order(first.json, t1 as string)].sort(),
      );
    });

    it('generates a readable seed when none is given', async () => {
      const e = await fresh();
      const res = await org.post(`/api/events/${e.eventId}/agenda/draw`);
      expect(res.status).toBe(200);
      expect((await detail(e.eventId)).event.drawSeed).toMatch(/^\d{4}-\d{4}$/);
      const empty = await org.post(`/api/events/${e.eventId}/agenda/draw`, {});
      expect(empty.status).toBe(200);
      expect((await org.post(`/api/events/${e.eventId}/agenda/draw`, { seed: '' })).status).toBe(400);
    });

    it('no draw once a slot has opened', async () => {
      const e = await fresh();
      await db
        .updateTable('slots')
        .set({ state: 'open' })
        .where('id', '=', e.slots[0]?.id as string)
        .execute();
      const res = await org.post(`/api/events/${e.eventId}/agenda/draw`, { seed: 'late' });
      expect(res.status).toBe(409);
      expect(res.json.code).toBe('conflict');
    });

    it('only organizers set the agenda and draw', async () => {
      for (const c of [leader, observer, reporter]) {
        expect((await c.put(`/api/events/${f.eventId}/agenda`, { slots: [] })).status).toBe(403);
        expect((await c.post(`/api/events/${f.eventId}/agenda/draw`, {})).status).toBe(403);
      }
      expect((await anon.put(`/api/events/${f.eventId}/agenda`, { slots: [] })).status).toBe(401);
      expect((await anon.post(`/api/events/${f.eventId}/agenda/draw`, {})).status).toBe(401);
    });
  });

  describe('slot corrections', () => {
    it('corrects overtime and penalty of a pending or open slot, audited before/after', async () => {
      const e = await fresh();
      const res = await org.patch(`/api/events/${e.eventId}/slots/${e.slots[0]?.id}`, {
        overtimeSec: 42,
        manualPenalty: 0.5,
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        id: e.slots[0]?.id,
        overtimeSec: 42,
        manualPenalty: 0.5,
        timeLimitSec: 480,
      });
      const [entry] = await auditOf(db, e.eventId, 'slot.corrected');
      expect(JSON.parse(entry?.before_json ?? '{}')).toEqual({
        overtimeSec: 0,
        manualPenalty: 0,
        timeLimitSec: 480,
      });
      expect(JSON.parse(entry?.after_json ?? '{}')).toEqual({
        overtimeSec: 42,
        manualPenalty: 0.5,
        timeLimitSec: 480,
      });
    });

    it('a closed slot needs a reason', async () => {
      const e = await fresh();
      const slotId = e.slots[1]?.id as string;
      await db.updateTable('slots').set({ state: 'closed' }).where('id', '=', slotId).execute();
      const refused = await org.patch(`/api/events/${e.eventId}/slots/${slotId}`, { overtimeSec: 10 });
      expect(refused.status).toBe(400);
      expect(refused.json.code).toBe('validation_failed');
      const ok = await org.patch(`/api/events/${e.eventId}/slots/${slotId}`, {
        overtimeSec: 10,
        reason: '计时器误差，按录像核定',
      });
      expect(ok.status).toBe(200);
      const log = await auditOf(db, e.eventId, 'slot.corrected');
      expect(log.at(-1)?.reason).toBe('计时器误差，按录像核定');
    });

    it('refuses bad values, unknown slots, slots of another event, other roles', async () => {
      const e = await fresh();
      const url = `/api/events/${e.eventId}/slots/${e.slots[0]?.id}`;
      expect((await org.patch(url, { overtimeSec: -1 })).json.code).toBe('validation_failed');
      expect((await org.patch(url, { manualPenalty: 101 })).status).toBe(400);
      expect((await org.patch(`/api/events/${e.eventId}/slots/nope`, { overtimeSec: 1 })).status).toBe(404);
      expect(
        (await org.patch(`/api/events/${e.eventId}/slots/${f.slots[0]?.id}`, { overtimeSec: 1 })).status,
      ).toBe(404);
      for (const c of [leader, observer, reporter])
        expect((await c.patch(url, { overtimeSec: 1 })).status).toBe(403);
      expect((await anon.patch(url, { overtimeSec: 1 })).status).toBe(401);
    });
  });
});
