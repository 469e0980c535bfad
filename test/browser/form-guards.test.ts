// Two guards of the organizer's forms in a real Chromium. Unsaved rubric and agenda edits are not lost
// without asking: switching tab, the side menu, the back link and closing the browser tab all ask
// first, and "stay" keeps the user where they were with their edits (the browser's back and forward
// buttons are not held: see web/console/components/UnsavedChanges.tsx). Dates typed in the
// usual Chinese forms (2023/8/3, 2023.8.3, 20230803, 2023年8月3日) are taken and shown in the picker's
// format; a text that is no date empties the field and says so, it never turns into today.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, signInPage, startServer, type TestServer } from '../support/browser.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';
import { type SeededUser, seedUser } from '../support/http.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'test-results');
const DESKTOP = { viewport: { width: 1440, height: 900 }, locale: 'zh-CN' };
const LEAVE_TITLE = '有未保存的修改，确定离开吗？';

describe('form guards in the organizer console', () => {
  let browser: Browser;
  let server: TestServer;
  let organizer: SeededUser;
  let fx: EventFixture;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!inject('webBuilt')) throw new Error(inject('webBuildError') ?? 'the web apps were not built');
    server = await startServer();
    organizer = await seedUser(server.database, {
      role: 'organizer',
      username: 'kaoheban',
      displayName: '考核办小李',
    });
    fx = await seedEventFixture(server.database, { title: '2023年下半年大晒拼', unitsPerTrack: 2 });
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
    const page = await signInPage(browser, server.baseUrl, organizer, DESKTOP, contexts);
    await page.waitForURL(/\/events$/);
    return page;
  }

  /** The event page's shown tab (its label's test id is tab-<key>). */
  const selectedTab = async (page: Page) =>
    (
      await page
        .getByRole('tab', { selected: true })
        .locator('[data-testid^="tab-"]')
        .getAttribute('data-testid')
    )?.slice(4);

  /** Opens a tab of the event page and waits until it shows (a click while the previous tab is still
   * loading would be taken for a click on the still-active tab). */
  async function openTab(page: Page, tab: string): Promise<void> {
    await page.getByTestId(`tab-${tab}`).click();
    await page.waitForURL(new RegExp(`/${tab}$`));
    await poll(() => selectedTab(page)).toBe(tab);
  }

  /** The leave confirmation: shown, with its question. */
  async function leaveDialog(page: Page): Promise<Locator> {
    const dialog = page.locator('.ant-modal-confirm').filter({ hasText: LEAVE_TITLE });
    await dialog.waitFor({ timeout: 5_000 });
    return dialog;
  }

  /** Answers the leave confirmation and waits for it to be gone. */
  async function answer(page: Page, choice: 'stay' | 'leave'): Promise<void> {
    const dialog = await leaveDialog(page);
    await page.getByTestId(choice === 'stay' ? 'leave-cancel' : 'leave-ok').click();
    await dialog.waitFor({ state: 'detached' });
  }

  /** What closing or reloading the browser tab meets: a cancelled beforeunload asks the browser to ask. */
  const unloadAsks = (page: Page) =>
    page.evaluate(() => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    });

  it('asks before an unsaved rubric edit is lost by a tab switch, and cancelling keeps it', async () => {
    const page = await signedIn();
    await page.goto(`${server.baseUrl}/events/${fx.eventId}/rubric`);
    const name = page.getByTestId('criterion-name-zh-0');
    await name.waitFor();
    expect(await name.inputValue()).toBe('工作实绩');

    // Nothing changed: the tab switches at once, no question, closing the browser tab is not held up.
    await poll(() => unloadAsks(page)).toBe(false);
    await openTab(page, 'judges');
    expect(await page.locator('.ant-modal-confirm').count()).toBe(0);
    await openTab(page, 'rubric');

    // An edit: switching tab asks; "stay" keeps the tab and the edit.
    await name.fill('工作实绩（修订）');
    await page.getByTestId('tab-agenda').click();
    const dialog = await leaveDialog(page);
    expect(await dialog.textContent()).toContain('未保存的修改将丢失');
    await answer(page, 'stay');
    expect(new URL(page.url()).pathname).toBe(`/events/${fx.eventId}/rubric`);
    expect(await name.inputValue()).toBe('工作实绩（修订）');
    // Closing or reloading the browser tab is held up too.
    await poll(() => unloadAsks(page)).toBe(true);

    // The edit undone by hand is no change: no question.
    await name.fill('工作实绩');
    await poll(() => unloadAsks(page)).toBe(false);
    await openTab(page, 'judges');
    await openTab(page, 'rubric');

    // An edit of the panels (the other card) asks too; "leave" goes, the edit is dropped.
    await page.getByTestId('panel-name-0').fill('市领导评审组');
    await page.getByTestId('tab-agenda').click();
    await answer(page, 'leave');
    await page.waitForURL(/\/agenda$/);
    await poll(() => unloadAsks(page)).toBe(false);
    await openTab(page, 'rubric');
    await poll(() => page.getByTestId('panel-name-0').inputValue()).toBe('市领导组');

    // Saved edits are not unsaved: after saving, the switch does not ask.
    await name.fill('工作实绩（修订）');
    const [saved] = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'PUT' && new URL(r.url()).pathname.endsWith('/criteria'),
      ),
      page.getByTestId('criteria-save').click(),
    ]);
    expect(saved.status()).toBe(200);
    await poll(() => unloadAsks(page)).toBe(false);
    await openTab(page, 'judges');
    expect(await page.locator('.ant-modal-confirm').count()).toBe(0);
  });

  it('asks before unsaved agenda edits are lost by the back link or the side menu', async () => {
    const page = await signedIn();
    await page.goto(`${server.baseUrl}/events/${fx.eventId}/settings`);
    await page.getByTestId('settings-title').waitFor();
    await openTab(page, 'agenda');
    const unit = fx.units[0]!;
    const limit = page.getByTestId(`agenda-row-${unit.name}`).locator('.ant-input-number input');
    await limit.waitFor();
    expect(await limit.inputValue()).not.toBe('420');
    await limit.fill('420');
    await limit.press('Tab');
    await page.getByText('议程有未保存的修改').waitFor();

    // The back link to the events list asks; "stay" keeps the agenda and the edit.
    await page.getByRole('link', { name: /返回活动列表/ }).click();
    await answer(page, 'stay');
    expect(new URL(page.url()).pathname).toBe(`/events/${fx.eventId}/agenda`);
    expect(await limit.inputValue()).toBe('420');
    expect(await selectedTab(page)).toBe('agenda');
    await poll(() => unloadAsks(page)).toBe(true);

    // The side menu asks too, in a dialog that reads well on the desktop.
    await page.getByTestId('menu-events').click();
    await leaveDialog(page);
    // Once the dialog's opening animation is over.
    await page.waitForFunction(
      () => !document.querySelector('.ant-modal [class*="-appear"], .ant-modal [class*="-enter"]'),
    );
    await page.screenshot({ path: join(SHOTS, 'form-guards-leave-confirm.png') });
    await answer(page, 'stay');
    expect(new URL(page.url()).pathname).toBe(`/events/${fx.eventId}/agenda`);
    expect(await limit.inputValue()).toBe('420');

    // "Leave" goes where the menu leads; the edit is dropped, nothing is held up any more.
    await page.getByTestId('menu-events').click();
    await answer(page, 'leave');
    await page.waitForURL(/\/events$/);
    await poll(() => unloadAsks(page)).toBe(false);
    await page.goto(`${server.baseUrl}/events/${fx.eventId}/agenda`);
    const saved = fx.slots.find((sl) => sl.unitId === unit.id)!.timeLimitSec;
    await poll(() => limit.inputValue()).toBe(String(saved));
  });

  it('takes the event dates typed as 2023/8/3 or 2023年8月5日, and refuses a typed non-date', async () => {
    const page = await signedIn();
    await page.getByTestId('events-create').click();
    await page.getByTestId('event-title').fill('2023年秋季晒拼');
    const [start, end] = [page.getByTestId('event-dates').nth(0), page.getByTestId('event-dates').nth(1)];

    // Not a date: the field is emptied (not left at today), the error says what was typed, and the
    // event is not created.
    await start.click();
    await start.press('ControlOrMeta+a');
    await start.pressSequentially('2023/13/45');
    await page.getByTestId('event-title').click();
    const datesItem = page.locator('.ant-form-item', { has: start });
    const error = datesItem.locator('.ant-form-item-explain-error');
    await poll(() => error.textContent()).toContain('2023/13/45');
    expect(await start.inputValue()).toBe('');
    expect(await end.inputValue()).toBe('');
    let posted = false;
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/events') posted = true;
    });
    await page.getByTestId('event-create-save').click();
    await poll(() => error.textContent()).toContain('2023/13/45');
    expect(posted).toBe(false);

    // Typed in two of the usual forms: taken, shown in the picker's format, sent as ISO dates.
    await start.click();
    await start.pressSequentially('2023/8/3');
    await start.press('Enter');
    await end.pressSequentially('2023年8月5日');
    await end.press('Enter');
    await poll(() => start.inputValue()).toBe('2023年8月3日');
    expect(await end.inputValue()).toBe('2023年8月5日');
    await poll(() => error.count()).toBe(0);
    const [created] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/events'),
      page.getByTestId('event-create-save').click(),
    ]);
    expect(created.postDataJSON()).toMatchObject({ startDate: '2023-08-03', endDate: '2023-08-05' });
    await page.waitForURL(/\/settings$/);
  });

  it('takes a period due date typed in any usual form, and refuses a typed non-date', async () => {
    const page = await signedIn();
    const made = await page.request.post(`${server.baseUrl}/api/periods`, {
      data: { year: 2023, frequency: 'quarterly', dueDayOffset: 10, graceDays: 5 },
    });
    expect(made.status()).toBe(200);
    await page.goto(`${server.baseUrl}/indicators/manage/periods`);
    await page.getByTestId('period-edit-2023-Q2').click();
    const due = page.getByRole('dialog').locator('.ant-picker input');
    await poll(() => due.inputValue()).toBe('2023年7月10日');

    for (const typed of ['2023/8/3', '2023.8.3', '20230803', '2023年8月3日', '2023-08-03', '2023/08/03']) {
      await due.click();
      await due.press('ControlOrMeta+a');
      await due.pressSequentially('2023/1/1');
      await due.press('Enter');
      await poll(() => due.inputValue()).toBe('2023年1月1日');
      await due.click();
      await due.press('ControlOrMeta+a');
      await due.pressSequentially(typed);
      await due.press('Enter');
      await poll(() => due.inputValue(), 3_000).toBe('2023年8月3日');
    }

    // Not a date: emptied with the error that says what was typed; saving is refused.
    const dueItem = page.getByRole('dialog').locator('.ant-form-item', { has: page.locator('.ant-picker') });
    const error = dueItem.locator('.ant-form-item-explain-error');
    await due.click();
    await due.press('ControlOrMeta+a');
    await due.pressSequentially('8月3号');
    await due.press('Tab');
    await poll(() => error.textContent()).toContain('8月3号');
    expect(await due.inputValue()).toBe('');
    let patched = false;
    page.on('request', (r) => {
      if (r.method() === 'PATCH') patched = true;
    });
    await page.getByTestId('period-save').click();
    await poll(() => error.textContent()).toContain('8月3号');
    expect(patched).toBe(false);

    // Typed again as a date: saved as that date.
    await due.click();
    await due.pressSequentially('20230803');
    await due.press('Enter');
    await poll(() => due.inputValue()).toBe('2023年8月3日');
    const [patch] = await Promise.all([
      page.waitForRequest(
        (r) => r.method() === 'PATCH' && new URL(r.url()).pathname === '/api/periods/2023-Q2',
      ),
      page.getByTestId('period-save').click(),
    ]);
    expect(patch.postDataJSON()).toMatchObject({ dueDate: '2023-08-03' });
  });
});
