import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/platform/http/app.ts';
import { buildApp } from '../../src/server/app.ts';
import { CHROMIUM_PATH, launchBrowser, WEB_ROOT } from '../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';
import { asRole, type Client, clientFor, createClock } from '../support/http.ts';
import { makeTestCertificate } from '../support/tls.ts';

const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
};
/** An intranet name, mapped to loopback inside Chromium: not "localhost", so only HTTPS is secure. */
const INTRANET_HOST = 'judging.hall.test';

const poll = <T>(fn: () => T | Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout, interval: 100 });
const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent()) ?? '';

/** The real app over one database, which can be stopped and started again on the same port. */
class Server {
  app: App | null = null;
  port = 0;
  readonly clock = createClock();
  constructor(
    readonly database: TestDatabase,
    readonly https?: { cert: Buffer; key: Buffer },
  ) {}
  get origin(): string {
    return `${this.https ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    const app = await buildApp({
      database: this.database,
      clock: this.clock.now,
      logger: false,
      webRoot: WEB_ROOT,
      loginRateLimit: 10_000,
      https: this.https,
      secureCookies: Boolean(this.https),
    });
    await app.listen({ host: '127.0.0.1', port: this.port });
    this.port = (app.server.address() as { port: number }).port;
    this.app = app;
  }
  async stop(): Promise<void> {
    await this.app?.close();
    this.app = null;
  }
}

describe('judge page offline', () => {
  let browser: Browser;
  let database: TestDatabase;
  let server: Server;
  let fx: EventFixture;
  let organizerCookie: string | null = null;
  /** The organizer, on whichever app instance is serving now (sessions live in the database). */
  const host = (): Client => clientFor(server.app!, organizerCookie);
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const buildError = inject('webBuildError');
    if (buildError) throw new Error(buildError);
    if (!inject('webBuilt'))
      throw new Error('dist/web was not built (web/index.html or web/judge.html missing)');
    database = await createTestDatabase('sqlite');
    fx = await seedEventFixture(database);
    server = new Server(database);
    await server.start();
    organizerCookie = (await asRole({ app: server.app!, database }, 'organizer')).cookie;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  async function entriesOf(judgeId: string, slotId: string) {
    return database.db
      .selectFrom('score_entries')
      .select(['client_id', 'total'])
      .where('judge_id', '=', judgeId)
      .where('slot_id', '=', slotId)
      .execute();
  }

  it('reloads from cache offline, queues a score across reloads, and stores it once when back', async () => {
    const judge = fx.judges[1]!;
    const slot = fx.slots[0]!;
    const unit = fx.units[0]!;
    expect((await host().post(`/api/events/${fx.eventId}/slots/${slot.id}/open`)).status).toBe(200);

    const context = await browser.newContext(PHONE);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.origin}/judge/?t=${judge.token}`);
    await poll(() => text(page, 'unit-name')).toBe(unit.name);

    // The worker installs on this first online visit and takes control of the page.
    await poll(() =>
      page.evaluate(async () => {
        const reg = await navigator.serviceWorker.getRegistration('/judge/');
        return `${reg?.scope ?? ''} ${reg?.active?.state ?? ''} ${navigator.serviceWorker.controller !== null}`;
      }),
    ).toBe(`${server.origin}/judge activated true`);
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
      }
      return urls;
    });
    expect(cached).toContain('/judge/');
    expect(cached.some((u) => /^\/assets\/judge-.*\.js$/.test(u))).toBe(true);
    expect(cached.some((u) => /^\/assets\/judge-.*\.css$/.test(u))).toBe(true);

    // The hall network drops: the phone is offline and the server unreachable besides, so nothing
    // below can come from the network.
    await context.setOffline(true);
    await server.stop();
    await page.reload();
    await poll(() => text(page, 'unit-name')).toBe(unit.name);
    await poll(() => page.getByTestId('status-banner').locator('[data-state="offline-copy"]').count()).toBe(
      1,
    );
    expect(await text(page, 'event-title')).toBe(fx.title);

    for (const [i, v] of ['30', '25', '15', '8'].entries()) {
      await page.getByTestId(`input-${fx.criteria[i]!.id}`).fill(v);
    }
    expect(await text(page, 'total')).toBe('78');
    await page.getByTestId('submit').tap();
    await poll(() => text(page, 'bar-status')).toContain('等待网络…');
    expect(await page.getByTestId(`mine-${slot.id}`).getAttribute('data-state')).toBe('pending');
    expect(await text(page, `mine-${slot.id}`)).toContain('78');

    // Still offline, another reload: the page and the waiting score are both still there.
    await page.reload();
    await poll(() => text(page, 'unit-name')).toBe(unit.name);
    await poll(() => page.getByTestId(`mine-${slot.id}`).getAttribute('data-state')).toBe('pending');
    expect(await text(page, 'total')).toBe('78');
    expect(await entriesOf(judge.id, slot.id)).toHaveLength(0);

    // The network is back: the score goes through by itself, once.
    await server.start();
    await context.setOffline(false);
    await poll(() => page.getByTestId(`mine-${slot.id}`).getAttribute('data-state'), 30_000).toBe(
      'confirmed',
    );
    await poll(() => text(page, 'confirmation')).toContain('已提交 ✓ 78');
    await poll(() => page.getByTestId('status-banner').count()).toBe(0);
    const entries = await entriesOf(judge.id, slot.id);
    expect(entries.map((e) => e.total)).toEqual([78]);

    // The API never went into the cache: what the page showed offline came from its own storage.
    const after = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
      }
      return urls;
    });
    expect(after.filter((u) => u.startsWith('/api/'))).toEqual([]);
    expect(after.some((u) => u.includes('t='))).toBe(false);
  });

  it('with the live socket up, a slot the host opens shows at once, by one refetch of the state', async () => {
    const judge = fx.judges[3]!;
    const context = await browser.newContext(PHONE);
    contexts.push(context);
    const page = await context.newPage();
    // What the page received on its socket and what it fetched, in order.
    const timeline: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/judge/state') timeline.push('fetch');
    });
    const sockets: string[] = [];
    page.on('websocket', (ws) => {
      sockets.push(new URL(ws.url()).pathname);
      ws.on('framereceived', (f) => {
        const type = (JSON.parse(String(f.payload)) as { type: string }).type;
        if (type === 'refresh') timeline.push('refresh');
      });
    });
    await page.goto(`${server.origin}/judge/?t=${judge.token}`);
    await poll(() => page.getByTestId('event-title').count()).toBe(1);
    await poll(() => sockets.length).toBeGreaterThan(0);
    expect(sockets[0]).toBe('/api/live');
    // The socket's greeting (a refresh) brings one refetch; after it the page is quiet, since the
    // fallback poll is a minute apart while the socket is up.
    await poll(() => timeline.join(' ')).toMatch(/refresh.* fetch/);
    const before = timeline.length;

    const slot = fx.slots[3]!;
    expect((await host().post(`/api/events/${fx.eventId}/slots/${slot.id}/open`)).status).toBe(200);
    await poll(() => page.getByTestId(`agenda-${slot.id}`).getAttribute('class')).toContain('open');
    // The socket's refresh, then the one refetch it asked for: not a poll, and nothing else.
    expect(timeline.slice(before)).toEqual(['refresh', 'fetch']);
    expect((await host().post(`/api/events/${fx.eventId}/slots/${slot.id}/close`)).status).toBe(200);
  });

  it('shows the stage timer of the slot when the judge state carries one', async () => {
    const judge = fx.judges[4]!;
    const context = await browser.newContext(PHONE);
    contexts.push(context);
    const page = await context.newPage();
    // The judge state does not carry timers yet (see the report): add one to the real answer, the
    // way the server is to send it (TimerView), relative to the server's clock.
    let timer: Record<string, unknown> | null = null;
    await page.route('**/api/judge/state', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { slots: { id: string; timer?: unknown }[] };
      for (const s of body.slots) if (timer && s.id === timer.slotId) s.timer = timer;
      await route.fulfill({ response, json: body });
    });
    const slot = fx.slots[4]!;
    const idle = { limitSec: 300, pausedAt: null, pausedMs: 0, extendedSec: 0, stoppedAt: null };
    // The server's clock is a minute ahead of the phone's: the page must read the timer in server
    // time (a phone reading it in its own time would see it not started yet: 5:00).
    server.clock.advance(60_000);
    const serverNow = () => server.clock.now().getTime();
    timer = {
      ...idle,
      slotId: slot.id,
      startedAt: new Date(serverNow() - 30_000).toISOString(),
      status: 'running',
    };
    await page.goto(`${server.origin}/judge/?t=${judge.token}`);
    await poll(() => page.getByTestId('stage-timer').count()).toBe(1);
    expect(await page.getByTestId('stage-timer').getAttribute('data-status')).toBe('running');
    // 5:00 allowed, 0:30 spoken: 4:30 left, counting down (the unit's name says whose timer it is).
    await poll(() => text(page, 'stage-timer')).toMatch(/4:(2\d|30)$/);
    expect(await text(page, 'stage-timer')).toContain(fx.units[4]!.name);
    const first = await text(page, 'stage-timer');
    await poll(() => text(page, 'stage-timer'), 3000).not.toBe(first);

    // Ten seconds over: shown as overtime.
    timer = {
      ...idle,
      slotId: slot.id,
      startedAt: new Date(serverNow() - 310_500).toISOString(),
      status: 'running',
    };
    await page.reload();
    await poll(() => text(page, 'stage-timer')).toMatch(/超时 0:1\d$/);
    expect(await page.getByTestId('stage-timer').getAttribute('class')).toContain('over');

    // An idle timer shows nothing.
    timer = { ...idle, slotId: slot.id, startedAt: null, status: 'idle' };
    await page.reload();
    await poll(() => page.getByTestId('event-title').count()).toBe(1);
    expect(await page.getByTestId('stage-timer').count()).toBe(0);
    server.clock.advance(-60_000);
  });

  it('over HTTPS on an intranet name the worker installs; over plain HTTP it does not, and scores still queue', async () => {
    let tlsServer: Server | null = null;
    let plainServer: Server | null = null;
    let tlsBrowser: Browser | null = null;
    try {
      const https = makeTestCertificate(INTRANET_HOST);
      tlsServer = new Server(database, https);
      await tlsServer.start();
      plainServer = new Server(database);
      await plainServer.start();
      tlsBrowser = await chromium.launch({
        executablePath: CHROMIUM_PATH,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-quic',
          `--host-resolver-rules=MAP ${INTRANET_HOST} 127.0.0.1`,
          // The test's certificate is self-signed; on phones, install the CA instead (docs/https.md).
          '--ignore-certificate-errors',
        ],
      });
      const judge = fx.judges[2]!;
      const slot = fx.slots[0]!;

      // HTTPS: a secure context, the worker installs, the session cookie is Secure.
      const secure = await tlsBrowser.newContext({ ...PHONE, ignoreHTTPSErrors: true });
      const sp = await secure.newPage();
      await sp.goto(`https://${INTRANET_HOST}:${tlsServer.port}/judge/?t=${judge.token}`);
      await poll(() => text(sp, 'unit-name')).toBe(fx.units[0]!.name);
      expect(await sp.evaluate(() => window.isSecureContext)).toBe(true);
      await poll(() =>
        sp.evaluate(
          async () => (await navigator.serviceWorker.getRegistration('/judge/'))?.active?.state ?? '',
        ),
      ).toBe('activated');
      const cookies = await secure.cookies();
      expect(cookies.length).toBeGreaterThan(0);
      expect(cookies.every((c) => c.secure)).toBe(true);
      await secure.close();

      // Plain HTTP on the same name: no worker, but a score made offline still waits on the phone.
      const plain = await tlsBrowser.newContext(PHONE);
      const pp = await plain.newPage();
      await pp.goto(`http://${INTRANET_HOST}:${plainServer.port}/judge/?t=${judge.token}`);
      await poll(() => text(pp, 'unit-name')).toBe(fx.units[0]!.name);
      expect(await pp.evaluate(() => window.isSecureContext)).toBe(false);
      expect(await pp.evaluate(() => 'serviceWorker' in navigator)).toBe(false);
      await plain.setOffline(true);
      for (const [i, v] of ['20', '20', '10', '5'].entries()) {
        await pp.getByTestId(`input-${fx.criteria[i]!.id}`).fill(v);
      }
      await pp.getByTestId('submit').tap();
      await poll(() => pp.getByTestId(`mine-${slot.id}`).getAttribute('data-state')).toBe('pending');
      await plain.setOffline(false);
      await poll(() => pp.getByTestId(`mine-${slot.id}`).getAttribute('data-state'), 30_000).toBe(
        'confirmed',
      );
      expect((await entriesOf(judge.id, slot.id)).map((e) => e.total)).toEqual([55]);
      await plain.close();
    } finally {
      await tlsBrowser?.close();
      await tlsServer?.stop();
      await plainServer?.stop();
    }
  });
});
