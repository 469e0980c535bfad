// Livelihood projects over HTTP, on SQLite and PostgreSQL: imported by Excel (per-row reasons, all or
// nothing, the same file again changes nothing), status and progress computed from milestones on a
// controlled clock, progress updates by the lead unit only (with a before/after photo pair),
// acknowledged or returned by the office, a missed reporting interval flagged and told once.
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTimeRules } from '../../src/modules/supervision/index.ts';
import { writeWorkbook } from '../../src/platform/excel.ts';
import { dbKinds } from '../support/db.ts';
import { rows } from '../support/factory.ts';
import { asRole, type Client, clientFor, createTestApp, loginAs, type TestApp } from '../support/http.ts';
import { seedIndicatorFixture } from '../support/indicator-fixtures.ts';

const HEADERS = [
  '项目编号',
  '项目名称',
  '年度',
  '级别',
  '类别',
  '建设内容',
  '牵头单位',
  '配合单位',
  '联系领导',
  '地点',
  '产出目标',
  '开始日期',
  '完成时限',
  '报送周期',
  '节点',
  '节点计划日期',
  '节点权重',
  '需要照片',
];
const school = (unit: string, co: string) => [
  [
    'LP-2023-03',
    '浙江老年开放大学永康学院',
    2023,
    '省市级',
    '教育',
    '打造老年教育示范校',
    unit,
    co,
    '副市长',
    '永康学院',
    '开设课程 15 门；招收学员 1000 人',
    '2023-03-01',
    '2023-12-31',
    '每月',
    '挂牌成立',
    '2023-06-30',
    1,
    '是',
  ],
  [
    'LP-2023-03',
    '浙江老年开放大学永康学院',
    2023,
    '省市级',
    '教育',
    '打造老年教育示范校',
    unit,
    co,
    '副市长',
    '永康学院',
    '开设课程 15 门；招收学员 1000 人',
    '2023-03-01',
    '2023-12-31',
    '每月',
    '秋季开学',
    '2023-09-15',
    2,
    '是',
  ],
];
const photo = (seed: number) =>
  sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="90"><rect width="120" height="90" fill="#ddd"/><rect x="${(seed * 13) % 90}" y="0" width="${10 + seed}" height="90" fill="#246"/><circle cx="${90 - seed * 7}" cy="45" r="${8 + seed}" fill="#a42"/></svg>`,
    ),
  )
    .jpeg()
    .withExif({ IFD2: { DateTimeOriginal: '2023:08:02 16:00:00' } })
    .toBuffer();

describe.each(dbKinds)('livelihood projects on %s', (kind) => {
  let t: TestApp;
  let org: Client;
  let rep: Client;
  let other: Client;
  let leader: Client;
  const units: { id: string; name: string }[] = [];
  let projectId = '';

  beforeAll(async () => {
    t = await createTestApp(kind);
    t.clock.set(new Date('2023-08-03T02:00:00Z'));
    t.clock.freeze();
    for (const name of ['市教育局', '市民政局']) {
      const u = rows.unit({ track_id: null, name });
      await t.database.db.insertInto('units').values(u).execute();
      units.push({ id: u.id, name });
    }
    org = await asRole(t, 'organizer');
    rep = await asRole(t, 'reporter', units[0]!.id);
    other = await asRole(t, 'reporter', units[1]!.id);
    leader = await asRole(t, 'leader');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const upload = async (c: Client, sheet: unknown[][]) =>
    c.post(
      '/api/supervision/projects/import',
      await writeWorkbook([{ name: '工作清单', headers: HEADERS, rows: sheet as never }]),
    );

  it('imports projects with milestones all or nothing, naming each bad row, and once', async () => {
    const bad = await upload(org, [
      ...school('市教育局', '市民政局'),
      [
        'LP-2023-09',
        '城市书房',
        2023,
        '区级',
        '文化',
        '',
        '没有这个单位',
        '',
        '',
        '',
        '书房 3 个',
        '2023-03-01',
        '2023-02-01',
        '每季',
        '开放',
        '9月',
        0,
        '',
      ],
    ]);
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('import_failed');
    const reasons = bad.json.details.errors
      .filter((e: { row: number }) => e.row === 4)
      .map((e: { column: string }) => e.column);
    expect(reasons.sort()).toEqual(
      ['牵头单位', '完成时限', '报送周期', '级别', '节点权重', '节点计划日期'].sort(),
    );
    expect((await org.get('/api/supervision/projects')).json).toEqual([]);
    expect((await rep.post('/api/supervision/projects/import', Buffer.from('x'))).status).toBe(403);
    const ok = await upload(org, school('市教育局', '市民政局'));
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect((await upload(org, school('市教育局', '市民政局'))).json).toEqual({
      created: 0,
      updated: 0,
      unchanged: 1,
    });
    const list = (await leader.get('/api/supervision/projects')).json;
    expect(list).toHaveLength(1);
    projectId = list[0].id;
    expect(list[0]).toMatchObject({
      level: 'both',
      leadUnitName: '市教育局',
      coUnitNames: ['市民政局'],
      progress: 0,
    });
    const detail = (await org.get(`/api/supervision/projects/${projectId}`)).json;
    expect(detail.outputs).toEqual([
      { name: '开设课程', target: 15, unit: '门', actual: 0 },
      { name: '招收学员', target: 1000, unit: '人', actual: 0 },
    ]);
    // The first milestone was due 30 June and is not done: overdue.
    expect(detail.status).toBe('overdue');
    // The indicators it moves: real ones only, shown on its page.
    const fx = await seedIndicatorFixture(t.database);
    const body = {
      ...detail,
      indicatorIds: ['no-such-indicator'],
      milestones: detail.milestones,
      manualProgress: null,
    };
    for (const k of [
      'id',
      'leadUnitName',
      'coUnitNames',
      'progress',
      'status',
      'updateMissing',
      'openTasks',
      'updates',
      'tasks',
      'indicators',
    ])
      delete (body as Record<string, unknown>)[k];
    expect((await org.put(`/api/supervision/projects/${projectId}`, body)).status).toBe(404);
    const linked = await org.put(`/api/supervision/projects/${projectId}`, {
      ...body,
      indicatorIds: [fx.indicators.service.id],
    });
    expect(linked.status, linked.body).toBe(200);
    expect(linked.json.indicators).toEqual([
      { id: fx.indicators.service.id, code: fx.indicators.service.code, name: fx.indicators.service.name },
    ]);
    // Saving again keeps the milestones (by id) and what nothing changed.
    expect(linked.json.milestones.map((m: { id: string }) => m.id)).toEqual(
      detail.milestones.map((m: { id: string }) => m.id),
    );
  });

  it('takes progress updates from the lead unit only, and counts them once acknowledged', async () => {
    const detail = (await org.get(`/api/supervision/projects/${projectId}`)).json;
    const [first] = detail.milestones;
    const before = await rep.post(
      `/api/supervision/projects/${projectId}/photos?pair=before`,
      await photo(1),
      { contentType: 'image/jpeg' },
    );
    const after = await rep.post(`/api/supervision/projects/${projectId}/photos?pair=after`, await photo(5), {
      contentType: 'image/jpeg',
    });
    expect(before.status, before.body).toBe(200);
    // Taken on 2 August, after the project began in March: no flags.
    expect(after.json).toMatchObject({ pairRole: 'after', flags: [], takenAt: '2023-08-02T08:00:00.000Z' });
    expect(
      (await other.post(`/api/supervision/projects/${projectId}/updates`, { text: '不是我们的项目' })).status,
    ).toBe(403);
    const body = {
      text: '学院已挂牌，开设课程 15 门',
      outputs: [{ name: '开设课程', value: 15 }],
      milestoneIdsDone: [first.id],
      photoIds: [before.json.id, after.json.id],
    };
    const submitted = await rep.post(`/api/supervision/projects/${projectId}/updates`, body);
    expect(submitted.status, submitted.body).toBe(200);
    expect(submitted.json.updates[0]).toMatchObject({
      status: 'submitted',
      photos: [{ pairRole: 'before' }, { pairRole: 'after' }],
    });
    // Not counted before the office acknowledges it; the other unit cannot read the unreviewed update.
    expect(submitted.json.progress).toBe(0);
    expect((await other.get(`/api/supervision/projects/${projectId}`)).json.updates).toEqual([]);
    expect((await org.get('/api/supervision/inbox')).json.items.map((i: { kind: string }) => i.kind)).toEqual(
      ['update_acknowledge'],
    );
    const update = submitted.json.updates[0].id;
    expect((await rep.post(`/api/supervision/updates/${update}/review`, { decision: 'verify' })).status).toBe(
      403,
    );
    expect(
      (await org.post(`/api/supervision/updates/${update}/review`, { decision: 'return' })).json.code,
    ).toBe('return_reason_required');
    // Before it is acknowledged, another unit cannot see its photos either.
    expect((await other.get(`/api/supervision/photos/${after.json.id}`)).status).toBe(403);
    const ack = await org.post(`/api/supervision/updates/${update}/review`, { decision: 'verify' });
    expect(ack.status, ack.body).toBe(200);
    // Decided once: a second decision, or a return of what was acknowledged, is refused.
    expect((await org.post(`/api/supervision/updates/${update}/review`, { decision: 'verify' })).status).toBe(
      409,
    );
    expect(
      (await org.post(`/api/supervision/updates/${update}/review`, { decision: 'return', comment: '重报' }))
        .status,
    ).toBe(409);
    expect((await other.get(`/api/supervision/photos/${after.json.id}`)).status).toBe(200);
    // One of three weight units done: a third; the remaining milestone is due 15 September.
    expect(ack.json.progress).toBeCloseTo(1 / 3, 10);
    expect(ack.json.status).toBe('on_track');
    expect(ack.json.outputs[0]).toMatchObject({ name: '开设课程', actual: 15 });
    expect((await other.get(`/api/supervision/projects/${projectId}`)).json.updates).toHaveLength(1);
  });

  it('flags a missed monthly update after the grace days and tells the unit once', async () => {
    t.clock.set(new Date('2023-09-05T02:00:00Z')); // 33 days after the 3 August update
    for (const c of [org]) void c;
    org = clientFor(
      t.app,
      await loginAs(
        t.app,
        (await asRole(t, 'organizer')).user.username,
        (await asRole(t, 'organizer')).user.password,
      ),
    );
    const detail = (await org.get(`/api/supervision/projects/${projectId}`)).json;
    // Still on track (the next milestone is 10 days away), but the unit owes an update.
    expect(detail).toMatchObject({ updateMissing: true, status: 'on_track' });
    const ctx = {
      db: t.database.db,
      dbKind: kind,
      actor: { kind: 'anonymous' as const },
      now: t.clock.now(),
      publicUrl: '',
      locale: 'zh-CN' as const,
    };
    expect((await applyTimeRules(ctx)).updatesMissing).toBe(1);
    expect((await applyTimeRules(ctx)).updatesMissing).toBe(0);
    const outbox = await t.database.db
      .selectFrom('nt_outbox')
      .select(['kind', 'title'])
      .where('kind', '=', 'project_update_missing')
      .execute();
    expect(outbox).toEqual([
      { kind: 'project_update_missing', title: '民生实事未按期报送进展：浙江老年开放大学永康学院' },
    ]);
    const lists = await org.get('/api/supervision/lists/export');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(lists.raw as unknown as ArrayBuffer);
    const work = wb.getWorksheet('工作清单')!;
    expect(work.getRow(2).values).toEqual([
      undefined,
      '浙江老年开放大学永康学院',
      '打造老年教育示范校',
      '开设课程 15门；招收学员 1000人',
      '市教育局',
      '市民政局',
      '副市长',
      '2023-12-31',
      '33%',
      '正常推进',
    ]);
  });
});
