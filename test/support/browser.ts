// Real browser tests: Debian's Chromium (installed by scripts/ensure-browser.mjs) driven by
// playwright-core, against the app listening on a loopback port and serving the dist/web build that
// the browser project's global setup produced.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { inject } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import type { App } from '../../src/platform/http/app.ts';
import { buildApp } from '../../src/server/app.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { TEST_LINK_KEY } from './factory.ts';
import { createClock, type TestClock } from './http.ts';
import './context.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const WEB_ROOT = join(import.meta.dirname, '..', '..', 'dist', 'web');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: run \`node scripts/ensure-browser.mjs\` first`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

export interface ServerOptions {
  /** Fills the fresh database before the server starts (users, events…). */
  seed?: (database: Database) => Promise<void>;
  publicUrl?: string;
  loginRateLimit?: number;
  /** Run the modules' background work (robot delivery, time rules) on the server's clock. */
  background?: { intervalMs?: number };
}

export interface TestServer {
  baseUrl: string;
  app: App;
  database: TestDatabase;
  clock: TestClock;
  /** Stops the server and drops its database. */
  close(): Promise<void>;
}

/** The real server on 127.0.0.1:<random port> over a fresh SQLite database. */
export async function startServer(opts: ServerOptions = {}): Promise<TestServer> {
  const buildError = inject('webBuildError');
  if (buildError) throw new Error(buildError);
  const database = await createTestDatabase('sqlite');
  try {
    if (opts.seed) await opts.seed(database);
    const clock = createClock();
    const app = await buildApp({
      database,
      clock: clock.now,
      logger: false,
      linkKey: TEST_LINK_KEY,
      webRoot: WEB_ROOT,
      publicUrl: opts.publicUrl,
      loginRateLimit: opts.loginRateLimit ?? 10_000,
      background: opts.background,
      robotHosts: ['127.0.0.1'],
    });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    return {
      baseUrl: address,
      app,
      database,
      clock,
      close: async () => {
        await app.close();
        await database.drop();
      },
    };
  } catch (e) {
    await database.drop();
    throw e;
  }
}

/**
 * A new browser context (kept in `contexts` for closing), signed in through the console's sign-in form:
 * the page it lands on after /login.
 */
export async function signInPage(
  browser: Browser,
  baseUrl: string,
  user: { username: string; password: string },
  options: BrowserContextOptions,
  contexts: BrowserContext[],
): Promise<Page> {
  const context = await browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(user.username);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}
