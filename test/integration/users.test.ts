import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../support/db.ts';
import {
  anonymous,
  asRole,
  clientFor,
  createTestApp,
  loginAs,
  type RoleClient,
  type TestApp,
} from '../support/http.ts';

describe.each(dbKinds)('accounts on %s', (kind) => {
  let t: TestApp;
  let org: RoleClient;
  let unitId: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    org = await asRole(t, 'organizer');
    const unit = await org.post('/api/units', { code: 'U001', name: '城东街道', kind: 'street' });
    expect(unit.status).toBe(200);
    unitId = unit.json.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('an organizer creates a reporter bound to a unit, with a one-time password that must be changed', async () => {
    const created = await org.post('/api/users', {
      username: 'chengdong.li',
      displayName: '李联络',
      role: 'reporter',
      unitId,
    });
    expect(created.status).toBe(200);
    expect(created.json.user).toMatchObject({
      username: 'chengdong.li',
      displayName: '李联络',
      role: 'reporter',
      unitId,
      mustChangePassword: true,
      disabled: false,
    });
    const otp: string = created.json.oneTimePassword;
    expect(otp).toMatch(/^[A-Za-z2-9]{12,}$/);
    expect(otp).not.toMatch(/[01lO]/);

    // The one-time password signs in, but only to change it.
    const first = await anonymous(t).post('/api/auth/login', { username: 'chengdong.li', password: otp });
    expect(first.status).toBe(200);
    expect(first.json.user.mustChangePassword).toBe(true);
    const c = clientFor(t.app, await loginAs(t.app, 'chengdong.li', otp));
    const blocked = await c.get('/api/units');
    expect(blocked.status).toBe(403);
    expect(blocked.json.code).toBe('password_change_required');

    const changed = await c.post('/api/auth/password', {
      oldPassword: otp,
      newPassword: 'Reporter-own-secret-1',
    });
    expect(changed.status).toBe(200);
    expect(changed.json.user).toMatchObject({ mustChangePassword: false, unitId });
    expect((await c.get('/api/units')).status).toBe(200);

    // Once changed, the one-time password is dead.
    const reuse = await anonymous(t).post('/api/auth/login', { username: 'chengdong.li', password: otp });
    expect(reuse.status).toBe(401);
    expect(reuse.json.code).toBe('invalid_credentials');
    expect(
      (
        await anonymous(t).post('/api/auth/login', {
          username: 'chengdong.li',
          password: 'Reporter-own-secret-1',
        })
      ).status,
    ).toBe(200);

    const list = await org.get('/api/users');
    expect(list.status).toBe(200);
    expect(list.json.find((u: { username: string }) => u.username === 'chengdong.li')).toMatchObject({
      role: 'reporter',
      unitId,
      mustChangePassword: false,
    });
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'target'])
      .where('target', '=', 'chengdong.li')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['user.created', 'user.password_changed']);
  });

  it('a reporter needs an existing unit; other roles are not bound to one', async () => {
    const noUnit = await org.post('/api/users', {
      username: 'nounit',
      displayName: '无单位',
      role: 'reporter',
    });
    expect(noUnit.status).toBe(400);
    expect(noUnit.json.code).toBe('validation_failed');

    const ghost = await org.post('/api/users', {
      username: 'ghost',
      displayName: '幽灵',
      role: 'reporter',
      unitId: 'no-such-unit',
    });
    expect(ghost.status).toBe(404);
    expect(ghost.json.code).toBe('not_found');

    const leader = await org.post('/api/users', {
      username: 'leader.wang',
      displayName: '王领导',
      role: 'leader',
      unitId,
    });
    expect(leader.status).toBe(200);
    expect(leader.json.user.unitId).toBeNull();
  });

  it('refuses a second account with the same user name', async () => {
    const body = { username: 'dup.user', displayName: '重复', role: 'observer' };
    expect((await org.post('/api/users', body)).status).toBe(200);
    const again = await org.post('/api/users', body);
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ code: 'already_taken', details: { field: 'username' } });
    expect(again.json.message).toBe('用户名「dup.user」已被使用，请换一个');
  });

  it('rejects bad input with validation_failed and a message naming the field', async () => {
    const cases = [
      { username: 'has space', displayName: 'x', role: 'observer' },
      { username: 'ok.name', displayName: 'x', role: 'superuser' },
      { username: 'ok.name', displayName: '', role: 'observer' },
      { username: 'ok.name', role: 'observer' },
      {},
    ];
    for (const body of cases) {
      const res = await org.post('/api/users', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.code).toBe('validation_failed');
      expect(res.json.message).toMatch(/^输入有误：/);
    }
    const en = await org.post(
      '/api/users',
      { username: 'has space', displayName: 'x', role: 'observer' },
      { lang: 'en-US' },
    );
    expect(en.json.message).toMatch(/^Invalid input: .*username/);
    const badJson = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: org.cookie ?? '', 'content-type': 'application/json' },
      payload: '{"username": ',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().code).toBe('validation_failed');
  });

  it('only organizers manage accounts', async () => {
    const leader = await asRole(t, 'leader');
    const observer = await asRole(t, 'observer');
    const reporter = await asRole(t, 'reporter', unitId);
    const target = (
      await org.post('/api/users', { username: 'target.user', displayName: '目标', role: 'observer' })
    ).json.user;
    for (const c of [leader, observer, reporter]) {
      const attempts = [
        await c.get('/api/users'),
        await c.post('/api/users', { username: 'sneaky', displayName: 'x', role: 'organizer' }),
        await c.patch(`/api/users/${target.id}`, { role: 'organizer' }),
        await c.post(`/api/users/${target.id}/reset-password`),
      ];
      for (const res of attempts) {
        expect(res.status).toBe(403);
        expect(res.json).toEqual({ code: 'forbidden', message: '无权执行此操作' });
      }
    }
    const anon = anonymous(t);
    for (const res of [
      await anon.get('/api/users'),
      await anon.post('/api/users', { username: 'x1', displayName: 'x', role: 'observer' }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.json.code).toBe('unauthenticated');
    }
    const stillObserver = (await org.get('/api/users')).json.find((u: { id: string }) => u.id === target.id);
    expect(stillObserver.role).toBe('observer');
    expect(
      (await org.get('/api/users')).json.some((u: { username: string }) => u.username === 'sneaky'),
    ).toBe(false);
  });

  it('resetting a password issues a new one-time password and ends the old sessions', async () => {
    const created = await org.post('/api/users', {
      username: 'forgetful',
      displayName: '健忘',
      role: 'observer',
    });
    const id = created.json.user.id;
    const c = clientFor(t.app, await loginAs(t.app, 'forgetful', created.json.oneTimePassword));
    await c.post('/api/auth/password', {
      oldPassword: created.json.oneTimePassword,
      newPassword: 'First-real-secret-1',
    });
    expect((await c.get('/api/units')).status).toBe(200);

    const reset = await org.post(`/api/users/${id}/reset-password`);
    expect(reset.status).toBe(200);
    expect(reset.json.user.mustChangePassword).toBe(true);
    expect(reset.json.oneTimePassword).not.toBe(created.json.oneTimePassword);
    expect((await c.get('/api/auth/me')).status).toBe(401);
    expect(
      (await anonymous(t).post('/api/auth/login', { username: 'forgetful', password: 'First-real-secret-1' }))
        .status,
    ).toBe(401);
    const next = await anonymous(t).post('/api/auth/login', {
      username: 'forgetful',
      password: reset.json.oneTimePassword,
    });
    expect(next.status).toBe(200);
    expect(next.json.user.mustChangePassword).toBe(true);
  });

  it('an organizer cannot disable or demote themself', async () => {
    const self = org.user.id;
    const disable = await org.patch(`/api/users/${self}`, { disabled: true });
    expect(disable.status).toBe(409);
    const demote = await org.patch(`/api/users/${self}`, { role: 'observer' });
    expect(demote.status).toBe(409);
    expect((await org.get('/api/users')).status).toBe(200);
  });

  it('moving a reporter to another unit rebinds the account', async () => {
    const other = (await org.post('/api/units', { code: 'U002', name: '城西街道', kind: 'street' })).json.id;
    const created = await org.post('/api/users', {
      username: 'mover',
      displayName: '调动',
      role: 'reporter',
      unitId,
    });
    const moved = await org.patch(`/api/users/${created.json.user.id}`, { unitId: other });
    expect(moved.status).toBe(200);
    expect(moved.json.unitId).toBe(other);
    const missing = await org.patch(`/api/users/${created.json.user.id}`, { unitId: 'nope' });
    expect(missing.status).toBe(404);
    const unknownUser = await org.patch('/api/users/nope', { displayName: 'x' });
    expect(unknownUser.status).toBe(404);
    expect(unknownUser.json.code).toBe('not_found');
  });
});
