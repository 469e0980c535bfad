// The console on a phone (390 × 844, as leaders and reporters open links in WeChat or DingTalk), over
// the demo with a simulated event: on every page a leader, a reporter or the organizer opens there,
// nothing overflows the page horizontally (a table may scroll inside its own box), no text is laid out
// one character per line, and the menu does not cover the header — it opens from a header button. Each
// role lands on its own start page. A last look at 1440 px: the side menu is back, no menu button.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findDemoEventId, seedDemo } from '../../src/demo/seed.ts';
import { simulateEvent } from '../../src/demo/simulate.ts';
import { launchBrowser, signInPage, startServer, type TestServer } from '../support/browser.ts';
import { TEST_LINK_KEY } from '../support/factory.ts';
import { clientFor, loginAs } from '../support/http.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'phone');
const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  locale: 'zh-CN',
};
const DESKTOP = { viewport: { width: 1440, height: 900 }, locale: 'zh-CN' };
/** After Q2 2023's grace period: the demo's lights as the article tells them. */
const NOW = new Date('2023-07-20T02:00:00.000Z');
const PERIOD = '2023-Q2';

/** The demo's accounts (README.md). */
const accounts = {
  organizer: { username: 'admin', password: 'shaipin-admin' },
  leader: { username: 'leader', password: 'shaipin-leader' },
  observer: { username: 'observer', password: 'shaipin-observer' },
  reporter: { username: 'dongcheng', password: 'shaipin-reporter' },
} as const;
type Who = keyof typeof accounts;

interface Layout {
  scrollWidth: number;
  innerWidth: number;
  /** Texts laid out about one character per line, with their box. */
  squeezed: string[];
  /** What covers the header (or leaves it narrower than the screen), if anything. */
  headerProblems: string[];
}

/**
 * Runs in the page: the page's width against the window's, every visible element whose own text (two
 * or more Han or Latin letters) sits in a box at least three lines high but narrower than two
 * characters, and whether the header spans the screen with nothing over its controls.
 */
function measureLayout(): Layout {
  const letters = /[\p{Script=Han}A-Za-z]/gu;
  const squeezed: string[] = [];
  for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
    const own = Array.from(el.childNodes)
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent ?? '')
      .join('')
      .trim();
    if ((own.match(letters) ?? []).length < 2) continue;
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    const font = Number.parseFloat(style.fontSize);
    const line = style.lineHeight === 'normal' ? font * 1.2 : Number.parseFloat(style.lineHeight);
    if (box.height >= 3 * line && box.width < 2 * font)
      squeezed.push(`"${own.slice(0, 40)}" ${Math.round(box.width)}×${Math.round(box.height)}px`);
  }
  const headerProblems: string[] = [];
  const header = document.querySelector<HTMLElement>('.ant-layout-header');
  if (!header) headerProblems.push('no header');
  else {
    const h = header.getBoundingClientRect();
    if (h.left > 1 || h.right < window.innerWidth - 1)
      headerProblems.push(`the header spans ${Math.round(h.left)}–${Math.round(h.right)}px only`);
    // Its controls: visible, on screen, and the topmost thing where one would tap them.
    const controls = Array.from(header.querySelectorAll<HTMLElement>('button, [data-testid="header-user"]'));
    for (const c of controls) {
      const r = c.getBoundingClientRect();
      const name = c.dataset.testid ?? c.getAttribute('aria-label') ?? c.textContent ?? c.tagName;
      if (r.left < 0 || r.right > window.innerWidth) {
        headerProblems.push(`${name} is off screen (${Math.round(r.left)}–${Math.round(r.right)}px)`);
        continue;
      }
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!top || !c.contains(top))
        headerProblems.push(`${name} is covered by ${top ? `${top.tagName}.${top.className}` : 'nothing'}`);
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    squeezed,
    headerProblems,
  };
}

describe('the console on a phone', () => {
  let browser: Browser;
  let server: TestServer;
  let eventId: string;
  let unitId: string;
  let indicatorId: string;
  let returnedCode: string;
  const contexts: BrowserContext[] = [];
  const pages = new Map<Who, Page>();

  beforeAll(async () => {
    if (!inject('webBuilt')) throw new Error(inject('webBuildError') ?? 'the web apps were not built');
    server = await startServer({
      seed: async (database) => {
        await seedDemo(database, TEST_LINK_KEY);
        const id = await findDemoEventId(database.db);
        if (!id) throw new Error('the demo has no event');
        await simulateEvent(database, { eventId: id, seed: 'phone' });
      },
    });
    server.clock.set(NOW);
    eventId = (await findDemoEventId(server.database.db))!;
    const org = clientFor(
      server.app,
      await loginAs(server.app, accounts.organizer.username, accounts.organizer.password),
    );
    const units = (await org.get('/api/units')).json as { id: string; name: string }[];
    unitId = units.find((u) => u.name === '东城街道')!.id;
    // The organizer returns one of 东城街道's submitted values: the reporter's page then leads with it.
    const queue = (await org.get(`/api/dashboard/review?period=${PERIOD}`)).json as {
      items: { status: { indicatorId: string; code: string; unitId: string } }[];
    };
    const own = queue.items.find((i) => i.status.unitId === unitId);
    if (!own) throw new Error('the demo has no submitted value of 东城街道 to return');
    returnedCode = own.status.code;
    const returned = await org.post(`/api/indicators/${own.status.indicatorId}/actuals/${PERIOD}/review`, {
      decision: 'return',
      reason: '与街道台账核对不一致，请附上工程清单后重新报送',
    });
    expect(returned.status).toBe(200);
    const overview = (await org.get(`/api/dashboard/overview?period=${PERIOD}`)).json as {
      laggards: { indicatorId: string }[];
    };
    indicatorId = overview.laggards[0]!.indicatorId;
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  const signIn = (who: Who, options: object = PHONE): Promise<Page> =>
    signInPage(browser, server.baseUrl, accounts[who], options, contexts);

  async function phoneOf(who: Who): Promise<Page> {
    let page = pages.get(who);
    if (!page) {
      page = await signIn(who);
      pages.set(who, page);
    }
    return page;
  }

  /** Waits until the page has its data: no request in flight, no spinner or skeleton, one more frame. */
  async function settle(page: Page, ready: string) {
    await page.locator(ready).first().waitFor();
    await page.waitForLoadState('networkidle');
    await expect
      .poll(() => page.locator('.ant-spin-spinning, .ant-skeleton, [data-testid="loading"]').count(), {
        timeout: 15_000,
      })
      .toBe(0);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }

  async function expectFits(page: Page, name: string) {
    const layout = await page.evaluate(measureLayout);
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
    expect(layout.squeezed, `${name}: text one character per line`).toEqual([]);
    expect(layout.headerProblems, `${name}: the header`).toEqual([]);
    expect(layout.scrollWidth, `${name}: the page's width`).toBeLessThanOrEqual(layout.innerWidth);
    expect(layout.innerWidth).toBe(PHONE.viewport.width);
  }

  // [who, page name, path (null: where the sign-in lands), an element that shows the page has its data]
  const cases: [Who, string, () => string, string][] = [
    ['leader', 'overview', () => '/indicators/overview', '[data-testid="count-red"]'],
    [
      'leader',
      'unit',
      () => `/indicators/units/${unitId}?period=${PERIOD}`,
      '[data-testid="unit-indicators"]',
    ],
    [
      'leader',
      'indicator',
      () => `/indicators/items/${indicatorId}?period=${PERIOD}`,
      '[data-testid="indicator-dashboard"]',
    ],
    ['leader', 'rankings', () => '/indicators/rankings', '[data-testid="rankings-table"]'],
    ['leader', 'results', () => `/events/${eventId}/results`, '[data-testid="ledger-head"]'],
    ['reporter', 'entry', () => '/indicators/actuals', '[data-testid="returned-alert"]'],
    [
      'reporter',
      'my-unit',
      () => `/indicators/units/${unitId}?period=${PERIOD}`,
      '[data-testid="unit-indicators"]',
    ],
    ['reporter', 'reporter-results', () => `/events/${eventId}/results`, '[data-testid="ledger-head"]'],
    ['organizer', 'events', () => '/events', '[data-testid="event-link"]'],
    ['organizer', 'event-results', () => `/events/${eventId}/results`, '[data-testid="ledger-head"]'],
    ['organizer', 'accounts', () => '/accounts', '[data-testid="account-row-admin"]'],
    ['organizer', 'review', () => '/indicators/actuals?tab=review', '[data-testid="review-queue"]'],
  ];

  it('lands each role on its start page', async () => {
    const leader = await phoneOf('leader');
    await leader.waitForURL(/\/indicators\/overview$/);
    await settle(leader, '[data-testid="count-red"]');
    await expectFits(leader, 'leader-landing');

    const reporter = await phoneOf('reporter');
    await reporter.waitForURL(/\/indicators\/actuals$/);
    await settle(reporter, '[data-testid^="actual-row-"]');
    // The returned value is the first thing the reporter reads.
    await reporter.getByTestId('returned-alert').waitFor();
    expect(await reporter.getByTestId(`actual-status-${returnedCode}`).getAttribute('data-status')).toBe(
      'returned',
    );

    const organizer = await phoneOf('organizer');
    await organizer.waitForURL(/\/events$/);
    const observer = await signIn('observer');
    await observer.waitForURL(/\/events$/);
  });

  it.each(cases)('%s: %s fits the phone', async (who, name, path, ready) => {
    const page = await phoneOf(who);
    await page.goto(`${server.baseUrl}${path()}`);
    await settle(page, ready);
    await expectFits(page, name);
  });

  it('opens the menu from the header and closes it on the way to a page', async () => {
    // Straight after signing in: the landing page may still be loading when the button is tapped.
    const page = await signIn('reporter');
    await page.waitForURL(/\/indicators\/actuals$/);
    // Closed, the menu takes no room: its items are not on the page.
    expect(await page.getByTestId('menu-ind-my-unit').isVisible()).toBe(false);
    await page.getByTestId('menu-toggle').tap();
    await settle(page, '[data-testid^="actual-row-"]');
    // Still open once the page has its data.
    expect(await page.getByTestId('menu-ind-my-unit').isVisible()).toBe(true);
    expect(await page.getByTestId('menu-toggle').getAttribute('aria-expanded')).toBe('true');
    await page.screenshot({ path: join(SHOTS, 'menu-open.png') });
    await page.getByTestId('menu-ind-my-unit').tap();
    await page.waitForURL(/\/indicators\/units\//);
    await expect.poll(() => page.getByTestId('menu-ind-my-unit').isVisible()).toBe(false);
    await settle(page, '[data-testid="unit-indicators"]');
    await expectFits(page, 'my-unit-from-menu');
  });

  it('keeps the side menu on a desktop', async () => {
    const page = await signIn('leader', DESKTOP);
    await page.waitForURL(/\/indicators\/overview$/);
    await settle(page, '[data-testid="count-red"]');
    expect(await page.getByTestId('menu-ind-overview').isVisible()).toBe(true);
    expect(await page.getByTestId('menu-toggle').count()).toBe(0);
    const header = await page.getByTestId('console-header').boundingBox();
    const menu = await page.getByTestId('menu-ind-overview').boundingBox();
    expect(header && menu && menu.x + menu.width <= header.x).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'desktop-overview.png') });
  });

  it('shows each role the results files it may take, and no button that would be refused', async () => {
    const buttons = async (who: Who) => {
      const page = await phoneOf(who);
      await page.goto(`${server.baseUrl}/events/${eventId}/results`);
      await settle(page, '[data-testid="ledger-head"]');
      const shown: string[] = [];
      for (const id of ['results-export-xlsx', 'results-export-json', 'results-print'])
        if ((await page.getByTestId(id).count()) > 0) shown.push(id.replace('results-', ''));
      return shown;
    };
    const all = ['export-xlsx', 'export-json', 'print'];
    // Not yet published: the organizer and the observer take everything, a leader and a reporter nothing.
    expect(await buttons('organizer')).toEqual(all);
    expect(await buttons('observer')).toEqual(all);
    expect(await buttons('leader')).toEqual([]);
    expect(await buttons('reporter')).toEqual([]);

    const org = clientFor(
      server.app,
      await loginAs(server.app, accounts.organizer.username, accounts.organizer.password),
    );
    const published = await org.post(`/api/events/${eventId}/publish`, {
      quorumReason: '演示活动：评委均已到场',
    });
    expect(published.status).toBe(200);
    // Published: a leader takes the workbook and the print, never the ledger's JSON; and they work.
    expect(await buttons('leader')).toEqual(['export-xlsx', 'print']);
    expect(await buttons('reporter')).toEqual([]);
    const leader = await phoneOf('leader');
    const [download] = await Promise.all([
      leader.waitForEvent('download'),
      leader.getByTestId('results-export-xlsx').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(await download.failure()).toBeNull();
  });
});
