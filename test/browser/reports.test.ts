// A showcase report in Chromium: the reporter's form with its live preview is refused while a red
// required indicator is unexplained, then submitted; the organizer returns it with a comment on one
// item; the reporter fixes it and resubmits; the organizer compares the two submissions and approves.
// Every slide of the preview keeps its text inside its boxes, at 1920 × 1080. Then the hall: the host
// puts the unit on stage in slides mode, the big screen shows its deck with the timer and "N / M", the
// presenter's page turns it with the keys a clicker sends, and a judge's phone lists what it shows.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, signInPage, startServer, type TestServer } from '../support/browser.ts';
import { rows, testLinkToken } from '../support/factory.ts';
import { type Client, clientFor, loginAs, type SeededUser, seedUser } from '../support/http.ts';
import { type IndicatorFixture, seedIndicatorFixture } from '../support/indicator-fixtures.ts';
import { seedReportEvent, verifyFirstUnitQ2 } from '../support/report-setup.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'test-results');
const WIDE = { viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' };

describe('showcase reports in the console', () => {
  let browser: Browser;
  let server: TestServer;
  let organizer: SeededUser;
  let fx: IndicatorFixture;
  let eventId: string;
  let org: Client;
  let previousId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!inject('webBuilt')) throw new Error(inject('webBuildError') ?? 'the web apps were not built');
    server = await startServer();
    organizer = await seedUser(server.database, {
      role: 'organizer',
      username: 'kaohe',
      displayName: '考核办小王',
    });
    fx = await seedIndicatorFixture(server.database);
    eventId = await seedReportEvent(server.database.db, [fx.units[0]!.id]);
    org = clientFor(server.app, await loginAs(server.app, organizer.username, organizer.password));
    const rep = clientFor(
      server.app,
      await loginAs(server.app, fx.reporters[0]!.username, fx.reporters[0]!.password),
    );
    await verifyFirstUnitQ2(fx, rep, org);
    // A previous event whose template has its own look, to copy from.
    previousId = await seedReportEvent(server.database.db, [fx.units[1]!.id]);
    const tpl = (await org.get(`/api/events/${previousId}/reports/template`)).json;
    await org.put(`/api/events/${previousId}/reports/template`, {
      template: { ...tpl.template, look: { ...tpl.template.look, primaryColor: '#1d4ed8' } },
      periodKey: '2023-Q1',
      deadline: null,
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

  const signIn = (user: { username: string; password: string }): Promise<Page> =>
    signInPage(browser, server.baseUrl, user, WIDE, contexts);

  /** No text box or table of any slide in the preview scrolls: its content fits its box. */
  async function expectNoOverflow(page: Page) {
    const overflowing = await page.evaluate(() =>
      [
        ...document.querySelectorAll(
          '[data-testid="slide-text"], [data-testid="slide-table"] td, [data-testid="slide-table"] th',
        ),
      ]
        .filter((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
        .map((el) => el.textContent),
    );
    expect(overflowing).toEqual([]);
  }

  it('lets the organizer set the template, copy a look, and assign the required content in the console', async () => {
    const op = await signIn(organizer);
    await op.goto(`${server.baseUrl}/events/${eventId}/reports`);
    await op.getByTestId('report-template').waitFor();
    // Copy the previous event's look: its colour comes over, this event keeps its own title.
    await op.getByTestId('template-copy-from').click();
    await op.locator('.ant-select-item-option', { hasText: '永康市2023年上半年' }).last().click();
    await op.getByTestId('template-copy').click();
    await poll(() => op.getByTestId('template-primary').inputValue()).toBe('#1d4ed8');
    // The period this event's numbers come from, and the deadline; a bad date is refused on the field.
    await op.getByTestId('template-period').click();
    await op.locator('.ant-select-item-option', { hasText: '2023年第二季度' }).click();
    await op.getByTestId('template-deadline').fill('7月31日');
    await op.getByTestId('template-save').click();
    await poll(() => op.locator('.ant-form-item-explain-error').first().textContent()).toContain(
      '2023-07-27',
    );
    await op.getByTestId('template-deadline').fill('2099-07-31');
    await op.getByTestId('template-save').click();
    await poll(async () => (await org.get(`/api/events/${eventId}/reports/template`)).json).toMatchObject({
      periodKey: '2023-Q2',
      deadline: '2099-07-31',
      template: { look: { primaryColor: '#1d4ed8', eventTitle: '永康市2023年上半年“大晒拼”' } },
    });

    // The unit's required content: its two indicators.
    await op.getByTestId(`report-open-${fx.units[0]!.id}`).click();
    await op.getByTestId('report-required').waitFor();
    for (const ind of [fx.indicators.land, fx.indicators.air]) {
      await op.getByTestId('required-indicator').click();
      await op.locator('.ant-select-item-option', { hasText: ind.code }).click();
      await op.getByTestId('required-add-indicator').click();
    }
    await op.getByTestId('required-save').click();
    await poll(async () =>
      (await org.get(`/api/events/${eventId}/reports/${fx.units[0]!.id}/required`)).json.map(
        (r: { indicatorId: string }) => r.indicatorId,
      ),
    ).toEqual([fx.indicators.land.id, fx.indicators.air.id]);
    await poll(() => op.getByTestId('slide-row').count()).toBe(2);
    await op.screenshot({ path: join(SHOTS, 'report-template-1920.png'), fullPage: true });

    // The event's logo: uploaded on the template, drawn on the cover of the preview.
    await op.getByTestId('reports-back').click();
    const logo = await sharp({ create: { width: 900, height: 300, channels: 4, background: '#c8161d' } })
      .png()
      .toBuffer();
    await op
      .getByTestId('template-logo-input')
      .setInputFiles({ name: '标志.png', mimeType: 'image/png', buffer: logo });
    await poll(() => op.getByTestId('template-logo').getAttribute('data-has-logo')).toBe('true');
    await op.getByTestId(`report-open-${fx.units[0]!.id}`).click();
    const onCover = op.locator('[data-testid="slide-logo"] img').first();
    await onCover.waitFor({ timeout: 15_000 });
    await poll(() => onCover.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(600);
  });

  it('from a refused draft to an approved report, with a return and a comparison on the way', async () => {
    const rp = await signIn(fx.reporters[0]!);
    await rp.goto(`${server.baseUrl}/events/${eventId}/report`);
    await rp.getByTestId('report-editor').waitFor();
    // The red light is named before anything is typed, and the preview already has the numbers.
    await poll(() => rp.getByTestId('report-problems').textContent()).toContain(
      `必晒指标 ${fx.indicators.air.code} 亮红灯`,
    );
    expect(await rp.getByTestId('slide-row').count()).toBe(2);

    await rp.getByTestId('report-speaker').fill('自然资源局局长');
    await rp.getByTestId('report-add-highlights').click();
    await rp.getByTestId('report-highlight-0-title').fill('低效工业用地整治');
    await rp.getByTestId('report-highlight-0-text').fill('均实现时间过半、任务过半，腾出空间 560 亩。');
    // A key figure and a sideways phone photo: the figure is drawn above the text, the photo upright.
    await rp.getByTestId('report-highlight-0-add-figure').click();
    await rp.getByTestId('report-highlight-0-figure-0-value').fill('560亩');
    await rp.getByTestId('report-highlight-0-figure-0-label').fill('腾出空间');
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#2f7d4a' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    await rp
      .getByTestId('report-highlight-0-photo-input')
      .setInputFiles({ name: '现场.jpg', mimeType: 'image/jpeg', buffer: photo });
    const shown = rp.getByTestId('report-preview').locator('[data-testid="slide-photo"] img');
    await shown.waitFor({ timeout: 15_000 });
    await poll(() =>
      shown.evaluate((img: HTMLImageElement) => `${img.naturalWidth}x${img.naturalHeight}`),
    ).toBe('800x1200');
    expect(await rp.getByTestId('report-preview').textContent()).toContain('560亩');
    await rp.getByTestId('report-add-nextSteps').click();
    await rp.getByTestId('report-next-0-commitment').fill('年底前完成2400亩整治');
    await rp.getByTestId('report-next-0-owner').fill('耕保科');
    await rp.getByTestId('report-next-0-due').fill('2023-12-31');
    // The preview follows the typing.
    await poll(() => rp.getByTestId('report-preview').textContent()).toContain('特色亮点：低效工业用地整治');
    await rp.getByTestId('report-submit').click();
    await poll(() => rp.getByTestId('report-problems').textContent()).toContain('短板不足');
    expect(await rp.getByTestId('report-status').getAttribute('data-status')).toBe('draft');

    // The shortfall explains the red light: submitted.
    await rp.getByTestId('report-add-shortfalls').click();
    await rp.getByTestId('report-shortfall-0-indicator').click();
    await rp.locator('.ant-select-item-option', { hasText: fx.indicators.air.code }).click();
    await rp.getByTestId('report-shortfall-0-title').fill('空气质量改善滞后');
    await rp.getByTestId('report-shortfall-0-cause').fill('工地扬尘管控不到位。');
    await rp.getByTestId('report-shortfall-0-measure').fill('8月底前完成全部工地在线监测。');
    await rp.getByTestId('report-complete').waitFor();
    await rp.getByTestId('report-submit').click();
    await poll(() => rp.getByTestId('report-status').getAttribute('data-status')).toBe('submitted');
    await expectNoOverflow(rp);
    await rp.screenshot({ path: join(SHOTS, 'report-editor-1920.png'), fullPage: true });

    // The organizer returns it with a comment on the shortfall.
    const op = await signIn(organizer);
    await op.goto(`${server.baseUrl}/events/${eventId}/reports`);
    await op.getByTestId(`report-open-${fx.units[0]!.id}`).click();
    await op.getByTestId('report-return').click();
    await op.getByTestId('comment-path').click();
    await op.locator('.ant-select-item-option', { hasText: '短板不足 1' }).click();
    await op.getByTestId('comment-text').fill('举措要有责任人');
    await op.getByTestId('report-return-ok').click();
    await poll(() => op.getByTestId('report-status').getAttribute('data-status')).toBe('returned');

    // The reporter sees the comment, fixes, resubmits.
    await rp.reload();
    await poll(() => rp.getByTestId('report-comments').textContent()).toContain('举措要有责任人');
    await rp.getByTestId('report-shortfall-0-measure').fill('8月底前由环保科完成全部工地在线监测。');
    await rp.getByTestId('report-submit').click();
    await poll(() => rp.getByTestId('report-status').getAttribute('data-status')).toBe('submitted');

    // The organizer compares the two submissions and approves.
    await op.reload();
    await op.getByTestId(`report-open-${fx.units[0]!.id}`).click();
    await op.getByTestId('compare-from').click();
    await op.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'v1' }).click();
    // "To" starts at the latest version (v3).
    await poll(() => op.getByTestId('compare-changes').textContent()).toContain('由环保科');
    await op.getByTestId('report-verify').click();
    await poll(() => op.getByTestId('report-status').getAttribute('data-status')).toBe('verified');
    await expectNoOverflow(op);
    await op.screenshot({ path: join(SHOTS, 'report-review-1920.png'), fullPage: true });

    // For a look at the two pages on a laptop and on a phone.
    for (const [name, viewport] of [
      ['1440', { width: 1440, height: 900 }],
      ['390', { width: 390, height: 844 }],
    ] as const) {
      await op.setViewportSize(viewport);
      await op.goto(`${server.baseUrl}/events/${eventId}/reports`);
      await op.getByTestId('reports-tab').waitFor();
      await op.screenshot({ path: join(SHOTS, `report-list-${name}.png`), fullPage: true });
      await rp.setViewportSize(viewport);
      await rp.goto(`${server.baseUrl}/events/${eventId}/report`);
      await rp.getByTestId('report-editor').waitFor();
      await rp.screenshot({ path: join(SHOTS, `report-editor-${name}.png`), fullPage: true });
    }
  });

  it('presents the approved deck on the big screen, turned from the presenter page by keyboard', async () => {
    const unitId = fx.units[0]!.id;
    const slot = await server.database.db
      .selectFrom('slots')
      .select('id')
      .where('event_id', '=', eventId)
      .executeTakeFirstOrThrow();
    const count = (await org.get(`/api/events/${eventId}/reports/${unitId}/slides`)).json.slides.length;
    expect(count).toBeGreaterThanOrEqual(5);
    const link = (await org.post(`/api/events/${eventId}/screen-tokens`, { label: '主会场大屏' })).json;

    // The host console: the unit on stage, the screen in slides mode.
    const op = await signIn(organizer);
    expect((await org.post(`/api/events/${eventId}/current`, { slotId: slot.id })).status).toBe(200);
    await op.goto(`${server.baseUrl}/events/${eventId}/live`);
    await op.getByTestId('screen-mode-slides').click();
    await poll(() => op.getByTestId('slide-controls').getAttribute('data-count')).toBe(String(count));

    // The big screen follows, at 1920 × 1080: slide 1 of N, the timer in the corner, nothing overflowing.
    const hall = await browser.newContext(WIDE);
    contexts.push(hall);
    const screen = await hall.newPage();
    await screen.goto(`${server.baseUrl}/screen/${new URL(link.url).search}`);
    const shown = screen.getByTestId('mode-slides');
    await poll(() => shown.getAttribute('data-count')).toBe(String(count));
    expect(await shown.getAttribute('data-slide')).toBe('1');
    expect(await screen.getByTestId('timer').isVisible()).toBe(true);
    expect(await screen.getByTestId('slide-count').textContent()).toBe(`第 1 / ${count} 页`);
    await expectNoOverflow(screen);
    await screen.screenshot({ path: join(SHOTS, 'report-screen-1920.png') });

    // The presenter's page: the clicker's PageDown and the arrow keys turn the hall's slide.
    const presenter = await op.context().newPage();
    await presenter.setViewportSize({ width: 1440, height: 900 });
    await presenter.goto(`${server.baseUrl}/present/${eventId}`);
    await poll(() => presenter.getByTestId('presenter').getAttribute('data-count')).toBe(String(count));
    await presenter.keyboard.press('PageDown');
    await poll(() => shown.getAttribute('data-slide')).toBe('2');
    await poll(() => presenter.getByTestId('presenter').getAttribute('data-slide')).toBe('2');
    await presenter.keyboard.press('Space');
    await poll(() => shown.getAttribute('data-slide')).toBe('3');
    await presenter.keyboard.press('ArrowLeft');
    await poll(() => shown.getAttribute('data-slide')).toBe('2');
    expect(await screen.getByTestId('slide-count').textContent()).toBe(`第 2 / ${count} 页`);
    await expectNoOverflow(screen);
    await presenter.screenshot({ path: join(SHOTS, 'report-presenter-1440.png') });
    await screen.screenshot({ path: join(SHOTS, 'report-screen-slide2-1920.png') });
    // The host console shows the same slide.
    await poll(() => op.getByTestId('slide-controls').getAttribute('data-slide')).toBe('2');

    // A judge's phone, with the unit's slot open: the slide titles and the required indicators.
    const panel = rows.panel({ event_id: eventId });
    const judge = rows.judge({ event_id: eventId, panel_id: panel.id as string });
    const invite = rows.invite({ event_id: eventId, judge_id: judge.id as string });
    await server.database.db.insertInto('panels').values(panel).execute();
    await server.database.db.insertInto('judges').values(judge).execute();
    await server.database.db.insertInto('invites').values(invite).execute();
    await server.database.db
      .insertInto('criteria')
      .values(rows.criterion({ event_id: eventId }))
      .execute();
    expect((await org.post(`/api/events/${eventId}/slots/${slot.id}/open`)).status).toBe(200);
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    contexts.push(phone);
    const jp = await phone.newPage();
    await jp.goto(`${server.baseUrl}/judge/?t=${testLinkToken('invite', invite.id as string)}`);
    const outline = jp.getByTestId('report-outline');
    await outline.waitFor({ timeout: 15_000 });
    expect(await jp.getByTestId('outline-slides').textContent()).toContain('短板不足');
    expect(
      await jp
        .getByTestId('outline-indicator')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-light'))),
    ).toEqual(['green', 'red']);
    const wide = await jp.evaluate(() => document.documentElement.scrollWidth);
    expect(wide).toBeLessThanOrEqual(390);
    await outline.scrollIntoViewIfNeeded();
    await jp.screenshot({ path: join(SHOTS, 'report-judge-outline-390.png') });
    // One score form: the outline beside it is its own element.
    expect(await jp.locator('.criterion').count()).toBe(1);
  });
});
