// The indicators' Excel round-trip over HTTP on both databases: the reporting template, its upload
// (row-by-row errors, idempotent re-upload, unit and lock rules), the year's export and its re-import.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/kernel/actor.ts';
import { periodsOfYear } from '../../src/modules/indicators/domain/periods.ts';
import { IMPORT_BATCH_ROWS, importActuals } from '../../src/modules/indicators/excel/import-actuals.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { dbKinds } from '../support/db.ts';
import { rows } from '../support/factory.ts';
import { asRole, createTestApp, type RoleClient, type TestApp } from '../support/http.ts';

// ---------- workbooks ----------

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

const cellText = (v: ExcelJS.CellValue): string => (v === null || v === undefined ? '' : String(v));

function headerIndex(ws: ExcelJS.Worksheet): Map<string, number> {
  const out = new Map<string, number>();
  ws.getRow(1).eachCell((c, col) => {
    out.set(cellText(c.value), col);
  });
  return out;
}

/** The sheet's rows as objects keyed by header text. */
function rowsOf(ws: ExcelJS.Worksheet): Record<string, ExcelJS.CellValue>[] {
  const headers = headerIndex(ws);
  const out: Record<string, ExcelJS.CellValue>[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const o: Record<string, ExcelJS.CellValue> = {};
    for (const [h, col] of headers) o[h] = row.getCell(col).value;
    out.push(o);
  }
  return out;
}

/** The Excel row number of the row whose first header column holds `code`. */
function rowNumberOf(ws: ExcelJS.Worksheet, code: string): number {
  for (let r = 2; r <= ws.rowCount; r++) if (cellText(ws.getRow(r).getCell(1).value) === code) return r;
  throw new Error(`no row for ${code}`);
}

/** What a reporter does in Excel: types values (numbers or text) and notes into the template. */
async function fill(
  template: Buffer,
  edits: Record<string, { value?: string | number | null; note?: string }>,
): Promise<Buffer> {
  const wb = await load(template);
  const ws = wb.worksheets[0]!;
  const h = headerIndex(ws);
  for (const [code, e] of Object.entries(edits)) {
    const row = ws.getRow(rowNumberOf(ws, code));
    if (e.value !== undefined) row.getCell(h.get('本期实际')!).value = e.value;
    if (e.note !== undefined) row.getCell(h.get('说明')!).value = e.note;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------- fixture ----------

interface Fixture {
  unitA: string;
  unitB: string;
  taskId: string;
  ids: Record<string, string>;
}

let tagCounter = 0;

/** Two units, a program with a task, 2023's quarters and months, five indicators, three rankings. */
async function seed(database: Pick<Database, 'db'>): Promise<Fixture> {
  const db = database.db;
  const tag = `${++tagCounter}${Math.random().toString(36).slice(2, 6)}`;
  const now = '2023-01-01T00:00:00.000Z';
  const unitA = `ua-${tag}`;
  const unitB = `ub-${tag}`;
  await db
    .insertInto('units')
    .values([
      rows.unit({
        id: unitA,
        code: 'XA',
        name: '兰溪街道',
        short_name: '兰溪',
        kind: 'street',
        track_id: null,
        sort: 1,
      }),
      rows.unit({
        id: unitB,
        code: 'XB',
        name: '经济开发区',
        short_name: '开发区',
        kind: 'zone',
        track_id: null,
        sort: 2,
      }),
    ])
    .execute();
  await db
    .insertInto('framework_nodes')
    .values([
      rows.frameworkNode({ id: `p-${tag}`, code: 'P1', name: '三条先行路径', kind: 'program', sort: 1 }),
      rows.frameworkNode({
        id: `t-${tag}`,
        parent_id: `p-${tag}`,
        code: 'T1',
        name: '十项重大工程',
        sort: 1,
      }),
    ])
    .execute();
  const periods = [...periodsOfYear(2023, 'quarterly'), ...periodsOfYear(2023, 'monthly')];
  await db.insertInto('periods').values(periods.map(rows.period)).execute();
  const base = { node_id: `t-${tag}`, created_at: now, updated_at: now };
  const ids = {
    'A-LAND': `i1-${tag}`,
    'A-INV': `i2-${tag}`,
    'A-PM': `i3-${tag}`,
    'A-MON': `i4-${tag}`,
    'B-LAND': `i5-${tag}`,
  };
  await db
    .insertInto('indicators')
    .values(
      [
        {
          ...base,
          id: ids['A-LAND'],
          code: 'A-LAND',
          name: '集中连片整治',
          measure: '亩',
          direction: 'higher',
          target: 2400,
          unit_id: unitA,
          sort: 1,
        },
        {
          ...base,
          id: ids['A-INV'],
          code: 'A-INV',
          name: '有效投资',
          measure: '万元',
          direction: 'higher',
          target: 1000,
          unit_id: unitA,
          plan: JSON.stringify({
            kind: 'phased',
            expected: { '2023-Q1': 100, '2023-Q2': 400, '2023-Q3': 700, '2023-Q4': 1000 },
          }),
          sort: 2,
        },
        {
          ...base,
          id: ids['A-PM'],
          code: 'A-PM',
          name: 'PM2.5 浓度',
          measure: 'μg/m³',
          direction: 'lower',
          kind: 'point',
          baseline: 40,
          target: 30,
          tier_floor: 33,
          unit_id: unitA,
          sort: 3,
        },
        {
          ...base,
          id: ids['A-MON'],
          code: 'A-MON',
          name: '月度消费',
          measure: '亿元',
          direction: 'higher',
          target: 12,
          unit_id: unitA,
          frequency: 'monthly',
          sort: 4,
        },
        {
          ...base,
          id: ids['B-LAND'],
          code: 'B-LAND',
          name: '低效工业用地整治',
          measure: '亩',
          direction: 'higher',
          target: 3938,
          unit_id: unitB,
          sort: 1,
        },
      ].map((o) => rows.indicator(o)),
    )
    .execute();
  await db.insertInto('indicator_co_units').values({ indicator_id: ids['B-LAND'], unit_id: unitA }).execute();
  await db
    .insertInto('rankings')
    .values([
      {
        id: `r1-${tag}`,
        indicator_id: ids['A-INV'],
        unit_id: null,
        scope: '全省',
        period_key: '2023-Q1',
        rank: 89,
        out_of: 90,
        source: '省通报',
        published_on: '2023-04-20',
        created_at: now,
      },
      {
        id: `r2-${tag}`,
        indicator_id: ids['A-INV'],
        unit_id: null,
        scope: '全省',
        period_key: '2023-Q2',
        rank: 32,
        out_of: 90,
        source: '省通报',
        published_on: '2023-07-20',
        created_at: now,
      },
      {
        id: `r3-${tag}`,
        indicator_id: null,
        unit_id: unitB,
        scope: '金华',
        period_key: '2023-Q2',
        rank: 1,
        out_of: 9,
        source: '',
        published_on: null,
        created_at: now,
      },
    ])
    .execute();
  return { unitA, unitB, taskId: `t-${tag}`, ids };
}

// ---------- tests ----------

describe.each(dbKinds)('indicator Excel round-trip on %s', (kind) => {
  let t: TestApp;
  let f: Fixture;
  let org: RoleClient;
  let repA: RoleClient;
  let repB: RoleClient;
  let leader: RoleClient;

  const db = () => t.database.db;
  const actual = (code: string, period: string) =>
    db()
      .selectFrom('actuals')
      .selectAll()
      .where('indicator_id', '=', f.ids[code]!)
      .where('period_key', '=', period)
      .executeTakeFirst();
  const revisionCount = async () =>
    Number(
      (
        await db()
          .selectFrom('actual_revisions')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const upload = (c: RoleClient, url: string, file: Buffer, lang?: string) =>
    c.post(url, file, lang ? { lang } : {});

  beforeAll(async () => {
    t = await createTestApp(kind);
    // Early July 2023: Q2 is due on 10 July, so nothing is overdue yet.
    t.clock.set(new Date('2023-07-05T02:00:00.000Z'));
    f = await seed(t.database);
    org = await asRole(t, 'organizer');
    repA = await asRole(t, 'reporter', f.unitA);
    repB = await asRole(t, 'reporter', f.unitB);
    leader = await asRole(t, 'leader');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the template lists the unit’s indicators of the period with expected values, key columns locked', async () => {
    const res = await repA.get('/api/indicators/template.xlsx?period=2023-Q2');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('兰溪街道'));
    const wb = await load(res.raw);
    const ws = wb.worksheets[0]!;
    expect([...headerIndex(ws).keys()]).toEqual([
      '指标编码',
      '指标名称',
      '责任单位',
      '计量单位',
      '年度目标',
      '序时进度',
      '序时应达值',
      '本期实际',
      '说明',
      '当前状态',
    ]);
    const rows = rowsOf(ws);
    // Only unit A's quarterly indicators: not B's, not the monthly one.
    expect(rows.map((r) => r.指标编码)).toEqual(['A-LAND', 'A-INV', 'A-PM']);
    const land = rows[0]!;
    // Linear plan: the share of 2023 elapsed at 30 June is 181 of 365 days.
    expect(land.序时进度 as number).toBeCloseTo(181 / 365, 12);
    // Shown to 2 decimals (1190.14): the reference a reporter reads, not the exact share.
    expect(land.序时应达值 as number).toBeCloseTo((2400 * 181) / 365, 2);
    expect(land.本期实际).toBeNull();
    expect(land.当前状态).toBe('未填报');
    // Phased plan: the value planned for Q2, and its completion.
    expect(rows[1]!.序时应达值).toBe(400);
    expect(rows[1]!.序时进度).toBeCloseTo(0.4, 12);
    // Lower is better: 40 → 30, half a year's worth of the 10-point reduction.
    expect(rows[2]!.序时应达值 as number).toBeCloseTo(40 - (10 * 181) / 365, 2);

    // exceljs reads the protection back but does not declare it.
    expect((ws as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet).toBe(true);
    const h = headerIndex(ws);
    for (const key of ['指标编码', '指标名称', '年度目标', '序时应达值', '当前状态']) {
      expect(ws.getRow(2).getCell(h.get(key)!).protection?.locked, key).not.toBe(false);
    }
    expect(ws.getRow(2).getCell(h.get('本期实际')!).protection?.locked).toBe(false);
    expect(ws.getRow(2).getCell(h.get('说明')!).protection?.locked).toBe(false);
    expect(ws.getRow(2).getCell(h.get('本期实际')!).dataValidation?.type).toBe('decimal');

    const meta = wb.getWorksheet('_meta')!;
    expect(meta.state).toBe('veryHidden');
    const metaRows = new Map<string, string>();
    meta.eachRow((r) => {
      metaRows.set(cellText(r.getCell(1).value), cellText(r.getCell(2).value));
    });
    expect(metaRows.get('period')).toBe('2023-Q2');
    expect(metaRows.get('unitId')).toBe(f.unitA);
  });

  it('an organizer gets every unit’s template; the headers follow the caller’s language', async () => {
    const res = await org.get('/api/indicators/template.xlsx?period=2023-Q2', { lang: 'en-US' });
    expect(res.status).toBe(200);
    const ws = (await load(res.raw)).worksheets[0]!;
    expect(cellText(ws.getRow(1).getCell(1).value)).toBe('Indicator code');
    expect(rowsOf(ws).map((r) => r['Indicator code'])).toEqual(['A-LAND', 'A-INV', 'A-PM', 'B-LAND']);
    const one = await org.get(`/api/indicators/template.xlsx?period=2023-Q2&unitId=${f.unitB}`);
    expect(rowsOf((await load(one.raw)).worksheets[0]!).map((r) => r.指标编码)).toEqual(['B-LAND']);
    const monthly = await repA.get('/api/indicators/template.xlsx?period=2023-M03');
    expect(rowsOf((await load(monthly.raw)).worksheets[0]!).map((r) => r.指标编码)).toEqual(['A-MON']);
  });

  it('a reporter cannot ask for another unit’s template; leaders get none; an unknown period is 404', async () => {
    expect((await repA.get(`/api/indicators/template.xlsx?period=2023-Q2&unitId=${f.unitB}`)).status).toBe(
      403,
    );
    expect((await repA.get(`/api/indicators/template.xlsx?period=2023-Q2&unitId=${f.unitA}`)).status).toBe(
      200,
    );
    expect((await leader.get('/api/indicators/template.xlsx?period=2023-Q2')).status).toBe(403);
    expect((await org.get('/api/indicators/template.xlsx?period=2024-Q2')).status).toBe(404);
    expect((await org.get('/api/indicators/template.xlsx?period=2023-13')).status).toBe(400);
  });

  it('a bad row is reported with row, column and reason and not applied; the good rows are; fixing it applies it', async () => {
    const template = (await repA.get('/api/indicators/template.xlsx?period=2023-Q2')).raw;
    const ws = (await load(template)).worksheets[0]!;
    const invRow = rowNumberOf(ws, 'A-INV');
    const first = await fill(template, {
      'A-LAND': { value: 1300, note: '集中连片整治 1300 亩' },
      'A-INV': { value: '三百八十' },
      'A-PM': { value: '35.5' },
    });
    const res = await upload(repA, '/api/indicators/actuals/import?period=2023-Q2', first);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      applied: 2,
      unchanged: 0,
      rejected: 1,
      errors: [{ row: invRow, column: '本期实际', message: '「三百八十」不是数字' }],
      warnings: [],
    });
    expect(await actual('A-INV', '2023-Q2')).toBeUndefined();
    expect(await actual('A-LAND', '2023-Q2')).toMatchObject({
      value: 1300,
      note: '集中连片整治 1300 亩',
      status: 'submitted',
      version: 1,
    });
    expect((await actual('A-PM', '2023-Q2'))?.value).toBe(35.5);

    // The same mistake, reported in English to an English caller.
    const en = await upload(repA, '/api/indicators/actuals/import?period=2023-Q2', first, 'en-US');
    expect(en.json.errors).toEqual([
      { row: invRow, column: 'Actual this period', message: '"三百八十" is not a number' },
    ]);
    expect(en.json).toMatchObject({ applied: 0, unchanged: 2, rejected: 1 });

    const fixed = await fill(first, { 'A-INV': { value: 380 } });
    const again = await upload(repA, '/api/indicators/actuals/import?period=2023-Q2', fixed);
    expect(again.json).toEqual({ applied: 1, unchanged: 2, rejected: 0, errors: [], warnings: [] });
    expect(await actual('A-INV', '2023-Q2')).toMatchObject({ value: 380, status: 'submitted', version: 1 });

    const revisions = await revisionCount();
    const audits = await db().selectFrom('audit_log').select('id').execute();
    const same = await upload(repA, '/api/indicators/actuals/import?period=2023-Q2', fixed);
    expect(same.json).toEqual({ applied: 0, unchanged: 3, rejected: 0, errors: [], warnings: [] });
    expect(await revisionCount()).toBe(revisions);
    expect(await db().selectFrom('audit_log').select('id').execute()).toHaveLength(audits.length);
    expect((await actual('A-LAND', '2023-Q2'))?.version).toBe(1);

    // A re-downloaded template carries the stored values: uploading it as is changes nothing either.
    const current = (await repA.get('/api/indicators/template.xlsx?period=2023-Q2')).raw;
    const rows = rowsOf((await load(current)).worksheets[0]!);
    expect(rows.map((r) => [r.本期实际, r.当前状态])).toEqual([
      [1300, '已报送'],
      [380, '已报送'],
      [35.5, '已报送'],
    ]);
    expect((await upload(repA, '/api/indicators/actuals/import', current)).json).toMatchObject({
      applied: 0,
      unchanged: 3,
    });
  });

  it('a reporter’s rows of another unit are rejected row by row; the own unit’s rows still count', async () => {
    const template = (await repA.get('/api/indicators/template.xlsx?period=2023-Q3')).raw;
    const filled = await fill(template, { 'A-LAND': { value: 1500 }, 'A-INV': { value: 500 } });
    const res = await upload(repB, '/api/indicators/actuals/import?period=2023-Q3', filled);
    expect(res.status).toBe(200);
    expect(res.json.applied).toBe(0);
    expect(res.json.rejected).toBe(3);
    expect(res.json.errors.map((e: { message: string }) => e.message)).toEqual([
      '指标 A-LAND 属于 兰溪街道，只能导入本单位的指标',
      '指标 A-INV 属于 兰溪街道，只能导入本单位的指标',
      '指标 A-PM 属于 兰溪街道，只能导入本单位的指标',
    ]);
    expect(await actual('A-LAND', '2023-Q3')).toBeUndefined();

    // The organizer's all-units sheet in a reporter's hands: B's row is refused, A's rows are applied.
    const all = (await org.get('/api/indicators/template.xlsx?period=2023-Q3')).raw;
    const allFilled = await fill(all, { 'A-LAND': { value: 1500 }, 'B-LAND': { value: 2000 } });
    const mixed = await upload(repA, '/api/indicators/actuals/import?period=2023-Q3', allFilled);
    const bRow = rowNumberOf((await load(allFilled)).worksheets[0]!, 'B-LAND');
    expect(mixed.json).toMatchObject({ applied: 1, unchanged: 2, rejected: 1 });
    expect(mixed.json.errors).toEqual([
      { row: bRow, column: '指标编码', message: '指标 B-LAND 属于 经济开发区，只能导入本单位的指标' },
    ]);
    expect(await actual('B-LAND', '2023-Q3')).toBeUndefined();
    expect((await actual('A-LAND', '2023-Q3'))?.value).toBe(1500);
  });

  it('rows of a locked period are rejected for reporters; the organizer may still correct them', async () => {
    await db().updateTable('periods').set({ locked: 1 }).where('key', '=', '2023-Q1').execute();
    const template = (await repA.get('/api/indicators/template.xlsx?period=2023-Q1')).raw;
    const filled = await fill(template, { 'A-LAND': { value: 500 } });
    const row = rowNumberOf((await load(filled)).worksheets[0]!, 'A-LAND');
    const res = await upload(repA, '/api/indicators/actuals/import?period=2023-Q1', filled);
    expect(res.json).toEqual({
      applied: 0,
      unchanged: 2,
      rejected: 1,
      errors: [{ row, column: '期间', message: '2023-Q1 已锁定，不能再修改' }],
      warnings: [],
    });
    expect(await actual('A-LAND', '2023-Q1')).toBeUndefined();
    const byOrganizer = await upload(org, '/api/indicators/actuals/import?period=2023-Q1', filled);
    expect(byOrganizer.json).toMatchObject({ applied: 1, rejected: 0 });
    expect((await actual('A-LAND', '2023-Q1'))?.value).toBe(500);
    await db().updateTable('periods').set({ locked: 0 }).where('key', '=', '2023-Q1').execute();
  });

  it('a verified actual cannot be changed by an upload, but uploading it unchanged is fine', async () => {
    await db()
      .updateTable('actuals')
      .set({ status: 'verified', verified_at: '2023-07-04T00:00:00.000Z' })
      .where('indicator_id', '=', f.ids['A-LAND']!)
      .where('period_key', '=', '2023-Q2')
      .execute();
    const template = (await repA.get('/api/indicators/template.xlsx?period=2023-Q2')).raw;
    expect(rowsOf((await load(template)).worksheets[0]!)[0]!.当前状态).toBe('已审核');
    expect(
      (await upload(repA, '/api/indicators/actuals/import?period=2023-Q2', template)).json,
    ).toMatchObject({
      applied: 0,
      unchanged: 3,
      rejected: 0,
    });
    const changed = await fill(template, { 'A-LAND': { value: 1400 } });
    const res = await upload(repA, '/api/indicators/actuals/import?period=2023-Q2', changed);
    expect(res.json.rejected).toBe(1);
    expect(res.json.errors[0]).toMatchObject({
      column: '本期实际',
      message: expect.stringContaining('已审核'),
    });
    expect(await actual('A-LAND', '2023-Q2')).toMatchObject({ value: 1300, status: 'verified' });
  });

  it('every kind of bad row is reported, each with its reason', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('填报');
    ws.addRows([
      ['指标编码', '期间', '本期实际', '说明'],
      ['NOPE', '2023-Q3', 1, ''],
      ['A-MON', '2023-Q3', 1, ''],
      ['A-PM', '2023-Q4', '', '只有说明'],
      ['A-PM', '2023-Q1', 31, 'x'.repeat(2001)],
      ['A-INV', '2023-Q5', 1, ''],
      ['A-INV', '2023-Q4', 1, ''],
      ['A-INV', '2023-Q4', 2, ''],
      ['', '2023-Q4', 2, ''],
    ]);
    const res = await upload(
      repA,
      '/api/indicators/actuals/import',
      Buffer.from(await wb.xlsx.writeBuffer()),
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ applied: 1, unchanged: 0, rejected: 7 });
    expect(res.json.errors).toEqual([
      { row: 2, column: '指标编码', message: '没有编码为 NOPE 的指标' },
      { row: 3, column: '指标编码', message: '指标 A-MON 不在 2023-Q3 报送（年度或报送频次不符）' },
      { row: 4, column: '本期实际', message: '填写了说明但没有填写本期实际' },
      { row: 5, column: '说明', message: '说明不能超过 2000 个字' },
      { row: 6, column: '期间', message: '期间格式应为 2023-M06 或 2023-Q2' },
      { row: 8, column: '指标编码', message: '与第 7 行重复' },
      { row: 9, column: '指标编码', message: '必填' },
    ]);
    expect((await actual('A-INV', '2023-Q4'))?.value).toBe(1);
  });

  it('a file for another period than the import’s is refused as a whole; so is a file that is not .xlsx', async () => {
    const template = (await repA.get('/api/indicators/template.xlsx?period=2023-Q2')).raw;
    const res = await upload(repA, '/api/indicators/actuals/import?period=2023-Q3', template);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('import_failed');
    expect(res.json.details.errors).toEqual([
      { row: 1, column: null, message: '文件中的期间 2023-Q2 与本次导入的期间 2023-Q3 不一致' },
    ]);
    const text = Buffer.from('指标编码,本期实际\nA-LAND,1\n');
    expect(
      (await repA.post('/api/indicators/actuals/import?period=2023-Q2', text, { contentType: 'text/csv' }))
        .status,
    ).toBe(415);
    expect((await repA.post('/api/indicators/actuals/import?period=2023-Q2', text)).status).toBe(415);
    expect((await org.post('/api/indicators/import', text)).status).toBe(415);
    // Leaders and observers read; they do not report.
    expect((await upload(leader, '/api/indicators/actuals/import?period=2023-Q2', template)).status).toBe(
      403,
    );
  });

  it('the export holds indicators, actuals, lights and rankings; re-importing the indicators changes nothing', async () => {
    expect((await repA.get('/api/indicators/export.xlsx?year=2023')).status).toBe(403);
    expect((await leader.get('/api/indicators/export.xlsx?year=2023')).status).toBe(200);
    const res = await org.get('/api/indicators/export.xlsx?year=2023');
    expect(res.status).toBe(200);
    const wb = await load(res.raw);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['指标', '实际值', '亮灯', '排名']);

    const indicators = rowsOf(wb.getWorksheet('指标')!);
    expect(indicators.map((r) => r.指标编码)).toEqual(['A-LAND', 'A-INV', 'A-PM', 'A-MON', 'B-LAND']);
    expect(indicators[1]).toMatchObject({
      任务编码: 'T1',
      方向: '越高越好',
      报送频次: '按季',
      责任单位编码: 'XA',
    });
    expect(JSON.parse(String(indicators[1]!.计划))).toEqual({
      '2023-Q1': 100,
      '2023-Q2': 400,
      '2023-Q3': 700,
      '2023-Q4': 1000,
    });
    expect(indicators[2]).toMatchObject({
      方向: '越低越好',
      类型: '时点值',
      基数: 40,
      保底目标: 33,
      计划: '线性',
    });
    expect(indicators[4]).toMatchObject({ 协办单位编码: 'XA' });

    const lights = rowsOf(wb.getWorksheet('亮灯')!);
    const landQ2 = lights.find((r) => r.指标编码 === 'A-LAND' && r.期间 === '2023-Q2')!;
    // 1300 of 2400 is 54.2% done against 49.6% of the year: green.
    expect(landQ2.亮灯).toBe('绿灯');
    expect(String(landQ2.亮灯说明)).toContain('完成 54.2%');
    const rankings = rowsOf(wb.getWorksheet('排名')!);
    expect(rankings).toHaveLength(3);
    expect(rankings.find((r) => r.单位编码 === 'XB')).toMatchObject({
      排名范围: '金华',
      排名: 1,
      参与排名数: 9,
    });

    const snapshot = async () => ({
      indicators: await db().selectFrom('indicators').selectAll().orderBy('code').execute(),
      co: await db().selectFrom('indicator_co_units').selectAll().orderBy('indicator_id').execute(),
      rankings: await db().selectFrom('rankings').selectAll().orderBy('id').execute(),
    });
    const before = await snapshot();
    const again = await org.post('/api/indicators/import', res.raw);
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ applied: 0, unchanged: 5 + 3, rejected: 0, errors: [], warnings: [] });
    expect(await snapshot()).toEqual(before);

    // The English export re-imports just the same.
    const en = await org.get('/api/indicators/export.xlsx?year=2023', { lang: 'en-US' });
    expect((await load(en.raw)).worksheets.map((w) => w.name)).toEqual([
      'Indicators',
      'Actuals',
      'Lights',
      'Rankings',
    ]);
    expect((await org.post('/api/indicators/import', en.raw)).json).toMatchObject({
      applied: 0,
      rejected: 0,
    });
    expect(await snapshot()).toEqual(before);
  });

  it('an edited export is applied row by row: a change, a new indicator, bad rows reported', async () => {
    const wb = await load((await org.get('/api/indicators/export.xlsx?year=2023')).raw);
    const ws = wb.getWorksheet('指标')!;
    const h = headerIndex(ws);
    const copy = (ws.getRow(rowNumberOf(ws, 'A-PM')).values as ExcelJS.CellValue[]).slice(1);
    ws.getRow(rowNumberOf(ws, 'A-LAND')).getCell(h.get('年度目标')!).value = 2500;
    // A-PM has actuals keyed by quarter: switching it to months would strand them.
    const pm = ws.getRow(rowNumberOf(ws, 'A-PM'));
    pm.getCell(h.get('报送频次')!).value = '按月';
    const added = ws.addRow(copy);
    added.getCell(h.get('指标编码')!).value = 'A-NEW';
    added.getCell(h.get('计划')!).value = '{"2023-Q2": 36}';
    const bad = ws.addRow(copy);
    bad.getCell(h.get('指标编码')!).value = 'A-BAD';
    bad.getCell(h.get('责任单位编码')!).value = 'NOUNIT';
    bad.getCell(h.get('方向')!).value = '越大越好';
    const program = ws.addRow(copy);
    program.getCell(h.get('指标编码')!).value = 'A-PROG';
    program.getCell(h.get('任务编码')!).value = 'P1';
    program.getCell(h.get('计划')!).value = '{"2023-M02": 1}';
    const res = await org.post('/api/indicators/import', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ applied: 2, unchanged: 3 + 3, rejected: 3 });
    expect(res.json.errors).toEqual([
      { row: pm.number, column: '报送频次', message: '该指标已有实际值，不能再更改报送频次' },
      { row: bad.number, column: '方向', message: '应为：越高越好、越低越好' },
      { row: bad.number, column: '责任单位编码', message: '没有编码为 NOUNIT 的单位' },
      { row: program.number, column: '任务编码', message: '「P1」是项目而不是任务：指标只能挂在任务下' },
      { row: program.number, column: '计划', message: '计划中的期间 2023-M02 不是 2023 年按季报送的期间' },
    ]);
    expect(
      (await db().selectFrom('indicators').select('frequency').where('code', '=', 'A-PM').executeTakeFirst())
        ?.frequency,
    ).toBe('quarterly');
    const stored = await db()
      .selectFrom('indicators')
      .selectAll()
      .where('code', 'in', ['A-LAND', 'A-NEW', 'A-BAD', 'A-PROG'])
      .execute();
    expect(stored.map((i) => i.code).sort()).toEqual(['A-LAND', 'A-NEW']);
    expect(stored.find((i) => i.code === 'A-LAND')?.target).toBe(2500);
    const created = stored.find((i) => i.code === 'A-NEW')!;
    expect(created).toMatchObject({
      direction: 'lower',
      kind: 'point',
      baseline: 40,
      target: 30,
      unit_id: f.unitA,
    });
    expect(JSON.parse(created.plan)).toEqual({ kind: 'phased', expected: { '2023-Q2': 36 } });
  });

  it('a target changed by import shows in the city overview at once (its cached rows are outdated)', async () => {
    const lightOf = async () =>
      (await org.get(`/api/dashboard/units/${f.unitA}?period=2023-Q2`)).json.items.find(
        (i: { code: string }) => i.code === 'A-LAND',
      ).light as string;
    const before = (await org.get('/api/dashboard/overview?period=2023-Q2')).json.counts;
    const lightBefore = await lightOf();
    expect(lightBefore).not.toBe('red');
    const wb = await load((await org.get('/api/indicators/export.xlsx?year=2023')).raw);
    const ws = wb.getWorksheet('指标')!;
    ws.getRow(rowNumberOf(ws, 'A-LAND')).getCell(headerIndex(ws).get('年度目标')!).value = 1_000_000;
    const res = await org.post('/api/indicators/import', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.json).toMatchObject({ applied: 1, rejected: 0 });
    expect(await lightOf()).toBe('red');
    const after = (await org.get('/api/dashboard/overview?period=2023-Q2')).json.counts;
    expect(after).toEqual({ ...before, [lightBefore]: before[lightBefore] - 1, red: before.red + 1 });
  });

  it('the exported actuals re-import unchanged: no revision is written', async () => {
    const exported = (await org.get('/api/indicators/export.xlsx?year=2023')).raw;
    const actualsSheet = rowsOf((await load(exported)).getWorksheet('实际值')!);
    expect(actualsSheet.length).toBeGreaterThanOrEqual(5);
    const revisions = await revisionCount();
    const res = await org.post('/api/indicators/actuals/import', exported);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      applied: 0,
      unchanged: actualsSheet.length,
      rejected: 0,
      errors: [],
      warnings: [],
    });
    expect(await revisionCount()).toBe(revisions);
    // Naming one period keeps the rows of the others out, each with its reason.
    const one = await org.post('/api/indicators/actuals/import?period=2023-Q2', exported);
    expect(one.json.unchanged).toBe(actualsSheet.filter((r) => r.期间 === '2023-Q2').length);
    expect(one.json.rejected).toBe(actualsSheet.filter((r) => r.期间 !== '2023-Q2').length);
  });

  it('a large import runs in batches and reports its progress', async () => {
    const n = IMPORT_BATCH_ROWS * 2 + 37;
    const now = '2023-01-01T00:00:00.000Z';
    const rows = Array.from({ length: n }, (_, i) => ({
      id: `bulk-${kind}-${i}`,
      node_id: f.taskId,
      code: `BULK-${String(i).padStart(5, '0')}`,
      name: `批量指标 ${i}`,
      measure: '个',
      direction: 'higher',
      kind: 'cumulative',
      year: 2023,
      baseline: 0,
      target: 100,
      tier_floor: null,
      tier_stretch: null,
      unit_id: f.unitB,
      frequency: 'monthly',
      plan: '{"kind":"linear"}',
      weight: 1,
      light_source: 'completion',
      sort: i,
      created_at: now,
      updated_at: now,
    }));
    for (let i = 0; i < rows.length; i += 200)
      await db()
        .insertInto('indicators')
        .values(rows.slice(i, i + 200))
        .execute();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('x');
    ws.addRow(['指标编码', '本期实际']);
    for (const [i, r] of rows.entries()) ws.addRow([r.code, i]);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const actor: Actor = {
      kind: 'user',
      userId: repB.user.id,
      name: '报送员',
      role: 'reporter',
      unitId: f.unitB,
      mustChangePassword: false,
    };
    const ctx = {
      db: db(),
      dbKind: kind,
      actor,
      now: new Date('2023-07-05T02:00:00.000Z'),
      publicUrl: '',
      locale: 'zh-CN' as const,
    };
    const progress: [number, number][] = [];
    const result = await importActuals(ctx, file, {
      periodKey: '2023-M06',
      onProgress: (d, total) => progress.push([d, total]),
    });
    expect(result).toEqual({ applied: n, unchanged: 0, rejected: 0, errors: [], warnings: [] });
    expect(progress).toEqual([
      [0, n],
      [IMPORT_BATCH_ROWS, n],
      [IMPORT_BATCH_ROWS * 2, n],
      [n, n],
    ]);
    const stored = await db()
      .selectFrom('actuals')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('period_key', '=', '2023-M06')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(n);
    expect(await importActuals(ctx, file, { periodKey: '2023-M06' })).toMatchObject({
      applied: 0,
      unchanged: n,
    });
  });
  it('a negative value where baseline and target are not is imported and listed to check, row by row', async () => {
    const template = (await repA.get('/api/indicators/template.xlsx?period=2023-Q3')).raw;
    const ws = (await load(template)).worksheets[0]!;
    const landRow = rowNumberOf(ws, 'A-LAND');
    const file = await fill(template, { 'A-LAND': { value: -1300 } });
    const res = await upload(repA, '/api/indicators/actuals/import?period=2023-Q3', file);
    expect(res.status).toBe(200);
    expect(res.json.errors).toEqual([]);
    expect(res.json.warnings).toEqual([
      {
        row: landRow,
        column: '本期实际',
        message: '负数 -1300，而该指标的基数和目标都不小于 0：已导入，请核对是否多输了负号',
      },
    ]);
    expect((await actual('A-LAND', '2023-Q3'))?.value).toBe(-1300);
  });
});
