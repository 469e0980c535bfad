import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, startServer, type TestServer, WEB_ROOT } from '../support/browser.ts';

describe('browser smoke', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('Chromium reaches the server: the health check answers JSON, and the console page has a title once built', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${server.baseUrl}/api/health`);
    expect(res?.status()).toBe(200);
    expect(JSON.parse((await page.textContent('body')) ?? '')).toEqual({ ok: true, database: 'sqlite' });

    // The console is being written in parallel: its page is checked as soon as the build has it.
    if (inject('webBuilt') && existsSync(join(WEB_ROOT, 'index.html'))) {
      const home = await page.goto(`${server.baseUrl}/`);
      expect(home?.status()).toBe(200);
      expect((await page.title()).trim()).not.toBe('');
    }
    await page.close();
  });
});
