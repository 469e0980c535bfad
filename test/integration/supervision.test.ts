// Supervision over HTTP, on SQLite and PostgreSQL: a visit's instruction becomes a task for a unit and
// a co-unit; the task travels accept → submit → return → submit → verify, refused to the wrong unit and
// the wrong role at each step; evidence photos are flagged (no capture data, taken before the task,
// reused); the robots of the groups receive each notice once, signed as the services check it and
// within their rate limit; the time rules light, chase and escalate an overdue task on a controlled
// clock, once per window and once per cause.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue } from '../../src/modules/notifications/index.ts';
import { tickTimeRules } from '../../src/modules/supervision/index.ts';
import type { Ctx } from '../../src/platform/context.ts';
import { dbKinds } from '../support/db.ts';
import { rows, TEST_LINK_KEY } from '../support/factory.ts';
import {
  asRole,
  type Client,
  clientFor,
  createTestApp,
  loginAs,
  type RoleClient,
  type TestApp,
} from '../support/http.ts';
import {
  dingtalkUrl,
  feishuUrl,
  ROBOT_SECRET,
  type RobotServer,
  startRobotServer,
  wecomUrl,
} from '../support/robot.ts';

/** The unit's robot token: its last four characters are all the console shows of it. */
const TOKEN_A = 'a1b2c3d4e5f6a7b8unitA';

/** A photo whose picture is decided by `seed` (bars of different widths and places), with EXIF when dated. */
const jpeg = (seed: number, exifDate?: string, width = 160) => {
  const bars = Array.from({ length: 6 }, (_, i) => {
    const x = ((seed * 37 + i * 53) % 150) + 5;
    const w = ((seed * 11 + i * 7) % 20) + 4;
    return `<rect x="${x}" y="0" width="${w}" height="120" fill="#${((seed * 2654435761 + i * 40503) >>> 8).toString(16).padStart(6, '0').slice(0, 6)}"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="120"><rect width="160" height="120" fill="#eee"/>${bars}</svg>`;
  return sharp(Buffer.from(svg))
    .resize(width)
    .jpeg()
    .withExif(
      exifDate
        ? {
            IFD2: { DateTimeOriginal: exifDate },
            // Yongkang, 28°53′24″N 120°2′30″E, as a phone writes it.
            IFD3: {
              GPSLatitudeRef: 'N',
              GPSLatitude: '28/1 53/1 2400/100',
              GPSLongitudeRef: 'E',
              GPSLongitude: '120/1 2/1 3000/100',
            },
          }
        : {},
    )
    .toBuffer();
};

describe.each(dbKinds)('supervision on %s', (kind) => {
  let t: TestApp;
  let robot: RobotServer;
  let org: Client;
  let repA: Client;
  let repB: Client;
  let leader: RoleClient;
  let otherLeader: Client;
  let observer: Client;
  const accounts: { set: (c: Client) => void; user: { username: string; password: string } }[] = [];
  /** Sessions last 12 hours: after the clock jumps days ahead, everyone signs in again. */
  const signInAgain = async () => {
    for (const a of accounts) a.set(clientFor(t.app, await loginAs(t.app, a.user.username, a.user.password)));
  };
  const units: { id: string; name: string }[] = [];
  const deliver = () =>
    deliverDue({
      db: t.database.db,
      dbKind: kind,
      now: t.clock.now,
      linkKey: TEST_LINK_KEY,
      leaseMs: 30_000,
      publicUrl: 'http://shaipin.test',
    });
  const ctx = (): Ctx => ({
    db: t.database.db,
    dbKind: kind,
    actor: { kind: 'anonymous' },
    now: t.clock.now(),
    publicUrl: 'http://shaipin.test',
    locale: 'zh-CN',
  });
  const channel = (o: Record<string, unknown>) => ({
    mutedKinds: [],
    quietFrom: null,
    quietTo: null,
    digest: false,
    enabled: true,
    unitId: null,
    ...o,
  });

  beforeAll(async () => {
    t = await createTestApp(kind);
    t.clock.set(new Date('2023-08-03T02:00:00Z')); // 10:00 in Yongkang, the day of the mayor's visit
    t.clock.freeze();
    robot = await startRobotServer();
    robot.setClock(() => t.clock.now().getTime());
    for (const name of ['市交通运输局', '西城街道']) {
      const u = rows.unit({ track_id: null, name });
      await t.database.db.insertInto('units').values(u).execute();
      units.push({ id: u.id, name });
    }
    org = await asRole(t, 'organizer');
    repA = await asRole(t, 'reporter', units[0]!.id);
    repB = await asRole(t, 'reporter', units[1]!.id);
    leader = await asRole(t, 'leader');
    otherLeader = await asRole(t, 'leader', 'another');
    observer = await asRole(t, 'observer');
    const orgUser = (await asRole(t, 'organizer')).user;
    const leaderUser = leader.user;
    accounts.push(
      { set: (c) => (org = c), user: orgUser },
      { set: (c) => (repA = c), user: (await asRole(t, 'reporter', units[0]!.id)).user },
      { set: (c) => (leader = { ...c, user: leaderUser }), user: leaderUser },
    );
    const ok = async (p: Promise<{ status: number; body: string }>) =>
      expect((await p).status, (await p).body).toBe(200);
    await ok(
      org.post(
        '/api/notifications/channels',
        channel({
          name: '交通局群',
          kind: 'dingtalk',
          audience: 'unit',
          unitId: units[0]!.id,
          webhook: dingtalkUrl(robot.url, TOKEN_A),
          secret: ROBOT_SECRET,
        }),
      ),
    );
    await ok(
      org.post(
        '/api/notifications/channels',
        channel({
          name: '西城街道群',
          kind: 'feishu',
          audience: 'unit',
          unitId: units[1]!.id,
          webhook: feishuUrl(robot.url, 'hookB'),
          secret: ROBOT_SECRET,
        }),
      ),
    );
    await ok(
      org.post(
        '/api/notifications/channels',
        channel({
          name: '督查室群',
          kind: 'wecom',
          audience: 'office',
          webhook: wecomUrl(robot.url, 'office'),
        }),
      ),
    );
    await ok(
      org.post(
        '/api/notifications/channels',
        channel({
          name: '领导群',
          kind: 'dingtalk',
          audience: 'leaders',
          webhook: dingtalkUrl(robot.url, 'leaders'),
          secret: ROBOT_SECRET,
        }),
      ),
    );
  }, 60_000);
  afterAll(async () => {
    await robot?.close();
    await t?.close();
  });

  it('keeps robot addresses and secrets sealed: never shown again, never in the audit log', async () => {
    const list = await org.get('/api/notifications/channels');
    expect(list.status).toBe(200);
    expect(list.json).toHaveLength(4);
    expect(list.body).not.toContain(TOKEN_A);
    expect(list.body).not.toContain(ROBOT_SECRET);
    expect(list.json[0]).toMatchObject({
      webhookHint: `127.0.0.1:${new URL(robot.url).port} …nitA`,
      signed: true,
    });
    const stored = await t.database.db.selectFrom('nt_channels').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(ROBOT_SECRET);
    const log = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'like', 'channel.%')
      .execute();
    expect(log.length).toBe(4);
    expect(JSON.stringify(log)).not.toContain(ROBOT_SECRET);
    expect(JSON.stringify(log)).not.toContain(TOKEN_A);
    expect((await repA.get('/api/notifications/channels')).status).toBe(403);
    const bad = await org.post(
      '/api/notifications/channels',
      channel({ name: 'x', kind: 'wecom', audience: 'office', webhook: 'javascript:alert(1)' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('webhook_invalid');
    // A webhook is a request the server makes: only the services' own hosts over HTTPS, or configured ones.
    for (const webhook of [
      'http://169.254.169.254/latest/meta-data',
      'https://10.0.0.8/robot/send?access_token=x',
      'http://oapi.dingtalk.com/robot/send?access_token=x',
      'https://oapi.dingtalk.com.evil.example/robot/send?access_token=x',
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x',
    ]) {
      const refused = await org.post(
        '/api/notifications/channels',
        channel({ name: 'x', kind: 'dingtalk', audience: 'office', webhook }),
      );
      expect(refused.json.code, webhook).toBe('webhook_invalid');
    }
    const official = await org.post(
      '/api/notifications/channels',
      channel({
        name: '钉钉',
        kind: 'dingtalk',
        audience: 'office',
        webhook: 'https://oapi.dingtalk.com/robot/send?access_token=abcd1234',
        enabled: false,
      }),
    );
    expect(official.status).toBe(200);
    expect((await org.delete(`/api/notifications/channels/${official.json.id}`)).status).toBe(200);
  });

  let taskId = '';
  let subtaskId = '';

  it('turns a visit instruction into a task for the lead unit and a sub-task for the co-unit', async () => {
    const visit = await org.post('/api/supervision/visits', {
      title: '市长督查民生实事',
      visitDate: '2023-08-03',
      leaderUserId: leader.user.id,
      leaderName: '市长',
      companions: '分管副市长',
      sites: '东塔路',
      findings: '东塔路沥青摊铺进度偏慢',
      instructions: [{ text: '东塔路8月底前完成沥青摊铺并通车' }],
    });
    expect(visit.status, visit.body).toBe(200);
    const instruction = visit.json.instructions[0];
    const body = {
      title: '东塔路8月底前通车',
      standard: '沥青摊铺完成，道路通车',
      sourceKind: 'instruction',
      sourceText: '',
      instructionId: instruction.id,
      unitId: units[0]!.id,
      coUnitIds: [units[1]!.id],
      issuerUserId: leader.user.id,
      deadline: '2023-08-31',
      urgency: 'urgent',
    };
    expect((await repA.post('/api/supervision/tasks', body)).status).toBe(403);
    expect((await leader.post('/api/supervision/tasks', body)).status).toBe(403);
    const res = await org.post('/api/supervision/tasks', body);
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({
      state: 'issued',
      sourceText: '东塔路8月底前完成沥青摊铺并通车',
      light: 'green',
    });
    expect(res.json.subtasks).toHaveLength(1);
    taskId = res.json.id;
    subtaskId = res.json.subtasks[0].id;
    const briefing = await org.get(`/api/supervision/visits/${visit.json.id}`);
    expect(briefing.json.instructions[0].tasks.map((x: { id: string }) => x.id)).toEqual([taskId]);
    // The unit sees it in its inbox, to accept; another unit does not see it at all.
    const inboxA = await repA.get('/api/supervision/inbox');
    expect(inboxA.json.items).toEqual([expect.objectContaining({ kind: 'task_accept', id: taskId })]);
    expect((await repB.get(`/api/supervision/tasks/${taskId}`)).status).toBe(403);
    expect((await repB.get('/api/supervision/tasks')).json.map((x: { id: string }) => x.id)).toEqual([
      subtaskId,
    ]);
  });

  it('refuses every step to the wrong unit and the wrong role, and lets the unit accept', async () => {
    const step = (c: Client, action: string, extra: object = {}) => {
      t.clock.advance(1_000);
      return c.post(`/api/supervision/tasks/${taskId}/steps`, { action, ...extra });
    };
    expect((await step(repB, 'accept')).status).toBe(403);
    expect((await step(observer, 'accept')).status).toBe(403);
    expect((await step(org, 'accept')).status).toBe(403);
    expect((await step(repA, 'verify')).status).toBe(409); // not submitted yet: the step does not exist here
    const accepted = await step(repA, 'accept', { clientKey: 'accept-key-1' });
    expect(accepted.status, accepted.body).toBe(200);
    expect(accepted.json.state).toBe('accepted');
    // The same request again (a retry after a lost answer) is taken once.
    const again = await step(repA, 'accept', { clientKey: 'accept-key-1' });
    expect(again.status).toBe(200);
    expect(again.json.steps.filter((s: { action: string }) => s.action === 'accept')).toHaveLength(1);
    expect((await step(repA, 'accept')).json.code).toBe('task_state_conflict');
  });

  let photoId = '';

  it('flags evidence photos: no capture data, taken before the task began, reused', async () => {
    const url = `/api/supervision/tasks/${taskId}/photos`;
    const fresh = await repA.post(url, await jpeg(1, '2023:08:20 09:30:00'), { contentType: 'image/jpeg' });
    expect(fresh.status, fresh.body).toBe(200);
    expect(fresh.json).toMatchObject({ takenAt: '2023-08-20T01:30:00.000Z', flags: [] });
    expect(fresh.json.latitude).toBeCloseTo(28.89, 4);
    expect(fresh.json.longitude).toBeCloseTo(120.0417, 4);
    // The stored picture keeps none of it: no GPS position leaves in a download.
    const stored = await org.get(`/api/supervision/photos/${fresh.json.id}`);
    expect((await sharp(stored.raw).metadata()).exif).toBeUndefined();
    photoId = fresh.json.id;
    const old = await repA.post(url, await jpeg(2, '2022:05:01 09:30:00'), { contentType: 'image/jpeg' });
    expect(old.json.flags).toEqual(['taken_before_start']);
    const bare = await repA.post(url, await jpeg(3), { contentType: 'image/jpeg' });
    expect(bare.json.flags).toEqual(['no_capture_data']);
    // The first photo again, re-encoded larger: the same picture.
    const reused = await repA.post(url, await jpeg(1, '2023:08:21 09:30:00', 320), {
      contentType: 'image/jpeg',
    });
    expect(reused.json.flags).toEqual(['reused']);
    expect(reused.json.sameAsId).toBe(photoId);
    expect((await repB.post(url, await jpeg(4), { contentType: 'image/jpeg' })).status).toBe(403);
    expect((await repA.post(url, Buffer.from('not an image'), { contentType: 'image/jpeg' })).status).toBe(
      415,
    );
    expect((await repB.get(`/api/supervision/photos/${photoId}`)).status).toBe(403);
    expect((await org.get(`/api/supervision/photos/${photoId}`)).status).toBe(200);
  });

  it('goes submit → return (with a reason) → submit → verify by the issuer, never by the unit', async () => {
    const step = (c: Client, action: string, extra: object = {}) => {
      t.clock.advance(1_000);
      return c.post(`/api/supervision/tasks/${taskId}/steps`, { action, ...extra });
    };
    const submitted = await step(repA, 'submit', { opinion: '沥青摊铺已完成', photoIds: [photoId] });
    expect(submitted.status, submitted.body).toBe(200);
    expect(
      (await org.get('/api/supervision/inbox')).json.items.map((i: { kind: string }) => i.kind),
    ).toContain('task_verify');
    expect(
      (await leader.get('/api/supervision/inbox')).json.items.map((i: { id: string }) => i.id),
    ).toContain(taskId);
    expect((await otherLeader.get('/api/supervision/inbox')).json.items).toEqual([]);
    expect((await step(repA, 'verify')).status).toBe(403);
    expect((await step(otherLeader, 'verify')).status).toBe(403);
    expect((await step(org, 'return')).json.code).toBe('reason_required');
    expect((await step(org, 'return', { opinion: '缺少通车照片' })).json).toMatchObject({
      state: 'in_progress',
      returns: 1,
    });
    expect((await repA.get('/api/supervision/inbox')).json.items[0]).toMatchObject({
      kind: 'task_returned',
      id: taskId,
    });
    expect((await step(repA, 'submit', { opinion: '已通车，补充照片' })).status).toBe(200);
    const blocked = await step(leader, 'verify', { opinion: '同意销号' });
    expect(blocked.status).toBe(409);
    expect(blocked.json.code).toBe('subtasks_open');
    const sub = (c: Client, action: string, extra: object = {}) => {
      t.clock.advance(1_000);
      return c.post(`/api/supervision/tasks/${subtaskId}/steps`, { action, ...extra });
    };
    expect((await sub(repA, 'accept')).status).toBe(403);
    expect((await sub(repB, 'accept')).status).toBe(200);
    expect((await sub(repB, 'submit', { opinion: '配合完成交通疏导' })).status).toBe(200);
    expect((await sub(org, 'verify')).json.state).toBe('closed');
    const closed = await step(leader, 'verify', { opinion: '同意销号' });
    expect(closed.status, closed.body).toBe(200);
    expect(closed.json.state).toBe('closed');
    expect(closed.json.actions).toEqual([]);
    expect(closed.json.steps.map((s: { action: string }) => s.action)).toEqual([
      'issue',
      'accept',
      'submit',
      'return',
      'submit',
      'verify',
    ]);
  });

  it('delivers each notice once to the groups concerned, signed, with a link back', async () => {
    const pass = await deliver();
    expect(pass.failed + pass.retrying).toBe(0);
    expect(robot.refusals).toEqual([]);
    const to = (r: string) => robot.messages.filter((m) => m.robot === r).map((m) => m.title);
    expect(to(TOKEN_A)).toEqual([
      '新督办事项：东塔路8月底前通车',
      '督办事项被退回：东塔路8月底前通车',
      '督办事项已销号：东塔路8月底前通车',
    ]);
    expect(to('hookB')).toEqual(['新督办事项：东塔路8月底前通车', '督办事项已销号：东塔路8月底前通车']);
    expect(robot.messages.filter((m) => m.robot === 'office')).toHaveLength(3); // submitted twice + the sub-task's answer
    expect(robot.messages.find((m) => m.robot === TOKEN_A)?.text).toContain(
      `http://shaipin.test/supervision/tasks/${taskId}`,
    );
    const before = robot.messages.length;
    expect((await deliver()).sent).toBe(0);
    expect(robot.messages.length).toBe(before);
    const log = await org.get('/api/notifications/deliveries');
    expect(log.json.every((d: { state: string }) => d.state === 'sent')).toBe(true);
  });

  it('lights, chases and escalates an overdue task on the clock, once per cause', async () => {
    const res = await org.post('/api/supervision/tasks', {
      title: '新增托育机构备案',
      standard: '完成备案',
      sourceKind: 'meeting',
      sourceText: '专题会议',
      unitId: units[0]!.id,
      issuerUserId: leader.user.id,
      deadline: '2023-08-10',
    });
    const id = res.json.id;
    await deliver();
    const sentBefore = robot.messages.length;
    t.clock.set(new Date('2023-08-08T01:00:00Z')); // two days before
    await signInAgain();
    expect((await org.get(`/api/supervision/tasks/${id}`)).json.light).toBe('yellow');
    expect(await tickTimeRules(ctx())).toMatchObject({ dueSoon: 1, overdue: 0, escalated: 0 });
    expect(await tickTimeRules(ctx())).toBeNull(); // the same window: another process would skip it too
    t.clock.advance(120_000);
    expect(await tickTimeRules(ctx())).toMatchObject({ dueSoon: 0 }); // told once per deadline
    t.clock.set(new Date('2023-08-11T01:00:00Z'));
    await signInAgain();
    expect((await org.get(`/api/supervision/tasks/${id}`)).json.light).toBe('red');
    expect(await tickTimeRules(ctx())).toMatchObject({ overdue: 1, escalated: 0 });
    t.clock.set(new Date('2023-08-12T03:00:00Z')); // 11:00 on 12 August in China: 2 days overdue
    await signInAgain();
    expect(await tickTimeRules(ctx())).toMatchObject({ overdue: 0, escalated: 1 });
    t.clock.advance(120_000);
    expect(await tickTimeRules(ctx())).toMatchObject({ escalated: 0 });
    await deliver();
    const news = robot.messages.slice(sentBefore);
    expect(news.filter((m) => m.robot === TOKEN_A).map((m) => m.title)).toEqual([
      '督办事项即将到期：新增托育机构备案',
      '督办事项已逾期：新增托育机构备案',
      '逾期督办事项上报：新增托育机构备案',
    ]);
    const office = news.filter((m) => m.robot === 'office');
    expect(office).toHaveLength(1);
    expect(office[0]?.text).toContain('已上报督查室和交办领导');
    expect(news.filter((m) => m.robot === 'leaders').map((m) => m.title)).toEqual([
      '逾期督办事项上报：新增托育机构备案',
    ]);
    expect((await org.get(`/api/supervision/tasks/${id}`)).json.escalated).toBe(true);
    const dash = await leader.get('/api/supervision/dashboard');
    expect(dash.json.overdue.map((x: { id: string }) => x.id)).toEqual([id]);
    expect((await repA.get('/api/supervision/dashboard')).status).toBe(403);
    const b = await org.get('/api/supervision/bulletin?from=2023-08-01&to=2023-08-31');
    const rowA = b.json.rows.find((r: { unitId: string }) => r.unitId === units[0]!.id);
    // Two tasks due in August: one closed on time with one return, one overdue 2 days: 100 × ½ − 2 − 1.
    expect(rowA).toMatchObject({ tasks: 2, closedOnTime: 1, returns: 1, overdueDays: 2, score: 47 });
  });

  it('holds a robot to 20 messages a minute and retries what a broken signature refused', async () => {
    const list = (await org.get('/api/notifications/channels')).json as { id: string; name: string }[];
    const office = list.find((c) => c.name === '督查室群')!;
    for (let i = 0; i < 25; i++)
      expect((await org.post(`/api/notifications/channels/${office.id}/test`)).status).toBe(200);
    t.clock.advance(61_000);
    const first = await deliver();
    expect(first.sent).toBe(20);
    expect((await deliver()).sent).toBe(0);
    t.clock.advance(61_000);
    expect((await deliver()).sent).toBe(5);
    expect(robot.refusals).toEqual([]);
    const wrong = await org.post(
      '/api/notifications/channels',
      channel({
        name: '错误签名',
        kind: 'dingtalk',
        audience: 'office',
        webhook: dingtalkUrl(robot.url, 'wrong'),
        secret: 'SECnot-the-secret',
      }),
    );
    await org.post(`/api/notifications/channels/${wrong.json.id}/test`);
    t.clock.advance(61_000);
    const refused = await deliver();
    expect(refused.retrying).toBe(1);
    expect(robot.refusals).toEqual([{ robot: 'wrong', code: 310000 }]);
    const failed = (await org.get(`/api/notifications/deliveries?channelId=${wrong.json.id}`)).json[0];
    expect(failed).toMatchObject({ state: 'pending', attempts: 1 });
    expect(failed.lastError).toContain('310000');
  });

  it('exports the work list and the responsibility list, and prints the bulletin', async () => {
    const lists = await org.get('/api/supervision/lists/export');
    expect(lists.status).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(lists.raw as unknown as ArrayBuffer);
    const resp = wb.getWorksheet('责任清单')!;
    expect(resp.getRow(1).values).toEqual([
      undefined,
      '督办事项',
      '来源',
      '完成标准',
      '牵头单位',
      '配合单位',
      '交办领导',
      '完成时限',
      '状态',
      '亮灯',
    ]);
    const road = resp.getRows(2, resp.rowCount - 1)!.find((r) => r.getCell(1).value === '东塔路8月底前通车')!;
    expect(road.getCell(5).value).toBe('西城街道');
    expect(road.getCell(8).value).toBe('已销号');
    const page = await org.get('/api/supervision/bulletin/print?from=2023-08-01&to=2023-08-31');
    expect(page.status).toBe(200);
    expect(page.body).toContain('督查通报');
    expect(page.body).toContain('新增托育机构备案');
    expect((await repA.get('/api/supervision/lists/export')).status).toBe(403);
  });
});
