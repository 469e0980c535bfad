// Dashboards over HTTP on a known fixture: every light with its sentence, the heat map's worst light,
// laggards in order, a unit's assessment formula, an indicator's history against its plan, ranking
// changes — and who may see which. Plus the overview's floating-point shortcut checked against the
// exact domain rule.
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodFacts, quickLight } from '../../src/modules/indicators/dashboard/quick-light.ts';
import { defaultLightRules, type Plan, statusLight } from '../../src/modules/indicators/domain/indicators.ts';
import { periodsOfYear } from '../../src/modules/indicators/domain/periods.ts';
import type { RulesBundle } from '../../src/modules/indicators/light-rules.ts';
import { dbKinds } from '../support/db.ts';
import { seedEventFixture } from '../support/fixtures.ts';
import {
  anonymous,
  asJudge,
  asRole,
  type Client,
  clientFor,
  createTestApp,
  loginAs,
  type RoleClient,
  type TestApp,
} from '../support/http.ts';
import { type IndicatorFixture, seedIndicatorFixture } from '../support/indicator-fixtures.ts';

interface Status {
  indicatorId: string;
  unitId: string;
  code: string;
  light: string;
  explanation: string;
  stars: number | null;
  gapPoints: number | null;
  completion: number | null;
  completionRaw: number | null;
  expected: number;
  rulesVersion: number;
  programId: string | null;
  latestRanking: { rank: number; change: { delta: number | null } } | null;
}

describe.each(dbKinds)('dashboards on %s', (kind) => {
  let t: TestApp;
  let org: RoleClient;
  let leader: RoleClient;
  let observer: RoleClient;
  let f: IndicatorFixture;
  let reporterA: Client;
  let reporterB: Client;
  /** Unit A, under a second program: 10 of 100 by mid-year. */
  let laggard: { id: string; code: string };
  let program2: string;

  const at = (iso: string) => t.clock.set(new Date(iso));

  beforeAll(async () => {
    t = await createTestApp(kind);
    org = await asRole(t, 'organizer');
    leader = await asRole(t, 'leader');
    observer = await asRole(t, 'observer');
    f = await seedIndicatorFixture(t.database);
    reporterA = clientFor(t.app, await loginAs(t.app, f.reporters[0]!.username, f.reporters[0]!.password));
    reporterB = clientFor(t.app, await loginAs(t.app, f.reporters[1]!.username, f.reporters[1]!.password));

    program2 = (
      await org.post('/api/framework', {
        parentId: null,
        code: 'P2',
        name: '十项重大工程',
        kind: 'program',
        sort: 2,
      })
    ).json.id;
    const task = (
      await org.post('/api/framework', { parentId: program2, code: 'P2.1', name: '城市更新', kind: 'task' })
    ).json.id;
    const common = {
      kind: 'cumulative',
      year: 2023,
      frequency: 'quarterly',
      measure: '个',
      direction: 'higher',
    };
    laggard = (
      await org.post('/api/indicators', {
        ...common,
        nodeId: task,
        code: 'LAG1',
        name: '城中村改造',
        baseline: 0,
        target: 100,
        unitId: f.units[0]!.id,
        sort: 10,
      })
    ).json;
    // Unit B, lit by its rank, which it has none of: grey.
    await org.post('/api/indicators', {
      ...common,
      nodeId: f.tasks[1]!.id,
      code: 'RANK1',
      name: '双随机监管率排名',
      measure: '名',
      baseline: 50,
      target: 1,
      direction: 'lower',
      lightSource: 'rank',
      unitId: f.units[1]!.id,
      sort: 11,
    });

    at('2023-07-01T02:00:00Z');
    const submit = async (c: Client, id: string, key: string, value: number) => {
      const res = await c.put(`/api/indicators/${id}/actuals/${key}`, { value, submit: true });
      expect(res.status).toBe(200);
    };
    await submit(reporterA, f.indicators.land.id, '2023-Q2', 2200);
    await submit(reporterA, f.indicators.air.id, '2023-Q2', 36);
    await submit(reporterA, laggard.id, '2023-Q2', 10);
    await submit(reporterB, f.indicators.investment.id, '2023-Q1', 12);
    await submit(reporterB, f.indicators.investment.id, '2023-Q2', 25);
    // A draft does not count as reported.
    expect(
      (await reporterB.put(`/api/indicators/${f.indicators.service.id}/actuals/2023-Q2`, { value: 95 }))
        .status,
    ).toBe(200);
    for (const [key, rank] of [
      ['2023-Q1', 89],
      ['2023-Q2', 32],
    ] as const) {
      const res = await org.post('/api/rankings', {
        indicatorId: f.indicators.service.id,
        scope: '全省',
        periodKey: key,
        rank,
        outOf: 100,
        source: '省政府办公厅通报',
      });
      expect(res.status).toBe(200);
    }
    at('2023-07-20T00:00:00Z');
  });
  afterAll(async () => {
    await t?.close();
  });

  const overview = async (c: Client = org, lang?: string) => {
    const res = await c.get('/api/dashboard/overview?period=2023-Q2', lang ? { lang } : {});
    expect(res.status).toBe(200);
    return res.json;
  };
  const byCode = (items: Status[]) => new Map(items.map((i) => [i.code, i]));

  it('the overview counts every light: green, yellow, red, grey and overdue all appear', async () => {
    const o = await overview();
    expect(o.periodKey).toBe('2023-Q2');
    expect(o.counts).toEqual({ green: 1, yellow: 1, red: 2, grey: 1, overdue: 1 });
  });

  it('the heat map gives each unit × program cell its worst light and its counts', async () => {
    const o = await overview();
    const cells = o.heatmap.map(
      (c: { unitName: string; programName: string; worst: string; counts: object }) => [
        c.unitName,
        c.programName,
        c.worst,
        c.counts,
      ],
    );
    expect(cells).toEqual([
      [f.units[0]!.name, f.program.name, 'yellow', { green: 1, yellow: 1, red: 0, grey: 0, overdue: 0 }],
      [f.units[0]!.name, '十项重大工程', 'red', { green: 0, yellow: 0, red: 1, grey: 0, overdue: 0 }],
      // Overdue (nothing reported when due) beats red, which beats grey: the domain's lightSeverity.
      [f.units[1]!.name, f.program.name, 'overdue', { green: 0, yellow: 0, red: 1, grey: 1, overdue: 1 }],
    ]);
    expect(o.heatmap[1].programId).toBe(program2);
  });

  it('laggards: overdue first, then red by widest gap, then yellow — each with its sentence', async () => {
    const o = await overview();
    expect(o.laggards.map((l: Status) => [l.code, l.light])).toEqual([
      [f.indicators.service.code, 'overdue'],
      ['LAG1', 'red'],
      [f.indicators.investment.code, 'red'],
      [f.indicators.air.code, 'yellow'],
    ]);
    const [svc, lag, inv, air] = o.laggards as Status[];
    expect(lag!.explanation).toBe('完成 10%，序时进度 49.6%，落后 39.6 个百分点：红灯');
    expect(lag!.programId).toBe(program2);
    // The phased plan expects 40 of 100 by the end of Q2.
    expect(inv!).toMatchObject({
      explanation: '完成 25%，序时进度 40%，落后 15 个百分点：红灯',
      completion: 0.25,
      completionRaw: 0.25,
      expected: 0.4,
      gapPoints: 15,
      rulesVersion: 0,
      programId: f.program.id,
    });
    expect(svc!.explanation).toBe('报送期限 2023-07-10（宽限期至 2023-07-15）已过，仍未报送：未按期报送');
    expect(svc!).toMatchObject({ actual: 95, actualStatus: 'draft', completion: null });
    expect(svc!.latestRanking).toMatchObject({
      rank: 32,
      change: { previousRank: 89, delta: 57, direction: 'up' },
    });
    // Lower is better: 40 → 36 of a planned 40 → 30 is 40% done.
    expect(air!.explanation).toBe('完成 40%，序时进度 49.6%，落后 9.6 个百分点（不足 10 个百分点）：黄灯');

    const en = await overview(leader, 'en-US');
    expect(en.laggards[2].explanation).toBe('25% done, 40% expected by now, 15 points behind: red');
  });

  it("the overview lists the period's ranking changes: 89 → 32 is up 57", async () => {
    const o = await overview(leader);
    expect(o.rankingChanges).toEqual([
      expect.objectContaining({
        indicatorId: f.indicators.service.id,
        indicatorName: f.indicators.service.name,
        unitName: f.units[1]!.name,
        scope: '全省',
        periodKey: '2023-Q2',
        rank: 32,
        outOf: 100,
        change: { previousRank: 89, delta: 57, direction: 'up' },
      }),
    ]);
  });

  it('no data is grey before the due date and during grace, overdue after (the clock decides)', async () => {
    const service = async () =>
      (await overview()).laggards.find((l: Status) => l.code === f.indicators.service.code) as
        | Status
        | undefined;
    const unitB = async () =>
      byCode((await org.get(`/api/dashboard/units/${f.units[1]!.id}?period=2023-Q2`)).json.items).get(
        f.indicators.service.code,
      )!;
    try {
      at('2023-07-10T15:59:00Z');
      expect(await service()).toBeUndefined();
      expect((await unitB()).explanation).toBe('未到报送期限（2023-07-10）：灰灯');
      expect((await overview()).counts).toMatchObject({ grey: 2, overdue: 0 });
      at('2023-07-15T15:59:00Z');
      expect((await unitB()).explanation).toBe(
        '已过报送期限 2023-07-10，宽限期至 2023-07-15，尚未报送：灰灯',
      );
      at('2023-07-15T16:01:00Z');
      expect((await unitB()).light).toBe('overdue');
      expect((await service())?.light).toBe('overdue');
    } finally {
      at('2023-07-20T00:00:00Z');
    }
  });

  it("a unit's page: its indicators with explanations and stars, the assessment formula, its rankings", async () => {
    const res = await reporterA.get(`/api/dashboard/units/${f.units[0]!.id}?period=2023-Q2`);
    expect(res.status).toBe(200);
    expect(res.json.unitName).toBe(f.units[0]!.name);
    const items = res.json.items as Status[];
    expect(items.map((i) => [i.code, i.light, i.stars])).toEqual([
      [f.indicators.land.code, 'green', 4],
      [f.indicators.air.code, 'yellow', 1],
      ['LAG1', 'red', 1],
    ]);
    expect(items[0]!.explanation).toBe('完成 91.7%，序时进度 49.6%，超前 42.1 个百分点：绿灯');
    // Weights 2, 1, 1; four stars score 80, one star 20.
    expect(res.json.assessment).toEqual({
      score: 50,
      formula: 'Σ(weight×score)/Σweight = (2×80 + 1×20 + 1×20)/4 = 50',
    });
    const b = await leader.get(`/api/dashboard/units/${f.units[1]!.id}?period=2023-Q2`);
    const bItems = byCode(b.json.items);
    expect(bItems.get('RANK1')).toMatchObject({ light: 'grey', explanation: '暂无排名数据：灰灯' });
    expect(
      b.json.rankings.map((r: { rank: number; change: { delta: number | null } }) => [
        r.rank,
        r.change.delta,
      ]),
    ).toEqual([
      [89, null],
      [32, 57],
    ]);
  });

  it("an indicator's page: its history over the quarters against the phased plan, rankings and revisions", async () => {
    const res = await reporterA.get(`/api/dashboard/indicators/${f.indicators.investment.id}`);
    expect(res.status).toBe(200);
    expect(res.json.indicator).toMatchObject({ id: f.indicators.investment.id, plan: { kind: 'phased' } });
    expect(
      res.json.points.map(
        (p: {
          periodKey: string;
          label: string;
          expected: number;
          expectedValue: number;
          actual: number | null;
          light: string;
        }) => [p.periodKey, p.label, p.expected, p.expectedValue, p.actual, p.light],
      ),
    ).toEqual([
      ['2023-Q1', '2023年第一季度', 0.1, 10, 12, 'green'],
      ['2023-Q2', '2023年第二季度', 0.4, 40, 25, 'red'],
      ['2023-Q3', '2023年第三季度', 0.7, 70, null, 'grey'],
      ['2023-Q4', '2023年第四季度', 1, 100, null, 'grey'],
    ]);
    expect(res.json.points[2].explanation).toBe('未到报送期限（2023-10-10）：灰灯');
    expect(
      res.json.revisions.map((r: { periodKey: string; version: number; status: string }) => [
        r.periodKey,
        r.version,
        r.status,
      ]),
    ).toEqual([
      ['2023-Q1', 1, 'submitted'],
      ['2023-Q2', 1, 'submitted'],
    ]);
    // A linear indicator expects the share of the year elapsed: Q2 ends on day 181 of 365.
    const land = (await org.get(`/api/dashboard/indicators/${f.indicators.land.id}`)).json;
    expect(land.points[1]).toMatchObject({ expected: 181 / 365, actual: 2200, light: 'green' });
    expect(land.points[1].expectedValue).toBeCloseTo((2400 * 181) / 365, 9);
    const svc = (await leader.get(`/api/dashboard/indicators/${f.indicators.service.id}`)).json;
    expect(svc.rankings.map((r: { rank: number }) => r.rank)).toEqual([89, 32]);
  });

  it("every light of a period in one request, the same as each unit's page, for whoever may open it", async () => {
    const lightsOf = async (c: Client) => {
      const res = await c.get('/api/dashboard/lights?period=2023-Q2');
      expect(res.status).toBe(200);
      return new Map((res.json.items as Status[]).map((s) => [s.indicatorId, s]));
    };
    const all = (await org.get('/api/indicators?year=2023')).json as { id: string; unitId: string }[];
    const pageLights = new Map<string, Status>();
    for (const u of f.units) {
      for (const s of (await org.get(`/api/dashboard/units/${u.id}?period=2023-Q2`)).json.items as Status[])
        pageLights.set(s.indicatorId, s);
    }
    for (const c of [org, leader, observer]) {
      const lights = await lightsOf(c);
      // Leaders and observers see the light of every indicator (the list's light column is never "—").
      expect([...lights.keys()].sort()).toEqual(all.map((i) => i.id).sort());
      for (const [id, s] of lights) expect([id, s.light]).toEqual([id, pageLights.get(id)?.light]);
    }
    expect(new Set([...(await lightsOf(org)).values()].map((s) => s.light)).size).toBeGreaterThan(2);
    // A reporter: the indicators its unit answers for (owned and co-owned), as its indicator list has them.
    const mine = await lightsOf(reporterA);
    const listed = (await reporterA.get('/api/indicators?year=2023')).json as { id: string }[];
    expect([...mine.keys()].sort()).toEqual(listed.map((i) => i.id).sort());
    expect(mine.size).toBeLessThan(all.length);
    // A draft of another unit never shows its value.
    expect((await lightsOf(leader)).get(f.indicators.service.id)).toMatchObject({ actual: null });
    expect((await anonymous(t).get('/api/dashboard/lights?period=2023-Q2')).status).toBe(401);
    expect((await org.get('/api/dashboard/lights?period=nonsense')).status).toBe(400);
  });

  it('who sees what: reporters their unit and the city overview, leaders and observers all, judges nothing', async () => {
    expect((await reporterB.get(`/api/dashboard/units/${f.units[0]!.id}?period=2023-Q2`)).status).toBe(403);
    expect((await reporterB.get(`/api/dashboard/indicators/${f.indicators.land.id}`)).status).toBe(403);
    expect((await reporterB.get('/api/dashboard/overview?period=2023-Q2')).status).toBe(200);
    expect((await observer.get(`/api/dashboard/units/${f.units[0]!.id}?period=2023-Q2`)).status).toBe(200);
    expect((await observer.get(`/api/dashboard/indicators/${f.indicators.service.id}`)).status).toBe(200);
    for (const path of [
      '/api/dashboard/overview?period=2023-Q2',
      `/api/dashboard/units/${f.units[0]!.id}?period=2023-Q2`,
      `/api/dashboard/indicators/${f.indicators.land.id}`,
    ]) {
      expect((await anonymous(t).get(path)).status).toBe(401);
    }
    const event = await seedEventFixture(t.database);
    const judge = await asJudge(t, event.judges[0]!.token);
    expect((await judge.get('/api/dashboard/overview?period=2023-Q2')).status).toBe(403);
    expect((await judge.get(`/api/indicators/${f.indicators.land.id}/actuals`)).status).toBe(403);
    expect((await judge.get('/api/framework')).status).toBe(403);
  });

  it('a draft is seen by its unit and the organizer only, on every route that shows values', async () => {
    const service = f.indicators.service;
    const laggardOf = async (c: Client) =>
      (
        (await overview(c)).laggards as (Status & { actual: number | null; actualStatus: string | null })[]
      ).find((l) => l.code === service.code);
    // Unit B's draft of 95 for Q2 (beforeAll): the unit and the organizer see it.
    for (const c of [org, reporterB]) {
      expect(await laggardOf(c)).toMatchObject({ actual: 95, actualStatus: 'draft', light: 'overdue' });
    }
    // Another unit's reporter, leaders and observers see the same light without the value.
    for (const c of [reporterA, leader, observer]) {
      expect(await laggardOf(c)).toMatchObject({ actual: null, actualStatus: null, light: 'overdue' });
    }
    const unitPage = (c: Client) => c.get(`/api/dashboard/units/${f.units[1]!.id}?period=2023-Q2`);
    const onUnitPage = async (c: Client) =>
      ((await unitPage(c)).json.items as { code: string; actual: number | null }[]).find(
        (i) => i.code === service.code,
      )?.actual;
    expect(await onUnitPage(reporterB)).toBe(95);
    expect(await onUnitPage(leader)).toBeNull();
    const page = (c: Client) => c.get(`/api/dashboard/indicators/${service.id}`);
    const q2 = (json: { points: { periodKey: string; actual: number | null }[] }) =>
      json.points.find((p) => p.periodKey === '2023-Q2')?.actual;
    expect(q2((await page(org)).json)).toBe(95);
    expect((await page(org)).json.revisions).toHaveLength(1);
    expect(q2((await page(observer)).json)).toBeNull();
    expect((await page(observer)).json.revisions).toEqual([]);
    const actuals = (c: Client) => c.get(`/api/indicators/${service.id}/actuals`);
    expect((await actuals(reporterB)).json.map((a: { value: number }) => a.value)).toEqual([95]);
    expect((await actuals(leader)).json).toEqual([]);
    expect((await org.get(`/api/indicators/${service.id}/actuals/2023-Q2/revisions`)).json).toHaveLength(1);
    expect((await leader.get(`/api/indicators/${service.id}/actuals/2023-Q2/revisions`)).json).toEqual([]);
    // The year workbook: the organizer's carries the draft, a leader's does not.
    const draftRows = async (c: Client) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(
        (await c.get('/api/indicators/export.xlsx?year=2023')).raw as unknown as ArrayBuffer,
      );
      let n = 0;
      wb.getWorksheet('实际值')!.eachRow((row) => {
        if ((row.values as unknown[]).includes(service.code)) n++;
      });
      return n;
    };
    expect(await draftRows(org)).toBe(1);
    expect(await draftRows(leader)).toBe(0);
  });

  it('ranking changes follow the rule of GET /api/rankings: a reporter sees those of its own unit', async () => {
    const service = f.indicators.service;
    const changes = async (c: Client) =>
      ((await overview(c)).rankingChanges as { indicatorId: string | null }[]).map((r) => r.indicatorId);
    // The ranking is of unit B's indicator: unit A's reporter may not list it, so the overview leaves it out.
    expect((await reporterA.get(`/api/rankings?indicatorId=${service.id}`)).status).toBe(403);
    expect(await changes(reporterA)).toEqual([]);
    expect((await reporterB.get(`/api/rankings?indicatorId=${service.id}`)).status).toBe(200);
    expect(await changes(reporterB)).toEqual([service.id]);
    expect(await changes(observer)).toEqual([service.id]);
  });

  it('bad periods and unknown ids', async () => {
    expect((await org.get('/api/dashboard/overview')).status).toBe(400);
    expect((await org.get('/api/dashboard/overview?period=2023-Q9')).status).toBe(400);
    expect((await org.get('/api/dashboard/overview?period=2031-Q1')).status).toBe(404);
    expect((await org.get('/api/dashboard/units/nope?period=2023-Q2')).status).toBe(404);
    expect((await org.get(`/api/dashboard/units/${f.units[0]!.id}`)).status).toBe(400);
    expect((await org.get('/api/dashboard/indicators/nope')).status).toBe(404);
  });

  it("the review queue lists the period's submitted values across units with their lights, for the organizer only", async () => {
    const res = await org.get('/api/dashboard/review?period=2023-Q2');
    expect(res.status).toBe(200);
    expect(res.json.periodKey).toBe('2023-Q2');
    // Submitted in Q2: land, air, LAG1 (unit A), investment (unit B); the service draft is not.
    const codes = res.json.items.map((i: { status: Status }) => i.status.code);
    expect(codes).toEqual([
      ...[f.indicators.land.code, f.indicators.air.code, 'LAG1'].sort((a, b) => a.localeCompare(b)),
      f.indicators.investment.code,
    ]);
    // Each item's light is the one its unit page shows, and the actual is the submitted value.
    for (const unit of [f.units[0]!, f.units[1]!]) {
      const page = byCode((await org.get(`/api/dashboard/units/${unit.id}?period=2023-Q2`)).json.items);
      for (const item of res.json.items.filter((i: { status: Status }) => i.status.unitId === unit.id)) {
        expect(item.status).toEqual(page.get(item.status.code));
        expect(item.actual).toMatchObject({
          status: 'submitted',
          periodKey: '2023-Q2',
          value: item.status.actual,
        });
      }
    }
    for (const c of [reporterA, leader])
      expect((await c.get('/api/dashboard/review?period=2023-Q2')).status).toBe(403);
    expect((await org.get('/api/dashboard/review?period=2023-Q9')).status).toBe(400);
    // Verified: out of the queue.
    const verified = await org.post(`/api/indicators/${laggard.id}/actuals/2023-Q2/review`, {
      decision: 'verify',
    });
    expect(verified.status).toBe(200);
    const after = (await org.get('/api/dashboard/review?period=2023-Q2')).json.items;
    expect(after.map((i: { status: Status }) => i.status.code)).not.toContain('LAG1');
    expect(after).toHaveLength(3);
  });

  it('the ranking changes follow new and deleted rankings at once (they are cached)', async () => {
    const before = (await overview()).rankingChanges;
    expect(before).toHaveLength(1);
    await org.post('/api/rankings', {
      indicatorId: f.indicators.land.id,
      unitId: null,
      scope: '金华',
      periodKey: '2023-Q1',
      rank: 9,
      outOf: 9,
      source: '市统计局',
      publishedOn: null,
    });
    const added = await org.post('/api/rankings', {
      indicatorId: f.indicators.land.id,
      unitId: null,
      scope: '金华',
      periodKey: '2023-Q2',
      rank: 1,
      outOf: 9,
      source: '市统计局',
      publishedOn: null,
    });
    expect(added.status).toBe(200);
    const after = (await overview()).rankingChanges;
    expect(after.map((r: { rank: number; change: { delta: number } }) => [r.rank, r.change.delta])).toEqual([
      [32, 57],
      [1, 8],
    ]);
    expect((await org.delete(`/api/rankings/${added.json.id}`)).status).toBe(200);
    expect((await overview()).rankingChanges).toEqual(before);
  });

  it('the overview follows saves, reviews, rule changes and new indicators at once', async () => {
    const before = await overview();
    expect(before.counts).toMatchObject({ green: 1, yellow: 1 });
    at('2023-07-05T00:00:00Z');
    await reporterA.put(`/api/indicators/${f.indicators.air.id}/actuals/2023-Q2`, {
      value: 34,
      submit: true,
    });
    at('2023-07-20T00:00:00Z');
    expect((await overview()).counts).toMatchObject({ green: 2, yellow: 0 });
    // Returned: no longer counted as reported, and past grace that is overdue.
    await org.post(`/api/indicators/${f.indicators.air.id}/actuals/2023-Q2/review`, {
      decision: 'return',
      reason: '核实监测点位',
    });
    expect((await overview()).counts).toMatchObject({ green: 1, yellow: 0, overdue: 2 });
    // Rules v1: yellow within 50 points turns both reds yellow; every light says so.
    await org.put('/api/light-rules', { yellowWithinPoints: 50 });
    const lenient = await overview();
    expect(lenient.counts).toMatchObject({ red: 0, yellow: 2 });
    expect(lenient.laggards.every((l: Status) => l.rulesVersion === 1)).toBe(true);
    await org.put('/api/light-rules', { yellowWithinPoints: 10, stars: null });
    // A new monthly indicator shows in the quarter at its June value (periods ending the same day).
    await org.post('/api/periods', { year: 2023, frequency: 'monthly' });
    const monthly = (
      await org.post('/api/indicators', {
        nodeId: f.tasks[1]!.id,
        code: 'MON1',
        name: '社会消费品零售总额',
        measure: '亿元',
        direction: 'higher',
        kind: 'cumulative',
        year: 2023,
        baseline: 0,
        target: 1200,
        unitId: f.units[1]!.id,
        frequency: 'monthly',
      })
    ).json;
    at('2023-07-05T00:00:00Z');
    await reporterB.put(`/api/indicators/${monthly.id}/actuals/2023-M06`, { value: 700, submit: true });
    at('2023-07-20T00:00:00Z');
    const withMonthly = await overview();
    expect(withMonthly.counts).toMatchObject({ green: 2 });
    const unitB = await org.get(`/api/dashboard/units/${f.units[1]!.id}?period=2023-Q2`);
    const mon = byCode(unitB.json.items).get('MON1')!;
    expect(mon).toMatchObject({ light: 'green', periodKey: '2023-M06' });
    // Stars switched off: the assessment scores completion instead.
    expect(unitB.json.items.every((i: Status) => i.stars === null)).toBe(true);
    expect(unitB.json.assessment.formula).toMatch(/^Σ\(weight×score\)\/Σweight = \(/);
  });
});

describe('the overview shortcut agrees with the exact light rule', () => {
  const periods = [...periodsOfYear(2023, 'quarterly'), ...periodsOfYear(2024, 'monthly')];
  const decimal = (min: number, max: number) =>
    fc.integer({ min: min * 100, max: max * 100 }).map((n) => n / 100);
  const statuses = ['draft', 'submitted', 'verified', 'returned'] as const;

  it('whenever it decides, it decides as statusLight does (random and near-boundary values)', () => {
    let decided = 0;
    let counted = 0;
    fc.assert(
      fc.property(
        fc.record({
          period: fc.constantFrom(...periods),
          direction: fc.constantFrom<'higher' | 'lower'>('higher', 'lower'),
          baseline: decimal(-1000, 1000),
          span: decimal(0, 2000),
          /** Mostly a target on the right side of the baseline; sometimes against the direction. */
          against: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
          planned: fc.option(decimal(-1000, 1000), { nil: undefined }),
          status: fc.constantFrom<(typeof statuses)[number]>(
            'submitted',
            'verified',
            'submitted',
            'draft',
            'returned',
          ),
          yellow: fc.oneof(fc.integer({ min: 0, max: 30 }), decimal(0, 100)),
          now: fc.constantFrom(
            '2023-01-01T00:00:00Z',
            '2023-07-12T00:00:00Z',
            '2024-06-30T00:00:00Z',
            '2025-01-01T00:00:00Z',
          ),
          hasActual: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
          /** random: anywhere; plan: at the expected value; threshold: behind it by exactly the yellow band. */
          aim: fc.constantFrom('random', 'plan', 'threshold'),
          random: decimal(-1500, 1500),
          jitter: fc.constantFrom(0, 0.01, -0.01, 1e-7),
        }),
        (c) => {
          const signed = (c.direction === 'higher') !== c.against ? c.span : -c.span;
          const target = Math.round((c.baseline + signed) * 100) / 100;
          const plan: Plan =
            c.planned === undefined
              ? { kind: 'linear' }
              : { kind: 'phased', expected: { [c.period.key]: c.planned } };
          const rules: RulesBundle = {
            version: 0,
            createdAt: '',
            light: { ...defaultLightRules, version: 0, yellowWithinPoints: c.yellow },
            stars: null,
          };
          const facts = periodFacts(c.period, rules, c.now);
          const expected =
            c.planned === undefined ? facts.linearExpected : (c.planned - c.baseline) / (target - c.baseline);
          const aimed =
            c.aim === 'random'
              ? c.random
              : c.baseline +
                (expected - (c.aim === 'threshold' ? c.yellow / 100 : 0)) * (target - c.baseline);
          const value = Number.isFinite(aimed) ? Math.round(aimed * 100) / 100 + c.jitter : c.random;
          const ind = {
            direction: c.direction,
            baseline: c.baseline,
            target,
            plan,
            lightSource: 'completion' as const,
          };
          const actual = c.hasActual ? { value, status: c.status } : null;
          const quick = quickLight(ind, actual, facts, c.yellow);
          if (actual && (actual.status === 'submitted' || actual.status === 'verified')) counted++;
          if (quick === null) return;
          decided++;
          const exact = statusLight(
            {
              indicator: { id: 'x', kind: 'cumulative', weight: 1, ...ind },
              period: c.period,
              actual,
              now: c.now,
            },
            rules.light,
          );
          expect(quick.light).toBe(exact.light);
        },
      ),
      { numRuns: 4000 },
    );
    // It is a shortcut only if it usually answers, reported values included.
    expect(decided / 4000).toBeGreaterThan(0.7);
    expect(counted).toBeGreaterThan(1500);
  });

  it('exact boundaries go to the exact rule', () => {
    const q2 = periodsOfYear(2023, 'quarterly')[1]!;
    const rules: RulesBundle = {
      version: 0,
      createdAt: '',
      light: { ...defaultLightRules, version: 0 },
      stars: null,
    };
    const facts = periodFacts(q2, rules, '2023-07-20T00:00:00Z');
    const ind = { direction: 'higher', baseline: 0, target: 100, lightSource: 'completion' };
    const phased: Plan = { kind: 'phased', expected: { '2023-Q2': 40 } };
    // On plan exactly (green by the rule), and behind by exactly 10 points (red by the rule).
    expect(quickLight({ ...ind, plan: phased }, { value: 40, status: 'submitted' }, facts, 10)).toBeNull();
    expect(quickLight({ ...ind, plan: phased }, { value: 30, status: 'submitted' }, facts, 10)).toBeNull();
    expect(quickLight({ ...ind, plan: phased }, { value: 30.5, status: 'submitted' }, facts, 10)?.light).toBe(
      'yellow',
    );
    expect(
      quickLight({ ...ind, target: 0, plan: phased }, { value: 0, status: 'submitted' }, facts, 10),
    ).toBeNull();
  });
});
