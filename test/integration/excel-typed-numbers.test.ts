// Actuals as people really type them into the reporting sheet, over HTTP on both databases: full-width
// digits from a Chinese input method, thousands separators, and a value followed by its own indicator's
// unit of measure are read as the number; a value in another unit is refused, naming the expected unit.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../support/db.ts';
import { asRole, type Client, createTestApp, type TestApp } from '../support/http.ts';
import { type IndicatorFixture, seedIndicatorFixture } from '../support/indicator-fixtures.ts';

describe.each(dbKinds)('typed numbers in an actuals import on %s', (kind) => {
  let t: TestApp;
  let org: Client;
  let f: IndicatorFixture;

  beforeAll(async () => {
    t = await createTestApp(kind);
    org = await asRole(t, 'organizer');
    f = await seedIndicatorFixture(t.database);
  });
  afterAll(async () => {
    await t?.close();
  });

  const stored = async (indicatorId: string, periodKey: string) =>
    (
      await t.database.db
        .selectFrom('actuals')
        .select('value')
        .where('indicator_id', '=', indicatorId)
        .where('period_key', '=', periodKey)
        .executeTakeFirst()
    )?.value;

  async function sheet(rows: [string, string, string | number][]): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('填报').addRows([['指标编码', '期间', '本期实际'], ...rows]);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('full-width digits, signs and separators, grouping and the indicator’s own unit are read as numbers', async () => {
    // land is measured in 亩, air in μg/m³, investment in 亿元, service in %.
    const { land, air, investment, service } = f.indicators;
    const typed: [string, string, string, number][] = [
      [land.code, '2023-Q1', '４５', 45],
      [land.code, '2023-Q2', '230亩', 230],
      [land.code, '2023-Q3', '２３０ 亩', 230],
      [air.code, '2023-Q1', '１２．５', 12.5],
      [air.code, '2023-Q2', '－３', -3],
      [air.code, '2023-Q3', '35μg/m³', 35],
      [investment.code, '2023-Q1', '1,234', 1234],
      [investment.code, '2023-Q2', '１，２３４．５', 1234.5],
      [investment.code, '2023-Q3', '1,234亿元', 1234],
      [service.code, '2023-Q1', '99.1%', 99.1],
      [service.code, '2023-Q2', '９９．１％', 99.1],
    ];
    const res = await org.post(
      '/api/indicators/actuals/import',
      await sheet(typed.map(([code, period, text]) => [code, period, text])),
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ applied: typed.length, unchanged: 0, rejected: 0, errors: [] });
    // −3 μg/m³ where baseline and target are positive is imported, and listed to check.
    expect(res.json.warnings.map((w: { row: number }) => w.row)).toEqual([6]);
    for (const [code, period, text, value] of typed) {
      const id = Object.values(f.indicators).find((i) => i.code === code)!.id;
      expect(await stored(id, period), `${code} ${period} ${text}`).toBe(value);
    }
  });

  it('a value in another unit than the indicator’s is refused, naming the expected unit', async () => {
    const { land, investment, service } = f.indicators;
    const file = await sheet([
      [land.code, '2023-Q4', '230吨'],
      [service.code, '2023-Q3', '38亩'],
      [investment.code, '2023-Q4', '12万元'],
      [service.code, '2023-Q4', '三百八十'],
    ]);
    const res = await org.post('/api/indicators/actuals/import', file);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      applied: 0,
      unchanged: 0,
      rejected: 4,
      errors: [
        {
          row: 2,
          column: '本期实际',
          message: '「230吨」的单位不是本指标的计量单位「亩」：请填写以「亩」计的数字',
        },
        {
          row: 3,
          column: '本期实际',
          message: '「38亩」的单位不是本指标的计量单位「%」：请填写以「%」计的数字',
        },
        {
          row: 4,
          column: '本期实际',
          message: '「12万元」的单位不是本指标的计量单位「亿元」：请填写以「亿元」计的数字',
        },
        { row: 5, column: '本期实际', message: '「三百八十」不是数字' },
      ],
      warnings: [],
    });
    expect(await stored(land.id, '2023-Q4')).toBeUndefined();
    const en = await org.post('/api/indicators/actuals/import', file, { lang: 'en-US' });
    expect(en.json.errors[0]).toEqual({
      row: 2,
      column: 'Actual this period',
      message: '"230吨" is not in this indicator\'s unit of measure, 亩: enter a number of 亩',
    });
  });
});
