// The event's end-to-end path in a real Chromium: the organizer builds an event in the console (rubric,
// two panels, three judges with one recusal, agenda), opens a slot; one judge scores on a phone; a
// second judge's network is cut before submitting and restored after; the organizer closes the slot
// and the results show the exact expected scores and ranks.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, startServer, type TestServer } from '../support/browser.ts';
import { type SeededUser, seedUser } from '../support/http.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'test-results');
const DESKTOP = { viewport: { width: 1440, height: 900 }, locale: 'zh-CN' };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' };

describe('a scored slot, from the console to the results', () => {
  let browser: Browser;
  let server: TestServer;
  let organizer: SeededUser;
  const contexts: BrowserContext[] = [];
  const units = { a: '东城街道', b: '西城街道' };

  beforeAll(async () => {
    if (!inject('webBuilt')) throw new Error(inject('webBuildError') ?? 'the web apps were not built');
    server = await startServer();
    organizer = await seedUser(server.database, {
      role: 'organizer',
      username: 'kaoheban',
      displayName: '考核办',
    });
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  const poll = <T>(fn: () => Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout, interval: 100 });

  async function newPage(options: object): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext(options);
    contexts.push(context);
    return { context, page: await context.newPage() };
  }

  async function clickFor(
    page: Page,
    locator: ReturnType<Page['getByTestId']>,
    method: string,
    path: RegExp,
  ) {
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === method && path.test(new URL(r.url()).pathname)),
      locator.click(),
    ]);
    expect(res.status(), `${method} ${path}`).toBe(200);
    return res;
  }

  async function pickOption(page: Page, testId: string, label: string): Promise<void> {
    await page.getByTestId(testId).click();
    await page.keyboard.type(label);
    await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`).click();
    await page.keyboard.press('Escape');
  }

  it('builds, scores (one judge offline for a while) and ranks exactly', async () => {
    // Units and their track exist already (they come from the org chart, imported earlier).
    const { page: console_ } = await newPage(DESKTOP);
    const page = console_;
    await page.goto(`${server.baseUrl}/`);
    await page.getByTestId('login-username').fill(organizer.username);
    await page.getByTestId('login-password').fill(organizer.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/events$/);
    const track = await page.request.post(`${server.baseUrl}/api/tracks`, {
      data: { nameZh: '镇街区组', nameEn: 'Towns' },
    });
    const trackId = ((await track.json()) as { id: string }).id;
    for (const [code, name] of [
      ['A01', units.a],
      ['A02', units.b],
    ] as const) {
      const r = await page.request.post(`${server.baseUrl}/api/units`, {
        data: { code, name, kind: 'street', trackId },
      });
      expect(r.status()).toBe(200);
    }
    await page.reload();

    // The event, with its track.
    await page.getByTestId('events-create').click();
    await page.getByTestId('event-title').fill('2023年上半年工作大晒拼');
    // The form preselects every track; ours is the only one.
    expect(await page.getByTestId('event-tracks').textContent()).toContain('镇街区组');
    await clickFor(page, page.getByTestId('event-create-save'), 'POST', /^\/api\/events$/);
    await page.waitForURL(/\/events\/[^/]+\/settings$/);
    const eventId = new URL(page.url()).pathname.split('/')[2]!;

    // Rubric: 工作实绩 60 + 精神面貌 40, step 0.5; panels 市领导 0.6 and 代表 0.4.
    await page.getByTestId('tab-rubric').click();
    await page.getByTestId('criterion-add').click();
    await page.getByTestId('criterion-add').click();
    await page.getByTestId('criterion-name-zh-0').fill('工作实绩');
    await page.getByTestId('criterion-max-0').fill('60');
    await page.getByTestId('criterion-step-0').fill('0.5');
    await page.getByTestId('criterion-name-zh-1').fill('精神面貌');
    await page.getByTestId('criterion-max-1').fill('40');
    await page.getByTestId('criterion-step-1').fill('0.5');
    await clickFor(page, page.getByTestId('criteria-save'), 'PUT', /\/criteria$/);
    await page.getByTestId('panel-add').click();
    await page.getByTestId('panel-add').click();
    await page.getByTestId('panel-name-0').fill('市领导');
    await page.getByTestId('panel-weight-0').fill('0.6');
    await page.getByTestId('panel-name-1').fill('代表');
    await page.getByTestId('panel-weight-1').fill('0.4');
    await poll(() => page.getByTestId('panel-share-0').textContent()).toContain('60');
    await clickFor(page, page.getByTestId('panels-save'), 'PUT', /\/panels$/);

    // Three judges: 甲 and 丙 in 市领导 (丙 affiliated with 东城街道: recused there), 乙 in 代表.
    await page.getByTestId('tab-judges').click();
    for (const [name, panel, affiliated] of [
      ['评委甲', '市领导', null],
      ['评委乙', '代表', null],
      ['评委丙', '市领导', units.a],
    ] as const) {
      await page.getByTestId('judges-create').click();
      await page.getByTestId('judge-name').fill(name);
      await pickOption(page, 'judge-panel', panel);
      if (affiliated) await pickOption(page, 'judge-units', affiliated);
      await clickFor(page, page.getByTestId('judge-save'), 'POST', /\/judges$/);
      await page.getByTestId(`judge-row-${name}`).waitFor();
    }
    expect(await page.getByTestId('judge-row-评委丙').getByTestId('recusal-tag').textContent()).toContain(
      units.a,
    );

    // Agenda: both units of the track.
    await page.getByTestId('tab-agenda').click();
    await page.getByTestId('agenda-add-all-0').click();
    await clickFor(page, page.getByTestId('agenda-save'), 'PUT', /\/agenda$/);

    // Live: open 东城街道.
    await page.getByTestId('tab-live').click();
    await page.getByTestId(`live-slot-${units.a}`).click();
    await clickFor(page, page.getByTestId('slot-open'), 'POST', /\/open$/);
    await poll(() => page.getByTestId('progress-counter').getAttribute('data-eligible')).toBe('2');

    const invites = (await (
      await page.request.get(`${server.baseUrl}/api/events/${eventId}/invites`)
    ).json()) as {
      judgeName: string;
      url: string;
    }[];
    const link = (name: string) => invites.find((i) => i.judgeName === name)!.url;

    // 评委甲 scores on a phone: 50.5 + 30 = 80.5.
    const jia = await newPage(PHONE);
    await jia.page.goto(link('评委甲'));
    await poll(() => jia.page.getByTestId('unit-name').textContent()).toContain(units.a);
    const criteria = await jia.page.locator('[data-testid^="input-"]').all();
    expect(criteria).toHaveLength(2);
    await criteria[0]!.fill('50.5');
    await criteria[1]!.fill('30');
    await poll(() => jia.page.getByTestId('total').textContent()).toContain('80.5');
    await jia.page.getByTestId('submit').click();
    await poll(() => jia.page.getByTestId('confirmation').textContent()).toContain('80.5');
    expect(await jia.page.getByTestId('confirmation').textContent()).toContain('已提交');
    await jia.page.screenshot({ path: join(SHOTS, 'e2e-judge-confirmed.png') });

    // 评委乙 loses the network before submitting 44 + 35.5 = 79.5; it waits, then goes through once.
    const yi = await newPage(PHONE);
    await yi.page.goto(link('评委乙'));
    await poll(() => yi.page.getByTestId('unit-name').textContent()).toContain(units.a);
    const yiInputs = await yi.page.locator('[data-testid^="input-"]').all();
    await yiInputs[0]!.fill('44');
    await yiInputs[1]!.fill('35.5');
    await yi.context.setOffline(true);
    await yi.page.getByTestId('submit').click();
    // 'waiting' = pending, waiting for the network (shown as 等待网络…).
    await poll(() => yi.page.getByTestId('bar-status').getAttribute('data-state')).toBe('waiting');
    expect(await yi.page.getByTestId('bar-status').textContent()).toContain('等待网络');
    const storedWhileOffline = await server.database.db
      .selectFrom('score_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event_id', '=', eventId)
      .executeTakeFirstOrThrow();
    expect(Number(storedWhileOffline.n)).toBe(1);
    await yi.context.setOffline(false);
    await poll(() => yi.page.getByTestId('confirmation').textContent(), 30_000).toContain('79.5');

    // 评委丙 is recused from 东城街道: the page says so and offers no inputs.
    const bing = await newPage(PHONE);
    await bing.page.goto(link('评委丙'));
    await bing.page.getByTestId('recusal-notice').waitFor();
    expect(await bing.page.getByTestId('submit').count()).toBe(0);

    // The console sees 2 of 2 and closes the slot.
    await poll(() => page.getByTestId('progress-counter').getAttribute('data-scored')).toBe('2');
    await page.getByTestId('slot-close').click();
    await clickFor(page, page.getByTestId('confirm-ok'), 'POST', /\/close$/);

    // 西城街道 is scored through the judges' API sessions (the phones above already proved the page):
    // 甲 70 and 丙 80 → 市领导 75; 乙 90 → 代表 90; 0.6 × 75 + 0.4 × 90 = 81.
    await page.getByTestId(`live-slot-${units.b}`).click();
    await clickFor(page, page.getByTestId('slot-open'), 'POST', /\/open$/);
    const slots = (await (await page.request.get(`${server.baseUrl}/api/events/${eventId}`)).json()) as {
      slots: { id: string; unitName: string }[];
      criteria: { id: string }[];
    };
    const slotB = slots.slots.find((s) => s.unitName === units.b)!.id;
    const [c1, c2] = slots.criteria.map((c) => c.id) as [string, string];
    for (const [judge, ctx, v1, v2] of [
      ['评委甲', jia.context, 40, 30],
      ['评委丙', bing.context, 50, 30],
      ['评委乙', yi.context, 55, 35],
    ] as const) {
      const r = await ctx.request.post(`${server.baseUrl}/api/judge/scores`, {
        data: { clientId: `e2e-${judge}-b-0001`, slotId: slotB, values: { [c1]: v1, [c2]: v2 } },
      });
      expect(r.status(), judge).toBe(200);
    }
    await poll(() => page.getByTestId('progress-counter').getAttribute('data-scored')).toBe('3');
    await page.getByTestId('slot-close').click();
    await clickFor(page, page.getByTestId('confirm-ok'), 'POST', /\/close$/);

    // Results: 东城街道 = 0.6 × 80.5 + 0.4 × 79.5 = 80.1 (丙 recused, nothing trimmed), rank 2;
    // 西城街道 = 81, rank 1.
    await page.getByTestId('tab-results').click();
    const rowA = page.getByTestId(`result-row-${units.a}`);
    const rowB = page.getByTestId(`result-row-${units.b}`);
    await rowA.waitFor();
    expect(await rowA.getAttribute('data-score')).toBe('80.1');
    expect(await rowA.getAttribute('data-rank')).toBe('2');
    expect(await rowB.getAttribute('data-score')).toBe('81');
    expect(await rowB.getAttribute('data-rank')).toBe('1');
    expect(await rowA.textContent()).toContain('80.10');
    await page.screenshot({ path: join(SHOTS, 'e2e-results.png'), fullPage: true });

    // Exactly one stored entry per judge and slot: the offline retry did not duplicate.
    const entries = await server.database.db
      .selectFrom('score_entries')
      .select(['judge_id', 'slot_id'])
      .where('event_id', '=', eventId)
      .execute();
    expect(entries).toHaveLength(5);
    expect(new Set(entries.map((e) => `${e.judge_id}/${e.slot_id}`)).size).toBe(5);
  });
});
