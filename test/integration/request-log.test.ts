// The request log never carries a credential: invite and screen tokens in link queries, cookies,
// passwords. Checked on the log lines the server really writes.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db.ts';
import { seedEventFixture } from '../support/fixtures.ts';

describe('request log', () => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof buildApp>>;
  const lines: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(dbKinds[0]!);
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    app = await buildApp({ database, logger: { stream }, publicUrl: 'http://shaipin.test' });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('redacts tokens from link URLs and never logs the token, the cookie or a password', async () => {
    const f = await seedEventFixture(database);
    const token = f.judges[0]!.token;
    await app.inject({ method: 'GET', url: `/judge/?t=${token}` });
    await app.inject({ method: 'GET', url: `/screen/?lang=zh-CN&t=${token}&x=1` });
    const session = await app.inject({ method: 'POST', url: '/api/judge/session', payload: { token } });
    expect(session.statusCode).toBe(200);
    const cookie = session.cookies[0]!.value;
    await app.inject({ method: 'GET', url: '/api/judge/state', headers: { cookie: `sp_session=${cookie}` } });
    await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody', password: 'a-secret-password' },
    });
    // Pino writes asynchronously to the stream: wait for the lines of all five requests.
    await expect.poll(() => lines.filter((l) => l.includes('"req"')).length).toBeGreaterThanOrEqual(5);
    const log = lines.join('\n');
    expect(log).toContain('/judge/?t=[redacted]');
    expect(log).toContain('/screen/?lang=zh-CN&t=[redacted]&x=1');
    for (const secret of [token, cookie, 'a-secret-password']) expect(log).not.toContain(secret);
  });
});
