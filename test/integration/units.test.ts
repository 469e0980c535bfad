import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../support/db.ts';
import { anonymous, asRole, createTestApp, type RoleClient, type TestApp } from '../support/http.ts';

/** An .xlsx with one sheet: a header row, then the rows as given (null = empty cell). */
async function xlsx(rows: (string | number | null)[][], sheetName = '单位'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function readXlsx(buf: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const out: string[][] = [];
  ws.eachRow((row) => {
    const values = row.values as unknown[];
    out.push(values.slice(1).map((v) => (v === null || v === undefined ? '' : String(v))));
  });
  return out;
}

const HEADER_ZH = ['编码', '名称', '简称', '类型', '组别'];

interface Unit {
  id: string;
  code: string;
  name: string;
  shortName: string;
  kind: string;
  trackId: string | null;
}

describe.each(dbKinds)('tracks and units on %s', (kind) => {
  let t: TestApp;
  let org: RoleClient;

  beforeAll(async () => {
    t = await createTestApp(kind);
    org = await asRole(t, 'organizer');
  });
  afterAll(async () => {
    await t?.close();
  });

  const units = async (): Promise<Unit[]> => (await org.get('/api/units')).json;

  describe('tracks', () => {
    it('an organizer creates, lists and renames tracks', async () => {
      const a = await org.post('/api/tracks', { nameZh: '镇街组', nameEn: 'Towns and streets', sort: 1 });
      expect(a.status).toBe(200);
      expect(a.json).toEqual({
        id: expect.any(String),
        nameZh: '镇街组',
        nameEn: 'Towns and streets',
        sort: 1,
      });
      const b = await org.post('/api/tracks', { nameZh: '部门组' });
      expect(b.json).toMatchObject({ nameZh: '部门组', nameEn: '', sort: 0 });

      const list = await org.get('/api/tracks');
      expect(list.json.map((x: { nameZh: string }) => x.nameZh)).toEqual(['部门组', '镇街组']);

      const renamed = await org.patch(`/api/tracks/${b.json.id}`, { nameZh: '部门单位组', sort: 2 });
      expect(renamed.status).toBe(200);
      expect(renamed.json).toEqual({ id: b.json.id, nameZh: '部门单位组', nameEn: '', sort: 2 });
      expect((await org.get('/api/tracks')).json.map((x: { nameZh: string }) => x.nameZh)).toEqual([
        '镇街组',
        '部门单位组',
      ]);
    });

    it('a partial update changes only the fields it names', async () => {
      const tr = (await org.post('/api/tracks', { nameZh: '临时组', nameEn: 'Temporary', sort: 7 })).json;
      const res = await org.patch(`/api/tracks/${tr.id}`, { nameZh: '临时组（改）' });
      expect(res.json).toEqual({ id: tr.id, nameZh: '临时组（改）', nameEn: 'Temporary', sort: 7 });
      const stored = (await org.get('/api/tracks')).json.find((x: { id: string }) => x.id === tr.id);
      expect(stored).toEqual({ id: tr.id, nameZh: '临时组（改）', nameEn: 'Temporary', sort: 7 });
    });

    it('refuses a duplicate track name and unknown tracks', async () => {
      const dup = await org.post('/api/tracks', { nameZh: '镇街组' });
      expect(dup.status).toBe(409);
      expect(dup.json).toMatchObject({
        code: 'already_taken',
        message: '中文名称「镇街组」已被使用，请换一个',
        details: { field: 'nameZh' },
      });
      const other = (await org.post('/api/tracks', { nameZh: '另一组' })).json;
      const renameOnto = await org.patch(`/api/tracks/${other.id}`, { nameZh: '镇街组' });
      expect(renameOnto.status).toBe(409);
      expect(renameOnto.json.code).toBe('already_taken');
      const missing = await org.patch('/api/tracks/no-such-track', { nameZh: 'x' });
      expect(missing.status).toBe(404);
      expect(missing.json.code).toBe('not_found');
    });

    it('everyone signed in reads tracks; only organizers write them', async () => {
      const leader = await asRole(t, 'leader');
      expect((await leader.get('/api/tracks')).status).toBe(200);
      const write = await leader.post('/api/tracks', { nameZh: '领导组' });
      expect(write.status).toBe(403);
      expect(write.json.code).toBe('forbidden');
      expect((await anonymous(t).get('/api/tracks')).status).toBe(401);
      expect((await org.get('/api/tracks')).json.some((x: { nameZh: string }) => x.nameZh === '领导组')).toBe(
        false,
      );
    });
  });

  describe('units', () => {
    it('an organizer creates, updates and deletes a unit; every change is audited', async () => {
      const track = (await org.post('/api/tracks', { nameZh: '开发区组' })).json;
      const created = await org.post('/api/units', {
        code: 'K01',
        name: '经济开发区',
        kind: 'zone',
        trackId: track.id,
        sort: 3,
      });
      expect(created.status).toBe(200);
      expect(created.json).toEqual({
        id: expect.any(String),
        code: 'K01',
        name: '经济开发区',
        shortName: '经济开发区',
        kind: 'zone',
        trackId: track.id,
        sort: 3,
      });
      const id = created.json.id;

      const updated = await org.patch(`/api/units/${id}`, { shortName: '开发区', name: '永康经济开发区' });
      expect(updated.status).toBe(200);
      expect(updated.json).toMatchObject({
        id,
        code: 'K01',
        name: '永康经济开发区',
        shortName: '开发区',
        trackId: track.id,
      });
      // Fields left out of the patch keep their values.
      expect((await units()).find((u) => u.id === id)).toEqual({ ...updated.json, sort: 3 });
      const resorted = await org.patch(`/api/units/${id}`, { sort: 9 });
      expect(resorted.json).toEqual({ ...updated.json, sort: 9 });
      const untracked = await org.patch(`/api/units/${id}`, { trackId: null });
      expect(untracked.json).toEqual({ ...updated.json, sort: 9, trackId: null });

      const deleted = await org.delete(`/api/units/${id}`);
      expect(deleted.status).toBe(200);
      expect(deleted.json).toEqual({ ok: true });
      expect((await units()).some((u) => u.id === id)).toBe(false);
      expect((await org.delete(`/api/units/${id}`)).status).toBe(404);

      const audit = await t.database.db
        .selectFrom('audit_log')
        .select(['action', 'actor_name'])
        .where('action', 'in', ['unit.created', 'unit.updated', 'unit.deleted'])
        .execute();
      expect(audit.map((a) => a.action).sort()).toEqual([
        'unit.created',
        'unit.deleted',
        'unit.updated',
        'unit.updated',
        'unit.updated',
      ]);
    });

    it('refuses duplicate codes and names, on create and on update', async () => {
      await org.post('/api/units', { code: 'D01', name: '东城街道', kind: 'street' });
      const other = (await org.post('/api/units', { code: 'D02', name: '西城街道', kind: 'street' })).json;
      const sameCode = await org.post('/api/units', { code: 'D01', name: '另一个', kind: 'street' });
      expect(sameCode.status).toBe(409);
      // Which field and why, so the form can show it there (and in the caller's language).
      expect(sameCode.json).toMatchObject({
        code: 'already_taken',
        message: '编码「D01」已被使用，请换一个',
        details: { field: 'code' },
      });
      const sameName = await org.post('/api/units', { code: 'D99', name: '东城街道', kind: 'street' });
      expect(sameName.status).toBe(409);
      expect(sameName.json.details).toEqual({ field: 'name' });
      const inEnglish = await org.post(
        '/api/units',
        { code: 'D01', name: '另一个', kind: 'street' },
        { headers: { 'accept-language': 'en-US' } },
      );
      expect(inEnglish.json.message).toBe('Code “D01” is already in use: choose another');
      const renameOnto = await org.patch(`/api/units/${other.id}`, { code: 'D01' });
      expect(renameOnto.status).toBe(409);
      expect((await units()).find((u) => u.id === other.id)?.code).toBe('D02');
    });

    it('rejects a unit with a bad kind, an unknown track or missing fields', async () => {
      for (const body of [
        { code: 'B1', name: '坏类型', kind: 'village' },
        { code: '', name: '无编码', kind: 'town' },
        { code: 'B3', kind: 'town' },
      ]) {
        const res = await org.post('/api/units', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.json.code).toBe('validation_failed');
      }
      const noTrack = await org.post('/api/units', {
        code: 'B4',
        name: '无组别',
        kind: 'town',
        trackId: 'nope',
      });
      expect(noTrack.status).toBe(404);
    });

    it('a unit that an account is bound to cannot be deleted', async () => {
      const unit = (await org.post('/api/units', { code: 'R01', name: '有联络员的镇', kind: 'town' })).json;
      await asRole(t, 'reporter', unit.id);
      const res = await org.delete(`/api/units/${unit.id}`);
      expect(res.status).toBe(409);
      expect(res.json).toMatchObject({
        code: 'in_use',
        message: '「有联络员的镇」仍在使用中（有账号属于该单位），不能删除',
      });
      expect((await units()).some((u) => u.id === unit.id)).toBe(true);
    });

    it('readers see units; only organizers change them; strangers see nothing', async () => {
      const some = (await units())[0]!;
      for (const role of ['leader', 'observer'] as const) {
        const c = await asRole(t, role);
        expect((await c.get('/api/units')).status).toBe(200);
        const attempts = [
          await c.post('/api/units', { code: 'X1', name: '越权', kind: 'town' }),
          await c.patch(`/api/units/${some.id}`, { name: '越权' }),
          await c.delete(`/api/units/${some.id}`),
          await c.post('/api/units/import', await xlsx([HEADER_ZH, ['X1', '越权', '', '镇', '镇街组']])),
        ];
        for (const res of attempts) {
          expect(res.status).toBe(403);
          expect(res.json.code).toBe('forbidden');
        }
      }
      const reporter = await asRole(t, 'reporter', some.id);
      expect((await reporter.get('/api/units')).status).toBe(200);
      expect((await reporter.post('/api/units', { code: 'X2', name: '越权2', kind: 'town' })).status).toBe(
        403,
      );
      expect((await reporter.get('/api/units/export.xlsx')).status).toBe(403);
      const anon = anonymous(t);
      expect((await anon.get('/api/units')).status).toBe(401);
      expect((await anon.get('/api/units/export.xlsx')).status).toBe(401);
      expect((await units()).find((u) => u.id === some.id)?.name).toBe(some.name);
    });
  });
});

describe.each(dbKinds)('units Excel import and export on %s', (kind) => {
  let t: TestApp;
  let org: RoleClient;

  beforeAll(async () => {
    t = await createTestApp(kind);
    org = await asRole(t, 'organizer');
  });
  afterAll(async () => {
    await t?.close();
  });

  const units = async (): Promise<Unit[]> => (await org.get('/api/units')).json;

  it('imports a sheet: creates the units and the tracks they name', async () => {
    const file = await xlsx([
      HEADER_ZH,
      ['T01', '石柱镇', '石柱', '镇', '镇街组'],
      ['T02', '东城街道', '', '街道', '镇街组'],
      [null, '经济开发区', '开发区', '区', '镇街组'],
      ['B01', '市教育局', '教育局', '部门', '部门组'],
    ]);
    const res = await org.post('/api/units/import', file);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ created: 4, updated: 0, unchanged: 0 });

    const tracks: { id: string; nameZh: string }[] = (await org.get('/api/tracks')).json;
    expect(tracks.map((x) => x.nameZh).sort()).toEqual(['部门组', '镇街组'].sort());
    const trackId = (name: string) => tracks.find((x) => x.nameZh === name)?.id;
    const list = await units();
    expect(list).toHaveLength(4);
    expect(list.find((u) => u.code === 'T01')).toMatchObject({
      name: '石柱镇',
      shortName: '石柱',
      kind: 'town',
      trackId: trackId('镇街组'),
    });
    // Short name defaults to the name; a missing code gets a generated, unique one.
    expect(list.find((u) => u.code === 'T02')).toMatchObject({
      name: '东城街道',
      shortName: '东城街道',
      kind: 'street',
    });
    const zone = list.find((u) => u.name === '经济开发区');
    expect(zone?.code).toMatch(/^U\d{3}$/);
    expect(new Set(list.map((u) => u.code)).size).toBe(4);
    expect(list.find((u) => u.code === 'B01')).toMatchObject({
      kind: 'department',
      trackId: trackId('部门组'),
    });

    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'unit.imported')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('re-importing an export changes nothing, in either language', async () => {
    const before = await units();
    for (const lang of ['zh-CN', 'en-US']) {
      const exported = await org.get('/api/units/export.xlsx', { lang });
      expect(exported.status).toBe(200);
      expect(exported.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(String(exported.headers['content-disposition'])).toContain('attachment');
      const rows = await readXlsx(exported.raw);
      expect(rows[0]).toEqual(lang === 'zh-CN' ? HEADER_ZH : ['Code', 'Name', 'Short name', 'Kind', 'Track']);
      expect(rows).toHaveLength(before.length + 1);

      const again = await org.post('/api/units/import', exported.raw, { lang });
      expect(again.status).toBe(200);
      expect(again.json).toEqual({ created: 0, updated: 0, unchanged: before.length });
    }
    expect(await units()).toEqual(before);
  });

  it('updates units matched by code and reports what changed', async () => {
    const res = await org.post(
      '/api/units/import',
      await xlsx([
        HEADER_ZH,
        ['T01', '石柱镇', '石柱镇简称', '镇', '镇街组'],
        ['T02', '东城街道', '', '街道', '镇街组'],
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ created: 0, updated: 1, unchanged: 1 });
    expect((await units()).find((u) => u.code === 'T01')?.shortName).toBe('石柱镇简称');
  });

  it('a file with bad rows reports every bad row (row, column, reason) and imports nothing', async () => {
    const before = await units();
    const tracksBefore = (await org.get('/api/tracks')).json;
    const file = await xlsx([
      HEADER_ZH,
      ['N01', '新镇甲', '', '镇', '新组别'], // fine on its own, but the file is rejected as a whole
      ['N02', '', '', '镇', '镇街组'], // no name
      ['N03', '新镇丙', '', '村', '镇街组'], // unknown kind
      ['N04', '新镇丁', '', '镇', ''], // no track
      ['N01', '新镇戊', '', '镇', '镇街组'], // duplicates row 2's code
      ['N06', '石柱镇', '', '镇', '镇街组'], // name already taken by T01
    ]);
    const res = await org.post('/api/units/import', file);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('import_failed');
    expect(res.json.message).toBe('导入失败：共 5 行有误，未导入任何数据');
    const errors: { row: number; column: string; message: string }[] = res.json.details.errors;
    expect(errors).toEqual([
      { row: 3, column: '名称', message: '必填' },
      { row: 4, column: '类型', message: '类型应为：镇、街道、区、部门' },
      { row: 5, column: '组别', message: '必填' },
      { row: 6, column: '编码', message: '与第 2 行重复' },
      { row: 7, column: '名称', message: '名称已被编码为 T01 的单位使用' },
    ]);
    expect(await units()).toEqual(before);
    expect((await org.get('/api/tracks')).json).toEqual(tracksBefore);

    const en = await org.post('/api/units/import', file, { lang: 'en-US' });
    expect(en.json.message).toBe('Import failed: 5 rows have errors; nothing was imported');
    expect(en.json.details.errors[0]).toEqual({ row: 3, column: 'Name', message: 'Required' });
  });

  it('a sheet without the required columns says which ones are missing', async () => {
    const res = await org.post(
      '/api/units/import',
      await xlsx([
        ['编码', '名称'],
        ['Z01', '某镇'],
      ]),
    );
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('import_failed');
    expect(res.json.details.errors).toEqual([
      { row: 1, column: '类型', message: '缺少列「类型」' },
      { row: 1, column: '组别', message: '缺少列「组别」' },
    ]);
  });

  it('refuses a file that is not an .xlsx with 415 file_type_invalid', async () => {
    const before = await units();
    const notXlsx = [
      Buffer.from('编码,名称,类型,组别\nC1,某镇,镇,镇街组\n', 'utf8'), // a CSV renamed .xlsx
      Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n', 'latin1'),
      // A ZIP that is not a workbook.
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 7)]),
    ];
    for (const body of notXlsx) {
      const res = await org.post('/api/units/import', body);
      expect(res.status).toBe(415);
      expect(res.json.code).toBe('file_type_invalid');
      expect(res.json.message).toContain('Excel');
    }
    const octet = await org.post('/api/units/import', Buffer.from('hello'), {
      contentType: 'application/octet-stream',
    });
    expect(octet.status).toBe(415);
    const text = await org.post('/api/units/import', Buffer.from('hello'), { contentType: 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.json.code).toBe('file_type_invalid');
    expect(await units()).toEqual(before);
  });

  it('refuses a file over 10 MB with 413 file_too_large', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x41);
    big.writeUInt32LE(0x04034b50, 0);
    const res = await org.post('/api/units/import', big);
    expect(res.status).toBe(413);
    expect(res.json.code).toBe('file_too_large');
    expect(res.json.message).toBe('文件过大（上限 10 MB）');
  });

  it('an empty upload is refused, not read as an empty sheet', async () => {
    const res = await org.post('/api/units/import', Buffer.alloc(0));
    expect(res.status).toBe(415);
    expect(res.json.code).toBe('file_type_invalid');
  });
});
