// Results over HTTP on SQLite and PostgreSQL: figures computed by hand from docs/scoring.md, who sees
// what before and after the reveal and the publication, the frozen snapshot, the exports (Excel, the
// verifiable JSON, the A4 sheet) and the audit trail.
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExport, verifyExport } from '../../src/modules/event/domain/event-export.ts';
import {
  defaultScoringSettings,
  judgeTotal,
  type ScoringSettings,
} from '../../src/modules/event/domain/scoring.ts';
import { appendScoreEntry } from '../../src/modules/event/ledger.ts';
import type { DB } from '../../src/platform/db/schema.ts';
import { newId } from '../../src/platform/ids.ts';
import { dbKinds } from '../support/db.ts';
import { rows, testLinkToken } from '../support/factory.ts';
import { anonymous, asJudge, asRole, type Client, createTestApp, type TestApp } from '../support/http.ts';

// ---------- the event, inserted directly ----------
//
// Settings: trim 1 with at least 3 left, 2 decimals, overtime 0.5 per started 30 s, grades by rank
// share (优秀 34 %, then 良好). Rubric: 工作实绩 (60) and 特色亮点 (40). Panels: A (0.6) with judges
// A1–A5, B (0.4) with B1, B2. B1 is affiliated with 甲镇 (recused there).
//
// 镇街组:
//   甲镇 — the worked example of docs/scoring.md: A 256/3, B 80.5 (B1 recused; the B1 score that is
//          in the ledger anyway is never read), 40 s over → 83.4 − 1 = 82.40.
//   乙街道 — A totals 80 85 90 70 75 → trim 90 and 70 → 80; B 88, 92 (too few to trim) → 90;
//          0.6×80 + 0.4×90 = 84; manual penalty 0.5 → 83.50. A2 revised 80 → 85: the latest counts.
//   丙镇 — only A1–A4 scored: 70 72 74 76, too few to trim → 73; panel B empty is left out → 73.00.
//   Ranks: 乙街道 1, 甲镇 2, 丙镇 3; grades: cutoff ⌈0.34 × 3⌉ = 2 → 优秀, 优秀, 良好.
// 部门组:
//   丁局 — A all 80 → 80; B 70, 70 → 70; 0.6×80 + 0.4×70 = 76; 61 s over → 3 × 0.5 = 1.5 → 74.50;
//          alone in its track: rank 1, ⌈0.34 × 1⌉ = 1 → 优秀.

const settings: ScoringSettings = {
  ...defaultScoringSettings,
  overtimePenalty: { points: 0.5, perSeconds: 30 },
  gradeBands: {
    kind: 'rankShare',
    bands: [
      { key: 'excellent', labelZh: '优秀', labelEn: 'Excellent', share: 0.34 },
      { key: 'good', labelZh: '良好', labelEn: 'Good', share: 0.66 },
    ],
  },
};

type JudgeKey = 'A1' | 'A2' | 'A3' | 'A4' | 'A5' | 'B1' | 'B2';
type UnitKey = 'jia' | 'yi' | 'bing' | 'ding';

interface Fixture {
  eventId: string;
  title: string;
  tracks: { towns: string; departments: string };
  units: Record<UnitKey, string>;
  slots: Record<UnitKey, string>;
  judges: Record<JudgeKey, string>;
  judgeTokens: Record<JudgeKey, string>;
  panels: { A: string; B: string };
  criteria: { results: string; highlights: string };
}

/** [unit, judge, 工作实绩, 特色亮点] in ledger order. */
const scores: [UnitKey, JudgeKey, number, number][] = [
  ['jia', 'A1', 52, 35],
  ['jia', 'A2', 50.5, 33],
  ['jia', 'A3', 55, 36.5],
  ['jia', 'A4', 48, 30],
  ['jia', 'A5', 51, 34.5],
  ['jia', 'B1', 60, 40],
  ['jia', 'B2', 48, 32.5],
  ['yi', 'A1', 50, 30],
  ['yi', 'A2', 50, 30],
  ['yi', 'A3', 55, 35],
  ['yi', 'A4', 45, 25],
  ['yi', 'A5', 47, 28],
  ['yi', 'B1', 53, 35],
  ['yi', 'B2', 55, 37],
  ['yi', 'A2', 52, 33],
  ['bing', 'A1', 40, 30],
  ['bing', 'A2', 42, 30],
  ['bing', 'A3', 44, 30],
  ['bing', 'A4', 46, 30],
  ['ding', 'A1', 45, 35],
  ['ding', 'A2', 45, 35],
  ['ding', 'A3', 45, 35],
  ['ding', 'A4', 45, 35],
  ['ding', 'A5', 45, 35],
  ['ding', 'B1', 40, 30],
  ['ding', 'B2', 40, 30],
];

let seeded = 0;

async function seedEvent(db: Kysely<DB>): Promise<Fixture> {
  const tag = `${++seeded}-${Math.random().toString(36).slice(2, 8)}`;
  const eventId = newId();
  const title = `上半年工作大晒拼 ${tag}`;
  const tracks = { towns: newId(), departments: newId() };
  await db
    .insertInto('tracks')
    .values([
      { id: tracks.towns, name_zh: `镇街组${tag}`, name_en: `Towns ${tag}`, sort: 0 },
      { id: tracks.departments, name_zh: `部门组${tag}`, name_en: `Departments ${tag}`, sort: 1 },
    ])
    .execute();
  await db
    .insertInto('events')
    .values(
      rows.event({
        id: eventId,
        title,
        status: 'active',
        settings: JSON.stringify(settings),
        scoring_started: 1,
      }),
    )
    .execute();
  await db
    .insertInto('event_tracks')
    .values([
      { event_id: eventId, track_id: tracks.towns, sort: 0 },
      { event_id: eventId, track_id: tracks.departments, sort: 1 },
    ])
    .execute();
  const criteria = { results: newId(), highlights: newId() };
  await db
    .insertInto('criteria')
    .values([
      rows.criterion({
        id: criteria.results,
        event_id: eventId,
        sort: 0,
        name_zh: '工作实绩',
        name_en: 'Results',
        max_points: 60,
        step: 0.5,
      }),
      rows.criterion({
        id: criteria.highlights,
        event_id: eventId,
        sort: 1,
        name_zh: '特色亮点',
        name_en: 'Highlights',
        max_points: 40,
        step: 0.5,
      }),
    ])
    .execute();
  const panels = { A: newId(), B: newId() };
  await db
    .insertInto('panels')
    .values([
      { id: panels.A, event_id: eventId, sort: 0, name: '市领导组', weight: 0.6 },
      { id: panels.B, event_id: eventId, sort: 1, name: '群众代表组', weight: 0.4 },
    ])
    .execute();

  const unitDefs: [UnitKey, string, 'towns' | 'departments', number, number][] = [
    ['jia', '甲镇', 'towns', 40, 0],
    ['yi', '乙街道', 'towns', 0, 0.5],
    ['bing', '丙镇', 'towns', 0, 0],
    ['ding', '丁局', 'departments', 61, 0],
  ];
  const units = {} as Record<UnitKey, string>;
  const slots = {} as Record<UnitKey, string>;
  for (const [i, [key, name, track, overtime, penalty]] of unitDefs.entries()) {
    units[key] = newId();
    slots[key] = newId();
    await db
      .insertInto('units')
      .values(
        rows.unit({
          id: units[key],
          code: `R${tag}-${i}`,
          name: `${name}${tag}`,
          short_name: name,
          kind: track === 'towns' ? 'town' : 'department',
          track_id: tracks[track],
          sort: i,
        }),
      )
      .execute();
    await db
      .insertInto('slots')
      .values(
        rows.closedSlot({
          id: slots[key],
          event_id: eventId,
          track_id: tracks[track],
          unit_id: units[key],
          position: i + 1,
          overtime_sec: overtime,
          manual_penalty: penalty,
        }),
      )
      .execute();
  }

  const judgeKeys: JudgeKey[] = ['A1', 'A2', 'A3', 'A4', 'A5', 'B1', 'B2'];
  const judges = {} as Record<JudgeKey, string>;
  const judgeTokens = {} as Record<JudgeKey, string>;
  for (const [i, key] of judgeKeys.entries()) {
    judges[key] = newId();
    const inviteId = newId();
    judgeTokens[key] = testLinkToken('invite', inviteId);
    await db
      .insertInto('judges')
      .values(
        rows.judge({
          id: judges[key],
          event_id: eventId,
          panel_id: panels[key[0] as 'A' | 'B'],
          name: `评委${key}`,
          sort: i,
        }),
      )
      .execute();
    await db
      .insertInto('invites')
      .values(rows.invite({ id: inviteId, judge_id: judges[key], event_id: eventId }))
      .execute();
  }
  await db.insertInto('judge_affiliations').values({ judge_id: judges.B1, unit_id: units.jia }).execute();

  const f: Fixture = { eventId, title, tracks, units, slots, judges, judgeTokens, panels, criteria };
  for (const [i, [unit, judge, r, h]] of scores.entries()) {
    await appendScore(db, f, unit, judge, r, h, new Date(Date.UTC(2023, 7, 3, 9, 0, i)).toISOString());
  }
  return f;
}

/** Appends one score version to the event's ledger the way the scoring service does. */
async function appendScore(
  db: Kysely<DB>,
  f: Fixture,
  unit: UnitKey,
  judge: JudgeKey,
  results: number,
  highlights: number,
  createdAt: string,
): Promise<void> {
  const values = { [f.criteria.results]: results, [f.criteria.highlights]: highlights };
  await db.transaction().execute((trx) =>
    appendScoreEntry(trx, {
      eventId: f.eventId,
      slotId: f.slots[unit],
      judgeId: f.judges[judge],
      clientId: `c-${newId()}`,
      values,
      total: judgeTotal(values),
      createdAt,
    }),
  );
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
type Json = any;

const rowOf = (view: Json, unitId: string): Json =>
  view.tracks.flatMap((t: Json) => t.rows).find((r: Json) => r.unitId === unitId);

describe.each(dbKinds)('results on %s', (kind) => {
  let t: TestApp;
  let db: Kysely<DB>;
  let f: Fixture;
  let organizer: Client;
  let observer: Client;
  let leader: Client;
  let reporter: Client;
  const url = (path: string) => `/api/events/${f.eventId}${path}`;

  beforeAll(async () => {
    t = await createTestApp(kind);
    db = t.database.db;
    f = await seedEvent(db);
    organizer = await asRole(t, 'organizer');
    observer = await asRole(t, 'observer');
    leader = await asRole(t, 'leader');
    reporter = await asRole(t, 'reporter', f.units.jia);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('before the reveal', () => {
    it('computes the hand-computed figures: recusal, trimming, two panels, penalties, ranks and grades', async () => {
      const res = await organizer.get(url('/results'));
      expect(res.status).toBe(200);
      const view = res.json;
      expect(view).toMatchObject({
        eventId: f.eventId,
        published: false,
        publishedAt: null,
        ledgerLength: scores.length,
      });
      expect(view.ledgerHead).toMatch(/^[0-9a-f]{64}$/);
      expect(
        view.tracks.map((x: Json) => [x.trackId, x.revealed, x.rows.map((r: Json) => r.unitId)]),
      ).toEqual([
        [f.tracks.towns, false, [f.units.yi, f.units.jia, f.units.bing]],
        [f.tracks.departments, false, [f.units.ding]],
      ]);

      const { A, B } = f.panels;
      const { results, highlights } = f.criteria;
      expect(rowOf(view, f.units.jia)).toMatchObject({
        slotId: f.slots.jia,
        trackId: f.tracks.towns,
        score: 82.4,
        exact: '412/5',
        raw: 83.4,
        rawExact: '417/5',
        penalty: 1,
        overtimePenalty: 1,
        manualPenalty: 0,
        rank: 2,
        grade: { key: 'excellent', labelZh: '优秀' },
        criterionAverages: { [results]: 50.75, [highlights]: 33.58 },
        participation: { scored: 6, eligible: 6, recused: 1 },
        panels: [
          {
            panelId: A,
            score: 85.33,
            exact: '256/3',
            eligible: 5,
            scored: 5,
            counted: 3,
            trimmedHigh: [91.5],
            trimmedLow: [78],
          },
          {
            panelId: B,
            score: 80.5,
            exact: '161/2',
            eligible: 1,
            scored: 1,
            counted: 1,
            trimmedHigh: [],
            trimmedLow: [],
          },
        ],
      });
      expect(rowOf(view, f.units.jia).unitName).toMatch(/^甲镇/);
      expect(rowOf(view, f.units.yi)).toMatchObject({
        score: 83.5,
        exact: '167/2',
        raw: 84,
        penalty: 0.5,
        overtimePenalty: 0,
        manualPenalty: 0.5,
        rank: 1,
        grade: { key: 'excellent' },
        criterionAverages: { [results]: 51, [highlights]: 31.86 },
        participation: { scored: 7, eligible: 7, recused: 0 },
        panels: [
          { panelId: A, score: 80, exact: '80/1', counted: 3, trimmedHigh: [90], trimmedLow: [70] },
          { panelId: B, score: 90, exact: '90/1', counted: 2, trimmedHigh: [], trimmedLow: [] },
        ],
      });
      expect(rowOf(view, f.units.bing)).toMatchObject({
        score: 73,
        exact: '73/1',
        rank: 3,
        grade: { key: 'good' },
        participation: { scored: 4, eligible: 7, recused: 0 },
        panels: [
          { panelId: A, score: 73, counted: 4, trimmedHigh: [], trimmedLow: [] },
          { panelId: B, score: null, exact: null, eligible: 2, scored: 0, counted: 0 },
        ],
      });
      expect(rowOf(view, f.units.ding)).toMatchObject({
        score: 74.5,
        raw: 76,
        overtimePenalty: 1.5,
        rank: 1,
      });
    });

    it('shows the observer everything, the leader and the reporter nothing, and refuses judges', async () => {
      const organizerView = (await organizer.get(url('/results'))).json;
      const seen = (await observer.get(url('/results'))).json;
      expect(seen.tracks).toEqual(organizerView.tracks);

      const byLeader = await leader.get(url('/results'));
      expect(byLeader.status).toBe(200);
      expect(byLeader.json).toMatchObject({ published: false, tracks: [] });

      const byReporter = await reporter.get(url('/results'));
      expect(byReporter.status).toBe(200);
      expect(byReporter.json).toMatchObject({ published: false, tracks: [] });

      const judge = await asJudge(t, f.judgeTokens.A1);
      expect((await judge.get(url('/results'))).status).toBe(403);
      expect((await judge.get(url('/export.json'))).status).toBe(403);
      expect((await anonymous(t).get(url('/results'))).status).toBe(401);
      expect((await organizer.get('/api/events/no-such-event/results')).status).toBe(404);
    });

    it('keeps exports and the audit trail from those who may not see them', async () => {
      for (const path of ['/export.xlsx', '/results/print', '/export.json', '/audit']) {
        expect((await leader.get(url(path))).status, `leader ${path}`).toBe(403);
        expect((await reporter.get(url(path))).status, `reporter ${path}`).toBe(403);
      }
      for (const path of ['/export.xlsx', '/results/print', '/export.json', '/audit']) {
        expect((await observer.get(url(path))).status, `observer ${path}`).toBe(200);
      }
      expect((await leader.post(url('/reveal'), { trackId: f.tracks.towns })).status).toBe(403);
      expect((await observer.post(url('/publish'))).status).toBe(403);
    });
  });

  describe('exports', () => {
    it('writes a ranking sheet per track and a raw sheet of the counted scores with anonymous judges', async () => {
      const res = await organizer.get(url('/export.xlsx'));
      expect(res.status).toBe(200);
      expect(String(res.headers['content-type'])).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.raw as unknown as ArrayBuffer);
      const [towns, departments, raw] = wb.worksheets;
      expect(wb.worksheets.map((s) => s.name)).toEqual([
        expect.stringMatching(/^镇街组/),
        expect.stringMatching(/^部门组/),
        '原始评分',
      ]);
      const values = (ws: ExcelJS.Worksheet | undefined, r: number) =>
        (ws!.getRow(r).values as unknown[]).slice(1);

      expect(values(towns, 1)).toEqual([
        '名次',
        '单位',
        '得分',
        '市领导组',
        '群众代表组',
        '扣分',
        '等次',
        '工作实绩（平均）',
        '特色亮点（平均）',
        '参评人数',
      ]);
      expect(values(towns, 2)).toEqual([
        1,
        expect.stringMatching(/^乙街道/),
        83.5,
        80,
        90,
        0.5,
        '优秀',
        51,
        31.86,
        7,
      ]);
      expect(values(towns, 3)).toEqual([
        2,
        expect.stringMatching(/^甲镇/),
        82.4,
        85.33,
        80.5,
        1,
        '优秀',
        50.75,
        33.58,
        6,
      ]);
      // An empty panel is an empty cell, not 0.
      const bing = towns!.getRow(4);
      expect(bing.getCell(3).value).toBe(73);
      expect(bing.getCell(5).value).toBeNull();
      expect(values(departments, 2)).toEqual([
        1,
        expect.stringMatching(/^丁局/),
        74.5,
        80,
        70,
        1.5,
        '优秀',
        43.57,
        33.57,
        7,
      ]);

      expect(values(raw, 1)).toEqual([
        '组别',
        '出场顺序',
        '单位',
        '评委',
        '评委组',
        '工作实绩',
        '特色亮点',
        '合计',
        '计分情况',
        '版本',
        '提交时间',
      ]);
      // One row per (slot, judge): the revision of A2 on 乙街道 replaces its first version.
      expect(raw!.rowCount - 1).toBe(scores.length - 1);
      const rawRows = Array.from({ length: raw!.rowCount - 1 }, (_, i) => values(raw, i + 2));
      const jia = rawRows.filter((r) => String(r[2]).startsWith('甲镇'));
      // Judges are numbered in the order of their random ids (not of the judge list); rows by number.
      const byId = Object.values(f.judges).sort();
      const label = (key: JudgeKey) => `评委${String(byId.indexOf(f.judges[key]) + 1).padStart(2, '0')}`;
      const expected: [JudgeKey, string, number, number, number, string][] = [
        ['A1', '市领导组', 52, 35, 87, '计入'],
        ['A2', '市领导组', 50.5, 33, 83.5, '计入'],
        ['A3', '市领导组', 55, 36.5, 91.5, '去掉最高分'],
        ['A4', '市领导组', 48, 30, 78, '去掉最低分'],
        ['A5', '市领导组', 51, 34.5, 85.5, '计入'],
        ['B1', '群众代表组', 60, 40, 100, '回避（不计入）'],
        ['B2', '群众代表组', 48, 32.5, 80.5, '计入'],
      ];
      expect(jia.map((r) => [r[3], r[4], r[5], r[6], r[7], r[8]])).toEqual(
        expected
          .map(([key, ...rest]) => [label(key), ...rest])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      );
      const yiA2 = rawRows.find((r) => String(r[2]).startsWith('乙街道') && r[3] === label('A2'))!;
      expect([yiA2[7], yiA2[9]]).toEqual([85, 2]);
      // No judge name anywhere in the workbook.
      for (const ws of wb.worksheets) {
        ws.eachRow((row) => {
          for (const v of (row.values as unknown[]).slice(1)) expect(String(v)).not.toMatch(/评委[AB]\d/);
        });
      }
    });

    it('writes the headers in English for an English caller', async () => {
      const res = await organizer.get(url('/export.xlsx'), { lang: 'en-US' });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.raw as unknown as ArrayBuffer);
      expect(wb.worksheets.map((s) => s.name)).toEqual([
        expect.stringMatching(/^Towns/),
        expect.stringMatching(/^Departments/),
        'Raw scores',
      ]);
      expect((wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1, 4)).toEqual([
        'Rank',
        'Unit',
        'Score',
      ]);
      expect(wb.worksheets[2]!.getRow(2).getCell(4).value).toBe('Judge 01');
    });

    it('exports a JSON file that verifies, without judge names', async () => {
      const res = await observer.get(url('/export.json'));
      expect(res.status).toBe(200);
      expect(String(res.headers['content-disposition'])).toContain('attachment');
      const parsed = parseExport(res.body);
      if (!parsed.ok) throw new Error(parsed.error);
      const file = parsed.file;
      expect(file.ledger).toHaveLength(scores.length);
      expect(file.published).toBeNull();
      // Numbered in the order of the judges' random ids, not of the judge list.
      const byId = Object.values(f.judges).sort();
      expect(file.judges.map((j) => j.number)).toEqual(file.judges.map((j) => byId.indexOf(j.id) + 1));
      expect(file.judges[5]).toEqual({
        id: f.judges.B1,
        number: byId.indexOf(f.judges.B1) + 1,
        panelId: f.panels.B,
        affiliatedUnitIds: [f.units.jia],
      });
      expect(res.body).not.toMatch(/评委[AB]\d/);
      const report = verifyExport(file);
      expect(report.chain).toMatchObject({ ok: true, length: scores.length });
      expect(report.ok).toBe(true);
    });

    it('prints an A4 sheet in Chinese with every track, the date, signature lines and the ledger head', async () => {
      const res = await organizer.get(url('/results/print'), { lang: 'en-US' });
      expect(res.status).toBe(200);
      expect(String(res.headers['content-type'])).toContain('text/html');
      const html = res.body;
      expect(html).toContain('<html lang="zh-CN">');
      expect(html).toContain(`${f.title}成绩表`);
      expect(html).toContain('2023年8月3日');
      expect(html).toContain('实时成绩，尚未发布');
      for (const label of ['制表', '审核', '监督']) expect(html).toContain(`${label}（签字）`);
      const head = (await organizer.get(url('/results'))).json.ledgerHead;
      expect(html).toContain(head);
      expect(html.indexOf('乙街道')).toBeLessThan(html.indexOf('甲镇'));
      expect(html).toContain('<strong>83.50</strong>');
      expect(html).toContain('<strong>73.00</strong>');
    });
  });

  describe('reveal and publish', () => {
    it('shows a revealed track to leaders, and only that track; audited', async () => {
      const res = await organizer.post(url('/reveal'), { trackId: f.tracks.towns });
      expect(res.status).toBe(200);
      expect(res.json.tracks.map((x: Json) => x.revealed)).toEqual([true, false]);

      const byLeader = (await leader.get(url('/results'))).json;
      expect(byLeader.tracks.map((x: Json) => x.trackId)).toEqual([f.tracks.towns]);
      expect(byLeader.tracks[0].rows.map((r: Json) => r.score)).toEqual([83.5, 82.4, 73]);
      // Reporters still wait for the publication.
      expect((await reporter.get(url('/results'))).json.tracks).toEqual([]);
      // Revealing twice changes nothing and is not audited twice.
      t.clock.advance(1000);
      expect((await organizer.post(url('/reveal'), { trackId: f.tracks.towns })).status).toBe(200);
      expect((await organizer.post(url('/reveal'), { trackId: 'not-a-track' })).status).toBe(404);
    });

    it('hides a track again before publication', async () => {
      t.clock.advance(1000);
      const hidden = await organizer.post(url('/reveal'), { trackId: f.tracks.departments, revealed: true });
      expect(hidden.json.tracks.map((x: Json) => x.revealed)).toEqual([true, true]);
      t.clock.advance(1000);
      const again = await organizer.post(url('/reveal'), { trackId: f.tracks.departments, revealed: false });
      expect(again.json.tracks.map((x: Json) => x.revealed)).toEqual([true, false]);
      expect((await leader.get(url('/results'))).json.tracks).toHaveLength(1);
    });

    it('refuses to publish while a slot is still open or pending', async () => {
      await db.updateTable('slots').set({ state: 'open' }).where('id', '=', f.slots.bing).execute();
      await db.updateTable('slots').set({ state: 'pending' }).where('id', '=', f.slots.ding).execute();
      const res = await organizer.post(url('/publish'));
      expect(res.status).toBe(409);
      expect(res.json.code).toBe('results_not_final');
      expect(res.json.message).toContain('2');
      expect(res.json.details.slots.map((s: Json) => s.state).sort()).toEqual(['open', 'pending']);
      const event = await db
        .selectFrom('events')
        .selectAll()
        .where('id', '=', f.eventId)
        .executeTakeFirstOrThrow();
      expect(event.published_at).toBeNull();
      await db.updateTable('slots').set({ state: 'closed' }).where('event_id', '=', f.eventId).execute();
    });

    it('publishes a frozen snapshot with the ledger head; everyone then sees exactly it', async () => {
      const live = (await organizer.get(url('/results'))).json;
      t.clock.advance(1000);
      // 丙镇 was scored by panel A only (panel B: 0 of 2): below the 50% quorum, so marked, and
      // published only with a written reason.
      const rows = live.tracks.flatMap((x: Json) => x.rows);
      expect(rows.filter((r: Json) => !r.quorumMet).map((r: Json) => r.slotId)).toEqual([f.slots.bing]);
      const unexplained = await organizer.post(url('/publish'));
      expect(unexplained.status).toBe(409);
      expect(unexplained.json.code).toBe('quorum_reason_required');
      expect(unexplained.json.message).toContain('丙镇');
      const reason = '群众代表组两位评委因故缺席，经监督组同意按市领导组评分发布';
      const res = await organizer.post(url('/publish'), { quorumReason: reason });
      expect(res.status).toBe(200);
      const snapshot = res.json;
      expect(snapshot.quorumReason).toBe(reason);
      const print = await organizer.get(url('/results/print'));
      expect(print.body).toContain('丙镇');
      expect(print.body).toContain('（评分人数不足）');
      expect(print.body).toContain(reason);
      expect(snapshot).toMatchObject({
        published: true,
        ledgerHead: live.ledgerHead,
        ledgerLength: scores.length,
      });
      expect(snapshot.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(snapshot.tracks.map((x: Json) => x.revealed)).toEqual([true, true]);
      expect(snapshot.tracks.map((x: Json) => x.rows)).toEqual(live.tracks.map((x: Json) => x.rows));

      for (const who of [organizer, observer, leader, reporter]) {
        const seen = await who.get(url('/results'));
        expect(seen.status).toBe(200);
        expect(seen.json).toEqual(snapshot);
      }
      const event = await db
        .selectFrom('events')
        .selectAll()
        .where('id', '=', f.eventId)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(event.revealed).sort()).toEqual([f.tracks.towns, f.tracks.departments].sort());

      const twice = await organizer.post(url('/publish'));
      expect(twice.status).toBe(409);
      expect(twice.json.code).toBe('results_already_published');
      const hide = await organizer.post(url('/reveal'), { trackId: f.tracks.towns, revealed: false });
      expect(hide.status).toBe(409);
    });

    it('lets leaders export and print once published', async () => {
      const xlsx = await leader.get(url('/export.xlsx'));
      expect(xlsx.status).toBe(200);
      const print = await leader.get(url('/results/print'));
      expect(print.status).toBe(200);
      expect(print.body).toContain('第 1 版成绩，已于');
      expect((await leader.get(url('/export.json'))).status).toBe(403);
    });

    it('keeps the published figures frozen when the ledger grows, and the export still verifies', async () => {
      const before = (await organizer.get(url('/results'))).json;
      // A late score written straight to the ledger (the API refuses it: every slot is closed).
      await appendScore(db, f, 'bing', 'B2', 60, 40, new Date().toISOString());
      const after = (await organizer.get(url('/results'))).json;
      expect(after).toEqual(before);
      expect(rowOf(after, f.units.bing).score).toBe(73);

      const parsed = parseExport((await organizer.get(url('/export.json'))).body);
      if (!parsed.ok) throw new Error(parsed.error);
      const file = parsed.file;
      expect(file.ledger).toHaveLength(scores.length + 1);
      expect(file.published?.ledgerLength).toBe(scores.length);
      // Live results include the late score (丙镇 now has panel B); the snapshot does not.
      expect(rowOf(file.results, f.units.bing).score).not.toBe(73);
      const report = verifyExport(file);
      expect(report.published).toMatchObject({ ok: true, anchored: true, ledgerLength: scores.length });
      expect(report.live.ok).toBe(true);
      expect(report.ok).toBe(true);
    });

    it('lists reveal and publish in the audit trail, newest first, with the actor', async () => {
      const res = await observer.get(url('/audit'));
      expect(res.status).toBe(200);
      const entries = res.json as Json[];
      expect(entries.map((e) => e.action)).toEqual([
        'results.published',
        'results.hidden',
        'results.revealed',
        'results.revealed',
      ]);
      expect(entries.every((e) => e.actorName === entries[0].actorName && e.actorName.length > 0)).toBe(true);
      const [published, hidden] = entries;
      expect(published.target).toBe(f.title);
      expect(published.after).toMatchObject({ ledgerLength: scores.length });
      expect(hidden.before).toEqual({ revealedTrackIds: [f.tracks.towns, f.tracks.departments] });
      expect(hidden.after).toEqual({ revealedTrackIds: [f.tracks.towns] });
      const createdAt = entries.map((e) => e.createdAt);
      expect([...createdAt].sort().reverse()).toEqual(createdAt);
    });
  });
});
