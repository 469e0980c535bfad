// The indicators' path in a real Chromium: a unit's reporter downloads the reporting template, fills it (the
// test writes the file with exceljs) with one bad value, uploads it and sees that one row rejected with
// its row, column and reason while the good row is applied; fixes the file and uploads it again. The
// organizer verifies one value and returns the other with a reason; the reporter sees the reason,
// resubmits, and the organizer verifies. The dashboard then shows the expected lights and counts.
//
// The server's clock is fixed at 2023-07-20 (Q2 2023 due 07-10, grace until 07-15), so the lights are
// deterministic: nothing reported for Q2 by now is 未按期报送.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, signInPage, startServer, type TestServer } from '../support/browser.ts';
import { clientFor, loginAs, type SeededUser, seedUser } from '../support/http.ts';
import { type IndicatorFixture, seedIndicatorFixture } from '../support/indicator-fixtures.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'test-results');
const DESKTOP = { viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true };
const PERIOD = '2023-Q2';
/** After Q2 2023's grace period (due 2023-07-10, 5 days of grace, UTC+8 deadlines). */
const NOW = new Date('2023-07-20T02:00:00.000Z');

/** Sets 本期实际 (and optionally 说明) of the rows with these codes in a downloaded template. */
async function fillTemplate(file: Buffer, values: Record<string, string | number>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('指标填报');
  if (!ws) throw new Error('the template has no 指标填报 sheet');
  const header = ws.getRow(1);
  const col = (name: string) => {
    let found = 0;
    header.eachCell((c, n) => {
      if (String(c.value).trim() === name) found = n;
    });
    if (!found) throw new Error(`the template has no ${name} column`);
    return found;
  };
  const codeCol = col('指标编码');
  const valueCol = col('本期实际');
  const seen = new Set<string>();
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const code = String(row.getCell(codeCol).value ?? '');
    if (code in values) {
      row.getCell(valueCol).value = values[code]!;
      seen.add(code);
    }
  });
  for (const code of Object.keys(values))
    if (!seen.has(code)) throw new Error(`no row for ${code} in the template`);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('indicators: reporting by Excel, review, lights on the dashboard', () => {
  let browser: Browser;
  let server: TestServer;
  let organizer: SeededUser;
  let fx: IndicatorFixture;
  let reporter: SeededUser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!inject('webBuilt')) throw new Error(inject('webBuildError') ?? 'the web apps were not built');
    server = await startServer();
    server.clock.set(NOW);
    organizer = await seedUser(server.database, {
      role: 'organizer',
      username: 'kaohe',
      displayName: '考核办小王',
    });
    fx = await seedIndicatorFixture(server.database);
    reporter = fx.reporters[0]!;
    // The other unit reported its service rate (84%: 20% done of 80 → 100, expected 49.6%: red) and the
    // organizer verified it; its phased investment indicator stays unreported (未按期报送).
    const org = clientFor(server.app, await loginAs(server.app, organizer.username, organizer.password));
    const svc = fx.indicators.service.id;
    expect(
      (await org.put(`/api/indicators/${svc}/actuals/${PERIOD}`, { value: 84, submit: true })).status,
    ).toBe(200);
    expect(
      (await org.post(`/api/indicators/${svc}/actuals/${PERIOD}/review`, { decision: 'verify' })).status,
    ).toBe(200);
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  const poll = <T>(fn: () => Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout, interval: 100 });

  const signIn = (user: SeededUser): Promise<Page> =>
    signInPage(browser, server.baseUrl, user, DESKTOP, contexts);

  /** Uploads a file through the hidden input and waits for the import's answer. */
  async function upload(page: Page, buffer: Buffer) {
    const [res] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/indicators/actuals/import'),
      page.getByTestId('actuals-import-input').setInputFiles({
        name: '指标填报.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer,
      }),
    ]);
    expect(res.status()).toBe(200);
    await page.getByTestId('actuals-import-result').waitFor();
  }

  async function closeResult(page: Page) {
    await page.getByTestId('actuals-import-close').click();
    await page.getByTestId('actuals-import-result').waitFor({ state: 'hidden' });
  }

  const statusOf = (page: Page, code: string) =>
    page.getByTestId(`actual-status-${code}`).getAttribute('data-status');
  const lightOf = (page: Page, code: string) => page.getByTestId(`light-${code}`).getAttribute('data-light');

  it('runs from the template to the lights', async () => {
    const land = fx.indicators.land.code;
    const air = fx.indicators.air.code;

    // ---- The reporter: template, a bad upload, the fixed upload.
    const rp = await signIn(reporter);
    await rp.goto(`${server.baseUrl}/indicators/actuals`);
    // The period being reported by the server's date is Q2.
    await poll(() => rp.getByTestId('period-picker').textContent()).toContain('2023年第二季度');
    await rp.getByTestId(`actual-row-${land}`).waitFor();
    expect(await rp.getByTestId(`actual-input-${land}`).isEnabled()).toBe(true);

    const [download] = await Promise.all([
      rp.waitForEvent('download'),
      rp.getByTestId('actuals-template').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(download.suggestedFilename()).toContain(fx.units[0]!.name);
    const template = readFileSync(await download.path());

    // Land: 1,300 of 2,400 亩 (54.2% ≥ 49.6%: green). Air quality: text where a number belongs.
    const bad = await fillTemplate(template, { [land]: 1300, [air]: '三十六' });
    await upload(rp, bad);
    const errorRows = rp.getByTestId('import-error-row');
    await poll(() => errorRows.count()).toBe(1);
    const rowText = (await errorRows.first().textContent()) ?? '';
    expect(rowText).toContain('3'); // the air row: header, land, air
    expect(rowText).toContain('本期实际');
    expect(rowText).toContain('「三十六」不是数字');
    expect(await rp.getByTestId('actuals-import-result').textContent()).toContain('已导入 1 行');
    await rp.screenshot({ path: join(SHOTS, 'indicators-import-rejected.png') });
    await closeResult(rp);
    // The good row was applied, the bad one was not.
    await poll(() => statusOf(rp, land)).toBe('submitted');
    expect(await statusOf(rp, air)).toBe('none');

    // Air quality 36 μg/m³ (lower is better, 40 → 30: 40% done, 9.6 points behind: yellow).
    const fixed = await fillTemplate(template, { [land]: 1300, [air]: 36 });
    await upload(rp, fixed);
    expect(await rp.getByTestId('import-error-row').count()).toBe(0);
    expect(await rp.getByTestId('actuals-import-result').textContent()).toContain(
      '已导入 1 行，未变化 1 行，未导入 0 行',
    );
    await closeResult(rp);
    await poll(() => statusOf(rp, air)).toBe('submitted');
    expect(await rp.getByTestId(`actual-input-${air}`).inputValue()).toBe('36');

    // ---- The organizer: verify land, return air with a reason.
    const op = await signIn(organizer);
    await op.goto(`${server.baseUrl}/indicators/actuals?tab=review&period=${PERIOD}`);
    await op.getByTestId(`review-row-${land}`).waitFor();
    expect(await op.getByTestId(`review-value-${air}`).textContent()).toContain('36');
    const [verified] = await Promise.all([
      op.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/review')),
      op.getByTestId(`review-verify-${land}`).click(),
    ]);
    expect(verified.status()).toBe(200);
    await op.getByTestId(`review-row-${land}`).waitFor({ state: 'detached' });
    await op.getByTestId(`review-return-${air}`).click();
    await op.getByTestId('review-return-reason').fill('请按市生态环境局月报口径核对后重新报送');
    const [returned] = await Promise.all([
      op.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/review')),
      op.getByTestId('review-return-ok').click(),
    ]);
    expect(returned.status()).toBe(200);
    await op.getByTestId(`review-row-${air}`).waitFor({ state: 'detached' });

    // ---- The reporter sees the reason, adds a note and submits again from the form.
    await rp.reload();
    await rp.getByTestId('returned-alert').waitFor();
    expect(await rp.getByTestId('returned-alert').textContent()).toContain(
      '请按市生态环境局月报口径核对后重新报送',
    );
    expect(await rp.getByTestId(`actual-return-reason-${air}`).textContent()).toContain('月报口径');
    expect(await statusOf(rp, land)).toBe('verified');
    expect(await rp.getByTestId(`actual-input-${land}`).isDisabled()).toBe(true);
    await rp.getByTestId(`actual-note-${air}`).fill('已按市生态环境局月报口径核对，数值无误');
    const [resubmitted] = await Promise.all([
      rp.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes(`/actuals/${PERIOD}`)),
      rp.getByTestId(`actual-submit-${air}`).click(),
    ]);
    expect(resubmitted.status()).toBe(200);
    await poll(() => statusOf(rp, air)).toBe('submitted');
    await rp.getByTestId('returned-alert').waitFor({ state: 'detached' });

    // ---- The organizer verifies the corrected value.
    await op.reload();
    await op.getByTestId(`review-row-${air}`).waitFor();
    await Promise.all([
      op.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/review')),
      op.getByTestId(`review-verify-${air}`).click(),
    ]);
    await op.getByTestId(`review-row-${air}`).waitFor({ state: 'detached' });

    // ---- The dashboard: green land, yellow air, red service rate, the unreported investment overdue.
    await op.goto(`${server.baseUrl}/indicators/overview?period=${PERIOD}`);
    await op.getByTestId('overview-heatmap').waitFor();
    await poll(() => op.getByTestId('count-green').textContent()).toBe('1');
    expect(await op.getByTestId('count-yellow').textContent()).toBe('1');
    expect(await op.getByTestId('count-red').textContent()).toBe('1');
    expect(await op.getByTestId('count-overdue').textContent()).toBe('1');
    expect(await op.getByTestId('count-grey').textContent()).toBe('0');
    expect(await lightOf(op, fx.indicators.service.code)).toBe('red');
    expect(await lightOf(op, fx.indicators.investment.code)).toBe('overdue');
    await op.screenshot({ path: join(SHOTS, 'indicators-overview.png'), fullPage: true });

    // Click through from a laggard to its indicator, then to its unit.
    await op.getByTestId(`laggard-${air}`).getByText(fx.indicators.air.name).click();
    await op.waitForURL(/\/indicators\/items\//);
    await poll(() => op.getByTestId(`history-light-${PERIOD}`).getAttribute('data-light')).toBe('yellow');
    await op.getByTestId('indicator-history-chart').locator('canvas').first().waitFor();
    await op.getByRole('link', { name: fx.units[0]!.name }).first().click();
    await op.waitForURL(/\/indicators\/units\//);
    await poll(() => lightOf(op, land)).toBe('green');
    expect(await lightOf(op, air)).toBe('yellow');
    expect(await op.getByTestId('unit-dashboard-name').textContent()).toBe(fx.units[0]!.name);
    await op.getByTestId('unit-completion-chart').locator('canvas').first().waitFor();
    await op.screenshot({ path: join(SHOTS, 'indicators-unit.png'), fullPage: true });

    // The reporter's own view of the dashboard agrees.
    await rp.goto(`${server.baseUrl}/indicators/units/${fx.units[0]!.id}?period=${PERIOD}`);
    await poll(() => lightOf(rp, land)).toBe('green');
    expect(await lightOf(rp, air)).toBe('yellow');
    // On the city overview the reporter reads every laggard but links only to their own unit's pages.
    await rp.goto(`${server.baseUrl}/indicators/overview?period=${PERIOD}`);
    await rp.getByTestId(`laggard-${air}`).waitFor();
    expect(await rp.getByTestId(`laggard-${air}`).getByRole('link').count()).toBe(2);
    const other = rp.getByTestId(`laggard-${fx.indicators.service.code}`);
    expect(await other.textContent()).toContain(fx.indicators.service.name);
    expect(await other.getByRole('link').count()).toBe(0);

    // A leader's 指标管理 list shows every indicator's light (one request for them all), never "—".
    const leader = await seedUser(server.database, {
      role: 'leader',
      username: 'lingdao',
      displayName: '领导',
    });
    const lp = await signIn(leader);
    const lightRequests: string[] = [];
    lp.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/dashboard/')) lightRequests.push(path);
    });
    await lp.goto(`${server.baseUrl}/indicators/manage/indicators?period=${PERIOD}`);
    await poll(() => lightOf(lp, land)).toBe('green');
    expect(await lightOf(lp, air)).toBe('yellow');
    expect(await lightOf(lp, fx.indicators.service.code)).toBe('red');
    expect(lightRequests).toEqual(['/api/dashboard/lights']);
  });
});
