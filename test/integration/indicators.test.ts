// The indicator model over HTTP: the framework tree, indicators, periods, rankings with their change and
// the versioned light rules — who may read and write each, and what bad input gets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../support/db.ts';
import {
  anonymous,
  asRole,
  type Client,
  clientFor,
  createTestApp,
  loginAs,
  type RoleClient,
  type TestApp,
} from '../support/http.ts';
import { type IndicatorFixture, seedIndicatorFixture } from '../support/indicator-fixtures.ts';

describe.each(dbKinds)('indicators on %s', (kind) => {
  let t: TestApp;
  let org: RoleClient;
  let leader: RoleClient;
  let observer: RoleClient;
  let f: IndicatorFixture;
  let reporterA: Client;
  let reporterB: Client;

  beforeAll(async () => {
    t = await createTestApp(kind);
    org = await asRole(t, 'organizer');
    leader = await asRole(t, 'leader');
    observer = await asRole(t, 'observer');
    f = await seedIndicatorFixture(t.database);
    reporterA = clientFor(t.app, await loginAs(t.app, f.reporters[0]!.username, f.reporters[0]!.password));
    reporterB = clientFor(t.app, await loginAs(t.app, f.reporters[1]!.username, f.reporters[1]!.password));
  });
  afterAll(async () => {
    await t?.close();
  });

  const indicatorBody = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    nodeId: f.tasks[0]!.id,
    code: `X${Math.random().toString(36).slice(2, 8)}`,
    name: '低效工业企业整治',
    measure: '亩',
    direction: 'higher',
    kind: 'cumulative',
    year: 2023,
    baseline: 0,
    target: 3938,
    unitId: f.units[0]!.id,
    frequency: 'quarterly',
    ...over,
  });

  describe('framework', () => {
    it('the organizer builds a program with tasks; every signed-in user reads the tree', async () => {
      const program = await org.post('/api/framework', {
        parentId: null,
        code: 'FW1',
        name: '一提升六攻坚',
        kind: 'program',
        sort: 5,
      });
      expect(program.status).toBe(200);
      expect(program.json).toEqual({
        id: expect.any(String),
        parentId: null,
        code: 'FW1',
        name: '一提升六攻坚',
        kind: 'program',
        sort: 5,
      });
      const task = await org.post('/api/framework', {
        parentId: program.json.id,
        code: 'FW1.1',
        name: '营商环境攻坚',
        kind: 'task',
      });
      expect(task.status).toBe(200);
      expect(task.json).toMatchObject({ parentId: program.json.id, kind: 'task', sort: 0 });

      for (const c of [leader, observer, reporterA]) {
        const list = await c.get('/api/framework');
        expect(list.status).toBe(200);
        expect(list.json.map((n: { code: string }) => n.code)).toEqual(
          expect.arrayContaining(['FW1', 'FW1.1']),
        );
      }
      const renamed = await org.patch(`/api/framework/${task.json.id}`, { name: '营商环境优化提升' });
      expect(renamed.json).toMatchObject({ id: task.json.id, name: '营商环境优化提升', code: 'FW1.1' });
    });

    it('programs are roots and tasks are not; codes are unique; a node cannot move under itself', async () => {
      const p = (
        await org.post('/api/framework', { parentId: null, code: 'FW2', name: '先行', kind: 'program' })
      ).json;
      const task = (
        await org.post('/api/framework', { parentId: p.id, code: 'FW2.1', name: '任务', kind: 'task' })
      ).json;
      const sub = (
        await org.post('/api/framework', { parentId: task.id, code: 'FW2.1.1', name: '子任务', kind: 'task' })
      ).json;
      expect(
        (await org.post('/api/framework', { parentId: p.id, code: 'FW3', name: 'x', kind: 'program' })).json
          .code,
      ).toBe('validation_failed');
      expect(
        (await org.post('/api/framework', { parentId: null, code: 'FW4', name: 'x', kind: 'task' })).status,
      ).toBe(400);
      const dup = await org.post('/api/framework', {
        parentId: null,
        code: 'FW2',
        name: 'y',
        kind: 'program',
      });
      expect(dup.status).toBe(409);
      const cycle = await org.patch(`/api/framework/${task.id}`, { parentId: sub.id });
      expect(cycle.status).toBe(400);
      const missing = await org.post('/api/framework', {
        parentId: 'nope',
        code: 'FW5',
        name: 'x',
        kind: 'task',
      });
      expect(missing.status).toBe(404);
      expect(
        (await org.post('/api/framework', { parentId: null, code: '', name: 'x', kind: 'program' })).status,
      ).toBe(400);
    });

    it('a node with children or indicators is not deleted; an empty one is', async () => {
      expect((await org.delete(`/api/framework/${f.program.id}`)).status).toBe(409);
      expect((await org.delete(`/api/framework/${f.tasks[0]!.id}`)).status).toBe(409);
      const p = (
        await org.post('/api/framework', { parentId: null, code: 'FW9', name: '空', kind: 'program' })
      ).json;
      expect((await org.delete(`/api/framework/${p.id}`)).json).toEqual({ ok: true });
      expect((await org.get('/api/framework')).json.some((n: { id: string }) => n.id === p.id)).toBe(false);
    });

    it('only the organizer writes; anonymous callers are turned away', async () => {
      for (const c of [leader, observer, reporterA]) {
        expect(
          (await c.post('/api/framework', { parentId: null, code: 'Z', name: 'z', kind: 'program' })).status,
        ).toBe(403);
        expect((await c.delete(`/api/framework/${f.program.id}`)).status).toBe(403);
      }
      expect((await anonymous(t).get('/api/framework')).status).toBe(401);
    });
  });

  describe('indicators', () => {
    it('the organizer creates an indicator with a phased plan and co-units; it reads back the same', async () => {
      const body = indicatorBody({
        coUnitIds: [f.units[1]!.id, f.units[1]!.id, f.units[0]!.id],
        plan: {
          kind: 'phased',
          expected: { '2023-Q1': 500, '2023-Q2': 2000, '2023-Q3': 3000, '2023-Q4': 3938 },
        },
        tierFloor: 3500,
        tierStretch: 4200,
        weight: 3,
      });
      const res = await org.post('/api/indicators', body);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        id: expect.any(String),
        nodeId: f.tasks[0]!.id,
        code: body.code,
        name: '低效工业企业整治',
        measure: '亩',
        direction: 'higher',
        kind: 'cumulative',
        year: 2023,
        baseline: 0,
        target: 3938,
        tierFloor: 3500,
        tierStretch: 4200,
        unitId: f.units[0]!.id,
        unitName: f.units[0]!.name,
        // Duplicates and the responsible unit itself are dropped.
        coUnitIds: [f.units[1]!.id],
        frequency: 'quarterly',
        plan: body.plan,
        weight: 3,
        lightSource: 'completion',
        sort: 0,
      });
      expect((await org.get(`/api/indicators/${res.json.id}`)).json).toEqual(res.json);

      const patched = await org.patch(`/api/indicators/${res.json.id}`, { target: 4000, coUnitIds: [] });
      expect(patched.json).toMatchObject({ target: 4000, coUnitIds: [], plan: body.plan, weight: 3 });
      expect((await org.delete(`/api/indicators/${res.json.id}`)).json).toEqual({ ok: true });
      const gone = await org.get(`/api/indicators/${res.json.id}`);
      expect(gone.status).toBe(404);
      // The entity is named in the reader's language, not as an internal key.
      expect(gone.json.message).toBe('找不到指标');
      const goneEn = await org.get(`/api/indicators/${res.json.id}`, { lang: 'en-US' });
      expect(goneEn.json.message).toBe('Indicator not found');
    });

    it('filters by year, unit (own or co-owned) and node subtree', async () => {
      const byUnitB = (await org.get(`/api/indicators?unitId=${f.units[1]!.id}`)).json.map(
        (i: { code: string }) => i.code,
      );
      expect(byUnitB).toEqual([f.indicators.investment.code, f.indicators.service.code]);
      // Unit A answers for land and air, and co-owns investment.
      const byUnitA = (await org.get(`/api/indicators?unitId=${f.units[0]!.id}&year=2023`)).json.map(
        (i: { code: string }) => i.code,
      );
      expect(byUnitA).toEqual(
        expect.arrayContaining([f.indicators.land.code, f.indicators.air.code, f.indicators.investment.code]),
      );
      expect(byUnitA).not.toContain(f.indicators.service.code);
      const byProgram = (await org.get(`/api/indicators?nodeId=${f.program.id}`)).json.map(
        (i: { code: string }) => i.code,
      );
      expect(byProgram).toEqual(expect.arrayContaining(Object.values(f.indicators).map((i) => i.code)));
      expect((await org.get(`/api/indicators?year=2030`)).json).toEqual([]);
      expect((await org.get(`/api/indicators?year=abc`)).status).toBe(400);
    });

    it("a reporter lists their unit's and co-owned indicators, never another unit's", async () => {
      const a = (await reporterA.get('/api/indicators')).json.map((i: { code: string }) => i.code);
      expect(a).toEqual(
        expect.arrayContaining([f.indicators.land.code, f.indicators.air.code, f.indicators.investment.code]),
      );
      expect(a).not.toContain(f.indicators.service.code);
      const b = (await reporterB.get('/api/indicators')).json.map((i: { code: string }) => i.code);
      expect(b.sort()).toEqual([f.indicators.investment.code, f.indicators.service.code].sort());
      expect((await reporterB.get(`/api/indicators?unitId=${f.units[0]!.id}`)).status).toBe(403);
      expect((await reporterB.get(`/api/indicators/${f.indicators.land.id}`)).status).toBe(403);
      // Co-owned: readable.
      expect((await reporterA.get(`/api/indicators/${f.indicators.investment.id}`)).status).toBe(200);
      // Leaders and observers read everything.
      expect((await leader.get(`/api/indicators/${f.indicators.service.id}`)).status).toBe(200);
      expect((await observer.get('/api/indicators')).json.length).toBeGreaterThanOrEqual(4);
    });

    it('rejects bad input: unknown references, a program as node, a plan outside the year, a duplicate code', async () => {
      const onProgram = await org.post('/api/indicators', indicatorBody({ nodeId: f.program.id }));
      expect(onProgram.status).toBe(400);
      expect(onProgram.json.message).toBe('输入有误：指标只能挂在任务之下，不能直接挂在一级项目下');
      expect((await org.post('/api/indicators', indicatorBody({ nodeId: 'nope' }))).status).toBe(404);
      expect((await org.post('/api/indicators', indicatorBody({ unitId: 'nope' }))).status).toBe(404);
      expect((await org.post('/api/indicators', indicatorBody({ coUnitIds: ['nope'] }))).status).toBe(404);
      const wrongPlan = await org.post(
        '/api/indicators',
        indicatorBody({ plan: { kind: 'phased', expected: { '2024-Q1': 1 } } }),
      );
      expect(wrongPlan.status).toBe(400);
      expect(wrongPlan.json.code).toBe('validation_failed');
      const monthlyKeyInQuarterly = await org.post(
        '/api/indicators',
        indicatorBody({ plan: { kind: 'phased', expected: { '2023-M03': 1 } } }),
      );
      expect(monthlyKeyInQuarterly.status).toBe(400);
      expect((await org.post('/api/indicators', indicatorBody({ direction: 'sideways' }))).status).toBe(400);
      expect((await org.post('/api/indicators', indicatorBody({ name: '' }))).status).toBe(400);
      expect(
        (await org.post('/api/indicators', indicatorBody({ code: f.indicators.land.code }))).status,
      ).toBe(409);
    });

    it('only the organizer defines indicators', async () => {
      for (const c of [leader, observer, reporterA]) {
        expect((await c.post('/api/indicators', indicatorBody())).status).toBe(403);
        expect((await c.patch(`/api/indicators/${f.indicators.land.id}`, { target: 1 })).status).toBe(403);
        expect((await c.delete(`/api/indicators/${f.indicators.land.id}`)).status).toBe(403);
      }
      expect((await anonymous(t).get('/api/indicators')).status).toBe(401);
      expect((await anonymous(t).post('/api/indicators', indicatorBody())).status).toBe(401);
    });

    it('an indicator with actuals is not deleted, nor switched to another frequency', async () => {
      const ind = (await org.post('/api/indicators', indicatorBody())).json;
      expect((await org.put(`/api/indicators/${ind.id}/actuals/2023-Q1`, { value: 10 })).status).toBe(200);
      expect((await org.delete(`/api/indicators/${ind.id}`)).status).toBe(409);
      expect((await org.patch(`/api/indicators/${ind.id}`, { frequency: 'monthly' })).status).toBe(409);
      expect((await org.get(`/api/indicators/${ind.id}`)).status).toBe(200);
    });
  });

  describe('periods', () => {
    it('creates the year of months idempotently, keeping edited periods as they are', async () => {
      const first = await org.post('/api/periods', { year: 2024, frequency: 'monthly' });
      expect(first.status).toBe(200);
      expect(first.json).toHaveLength(12);
      expect(first.json[1]).toEqual({
        key: '2024-M02',
        year: 2024,
        kind: 'month',
        index: 2,
        label: '2024年2月',
        startDate: '2024-02-01',
        endDate: '2024-02-29',
        dueDate: '2024-03-10',
        graceDays: 5,
        locked: false,
      });
      const edited = await org.patch('/api/periods/2024-M02', { dueDate: '2024-03-15', graceDays: 2 });
      expect(edited.json).toMatchObject({
        key: '2024-M02',
        dueDate: '2024-03-15',
        graceDays: 2,
        locked: false,
      });
      const again = await org.post('/api/periods', { year: 2024, frequency: 'monthly', dueDayOffset: 20 });
      expect(again.json).toHaveLength(12);
      expect(again.json[1]).toMatchObject({ dueDate: '2024-03-15', graceDays: 2 });
      expect(again.json[2]).toMatchObject({ key: '2024-M03', dueDate: '2024-04-10' });
      const en = await leader.get('/api/periods?year=2024', { lang: 'en-US' });
      expect(en.json.map((p: { label: string }) => p.label).slice(0, 2)).toEqual(['Jan 2024', 'Feb 2024']);
    });

    it('locks and unlocks a period; bad keys, dates and roles are refused', async () => {
      const locked = await org.patch('/api/periods/2023-Q4', { locked: true });
      expect(locked.json).toMatchObject({ key: '2023-Q4', locked: true, label: '2023年第四季度' });
      expect((await org.patch('/api/periods/2023-Q4', { locked: false })).json.locked).toBe(false);
      expect((await org.patch('/api/periods/2023-Q5', { locked: true })).status).toBe(400);
      expect((await org.patch('/api/periods/2031-Q1', { locked: true })).status).toBe(404);
      expect((await org.patch('/api/periods/2023-Q4', { dueDate: '2024-02-30' })).status).toBe(400);
      expect((await org.post('/api/periods', { year: 1999, frequency: 'monthly' })).status).toBe(400);
      expect((await reporterA.patch('/api/periods/2023-Q4', { locked: true })).status).toBe(403);
      expect((await leader.post('/api/periods', { year: 2025, frequency: 'quarterly' })).status).toBe(403);
      expect((await anonymous(t).get('/api/periods')).status).toBe(401);
      expect((await reporterA.get('/api/periods?year=2023')).json.map((p: { key: string }) => p.key)).toEqual(
        ['2023-Q1', '2023-Q2', '2023-Q3', '2023-Q4'],
      );
    });
  });

  describe('rankings', () => {
    it('shows the change from the previous period of the same subject and scope: 89 → 32 is up 57', async () => {
      const post = (over: Record<string, unknown>) =>
        org.post('/api/rankings', {
          indicatorId: f.indicators.service.id,
          scope: '全省',
          rank: 89,
          outOf: 90,
          source: '省营商办通报',
          ...over,
        });
      const q1 = await post({ periodKey: '2023-Q1' });
      expect(q1.status).toBe(200);
      expect(q1.json.change).toEqual({ previousRank: null, delta: null, direction: 'new' });
      const q2 = await post({ periodKey: '2023-Q2', rank: 32, publishedOn: '2023-07-20' });
      expect(q2.json).toMatchObject({
        indicatorId: f.indicators.service.id,
        unitId: null,
        scope: '全省',
        periodKey: '2023-Q2',
        rank: 32,
        outOf: 90,
        source: '省营商办通报',
        publishedOn: '2023-07-20',
        change: { previousRank: 89, delta: 57, direction: 'up' },
      });
      // Another scope has its own history.
      const jh = await post({ periodKey: '2023-Q2', scope: '金华', rank: 1, outOf: 9 });
      expect(jh.json.change.direction).toBe('new');
      const q3 = await post({ periodKey: '2023-Q3', rank: 40 });
      expect(q3.json.change).toEqual({ previousRank: 32, delta: -8, direction: 'down' });

      const list = await reporterB.get(`/api/rankings?indicatorId=${f.indicators.service.id}`);
      expect(list.status).toBe(200);
      expect(
        list.json.map((r: { periodKey: string; scope: string; change: { delta: number | null } }) => [
          r.periodKey,
          r.scope,
          r.change.delta,
        ]),
      ).toEqual([
        ['2023-Q1', '全省', null],
        ['2023-Q2', '全省', 57],
        ['2023-Q2', '金华', null],
        ['2023-Q3', '全省', -8],
      ]);
      // A unit's own ranking, listed with the unit's indicators' ones.
      const unitRank = await org.post('/api/rankings', {
        unitId: f.units[1]!.id,
        scope: '金华',
        periodKey: '2023-Q2',
        rank: 1,
        outOf: 9,
      });
      expect(unitRank.json).toMatchObject({ indicatorId: null, unitId: f.units[1]!.id });
      const ofUnit = await leader.get(`/api/rankings?unitId=${f.units[1]!.id}`);
      expect(ofUnit.json).toHaveLength(5);
      expect((await org.delete(`/api/rankings/${jh.json.id}`)).json).toEqual({ ok: true });
      expect((await leader.get(`/api/rankings?unitId=${f.units[1]!.id}`)).json).toHaveLength(4);
    });

    it('refuses bad rankings, duplicates, other units for reporters and writes by others', async () => {
      const base = {
        indicatorId: f.indicators.land.id,
        scope: '全省',
        periodKey: '2023-Q1',
        rank: 3,
        outOf: 10,
      };
      const outOfRange = await org.post('/api/rankings', { ...base, rank: 11 }, { lang: 'en-US' });
      expect(outOfRange.status).toBe(400);
      expect(outOfRange.json.message).toBe('Invalid input: Rank 11 cannot exceed the number ranked (10)');
      expect((await org.post('/api/rankings', { ...base, rank: 0 })).status).toBe(400);
      expect((await org.post('/api/rankings', { ...base, periodKey: '2023-13' })).status).toBe(400);
      expect((await org.post('/api/rankings', { ...base, unitId: f.units[0]!.id })).status).toBe(400);
      expect((await org.post('/api/rankings', { ...base, indicatorId: null })).status).toBe(400);
      expect((await org.post('/api/rankings', { ...base, indicatorId: 'nope' })).status).toBe(404);
      expect((await org.post('/api/rankings', base)).status).toBe(200);
      expect((await org.post('/api/rankings', base)).status).toBe(409);
      expect((await reporterA.post('/api/rankings', { ...base, periodKey: '2023-Q2' })).status).toBe(403);
      expect((await leader.delete('/api/rankings/whatever')).status).toBe(403);
      expect((await org.delete('/api/rankings/whatever')).status).toBe(404);
      expect((await reporterB.get(`/api/rankings?indicatorId=${f.indicators.land.id}`)).status).toBe(403);
      expect((await reporterB.get(`/api/rankings?unitId=${f.units[0]!.id}`)).status).toBe(403);
      // Without a filter a reporter gets their own unit's rankings only.
      const own = (await reporterA.get('/api/rankings')).json as {
        indicatorId: string | null;
        unitId: string | null;
      }[];
      expect(own.some((r) => r.indicatorId === f.indicators.land.id)).toBe(true);
      expect(own.every((r) => r.indicatorId !== f.indicators.service.id && r.unitId !== f.units[1]!.id)).toBe(
        true,
      );
      expect((await anonymous(t).get('/api/rankings')).status).toBe(401);
    });
  });

  describe('light rules', () => {
    it('version 0 is the default; each save is a new version; only the organizer saves', async () => {
      const initial = await reporterA.get('/api/light-rules');
      expect(initial.status).toBe(200);
      expect(initial.json).toEqual({
        version: 0,
        createdAt: expect.any(String),
        yellowWithinPoints: 10,
        rankRed: { bottomShare: 1 / 3 },
        rankYellow: { bottomShare: 1 / 2 },
        stars: {
          source: 'completion',
          bands: [
            { stars: 5, min: 1 },
            { stars: 4, min: 0.9 },
            { stars: 3, min: 0.8 },
            { stars: 2, min: 0.6 },
            { stars: 1, min: -1_000_000 },
          ],
        },
      });
      const body = {
        yellowWithinPoints: 5,
        rankRed: { bottomShare: 0.25 },
        stars: {
          source: 'rank',
          bands: [
            { stars: 5, min: 0.1 },
            { stars: 3, min: 0.5 },
          ],
        },
      };
      const v1 = await org.put('/api/light-rules', body);
      expect(v1.status).toBe(200);
      expect(v1.json).toEqual({ version: 1, createdAt: expect.any(String), ...body, rankYellow: null });
      const v2 = await org.put('/api/light-rules', { yellowWithinPoints: 10 });
      expect(v2.json).toMatchObject({ version: 2, yellowWithinPoints: 10, rankRed: null, stars: null });
      expect((await observer.get('/api/light-rules')).json.version).toBe(2);

      expect((await org.put('/api/light-rules', { yellowWithinPoints: 101 })).status).toBe(400);
      const badBands = await org.put('/api/light-rules', {
        yellowWithinPoints: 10,
        stars: {
          source: 'completion',
          bands: [
            { stars: 3, min: 0.5 },
            { stars: 4, min: 0.9 },
          ],
        },
      });
      expect(badBands.status).toBe(400);
      expect((await leader.put('/api/light-rules', { yellowWithinPoints: 10 })).status).toBe(403);
      expect((await anonymous(t).get('/api/light-rules')).status).toBe(401);
      // Back to the default shape for the other tests of this file.
      await org.put('/api/light-rules', initial.json);
    });
  });
});
