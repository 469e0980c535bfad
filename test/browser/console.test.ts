// The organizer console in a real Chromium against the real server: sign in, units (create, an Excel
// import whose bad row is listed with its row number and reason, nothing half-imported), an event with
// a rubric, a panel and a judge whose QR code shows; then the host console on a ready event: open a
// unit, watch "N / M 已评分" with the missing judges' names, close it, and see it in the results.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, startServer, type TestServer } from '../support/browser.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';
import { type SeededUser, seedUser } from '../support/http.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'test-results');
const DESKTOP = { viewport: { width: 1440, height: 900 }, locale: 'zh-CN' };

async function unitsWorkbook(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('单位');
  ws.addRow(['编码', '名称', '简称', '类型', '组别']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('organizer console', () => {
  let browser: Browser;
  let server: TestServer;
  let organizer: SeededUser;
  let fx: EventFixture;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!inject('webBuilt'))
      throw new Error(
        inject('webBuildError') ?? 'the web apps were not built (web/index.html or web/judge.html missing)',
      );
    server = await startServer();
    organizer = await seedUser(server.database, {
      role: 'organizer',
      username: 'kaohe',
      displayName: '考核办小王',
    });
    fx = await seedEventFixture(server.database, {
      title: '2023年上半年大晒拼',
      unitsPerTrack: 2,
      judgesPerPanel: 2,
    });
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  const poll = <T>(fn: () => Promise<T>, timeout = 10_000) => expect.poll(fn, { timeout, interval: 100 });

  async function signedIn(): Promise<Page> {
    const context = await browser.newContext(DESKTOP);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/`);
    await page.waitForURL(/\/login$/);
    await page.getByTestId('login-username').fill(organizer.username);
    await page.getByTestId('login-password').fill(organizer.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/events$/);
    await expect.poll(() => page.getByTestId('header-user').textContent()).toContain('考核办小王');
    return page;
  }

  /** Clicks and waits for the API answer of that action; returns its status. */
  async function clickFor(page: Page, testId: string, method: string, path: RegExp): Promise<number> {
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === method && path.test(new URL(r.url()).pathname)),
      page.getByTestId(testId).click(),
    ]);
    return res.status();
  }

  it('signs in, creates a unit, lists every bad row of a failed import, then imports the fixed file', async () => {
    const page = await signedIn();
    await page.getByTestId('menu-units').click();
    await page.waitForURL(/\/units$/);

    // Create a unit in the drawer.
    await page.getByTestId('units-create').click();
    await page.getByTestId('unit-code').fill('C001');
    await page.getByTestId('unit-name').fill('城东街道');
    expect(await clickFor(page, 'unit-save', 'POST', /^\/api\/units$/)).toBe(200);
    await page.getByTestId('unit-row-C001').waitFor();
    expect(await page.getByTestId('unit-row-C001').textContent()).toContain('城东街道');

    // A code already taken is said on the code field, where the user looks, not in a passing toast.
    await page.getByTestId('units-create').click();
    await page.getByTestId('unit-code').fill('C001');
    await page.getByTestId('unit-name').fill('另一个街道');
    expect(await clickFor(page, 'unit-save', 'POST', /^\/api\/units$/)).toBe(409);
    const codeItem = page.locator('.ant-form-item', { has: page.getByTestId('unit-code') });
    await codeItem.locator('.ant-form-item-explain-error').waitFor();
    expect(await codeItem.locator('.ant-form-item-explain-error').textContent()).toBe(
      '编码「C001」已被使用，请换一个',
    );
    expect(await page.locator('.ant-message').getByText('编码「C001」').count()).toBe(0);
    await page.getByRole('button', { name: /取\s*消/ }).click();

    // A file with one bad row (row 3: unknown kind) is refused whole, with the row listed.
    const bad = await unitsWorkbook([
      ['C002', '新城镇', '', '镇', '镇街区组'],
      ['C003', '月亮街道', '', '星球', '镇街区组'],
    ]);
    const [res] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/units/import'),
      page.getByTestId('units-import-input').setInputFiles({
        name: 'units.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: bad,
      }),
    ]);
    expect(res.status()).toBe(400);
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    const rows = errors.getByTestId('import-error-row');
    await poll(() => rows.count()).toBe(1);
    const row = (await rows.first().textContent()) ?? '';
    expect(row).toContain('3');
    expect(row).toContain('类型');
    expect(row).toContain('类型应为');
    await page.screenshot({ path: join(SHOTS, 'console-import-errors.png') });
    await page.keyboard.press('Escape');
    await errors.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('unit-row-C002').count()).toBe(0);

    // The fixed file goes in, the track named in it included.
    const good = await unitsWorkbook([
      ['C002', '新城镇', '', '镇', '镇街区组'],
      ['C003', '月亮街道', '', '街道', '镇街区组'],
    ]);
    const [ok] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/units/import'),
      page
        .getByTestId('units-import-input')
        .setInputFiles({ name: 'units.xlsx', mimeType: 'application/octet-stream', buffer: good }),
    ]);
    expect(ok.status()).toBe(200);
    await page.getByTestId('unit-row-C003').waitFor();
    expect(await page.getByTestId('unit-row-C003').textContent()).toContain('镇街区组');
  });

  it('creates an event with a two-criterion rubric and a panel, adds a judge and shows their QR code', async () => {
    const page = await signedIn();
    await page.getByTestId('events-create').click();
    await page.getByTestId('event-title').fill('2024年上半年大晒拼');
    await page.getByTestId('event-venue').fill('市行政中心大礼堂');
    expect(await clickFor(page, 'event-create-save', 'POST', /^\/api\/events$/)).toBe(200);
    await page.waitForURL(/\/events\/[^/]+\/settings$/);
    expect(await page.getByTestId('event-heading').textContent()).toBe('2024年上半年大晒拼');
    const eventId = new URL(page.url()).pathname.split('/')[2]!;

    // Rubric: two criteria, total shown.
    await page.getByTestId('tab-rubric').click();
    await page.waitForURL(/\/rubric$/);
    await page.getByTestId('criterion-add').click();
    await page.getByTestId('criterion-add').click();
    await page.getByTestId('criterion-name-zh-0').fill('工作实绩');
    await page.getByTestId('criterion-max-0').fill('60');
    await page.getByTestId('criterion-name-zh-1').fill('特色亮点');
    await page.getByTestId('criterion-max-1').fill('40');
    await page.getByTestId('criterion-step-1').fill('0.5');
    await poll(() => page.getByTestId('rubric-total').textContent()).toContain('100');
    expect(await clickFor(page, 'criteria-save', 'PUT', /\/criteria$/)).toBe(200);

    // One panel; its weight is shown as a share of the total.
    await page.getByTestId('panel-add').click();
    await page.getByTestId('panel-name-0').fill('市领导组');
    await poll(() => page.getByTestId('panel-share-0').textContent()).toContain('100');
    expect(await clickFor(page, 'panels-save', 'PUT', /\/panels$/)).toBe(200);

    const stored = await server.database.db
      .selectFrom('criteria')
      .select(['name_zh', 'max_points', 'step'])
      .where('event_id', '=', eventId)
      .orderBy('sort')
      .execute();
    expect(stored.map((c) => [c.name_zh, Number(c.max_points), Number(c.step)])).toEqual([
      ['工作实绩', 60, 1],
      ['特色亮点', 40, 0.5],
    ]);

    // A judge: the panel is preselected; the invite is issued with the judge.
    await page.getByTestId('tab-judges').click();
    await page.waitForURL(/\/judges$/);
    // The console was opened at 127.0.0.1 without PUBLIC_URL: the QR codes would point to this machine,
    // and the tab says so before anything is printed.
    const address = page.getByTestId('invite-address');
    await address.waitFor();
    expect(await address.getAttribute('data-local-only')).toBe('true');
    expect(await address.textContent()).toContain('（本机地址），评委的手机无法打开');
    expect(await address.textContent()).toContain('PUBLIC_URL');
    await page.getByTestId('judges-create').click();
    await page.getByTestId('judge-name').fill('李评委');
    await page.getByTestId('judge-title').fill('市人大代表');
    // Affiliated with a unit (回避): picked from the searchable multi-select.
    const affiliated = fx.units[1]!.name;
    await page.getByTestId('judge-units').click();
    await page.keyboard.type(affiliated);
    await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${affiliated}"]`).click();
    await page.keyboard.press('Escape');
    expect(await clickFor(page, 'judge-save', 'POST', /\/judges$/)).toBe(200);
    const judgeRow = page.getByTestId('judge-row-李评委');
    await judgeRow.waitFor();
    expect(await judgeRow.textContent()).toContain('市领导组');
    expect(await judgeRow.getByTestId('recusal-tag').textContent()).toContain(affiliated);

    await judgeRow.getByTestId('judge-qr').click();
    const img = page.getByTestId('qr-image');
    await img.waitFor();
    await poll(() =>
      img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0),
    ).toBe(true);
    expect(await page.getByTestId('qr-url').inputValue()).toMatch(/\/judge\/\?t=[A-Za-z0-9_-]{16,}/);
    await page.screenshot({ path: join(SHOTS, 'console-judge-qr.png') });
  });

  it('runs a unit from the host console: open, live "N / M" with missing names, close, results', async () => {
    const page = await signedIn();
    await page.screenshot({ path: join(SHOTS, 'console-events.png') });
    await page.getByTestId(`event-row-${fx.eventId}`).getByTestId('event-link').click();
    await page.getByTestId('tab-live').click();
    await page.waitForURL(/\/live$/);

    const unit = fx.units[0]!;
    await page.getByTestId(`live-slot-${unit.name}`).click();
    const control = page.getByTestId('slot-control');
    await control.waitFor();
    expect(await page.getByTestId('slot-unit').textContent()).toBe(unit.name);
    expect(await clickFor(page, 'slot-open', 'POST', /\/open$/)).toBe(200);
    await poll(() => control.getAttribute('data-slot-state')).toBe('open');

    // judges[0] is affiliated with units[0]: 4 judges, 3 eligible, all 3 still missing.
    const counter = page.getByTestId('progress-counter');
    await poll(() => counter.textContent()).toBe('0 / 3');
    await poll(() => page.getByTestId('missing-judge').count()).toBe(3);
    const missing = await page.getByTestId('missing-judge').allTextContents();
    expect(missing).not.toContain(fx.judges[0]!.name);
    await page.screenshot({ path: join(SHOTS, 'console-live.png') });

    await page.getByTestId('slot-close').click();
    expect(await clickFor(page, 'confirm-ok', 'POST', /\/close$/)).toBe(200);
    await poll(() => control.getAttribute('data-slot-state')).toBe('closed');
    await page.getByTestId('slot-reopen').waitFor();

    await page.getByTestId('tab-results').click();
    await page.waitForURL(/\/results$/);
    const row = page.getByTestId(`result-row-${unit.name}`);
    await row.waitFor();
    expect(await row.textContent()).toContain('0/3');
    expect((await page.getByTestId('ledger-head').textContent())?.length).toBeGreaterThan(16);
  });

  it('switches the whole console to English', async () => {
    const page = await signedIn();
    await page.getByTestId('lang-switch').click();
    await page.locator('.ant-select-item-option[title="English"]').click();
    await poll(() => page.getByTestId('sign-out').textContent()).toContain('Sign out');
    await poll(() => page.getByTestId('menu-events').textContent()).toContain('Events');
  });
});
