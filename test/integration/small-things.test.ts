// Small things of the hardening issue, over HTTP on both databases: a rubric maximum off its step grid
// is refused in the caller's language; every download is named in the caller's language; times in the
// results workbook are Excel date-times in China time; the reporting template's expected values are
// rounded for reading; track names follow the caller's language in results and exports.
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeTotal } from '../../src/modules/event/domain/scoring.ts';
import { appendScoreEntry } from '../../src/modules/event/ledger.ts';
import type { DB } from '../../src/platform/db/schema.ts';
import { newId } from '../../src/platform/ids.ts';
import { dbKinds } from '../support/db.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';
import { asRole, createTestApp, type RoleClient, type TestApp, type TestResponse } from '../support/http.ts';
import { type IndicatorFixture, seedIndicatorFixture } from '../support/indicator-fixtures.ts';

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/** The name a browser saves a download under (filename*, UTF-8). */
function savedName(res: TestResponse): string {
  const cd = String(res.headers['content-disposition'] ?? '');
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (!star?.[1]) throw new Error(`no filename* in ${cd}`);
  return decodeURIComponent(star[1]);
}

const SUBMITTED_AT = ['2023-08-03T01:02:03.000Z', '2023-08-03T16:30:00.000Z'];
const HOURS_8 = 8 * 3600 * 1000;

describe.each(dbKinds)('small things on %s', (kind) => {
  let t: TestApp;
  let db: Kysely<DB>;
  let f: EventFixture;
  let ind: IndicatorFixture;
  let organizer: RoleClient;
  const url = (path: string) => `/api/events/${f.eventId}${path}`;

  beforeAll(async () => {
    t = await createTestApp(kind);
    db = t.database.db;
    f = await seedEventFixture(t.database, { unitsPerTrack: 1, judgesPerPanel: 2 });
    ind = await seedIndicatorFixture(t.database);
    organizer = await asRole(t, 'organizer');
    // Two scores on the second unit's slot (no judge there is recused), then every slot closed.
    const slot = f.slots[1]!;
    for (const [i, judge] of f.judges.slice(0, 2).entries()) {
      const values = Object.fromEntries(f.criteria.map((c) => [c.id, c.maxPoints / 2]));
      await db.transaction().execute((trx) =>
        appendScoreEntry(trx, {
          eventId: f.eventId,
          slotId: slot.id,
          judgeId: judge.id,
          clientId: `c-${newId()}`,
          values,
          total: judgeTotal(values),
          createdAt: SUBMITTED_AT[i]!,
        }),
      );
    }
    await db
      .updateTable('slots')
      .set({ state: 'closed', closed_at: '2023-08-03T17:00:00.000Z' })
      .where('event_id', '=', f.eventId)
      .execute();
    await db
      .updateTable('events')
      .set({ status: 'active', scoring_started: 1 })
      .where('id', '=', f.eventId)
      .execute();
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('a rubric maximum off its step grid', () => {
    let other: EventFixture;
    beforeAll(async () => {
      other = await seedEventFixture(t.database, { unitsPerTrack: 1, judgesPerPanel: 1 });
    });
    const criteria = (maxPoints: number, step: number) => ({
      criteria: [
        { nameZh: '工作实绩', nameEn: 'Results', maxPoints, step },
        { nameZh: '特色亮点', nameEn: 'Highlights', maxPoints: 20, step: 1 },
      ],
    });

    it('is refused with a clear message in the caller’s language', async () => {
      const zh = await organizer.put(`/api/events/${other.eventId}/criteria`, criteria(25.3, 0.5));
      expect(zh.status).toBe(400);
      expect(zh.json.code).toBe('validation_failed');
      expect(zh.json.message).toContain('评分项「工作实绩」的满分 25.3 不是步长 0.5 的整数倍');
      const en = await organizer.put(`/api/events/${other.eventId}/criteria`, criteria(25.3, 0.5), {
        lang: 'en-US',
      });
      expect(en.status).toBe(400);
      expect(en.json.message).toContain(
        'criterion "Results": the maximum 25.3 is not a multiple of the step 0.5',
      );
      // Nothing was written.
      const stored = await db
        .selectFrom('criteria')
        .select('max_points')
        .where('event_id', '=', other.eventId)
        .execute();
      expect(stored.map((c) => Number(c.max_points))).not.toContain(25.3);
    });

    it('is decided on the decimals as written: 0.3 in steps of 0.1 and 25.5 in steps of 0.5 are on the grid', async () => {
      expect((await organizer.put(`/api/events/${other.eventId}/criteria`, criteria(0.3, 0.1))).status).toBe(
        200,
      );
      const ok = await organizer.put(`/api/events/${other.eventId}/criteria`, criteria(25.5, 0.5));
      expect(ok.status).toBe(200);
      expect(ok.json[0]).toMatchObject({ maxPoints: 25.5, step: 0.5 });
      expect((await organizer.put(`/api/events/${other.eventId}/criteria`, criteria(10, 3))).status).toBe(
        400,
      );
    });
  });

  describe('download file names', () => {
    const downloads = () => [
      {
        path: url('/export.xlsx'),
        zh: `${f.title}成绩.xlsx`,
        en: `${f.title} results.xlsx`,
      },
      {
        path: url('/export.json'),
        zh: `${f.title}成绩数据.json`,
        en: `${f.title} results data.json`,
      },
      {
        path: url('/judges/export.xlsx'),
        zh: `${f.title}评委名单.xlsx`,
        en: `${f.title} judges.xlsx`,
      },
      { path: '/api/units/export.xlsx', zh: '单位.xlsx', en: 'Units.xlsx' },
      {
        path: '/api/indicators/template.xlsx?period=2023-Q2',
        zh: '指标填报_2023-Q2.xlsx',
        en: 'indicator-report_2023-Q2.xlsx',
      },
      { path: '/api/indicators/export.xlsx?year=2023', zh: '指标_2023.xlsx', en: 'indicators_2023.xlsx' },
    ];

    it('are in Chinese for a zh-CN caller and in English for an en-US caller', async () => {
      for (const d of downloads()) {
        const zh = await organizer.get(d.path, { lang: 'zh-CN' });
        expect(zh.status, d.path).toBe(200);
        expect(savedName(zh), d.path).toBe(d.zh);
        const en = await organizer.get(d.path, { lang: 'en-US' });
        expect(savedName(en), d.path).toBe(d.en);
      }
    });

    it('never carry a character a file system refuses, nor break the header', async () => {
      await db
        .updateTable('events')
        .set({ title: '上半年/下半年"大晒拼"' })
        .where('id', '=', f.eventId)
        .execute();
      try {
        const res = await organizer.get(url('/export.xlsx'));
        expect(savedName(res)).toBe('上半年_下半年_大晒拼_成绩.xlsx');
        expect(String(res.headers['content-disposition'])).toMatch(
          /^attachment; filename="[^"]*"; filename\*=/,
        );
      } finally {
        await db.updateTable('events').set({ title: f.title }).where('id', '=', f.eventId).execute();
      }
    });
  });

  it('writes submission times as Excel date-times in China time (UTC+8) with a date-time format', async () => {
    const res = await organizer.get(url('/export.xlsx'));
    const wb = await load(res.raw);
    const raw = wb.worksheets.at(-1)!;
    expect(raw.getRow(1).getCell(raw.columnCount).value).toBe('提交时间');
    const cells = [2, 3].map((r) => raw.getRow(r).getCell(raw.columnCount));
    // Excel date-times have no zone: the cell holds the wall-clock time in China. Rows follow the
    // judges' numbers, which follow random ids: compare in time order.
    const times = cells.map((c) => (c.value as Date).toISOString()).sort();
    expect(times).toEqual(
      SUBMITTED_AT.map((iso) => new Date(Date.parse(iso) + HOURS_8).toISOString()).sort(),
    );
    expect(times).toEqual(['2023-08-03T09:02:03.000Z', '2023-08-04T00:30:00.000Z']);
    for (const c of cells) expect(c.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
  });

  it('rounds the template’s expected values for reading (1190.14, not 1190.1369863013699)', async () => {
    const res = await organizer.get('/api/indicators/template.xlsx?period=2023-Q2');
    const ws = (await load(res.raw)).worksheets[0]!;
    const headers = new Map<string, number>();
    ws.getRow(1).eachCell((c, col) => {
      headers.set(String(c.value), col);
    });
    const expectedOf = (code: string): number => {
      for (let r = 2; r <= ws.rowCount; r++) {
        const row = ws.getRow(r);
        if (row.getCell(1).value === code) return row.getCell(headers.get('序时应达值')!).value as number;
      }
      throw new Error(`no row for ${code}`);
    };
    // Linear 0 → 2400: 2400 × 181 / 365 = 1190.136…; lower is better 40 → 30: 40 − 10 × 181 / 365 = 35.041….
    expect(expectedOf(ind.indicators.land.code)).toBe(1190.14);
    expect(expectedOf(ind.indicators.air.code)).toBe(35.04);
    for (let r = 2; r <= ws.rowCount; r++) {
      const v = ws.getRow(r).getCell(headers.get('序时应达值')!).value as number;
      expect(Number(v.toFixed(2))).toBe(v);
    }
  });

  describe('track names in the caller’s language', () => {
    const names = (res: TestResponse) => res.json.tracks.map((x: { trackName: string }) => x.trackName);

    it('live results, the units export', async () => {
      expect(names(await organizer.get(url('/results'), { lang: 'en-US' }))).toEqual(
        f.tracks.map((x) => x.nameEn),
      );
      expect(names(await organizer.get(url('/results')))).toEqual(f.tracks.map((x) => x.nameZh));

      const units = await load((await organizer.get('/api/units/export.xlsx', { lang: 'en-US' })).raw);
      const ws = units.worksheets[0]!;
      const trackOf = new Map<string, unknown>();
      for (let r = 2; r <= ws.rowCount; r++)
        trackOf.set(String(ws.getRow(r).getCell(1).value), ws.getRow(r).getCell(5).value);
      expect(f.units.map((u) => trackOf.get(u.code))).toEqual(f.tracks.map((x) => x.nameEn));
    });

    it('published results, while the frozen snapshot keeps the Chinese names', async () => {
      // Few scores here: the units are below the quorum, which a reason lets through.
      const published = await organizer.post(
        url('/publish'),
        { quorumReason: '测试数据' },
        { lang: 'en-US' },
      );
      expect(published.status, JSON.stringify(published.json)).toBe(200);
      expect(names(await organizer.get(url('/results'), { lang: 'en-US' }))).toEqual(
        f.tracks.map((x) => x.nameEn),
      );
      expect(names(await organizer.get(url('/results')))).toEqual(f.tracks.map((x) => x.nameZh));
      const row = await db
        .selectFrom('events')
        .select('published_results')
        .where('id', '=', f.eventId)
        .executeTakeFirstOrThrow();
      const frozen = JSON.parse(row.published_results ?? '{}') as { tracks: { trackName: string }[] };
      expect(frozen.tracks.map((x) => x.trackName)).toEqual(f.tracks.map((x) => x.nameZh));
    });
  });
});
