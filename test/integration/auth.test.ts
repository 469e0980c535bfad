import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInThrottle } from '../../src/modules/accounts/domain/sign-in-throttle.ts';
import { dbKinds } from '../support/db.ts';
import {
  anonymous,
  asRole,
  clientFor,
  createTestApp,
  loginAs,
  type SeededUser,
  seedUser,
  type TestApp,
} from '../support/http.ts';

describe.each(dbKinds)('sign-in and sessions on %s', (kind) => {
  let t: TestApp;
  let alice: SeededUser;

  beforeAll(async () => {
    t = await createTestApp(kind);
    alice = await seedUser(t.database, { role: 'organizer', username: 'alice' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const login = (username: string, password: string, lang?: string) =>
    anonymous(t).post('/api/auth/login', { username, password }, lang ? { lang } : {});

  it('signs in with the right password and sets an HttpOnly, SameSite session cookie', async () => {
    const res = await login('alice', alice.password);
    expect(res.status).toBe(200);
    expect(res.json.user).toMatchObject({ username: 'alice', role: 'organizer', mustChangePassword: false });
    expect(res.json.user).not.toHaveProperty('passwordHash');
    const cookie = res.cookies.find((c) => c.name === 'sp_session');
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    expect(cookie?.path).toBe('/');
    const me = await clientFor(t.app, `sp_session=${cookie?.value}`).get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ kind: 'user', user: { username: 'alice' }, judge: null });
  });

  it('answers a wrong password and an unknown user with the same error', async () => {
    const wrong = await login('alice', 'not-the-password');
    const unknown = await login('nobody-here', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json.code).toBe('invalid_credentials');
    expect(unknown.json).toEqual(wrong.json);
  });

  it('speaks Chinese by default and English to an en-US browser', async () => {
    const zh = await login('nobody-here', 'x');
    expect(zh.json.message).toBe('用户名或密码错误');
    const en = await login('nobody-here', 'x', 'en-US,en;q=0.9');
    expect(en.json).toEqual({ code: 'invalid_credentials', message: 'Wrong user name or password' });
    const zhExplicit = await login('nobody-here', 'x', 'zh-CN,zh;q=0.9,en;q=0.8');
    expect(zhExplicit.json.message).toBe('用户名或密码错误');
  });

  const from = (ip: string, device?: string) => ({
    headers: { 'x-forwarded-for': ip, ...(device ? { cookie: `sp_device=${device}` } : {}) },
  });
  const signIn = (username: string, password: string, ip: string, device?: string, lang?: string) =>
    anonymous(t).post(
      '/api/auth/login',
      { username, password },
      { ...from(ip, device), ...(lang ? { lang } : {}) },
    );
  const deviceOf = (res: { cookies: { name: string; value: string; path?: string }[] }) =>
    res.cookies.find((c) => c.name === 'sp_device');

  it('wrong passwords slow the address they come from, not the owner on a device used before, nor another address', async () => {
    const bob = await seedUser(t.database, { role: 'organizer', username: 'bob' });
    const first = await signIn('bob', bob.password, '192.0.2.10');
    expect(first.status).toBe(200);
    const device = deviceOf(first);
    expect(device?.path).toBe('/api/auth/login');
    const owner = device!.value;

    for (let i = 1; i <= signInThrottle.freePerAddress; i++)
      expect((await signIn('bob', `wrong-${i}`, '203.0.113.66')).status).toBe(401);
    const slowed = await signIn('bob', bob.password, '203.0.113.66', undefined, 'en-US');
    expect(slowed.status).toBe(429);
    expect(slowed.json.code).toBe('sign_in_throttled');
    expect(slowed.json.message).toMatch(/try again in \d+ s/);
    // The owner behind the same address, on the browser that signed in before, still gets in …
    expect((await signIn('bob', bob.password, '203.0.113.66', owner)).status).toBe(200);
    // … and so does a new device elsewhere: the lock belongs to the address.
    expect((await signIn('bob', bob.password, '198.51.100.3')).status).toBe(200);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'account.throttled')
      .execute();
    expect(audit.map((a) => [a.target, JSON.parse(a.after_json ?? '{}').from])).toEqual([
      ['bob', '203.0.113.66'],
    ]);
  });

  it('each further failure doubles the wait, up to a cap; a success clears the count', async () => {
    const carol = await seedUser(t.database, { role: 'observer', username: 'carol' });
    const ip = '203.0.113.70';
    for (let i = 0; i < signInThrottle.freePerAddress; i++) await signIn('carol', 'wrong', ip);
    const wait = async () => (await signIn('carol', carol.password, ip)).json.message as string;
    expect(await wait()).toMatch(/ 60 秒后/);
    t.clock.advance(61_000);
    expect((await signIn('carol', 'wrong-again', ip)).status).toBe(401);
    expect(await wait()).toMatch(/ 120 秒后/);
    t.clock.advance(121_000);
    expect((await signIn('carol', carol.password, ip)).status).toBe(200);
    for (let i = 0; i < signInThrottle.freePerAddress - 1; i++)
      expect((await signIn('carol', 'wrong', ip)).status).toBe(401);
    expect((await signIn('carol', carol.password, ip)).status).toBe(200);
  });

  it("a guesser spread over many addresses slows new devices account-wide, never the owner's known device", async () => {
    const dora = await seedUser(t.database, { role: 'leader', username: 'dora' });
    const owner = deviceOf(await signIn('dora', dora.password, '192.0.2.20'))!.value;
    for (let i = 0; i < signInThrottle.freePerAccount; i++)
      expect((await signIn('dora', 'guess', `198.18.0.${i + 1}`)).status).toBe(401);
    expect((await signIn('dora', dora.password, '198.18.1.1')).status).toBe(429);
    expect((await signIn('dora', dora.password, '192.0.2.20', owner)).status).toBe(200);
  });

  it('shows the organizer where failures come from and until when they block', async () => {
    const ed = await seedUser(t.database, { role: 'leader', username: 'ed' });
    for (let i = 0; i < signInThrottle.freePerAddress; i++) await signIn('ed', 'nope', '203.0.113.99');
    const organizer = await asRole(t, 'organizer');
    const users = await organizer.get('/api/users');
    const listed = (users.json as { username: string; signInFailures: unknown[] }[]).find(
      (u) => u.username === 'ed',
    );
    expect(listed?.signInFailures).toHaveLength(2);
    expect(listed?.signInFailures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ address: '203.0.113.99', failures: 5, blockedUntil: expect.any(String) }),
        expect.objectContaining({ address: null, failures: 5, blockedUntil: null }),
      ]),
    );
    // Resetting the password clears them.
    expect((await organizer.post(`/api/users/${ed.id}/reset-password`)).status).toBe(200);
    const after = (await organizer.get('/api/users')).json.find(
      (u: { username: string }) => u.username === 'ed',
    );
    expect(after.signInFailures).toEqual([]);
    // A user's own view does not carry them.
    expect(
      (await anonymous(t).post('/api/auth/login', { username: 'alice', password: alice.password })).json.user,
    ).not.toHaveProperty('signInFailures');
  });

  it('a user who must change the password can do nothing else until it is changed', async () => {
    const dave = await seedUser(t.database, {
      role: 'organizer',
      username: 'dave',
      mustChangePassword: true,
    });
    const c = clientFor(t.app, await loginAs(t.app, 'dave', dave.password));

    const me = await c.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.json.user.mustChangePassword).toBe(true);

    for (const res of [
      await c.get('/api/units'),
      await c.get('/api/users'),
      await c.post('/api/tracks', { nameZh: '新组' }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.json.code).toBe('password_change_required');
    }
    const en = await c.get('/api/units', { lang: 'en-US' });
    expect(en.json.message).toBe('Please change your password before continuing');

    const changed = await c.post('/api/auth/password', {
      oldPassword: dave.password,
      newPassword: 'A-much-better-secret-9',
    });
    expect(changed.status).toBe(200);
    expect(changed.json.user.mustChangePassword).toBe(false);
    expect((await c.get('/api/units')).status).toBe(200);

    // The new password is the one that signs in now.
    expect((await login('dave', dave.password)).status).toBe(401);
    expect((await login('dave', 'A-much-better-secret-9')).status).toBe(200);
  });

  it('a password change ends every other session of the account and keeps the one that made it', async () => {
    const fay = await seedUser(t.database, { role: 'leader', username: 'fay' });
    const phone = clientFor(t.app, await loginAs(t.app, 'fay', fay.password));
    const laptop = clientFor(t.app, await loginAs(t.app, 'fay', fay.password));
    expect((await phone.get('/api/auth/me')).status).toBe(200);
    const changed = await laptop.post('/api/auth/password', {
      oldPassword: fay.password,
      newPassword: 'Fresh-river-stone-77',
    });
    expect(changed.status).toBe(200);
    expect((await laptop.get('/api/auth/me')).status).toBe(200);
    const stale = await phone.get('/api/auth/me');
    expect(stale.json.user ?? null).toBeNull();
    expect((await phone.get('/api/units')).status).toBe(401);
  });

  it('a session opened with a one-time password is not revived by a change made elsewhere', async () => {
    const organizer = await asRole(t, 'organizer');
    const gus = await seedUser(t.database, { role: 'leader', username: 'gus' });
    const reset = await organizer.post(`/api/users/${gus.id}/reset-password`);
    expect(reset.status).toBe(200);
    const otp = reset.json.oneTimePassword as string;
    const first = clientFor(t.app, await loginAs(t.app, 'gus', otp));
    const second = clientFor(t.app, await loginAs(t.app, 'gus', otp));
    expect((await first.get('/api/units')).json.code).toBe('password_change_required');
    expect(
      (await second.post('/api/auth/password', { oldPassword: otp, newPassword: 'Quiet-harbour-lamp-31' }))
        .status,
    ).toBe(200);
    expect((await second.get('/api/units')).status).toBe(200);
    expect((await first.get('/api/units')).status).toBe(401);
  });

  it('refuses weak new passwords and a wrong old password', async () => {
    const erin = await seedUser(t.database, { role: 'leader', username: 'erin' });
    const c = clientFor(t.app, await loginAs(t.app, 'erin', erin.password));
    for (const newPassword of [
      'short-1',
      erin.password,
      'xx-erin-2024-long',
      'ERIN-is-here-12345',
      // Among the commonest passwords, whatever the case, or one to three characters repeated.
      '1234567890',
      'QwertyUiop',
      'woaini1314520',
      'abababababab',
    ]) {
      const res = await c.post('/api/auth/password', { oldPassword: erin.password, newPassword });
      expect(res.status, newPassword).toBe(400);
      expect(res.json.code).toBe('weak_password');
    }
    const en = await c.post(
      '/api/auth/password',
      { oldPassword: erin.password, newPassword: 'short' },
      { lang: 'en-US' },
    );
    expect(en.json.message).toContain('at least 10 characters');

    const wrongOld = await c.post('/api/auth/password', {
      oldPassword: 'not-my-password',
      newPassword: 'Good-and-long-77',
    });
    expect(wrongOld.status).toBe(401);
    expect(wrongOld.json.code).toBe('invalid_credentials');
    // Nothing changed: the old password still signs in.
    expect((await login('erin', erin.password)).status).toBe(200);
  });

  it('sign-out ends the session on the server, not only in the browser', async () => {
    const cookie = await loginAs(t.app, 'alice', alice.password);
    const c = clientFor(t.app, cookie);
    expect((await c.get('/api/auth/me')).status).toBe(200);
    const out = await c.post('/api/auth/logout');
    expect(out.status).toBe(200);
    expect(out.json).toEqual({ ok: true });
    const cleared = out.cookies.find((x) => x.name === 'sp_session');
    expect(cleared?.value).toBe('');
    // Replaying the old cookie does not work any more.
    const me = await c.get('/api/auth/me');
    expect(me.status).toBe(401);
    expect(me.json.code).toBe('unauthenticated');
    expect((await c.get('/api/units')).status).toBe(401);
  });

  it('a disabled account cannot sign in and its sessions end', async () => {
    const org = await asRole(t, 'organizer');
    const frank = await seedUser(t.database, { role: 'observer', username: 'frank' });
    const c = clientFor(t.app, await loginAs(t.app, 'frank', frank.password));
    const res = await org.patch(`/api/users/${frank.id}`, { disabled: true });
    expect(res.status).toBe(200);
    expect((await c.get('/api/auth/me')).status).toBe(401);
    const again = await login('frank', frank.password);
    expect(again.status).toBe(401);
    expect(again.json.code).toBe('invalid_credentials');
  });

  it('an unknown or forged cookie is anonymous', async () => {
    const res = await clientFor(t.app, 'sp_session=forged-token-value').get('/api/units');
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ code: 'unauthenticated', message: '请先登录' });
  });

  // Last: it moves the clock past every session of this app.
  it('a session expires after its lifetime', async () => {
    const c = clientFor(t.app, await loginAs(t.app, 'alice', alice.password));
    expect((await c.get('/api/auth/me')).status).toBe(200);
    t.clock.advance(13 * 60 * 60 * 1000);
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });
});

describe.each(dbKinds)('sign-in rate limit on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { loginRateLimit: 3 });
  });
  afterAll(async () => {
    await t?.close();
  });

  const attempt = (ip: string, lang?: string) =>
    anonymous(t).post(
      '/api/auth/login',
      { username: 'someone', password: 'guess' },
      { headers: { 'x-forwarded-for': ip }, ...(lang ? { lang } : {}) },
    );

  it('limits sign-in attempts per IP address with a localized message', async () => {
    for (let i = 0; i < 3; i++) expect((await attempt('203.0.113.7')).status).toBe(401);
    const limited = await attempt('203.0.113.7');
    expect(limited.status).toBe(429);
    expect(limited.json.code).toBe('rate_limited');
    expect(limited.json.message).toMatch(/^尝试过于频繁，请 \d+ 秒后再试$/);
    const en = await attempt('203.0.113.7', 'en-US');
    expect(en.status).toBe(429);
    expect(en.json.message).toMatch(/^Too many attempts, try again in \d+ s$/);

    // Another address is not affected.
    expect((await attempt('198.51.100.20')).status).toBe(401);
  });

  it('a client that is not a trusted proxy cannot dodge the limit by forging X-Forwarded-For', async () => {
    const forged = (i: number) =>
      anonymous(t).post(
        '/api/auth/login',
        { username: 'someone', password: 'guess' },
        { remoteAddress: '192.0.2.99', headers: { 'x-forwarded-for': `10.9.8.${i}` } },
      );
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await forged(i)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});
