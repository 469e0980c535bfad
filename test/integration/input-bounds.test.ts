// Numbers are bounded by what their field means, over HTTP on both databases: a value near the float
// limit is refused in the caller's language instead of turning a completion gap into Infinity (which
// broke the review queue and the unit dashboard with a 500); definitions, rankings, the rubric and sort
// orders are bounded too; an Excel import holds the same bounds; a value stored before the bounds lights
// grey with a reason and the pages that show it still answer.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../support/db.ts';
import { asRole, type Client, clientFor, createTestApp, loginAs, type TestApp } from '../support/http.ts';
import { type IndicatorFixture, seedIndicatorFixture } from '../support/indicator-fixtures.ts';

const FLOAT_LIMIT = 1.7976931348623157e308;

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/** Sets the cell of `column` (by header text) in the row whose first cell is `code`. */
function setCell(ws: ExcelJS.Worksheet, code: string, column: string, value: ExcelJS.CellValue): number {
  let col = 0;
  ws.getRow(1).eachCell((c, i) => {
    if (String(c.value) === column) col = i;
  });
  if (col === 0) throw new Error(`no column ${column}`);
  for (let r = 2; r <= ws.rowCount; r++) {
    if (String(ws.getRow(r).getCell(1).value) === code) {
      ws.getRow(r).getCell(col).value = value;
      return r;
    }
  }
  throw new Error(`no row for ${code}`);
}

describe.each(dbKinds)('number bounds on %s', (kind) => {
  let t: TestApp;
  let org: Client;
  let f: IndicatorFixture;
  let reporterA: Client;

  beforeAll(async () => {
    t = await createTestApp(kind);
    org = await asRole(t, 'organizer');
    f = await seedIndicatorFixture(t.database);
    reporterA = clientFor(t.app, await loginAs(t.app, f.reporters[0]!.username, f.reporters[0]!.password));
  });
  afterAll(async () => {
    await t?.close();
  });

  const actualUrl = (indicatorId: string, key: string) => `/api/indicators/${indicatorId}/actuals/${key}`;
  const reviewQueue = (key: string) => org.get(`/api/dashboard/review?period=${key}`);
  const unitPage = (key: string) => org.get(`/api/dashboard/units/${f.units[0]!.id}?period=${key}`);

  it('a value near the float limit is refused in the caller’s language; the review queue and unit dashboard still answer', async () => {
    // A lower-is-better indicator (40 → 30): −1.8e308 would put its completion at 1.8e307 and its gap
    // at −Infinity points.
    const air = f.indicators.air.id;
    expect((await reporterA.put(actualUrl(air, '2023-Q1'), { value: 33, submit: true })).status).toBe(200);

    const huge = await reporterA.put(actualUrl(air, '2023-Q2'), { value: -FLOAT_LIMIT, submit: true });
    expect(huge.status).toBe(400);
    expect(huge.json.code).toBe('validation_failed');
    expect(huge.json.message).toBe('输入有误：value 不能小于 -1,000,000,000,000');
    const en = await reporterA.put(
      actualUrl(air, '2023-Q2'),
      { value: FLOAT_LIMIT, submit: true },
      { lang: 'en-US' },
    );
    expect(en.status).toBe(400);
    expect(en.json.message).toBe('Invalid input: value must be at most 1,000,000,000,000');
    for (const value of [1e13, -1e13, 0.1234567, 1e-7]) {
      const res = await reporterA.put(actualUrl(air, '2023-Q2'), { value, submit: true });
      expect(res.status, String(value)).toBe(400);
    }
    expect((await reporterA.put(actualUrl(air, '2023-Q2'), { value: 0.1234567 })).json.message).toBe(
      '输入有误：value 最多保留 6 位小数',
    );
    // The bounds themselves are values.
    for (const value of [1e12, -1e12, 0.123456]) {
      // A negative area asks for a confirmation first (unusualActual); given, the bound itself is stored.
      const res = await reporterA.put(actualUrl(f.indicators.land.id, '2023-Q2'), {
        value,
        submit: true,
        confirmUnusual: true,
      });
      expect(res.status, String(value)).toBe(200);
    }
    expect(
      (await reporterA.put(actualUrl(air, '2023-Q2'), { value: -1e12, submit: true, confirmUnusual: true }))
        .status,
    ).toBe(200);

    for (const key of ['2023-Q1', '2023-Q2']) {
      const queue = await reviewQueue(key);
      expect(queue.status, key).toBe(200);
      expect(queue.json.items.length, key).toBeGreaterThan(0);
      const page = await unitPage(key);
      expect(page.status, key).toBe(200);
      for (const item of page.json.items) {
        if (item.gapPoints !== null) expect(Number.isFinite(item.gapPoints)).toBe(true);
      }
    }
  });

  it('an actual stored before the bounds lights grey with a reason; the pages that show it still answer', async () => {
    const air = f.indicators.air.id;
    expect((await reporterA.put(actualUrl(air, '2023-Q3'), { value: 31, submit: true })).status).toBe(200);
    // What an older release let through.
    await t.database.db
      .updateTable('actuals')
      .set({ value: -FLOAT_LIMIT })
      .where('indicator_id', '=', air)
      .where('period_key', '=', '2023-Q3')
      .execute();
    const queue = await reviewQueue('2023-Q3');
    expect(queue.status).toBe(200);
    const item = queue.json.items.find(
      (i: { actual: { indicatorId: string } }) => i.actual.indicatorId === air,
    );
    expect(item.status).toMatchObject({ light: 'grey', completion: null, gapPoints: null });
    expect(item.status.explanation).toBe(
      '实际值 -1.7976931348623157e+308 超出可计算的范围，无法计算完成率，请核实更正：灰灯',
    );
    expect((await unitPage('2023-Q3')).status).toBe(200);
    expect((await org.get(`/api/dashboard/indicators/${air}`)).status).toBe(200);
    // The organizer can still return it for correction.
    const returned = await org.post(`${actualUrl(air, '2023-Q3')}/review`, {
      decision: 'return',
      reason: '数值有误',
    });
    expect(returned.status).toBe(200);
  });

  it('every number of an indicator’s definition, of a ranking and of the light rules is bounded', async () => {
    const body = (over: Record<string, unknown> = {}) => ({
      nodeId: f.tasks[0]!.id,
      code: `B${Math.random().toString(36).slice(2, 8)}`,
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
    const refused = [
      { baseline: -FLOAT_LIMIT },
      { target: 1e13 },
      { target: 1e-300 },
      { tierFloor: FLOAT_LIMIT },
      { tierStretch: 4000.0000001 },
      { plan: { kind: 'phased', expected: { '2023-Q1': FLOAT_LIMIT } } },
      { weight: -1 },
      { weight: 1001 },
      { sort: 2 ** 31 },
      { sort: 1.5 },
    ];
    for (const over of refused) {
      const res = await org.post('/api/indicators', body(over));
      expect(res.status, JSON.stringify(over)).toBe(400);
      expect(res.json.code).toBe('validation_failed');
    }
    expect((await org.post('/api/indicators', body({ target: 1e13 }))).json.message).toBe(
      '输入有误：target 不能大于 1,000,000,000,000',
    );
    expect((await org.post('/api/indicators', body({ sort: 1.5 }), { lang: 'en-US' })).json.message).toBe(
      'Invalid input: sort must be a whole number',
    );
    const created = await org.post(
      '/api/indicators',
      body({ baseline: -1e12, target: 1e12, tierFloor: 0.000001, weight: 0, sort: -5 }),
    );
    expect(created.status).toBe(200);
    const patched = await org.patch(`/api/indicators/${created.json.id}`, { target: FLOAT_LIMIT });
    expect(patched.status).toBe(400);

    const ranking = (over: Record<string, unknown>) => ({
      indicatorId: f.indicators.land.id,
      scope: '全省',
      periodKey: '2023-Q1',
      rank: 3,
      outOf: 90,
      ...over,
    });
    for (const over of [{ outOf: 1e6 }, { rank: 0 }, { rank: FLOAT_LIMIT, outOf: FLOAT_LIMIT }]) {
      const res = await org.post('/api/rankings', ranking(over));
      expect(res.status, JSON.stringify(over)).toBe(400);
    }
    expect((await org.post('/api/rankings', ranking({ outOf: 1e6 }))).json.message).toBe(
      '输入有误：outOf 不能大于 100,000',
    );
    expect((await org.post('/api/rankings', ranking({ rank: 90, outOf: 100_000 }))).status).toBe(200);

    const rules = (min: number) => ({
      yellowWithinPoints: 10,
      stars: { source: 'completion', bands: [{ stars: 5, min }] },
    });
    expect((await org.put('/api/light-rules', rules(FLOAT_LIMIT))).status).toBe(400);
    expect((await org.put('/api/light-rules', rules(1.2))).status).toBe(200);

    expect(
      (
        await org.post('/api/framework', {
          parentId: null,
          code: 'BIG',
          name: 'x',
          kind: 'program',
          sort: 1e9,
        })
      ).status,
    ).toBe(400);
    expect((await org.post('/api/tracks', { nameZh: '大组', sort: 1e9 })).status).toBe(400);
    expect(
      (await org.post('/api/units', { code: 'BIG', name: '大镇', kind: 'town', sort: 2 ** 40 })).status,
    ).toBe(400);
  });

  it('the rubric’s points, steps, panel weights and grade thresholds are bounded', async () => {
    // Bodies are checked before the event is looked up: an unknown event answers 400 for a bad body
    // and 404 for a good one.
    const event = '/api/events/no-such-event';
    const criteria = (c: Record<string, unknown>) => ({ criteria: [{ nameZh: '工作实绩', ...c }] });
    for (const c of [
      { maxPoints: 40, step: 1e-300 },
      { maxPoints: 0.001, step: 0.001 },
      { maxPoints: FLOAT_LIMIT, step: 1 },
    ]) {
      expect((await org.put(`${event}/criteria`, criteria(c))).status, JSON.stringify(c)).toBe(400);
    }
    expect((await org.put(`${event}/criteria`, criteria({ maxPoints: 40, step: 0.01 }))).status).toBe(404);
    expect((await org.put(`${event}/panels`, { panels: [{ name: '群众组', weight: 1e-9 }] })).status).toBe(
      400,
    );
    expect((await org.put(`${event}/panels`, { panels: [{ name: '群众组', weight: 0.01 }] })).status).toBe(
      404,
    );
    const settings = (min: number) => ({
      settings: {
        trimK: 1,
        trimMinRemaining: 3,
        decimals: 2,
        overtimePenalty: { points: 0, perSeconds: 30 },
        gradeBands: { kind: 'threshold', bands: [{ key: 'A', labelZh: '优秀', labelEn: 'A', min }] },
        tieBreakPanelId: null,
      },
    });
    expect((await org.patch(event, settings(FLOAT_LIMIT))).status).toBe(400);
    expect((await org.patch(event, settings(-1))).status).toBe(400);
    expect((await org.patch(event, settings(90))).status).toBe(404);
  });

  it('an Excel import holds actuals, definitions, plans and rankings to the same bounds', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('填报').addRows([
      ['指标编码', '期间', '本期实际'],
      [f.indicators.service.code, '2023-Q1', FLOAT_LIMIT],
      [f.indicators.service.code, '2023-Q2', '1e13'],
      [f.indicators.service.code, '2023-Q3', '99.1234567'],
      [f.indicators.service.code, '2023-Q4', '99.123456'],
    ]);
    const res = await org.post('/api/indicators/actuals/import', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.status).toBe(200);
    const range = '应在 -1,000,000,000,000 至 1,000,000,000,000 之间';
    expect(res.json).toEqual({
      applied: 1,
      unchanged: 0,
      rejected: 3,
      errors: [
        { row: 2, column: '本期实际', message: range },
        { row: 3, column: '本期实际', message: range },
        { row: 4, column: '本期实际', message: '最多保留 6 位小数' },
      ],
      warnings: [],
    });

    expect(
      (
        await org.post('/api/rankings', {
          indicatorId: f.indicators.land.id,
          scope: '金华',
          periodKey: '2023-Q2',
          rank: 2,
          outOf: 9,
        })
      ).status,
    ).toBe(200);
    const exported = await load((await org.get('/api/indicators/export.xlsx?year=2023')).raw);
    const indicators = exported.getWorksheet('指标')!;
    const targetRow = setCell(indicators, f.indicators.land.code, '年度目标', 1e13);
    const planRow = setCell(
      indicators,
      f.indicators.investment.code,
      '计划',
      '{"2023-Q1": 1e308, "2023-Q2": 40}',
    );
    const rankings = exported.getWorksheet('排名')!;
    const rankRow = setCell(rankings, f.indicators.land.code, '参与排名数', 1_000_000);
    const imported = await org.post('/api/indicators/import', Buffer.from(await exported.xlsx.writeBuffer()));
    expect(imported.status).toBe(200);
    expect(imported.json.errors).toEqual(
      expect.arrayContaining([
        { row: targetRow, column: '年度目标', message: range },
        { row: planRow, column: '计划', message: `计划中 2023-Q1 的应达值${range}` },
        { row: rankRow, column: '排名 · 参与排名数', message: '应在 1 至 100,000 之间' },
      ]),
    );
    const land = await t.database.db
      .selectFrom('indicators')
      .select('target')
      .where('id', '=', f.indicators.land.id)
      .executeTakeFirstOrThrow();
    expect(land.target).toBe(f.indicators.land.target);
  });
});
