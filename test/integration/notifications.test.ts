// What each group asked for, on SQLite and PostgreSQL: a muted kind is logged but not sent; quiet hours
// hold messages until they end; a digest group gets its day's notices as one message at 08:30, each
// notice in one digest only; people are @-ed by the handle they gave, unless they muted that kind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue, enqueueNotice, sendDigests } from '../../src/modules/notifications/index.ts';
import type { Ctx } from '../../src/platform/context.ts';
import { dbKinds } from '../support/db.ts';
import { rows, TEST_LINK_KEY } from '../support/factory.ts';
import { asRole, type Client, createTestApp, type TestApp } from '../support/http.ts';
import { dingtalkUrl, ROBOT_SECRET, type RobotServer, startRobotServer, wecomUrl } from '../support/robot.ts';

describe.each(dbKinds)('group preferences on %s', (kind) => {
  let t: TestApp;
  let robot: RobotServer;
  let org: Client;
  let unitId = '';
  let reporterId = '';
  const ctx = (): Ctx => ({
    db: t.database.db,
    dbKind: kind,
    actor: { kind: 'anonymous' },
    now: t.clock.now(),
    publicUrl: 'http://shaipin.test',
    locale: 'zh-CN',
  });
  const deliver = () =>
    deliverDue({
      db: t.database.db,
      dbKind: kind,
      now: t.clock.now,
      linkKey: TEST_LINK_KEY,
      publicUrl: 'http://shaipin.test',
    });
  const notice = (key: string, k: 'task_due_soon' | 'task_overdue', title: string) =>
    t.database.db.transaction().execute((trx) =>
      enqueueNotice(
        { ...ctx(), db: trx },
        {
          causeKey: key,
          kind: k,
          unitId,
          audiences: ['unit'],
          title,
          markdown: `#### ${title}`,
          linkPath: `/supervision/tasks/${key}`,
          mentionUserIds: [reporterId],
        },
      ),
    );
  const base = {
    audience: 'unit',
    mutedKinds: [],
    quietFrom: null,
    quietTo: null,
    digest: false,
    enabled: true,
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    t.clock.set(new Date('2023-08-03T14:30:00Z')); // 22:30 in China
    t.clock.freeze();
    robot = await startRobotServer();
    robot.setClock(() => t.clock.now().getTime());
    const u = rows.unit({ track_id: null, name: '西城街道' });
    await t.database.db.insertInto('units').values(u).execute();
    unitId = u.id;
    org = await asRole(t, 'organizer');
    const rep = await asRole(t, 'reporter', unitId);
    reporterId = rep.user.id;
    expect(
      (
        await rep.put('/api/me/notify-contact', {
          mobile: '13900000000',
          imId: 'xicheng_li',
          mutedKinds: ['task_overdue'],
        })
      ).status,
    ).toBe(200);
    for (const c of [
      {
        ...base,
        name: '立即',
        kind: 'dingtalk',
        unitId,
        webhook: dingtalkUrl(robot.url, 'now-robot'),
        secret: ROBOT_SECRET,
        mutedKinds: ['task_overdue'],
      },
      {
        ...base,
        name: '夜间免打扰',
        kind: 'wecom',
        unitId,
        webhook: wecomUrl(robot.url, 'quiet-robot'),
        quietFrom: '22:00',
        quietTo: '07:30',
      },
      {
        ...base,
        name: '日报',
        kind: 'wecom',
        unitId,
        webhook: wecomUrl(robot.url, 'digest-robot'),
        digest: true,
      },
    ])
      expect((await org.post('/api/notifications/channels', c)).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await robot?.close();
    await t?.close();
  });

  it('mutes, holds in quiet hours, gathers the digest, and @s people as they asked', async () => {
    expect(await notice('a', 'task_due_soon', '事项甲即将到期')).toBe(true);
    expect(await notice('b', 'task_overdue', '事项乙已逾期')).toBe(true);
    expect(await notice('a', 'task_due_soon', '事项甲即将到期')).toBe(false); // the same cause again
    await deliver();
    const to = (r: string) => robot.messages.filter((m) => m.robot === r);
    // The unmuted robot sends the due-soon notice at once, @-ing the reporter's mobile; the overdue one is muted.
    expect(to('now-robot').map((m) => m.title)).toEqual(['事项甲即将到期']);
    expect(to('now-robot')[0]?.atMobiles).toEqual(['13900000000']);
    expect(to('quiet-robot')).toEqual([]);
    expect(to('digest-robot')).toEqual([]);
    const log = (await org.get('/api/notifications/deliveries')).json as {
      channelName: string;
      title: string;
      state: string;
      notBefore: string;
    }[];
    expect(log.find((d) => d.channelName === '立即' && d.title === '事项乙已逾期')?.state).toBe('muted');
    expect(log.filter((d) => d.channelName === '夜间免打扰').map((d) => d.notBefore)).toEqual([
      '2023-08-03T23:30:00.000Z',
      '2023-08-03T23:30:00.000Z',
    ]);

    t.clock.set(new Date('2023-08-03T23:31:00Z')); // 07:31: quiet hours are over, the digest not yet due
    expect(await sendDigests(ctx())).toBe(0);
    await deliver();
    const quiet = to('quiet-robot').map((m) => m.text);
    expect(quiet).toHaveLength(2);
    // WeCom @s by user id, except for the kind the reporter muted.
    expect(quiet.find((x) => x.includes('事项甲'))).toContain('<@xicheng_li>');
    expect(quiet.find((x) => x.includes('事项乙'))).not.toContain('<@xicheng_li>');

    t.clock.set(new Date('2023-08-04T00:31:00Z')); // 08:31
    expect(await sendDigests(ctx())).toBe(1);
    expect(await sendDigests(ctx())).toBe(0); // the day's digest is sent once
    await deliver();
    expect(to('digest-robot')).toHaveLength(1);
    expect(to('digest-robot')[0]?.text).toContain('事项甲即将到期');
    expect(to('digest-robot')[0]?.text).toContain('事项乙已逾期');
    expect(to('digest-robot')[0]?.text).toContain('http://shaipin.test/supervision/tasks/a');
    t.clock.set(new Date('2023-08-05T00:31:00Z'));
    expect(await sendDigests(ctx())).toBe(0); // nothing new: no empty digest
  });
});
