// Judges, their invites (revocable, re-issuable on the spot), QR codes, printed QR sheets and the
// Excel round trip, over HTTP on SQLite and PostgreSQL.
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/platform/db/schema.ts';
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
  request,
  type TestApp,
} from '../support/http.ts';

async function xlsx(rows: (string | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('评委');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function readXlsx(buf: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.worksheets[0]?.eachRow((row) => {
    out.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v))));
  });
  return out;
}

async function insertScore(db: Kysely<DB>, f: EventFixture, judgeIndex: number) {
  await db
    .insertInto('score_entries')
    .values(
      rows.scoreEntry({
        event_id: f.eventId,
        seq: 1,
        slot_id: f.slots[1]?.id as string,
        judge_id: f.judges[judgeIndex]?.id as string,
        values: { [f.criteria[0]?.id as string]: 30 },
      }),
    )
    .execute();
}

const tokenOf = (url: string): string => new URL(url).searchParams.get('t') as string;
const HEADER_ZH = ['姓名', '职务', '评委组', '关联单位'];

describe.each(dbKinds)('judges and invites on %s', (kind) => {
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
  const judgesOf = async (eventId: string) => (await org.get(`/api/events/${eventId}`)).json.judges;
  const nonOrganizers = () => [leader, observer, reporter];

  describe('managing judges', () => {
    it('an organizer adds a judge with panel and affiliations; the judge gets a live invite at once', async () => {
      const e = await fresh();
      const res = await org.post(`/api/events/${e.eventId}/judges`, {
        name: '张建国',
        title: '市委副书记',
        panelId: e.panels[0]?.id,
        affiliatedUnitIds: [e.units[1]?.id, e.units[4]?.id],
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        name: '张建国',
        title: '市委副书记',
        panelId: e.panels[0]?.id,
        sort: e.judges.length + 1,
        inviteActive: true,
      });
      expect([...res.json.affiliatedUnitIds].sort()).toEqual([e.units[1]?.id, e.units[4]?.id].sort());
      const invites = (await org.get(`/api/events/${e.eventId}/invites`)).json;
      expect(invites.map((i: { judgeName: string }) => i.judgeName)).toContain('张建国');
      const log = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('event_id', '=', e.eventId)
        .where('action', '=', 'judge.created')
        .execute();
      expect(JSON.parse(log[0]?.after_json ?? '{}')).toMatchObject({
        name: '张建国',
        panel: e.panels[0]?.name,
      });
    });

    it('refuses bad input: unknown panel or unit, missing name, a name already used', async () => {
      const e = await fresh();
      const bad = [
        { name: '李四', panelId: f.panels[0]?.id },
        { name: '李四', panelId: e.panels[0]?.id, affiliatedUnitIds: ['nope'] },
        { name: '', panelId: e.panels[0]?.id },
        { panelId: e.panels[0]?.id },
        { name: '李四', panelId: e.panels[0]?.id, affiliatedUnitIds: 'x' },
      ];
      for (const body of bad) {
        const res = await org.post(`/api/events/${e.eventId}/judges`, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.json.code).toBe('validation_failed');
      }
      const dup = await org.post(`/api/events/${e.eventId}/judges`, {
        name: e.judges[0]?.name,
        panelId: e.panels[0]?.id,
      });
      expect(dup.status).toBe(409);
      expect(
        (await org.post('/api/events/nope/judges', { name: '王五', panelId: e.panels[0]?.id })).status,
      ).toBe(404);
    });

    it('updates name, title, panel and affiliations (recusal follows the affiliations)', async () => {
      const e = await fresh();
      const j = e.judges[0];
      const res = await org.patch(`/api/events/${e.eventId}/judges/${j?.id}`, {
        title: '人大代表',
        panelId: e.panels[1]?.id,
        affiliatedUnitIds: [e.units[2]?.id],
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        id: j?.id,
        name: j?.name,
        title: '人大代表',
        panelId: e.panels[1]?.id,
        affiliatedUnitIds: [e.units[2]?.id],
      });
      const cleared = await org.patch(`/api/events/${e.eventId}/judges/${j?.id}`, { affiliatedUnitIds: [] });
      expect(cleared.json.affiliatedUnitIds).toEqual([]);
      expect((await org.patch(`/api/events/${e.eventId}/judges/${j?.id}`, { panelId: 'nope' })).status).toBe(
        400,
      );
      expect(
        (await org.patch(`/api/events/${e.eventId}/judges/${j?.id}`, { name: e.judges[1]?.name })).status,
      ).toBe(409);
      expect((await org.patch(`/api/events/${e.eventId}/judges/nope`, { title: 'x' })).status).toBe(404);
      expect((await org.patch(`/api/events/${f.eventId}/judges/${j?.id}`, { title: 'x' })).status).toBe(404);
    });

    it('a judge who has scored keeps the panel and cannot be deleted; others can be deleted', async () => {
      const e = await fresh();
      await insertScore(db, e, 1);
      const scored = e.judges[1]?.id;
      const move = await org.patch(`/api/events/${e.eventId}/judges/${scored}`, { panelId: e.panels[1]?.id });
      expect(move.status).toBe(409);
      expect(move.json.code).toBe('conflict');
      expect(
        (await org.patch(`/api/events/${e.eventId}/judges/${scored}`, { title: '改职务可以' })).status,
      ).toBe(200);
      const del = await org.delete(`/api/events/${e.eventId}/judges/${scored}`);
      expect(del.status).toBe(409);
      expect(del.json.code).toBe('conflict');
      expect(del.json.message).toContain(e.judges[1]?.name);

      const free = e.judges[2];
      const phone = await asJudge(t, free?.token as string);
      const ok = await org.delete(`/api/events/${e.eventId}/judges/${free?.id}`);
      expect(ok.status).toBe(200);
      expect(ok.json).toEqual({ ok: true });
      expect((await judgesOf(e.eventId)).map((j: { id: string }) => j.id)).not.toContain(free?.id);
      // The deleted judge's phone is signed out and the link is dead.
      expect((await phone.get('/api/auth/me')).status).toBe(401);
      expect((await request(t.app, 'POST', '/api/judge/session', { token: free?.token })).status).toBe(401);
    });

    it('only organizers manage judges', async () => {
      const url = `/api/events/${f.eventId}/judges`;
      const body = { name: '赵六', panelId: f.panels[0]?.id };
      for (const c of nonOrganizers()) {
        expect((await c.post(url, body)).status).toBe(403);
        expect((await c.patch(`${url}/${f.judges[0]?.id}`, { title: 'x' })).status).toBe(403);
        expect((await c.delete(`${url}/${f.judges[0]?.id}`)).status).toBe(403);
      }
      const judge = await asJudge(t, f.judges[1]?.token as string);
      expect((await judge.post(url, body)).status).toBe(403);
      expect((await anon.post(url, body)).status).toBe(401);
      expect((await anon.patch(`${url}/${f.judges[0]?.id}`, { title: 'x' })).status).toBe(401);
      expect((await anon.delete(`${url}/${f.judges[0]?.id}`)).status).toBe(401);
    });
  });

  describe('invites', () => {
    it('lists one live link per judge, on the public URL', async () => {
      const e = await fresh();
      const res = await org.get(`/api/events/${e.eventId}/invites`);
      expect(res.status).toBe(200);
      expect(res.json).toHaveLength(e.judges.length);
      expect(res.json[0]).toEqual({
        judgeId: e.judges[0]?.id,
        judgeName: e.judges[0]?.name,
        url: `http://shaipin.test/judge/?t=${e.judges[0]?.token}`,
        createdAt: expect.any(String),
      });
    });

    it('re-issuing revokes the old link and signs out its phone; the new link works', async () => {
      const e = await fresh();
      const j = e.judges[3];
      const oldPhone = await asJudge(t, j?.token as string);
      expect((await oldPhone.get('/api/auth/me')).json.judge.judgeId).toBe(j?.id);

      const res = await org.post(`/api/events/${e.eventId}/judges/${j?.id}/invite`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ judgeId: j?.id, judgeName: j?.name });
      const newToken = tokenOf(res.json.url);
      expect(newToken).not.toBe(j?.token);
      expect(res.json.url.startsWith('http://shaipin.test/judge/?t=')).toBe(true);

      const old = await request(t.app, 'POST', '/api/judge/session', { token: j?.token });
      expect(old.status).toBe(401);
      expect(old.json.code).toBe('invite_invalid');
      expect((await oldPhone.get('/api/auth/me')).status).toBe(401);
      const newPhone = await asJudge(t, newToken);
      expect((await newPhone.get('/api/auth/me')).json.judge.judgeId).toBe(j?.id);

      const listed = (await org.get(`/api/events/${e.eventId}/invites`)).json.filter(
        (i: { judgeId: string }) => i.judgeId === j?.id,
      );
      expect(listed).toHaveLength(1);
      expect(tokenOf(listed[0].url)).toBe(newToken);
      const log = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('event_id', '=', e.eventId)
        .where('action', '=', 'invite.issued')
        .execute();
      expect(log).toHaveLength(1);
      expect(JSON.stringify(log)).not.toContain(newToken);
    });

    it('revoking alone stops the link and the sessions; the detail shows the judge without a live invite', async () => {
      const e = await fresh();
      const j = e.judges[4];
      const phone = await asJudge(t, j?.token as string);
      const res = await org.delete(`/api/events/${e.eventId}/judges/${j?.id}/invite`);
      expect(res.status).toBe(200);
      expect((await phone.get('/api/auth/me')).status).toBe(401);
      expect((await request(t.app, 'POST', '/api/judge/session', { token: j?.token })).json.code).toBe(
        'invite_invalid',
      );
      const judges = await judgesOf(e.eventId);
      expect(judges.find((x: { id: string }) => x.id === j?.id).inviteActive).toBe(false);
      expect((await org.get(`/api/events/${e.eventId}/invites`)).json).toHaveLength(e.judges.length - 1);
      expect((await org.get(`/api/events/${e.eventId}/invites/${j?.id}/qr.svg`)).status).toBe(404);
      // Revoking twice is harmless; an unknown judge is 404.
      expect((await org.delete(`/api/events/${e.eventId}/judges/${j?.id}/invite`)).status).toBe(200);
      expect((await org.delete(`/api/events/${e.eventId}/judges/nope/invite`)).status).toBe(404);
      expect((await org.post(`/api/events/${e.eventId}/judges/nope/invite`)).status).toBe(404);
    });

    it('serves the QR code of the live link as SVG', async () => {
      const res = await org.get(`/api/events/${f.eventId}/invites/${f.judges[0]?.id}/qr.svg`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('image/svg+xml');
      expect(res.body.startsWith('<svg')).toBe(true);
      expect(res.body).toContain('</svg>');
      expect(res.body).toContain('viewBox');
      expect((await org.get(`/api/events/${f.eventId}/invites/nope/qr.svg`)).status).toBe(404);
    });

    it('prints every judge on A4 sheets with a QR each, title, date and signature lines, no external asset', async () => {
      const e = await fresh({ judgesPerPanel: 4 });
      await org.patch(`/api/events/${e.eventId}/judges/${e.judges[0]?.id}`, { title: '市委副书记 <b>' });
      await org.delete(`/api/events/${e.eventId}/judges/${e.judges[7]?.id}/invite`);
      const res = await org.get(`/api/events/${e.eventId}/invites/print`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      const html = res.body;
      for (const j of e.judges) expect(html).toContain(j.name);
      expect(html).toContain(e.title);
      expect(html).toContain('size: A4');
      expect(html).toContain('打印日期');
      expect(html).toContain('经办人（签字）');
      expect(html).toContain('微信');
      expect(html).toContain('市委副书记 &lt;b&gt;');
      expect(html).not.toContain('市委副书记 <b>');
      // 7 live links → 7 QR codes; the revoked judge is listed with a note instead.
      expect(html.match(/<svg/g)).toHaveLength(7);
      expect(html).toContain('链接已撤销');
      // 8 cards: two pages of up to six.
      expect(html.match(/class="cards/g)).toHaveLength(2);
      expect(html).not.toMatch(/<script|<link|src="http|url\(http/i);
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    });

    it('only organizers see and manage invites', async () => {
      const base = `/api/events/${f.eventId}`;
      const j = f.judges[5]?.id;
      for (const c of nonOrganizers()) {
        expect((await c.get(`${base}/invites`)).status).toBe(403);
        expect((await c.post(`${base}/judges/${j}/invite`)).status).toBe(403);
        expect((await c.delete(`${base}/judges/${j}/invite`)).status).toBe(403);
        expect((await c.get(`${base}/invites/${j}/qr.svg`)).status).toBe(403);
        expect((await c.get(`${base}/invites/print`)).status).toBe(403);
      }
      for (const url of [`${base}/invites`, `${base}/invites/${j}/qr.svg`, `${base}/invites/print`]) {
        expect((await anon.get(url)).status).toBe(401);
      }
      expect((await anon.post(`${base}/judges/${j}/invite`)).status).toBe(401);
      expect((await anon.delete(`${base}/judges/${j}/invite`)).status).toBe(401);
    });
  });

  describe('Excel', () => {
    it('exports name, title, panel and affiliated units joined by 、; re-importing changes nothing', async () => {
      const e = await fresh();
      await org.patch(`/api/events/${e.eventId}/judges/${e.judges[0]?.id}`, {
        title: '市政协副主席',
        affiliatedUnitIds: [e.units[0]?.id, e.units[3]?.id],
      });
      const res = await org.get(`/api/events/${e.eventId}/judges/export.xlsx`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const rows = await readXlsx(res.raw);
      expect(rows[0]).toEqual(HEADER_ZH);
      expect(rows).toHaveLength(e.judges.length + 1);
      expect(rows[1]).toEqual([
        e.judges[0]?.name,
        '市政协副主席',
        e.panels[0]?.name,
        [e.units[0]?.name, e.units[3]?.name].sort().join('、'),
      ]);
      expect(rows[2]?.[3] ?? '').toBe('');

      const before = await judgesOf(e.eventId);
      const again = await org.post(`/api/events/${e.eventId}/judges/import`, res.raw);
      expect(again.status).toBe(200);
      expect(again.json).toEqual({ created: 0, updated: 0, unchanged: e.judges.length });
      expect(await judgesOf(e.eventId)).toEqual(before);
    });

    it('imports new judges (with invites) and updates existing ones by name; units by name, short name or code', async () => {
      const e = await fresh();
      const file = await xlsx([
        HEADER_ZH,
        [e.judges[1]?.name as string, '新职务', e.panels[1]?.name as string, e.units[1]?.code as string],
        ['钱七', '群众代表', e.panels[1]?.name as string, `${e.units[2]?.name}，${e.units[5]?.name}`],
        ['孙八', null, e.panels[0]?.name as string, null],
      ]);
      const res = await org.post(`/api/events/${e.eventId}/judges/import`, file);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ created: 2, updated: 1, unchanged: 0 });
      const judges = await judgesOf(e.eventId);
      const byName = new Map(judges.map((j: { name: string }) => [j.name, j]));
      expect(byName.get(e.judges[1]?.name)).toMatchObject({
        title: '新职务',
        panelId: e.panels[1]?.id,
        affiliatedUnitIds: [e.units[1]?.id],
      });
      expect(byName.get('钱七')).toMatchObject({ title: '群众代表', inviteActive: true });
      expect([...(byName.get('钱七') as { affiliatedUnitIds: string[] }).affiliatedUnitIds].sort()).toEqual(
        [e.units[2]?.id, e.units[5]?.id].sort(),
      );
      expect(byName.get('孙八')).toMatchObject({
        title: '',
        panelId: e.panels[0]?.id,
        affiliatedUnitIds: [],
      });
      // English headers are accepted too.
      const en = await xlsx([
        ['Name', 'Title', 'Panel', 'Affiliated units'],
        ['Li Lei', 'Citizen', e.panels[0]?.name as string, null],
      ]);
      expect((await org.post(`/api/events/${e.eventId}/judges/import`, en)).json).toEqual({
        created: 1,
        updated: 0,
        unchanged: 0,
      });
    });

    it('rejects the whole file with every bad row and imports nothing', async () => {
      const e = await fresh();
      const file = await xlsx([
        HEADER_ZH,
        ['周九', null, e.panels[0]?.name as string, null],
        ['吴十', null, '不存在的组', null],
        [null, '无名', e.panels[0]?.name as string, null],
        ['郑十一', null, e.panels[0]?.name as string, '不存在的单位'],
        ['周九', null, e.panels[1]?.name as string, null],
      ]);
      const res = await org.post(`/api/events/${e.eventId}/judges/import`, file);
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('import_failed');
      const errors = res.json.details.errors as { row: number; column: string; message: string }[];
      expect(errors.map((x) => x.row).sort()).toEqual([3, 4, 5, 6]);
      expect(errors.find((x) => x.row === 3)?.message).toContain('不存在的组');
      expect(errors.find((x) => x.row === 5)?.message).toContain('不存在的单位');
      expect(errors.find((x) => x.row === 6)?.message).toContain('2');
      expect(await judgesOf(e.eventId)).toHaveLength(e.judges.length);

      const noPanelColumn = await xlsx([['姓名'], ['周九']]);
      const missing = await org.post(`/api/events/${e.eventId}/judges/import`, noPanelColumn);
      expect(missing.json.code).toBe('import_failed');
      expect(missing.json.details.errors[0]).toMatchObject({ row: 1, column: '评委组' });
      const notExcel = await org.post(`/api/events/${e.eventId}/judges/import`, Buffer.from('name,panel\n'));
      expect(notExcel.status).toBe(415);
    });

    it('refuses a panel change for a judge who has scored, in the import too', async () => {
      const e = await fresh();
      await insertScore(db, e, 0);
      const file = await xlsx([
        HEADER_ZH,
        [e.judges[0]?.name as string, null, e.panels[1]?.name as string, e.units[0]?.name as string],
      ]);
      const res = await org.post(`/api/events/${e.eventId}/judges/import`, file);
      expect(res.json.code).toBe('import_failed');
      expect(res.json.details.errors[0]).toMatchObject({ row: 2, column: '评委组' });
    });

    it('only organizers export and import judges', async () => {
      const file = await xlsx([HEADER_ZH]);
      for (const c of nonOrganizers()) {
        expect((await c.get(`/api/events/${f.eventId}/judges/export.xlsx`)).status).toBe(403);
        expect((await c.post(`/api/events/${f.eventId}/judges/import`, file)).status).toBe(403);
      }
      expect((await anon.get(`/api/events/${f.eventId}/judges/export.xlsx`)).status).toBe(401);
      expect((await anon.post(`/api/events/${f.eventId}/judges/import`, file)).status).toBe(401);
    });
  });
});
