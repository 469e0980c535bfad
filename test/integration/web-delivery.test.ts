// How the app's pages and files go out: security headers on every response, compressed copies made
// at build time, hashed assets cached for good and everything else revalidated.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { dbKinds } from '../support/db.ts';
import { anonymous, asRole, createTestApp, type TestApp } from '../support/http.ts';
import { makeTestCertificate } from '../support/tls.ts';

describe.each(dbKinds)('delivery of the web apps on %s', (kind) => {
  let t: TestApp;
  const webRoot = mkdtempSync(join(tmpdir(), 'shaipin-web-'));
  const script = `console.log(${JSON.stringify('晒拼'.repeat(400))});\n`;

  beforeAll(async () => {
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>晒拼</title>');
    writeFileSync(join(webRoot, 'judge.html'), '<!doctype html><title>评委评分</title>');
    writeFileSync(join(webRoot, 'screen.html'), '<!doctype html><title>大屏</title>');
    writeFileSync(join(webRoot, 'assets', 'judge-AbC123.js'), script);
    writeFileSync(join(webRoot, 'assets', 'judge-AbC123.js.br'), brotliCompressSync(script));
    writeFileSync(join(webRoot, 'assets', 'judge-AbC123.js.gz'), gzipSync(script));
    t = await createTestApp(kind, { webRoot });
  });
  afterAll(async () => {
    await t.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('sends the brotli copy of a hashed asset to a browser that accepts it, cached for a year', async () => {
    const br = await anonymous(t).get('/assets/judge-AbC123.js', {
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.raw.length).toBeLessThan(Buffer.byteLength(script) / 4);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const gz = await anonymous(t).get('/assets/judge-AbC123.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await anonymous(t).get('/assets/judge-AbC123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });

  it('revalidates the HTML entries on every load, so a new build reaches every phone', async () => {
    for (const url of ['/', '/judge/', '/screen/']) {
      const res = await anonymous(t).get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('sets a content security policy that allows only this server and forbids framing, and no HSTS over HTTP', async () => {
    for (const url of ['/', '/api/health']) {
      const res = await anonymous(t).get(url);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('promises HTTPS for half a year (HSTS) when it serves HTTPS itself', async () => {
    const app = await buildApp({
      database: t.database,
      logger: false,
      https: makeTestCertificate('shaipin.test'),
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/api/health' });
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=15552000/);
    } finally {
      await app.close();
    }
  });

  it('refuses text with a NUL character, which PostgreSQL cannot store, in the body or the query', async () => {
    const organizer = await asRole(t, 'organizer');
    const body = await organizer.post('/api/tracks', { nameZh: '镇街\u0000组', nameEn: 'Towns' });
    expect(body.status).toBe(400);
    expect(body.json.code).toBe('validation_failed');
    const query = await organizer.get('/api/indicators?year=2023&unitId=a%00b');
    expect(query.status).toBe(400);
    const tracks = await t.database.db.selectFrom('tracks').select('name_zh').execute();
    expect(tracks.some((r) => r.name_zh.includes('\u0000'))).toBe(false);
  });
});
