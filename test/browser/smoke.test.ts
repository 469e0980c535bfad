// The browser project's first check: Chromium reaches the server, the web build this run made is
// complete (console, judge page, big screen), and the console actually renders, not just its title.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, startServer, type TestServer, WEB_ROOT } from '../support/browser.ts';

/** The entry pages of the three web apps, as `vite build` writes them. */
const ENTRIES = ['index.html', 'judge.html', 'screen.html'];

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

  it('Chromium reaches the server: the health check answers JSON', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${server.baseUrl}/api/health`);
    expect(res?.status()).toBe(200);
    expect(JSON.parse((await page.textContent('body')) ?? '')).toEqual({ ok: true, database: 'sqlite' });
    await page.close();
  });

  it('the web build of this run has the console, the judge page and the big screen', () => {
    // A stale dist/web from an earlier run must not pass for this one: the global setup built it now.
    expect(
      inject('webBuilt'),
      `the web apps were not built in this run (test/support/global-web-build.ts): ${
        inject('webBuildError') ??
        `an entry of web/ (${ENTRIES.join(', ')}) is missing, so the build was skipped`
      }`,
    ).toBe(true);
    const missing = ENTRIES.filter((f) => !existsSync(join(WEB_ROOT, f)));
    expect(missing, `${WEB_ROOT} lacks ${missing.join(', ')}: the web build is incomplete`).toEqual([]);
  });

  it('the console renders its sign-in form in Chromium, without a script error', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const home = await page.goto(`${server.baseUrl}/`);
    expect(home?.status()).toBe(200);
    // Rendered by React after the bundle ran and asked who is signed in (nobody): not static HTML.
    const username = page.getByTestId('login-username');
    await username.waitFor({ state: 'visible' });
    await expect(page.getByTestId('login-password').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('login-submit').isEnabled()).resolves.toBe(true);
    expect(await page.locator('#root').evaluate((root) => root.childElementCount)).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
