// The event day in a real Chromium, driven from the host console (主控台) as on the day: the
// organizer creates a screen link and opens it on the hall's display (1920×1080); starts the stage
// timer, and the console and the screen show the same countdown; the speaker runs into overtime; the
// timer stops and scoring opens by itself (auto-open); two judges score on their phones; the screen
// shows "2 / 2"; the console reveals the track and the screen shows the ranking with the overtime
// penalty taken off.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, startServer, type TestServer } from '../support/browser.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';
import { type SeededUser, seedUser } from '../support/http.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'test-results');
const DESKTOP = { viewport: { width: 1440, height: 900 }, locale: 'zh-CN' };
const HALL = { viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1, locale: 'zh-CN' };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' };
/** Overtime rule of the event: 0.5 points for every started 30 seconds over. */
const RULE = { points: 0.5, perSeconds: 30 };
const LIMIT_SEC = 60;

/** The screen's face "00:42" → 42 s, "+00:07" → −7 s. */
function shownSeconds(text: string): number {
  const m = /^(\+?)(\d{2,}):(\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`not a timer face: ${JSON.stringify(text)}`);
  const s = Number(m[2]) * 60 + Number(m[3]);
  return m[1] ? -s : s;
}

describe('the event day, from the host console', () => {
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
      username: 'zhukong',
      displayName: '考核办主控',
    });
    // One judge per panel (市领导组 60, 部门负责人组 40): nothing is trimmed, the score is the
    // weighted mean of the two judges' totals.
    fx = await seedEventFixture(server.database, {
      title: '2023年上半年工作大晒拼',
      unitsPerTrack: 2,
      judgesPerPanel: 1,
      settings: { overtimePenalty: RULE },
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
  const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent()) ?? '';

  async function newPage(options: object): Promise<Page> {
    const context = await browser.newContext(options);
    contexts.push(context);
    return context.newPage();
  }

  /** Clicks and waits for the API answer of that action (must be 200). */
  async function clickFor(page: Page, testId: string, method: string, path: RegExp): Promise<void> {
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === method && path.test(new URL(r.url()).pathname)),
      page.getByTestId(testId).click(),
    ]);
    expect(res.status(), `${method} ${path}`).toBe(200);
  }

  /** Confirms the open dialog and waits for the action's answer and for the dialog to be gone (a
   * closing dialog's button must not take the next dialog's click). */
  async function confirmFor(page: Page, method: string, path: RegExp): Promise<void> {
    await clickFor(page, 'confirm-ok', method, path);
    await page.getByTestId('confirm-ok').waitFor({ state: 'detached' });
  }

  /**
   * The console's and the screen's countdown agree: the screen's face, read between two readings of the
   * console, lies between them (within the face's whole-second rounding), however slow the reads are.
   */
  async function expectSameCountdown(console_: Page, hall: Page): Promise<number> {
    const consoleSeconds = async () =>
      Number(await console_.getByTestId('timer-display').getAttribute('data-remaining-ms')) / 1000;
    const before = await consoleSeconds();
    const face = shownSeconds(await text(hall, 'timer-digits'));
    const after = await consoleSeconds();
    expect(Number.isFinite(before) && Number.isFinite(after)).toBe(true);
    expect(face).toBeGreaterThanOrEqual(Math.min(before, after) - 1);
    expect(face).toBeLessThanOrEqual(Math.max(before, after) + 1);
    return after;
  }

  it('runs a speaker from countdown to the revealed ranking with the overtime penalty', async () => {
    // units[1]: both judges are eligible (judges[0] is affiliated with units[0] and recused there).
    const unit = fx.units[1]!;
    const slot = fx.slots.find((s) => s.unitId === unit.id)!;
    const [jLeader, jDept] = fx.judges as [EventFixture['judges'][0], EventFixture['judges'][0]];

    // The organizer signs in to the console and opens the event's host console.
    const page = await newPage(DESKTOP);
    await page.goto(`${server.baseUrl}/`);
    await page.getByTestId('login-username').fill(organizer.username);
    await page.getByTestId('login-password').fill(organizer.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/events$/);
    // A short speech for the test: the time limit is one minute.
    const patched = await page.request.patch(`${server.baseUrl}/api/events/${fx.eventId}/slots/${slot.id}`, {
      data: { timeLimitSec: LIMIT_SEC },
    });
    expect(patched.status()).toBe(200);
    // The console's WebSocket passes through a switch, to cut its connection later on.
    let liveDown = false;
    const liveRoutes: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/api\/live/, (ws) => {
      if (liveDown) {
        void ws.close();
        return;
      }
      ws.connectToServer();
      liveRoutes.push(ws);
    });
    await page.goto(`${server.baseUrl}/events/${fx.eventId}/live`);
    await poll(() => page.getByTestId('connection-status').getAttribute('data-status')).toBe('connected');

    // A screen link from the console, opened on the hall's display.
    await clickFor(page, 'screen-token-create', 'POST', /\/screen-tokens$/);
    const screenUrl = await page.getByTestId('screen-token-url').inputValue();
    expect(screenUrl).toMatch(/\/screen\/\?t=[A-Za-z0-9_-]{16,}$/);
    const hall = await newPage(HALL);
    await hall.goto(screenUrl);
    await hall.getByTestId('mode-title').waitFor();
    expect(hall.url()).not.toContain('t=');

    // The unit is put on stage and the screen switched to the speaker; scoring opens on stop.
    await page.getByTestId(`live-slot-${unit.name}`).click();
    await poll(() => text(page, 'slot-unit')).toBe(unit.name);
    await clickFor(page, 'set-current', 'POST', /\/current$/);
    await poll(() => page.getByTestId(`live-slot-${unit.name}`).getAttribute('data-current')).toBe('true');
    await clickFor(page, 'screen-mode-speaker', 'PATCH', /\/screen$/);
    await hall.getByTestId('mode-speaker').waitFor();
    expect(await text(hall, 'speaker-unit')).toBe(unit.name);
    await poll(() => text(hall, 'timer-digits')).toBe('01:00');
    await clickFor(page, 'auto-open-toggle', 'PATCH', /\/screen$/);
    expect(await page.getByTestId('auto-open-toggle').getAttribute('aria-checked')).toBe('true');

    // Start: both count down from the server's clock, in step, in the last-minute colour.
    const startedAt = Date.now();
    await clickFor(page, 'timer-start', 'POST', /\/timer$/);
    await poll(() => page.getByTestId('timer-display').getAttribute('data-phase')).toBe('lastMinute');
    await poll(() => hall.getByTestId('timer').getAttribute('data-phase')).toBe('lastMinute');
    for (let i = 0; i < 3; i++) {
      const remaining = await expectSameCountdown(page, hall);
      expect(remaining).toBeGreaterThan(0);
      expect(remaining).toBeLessThanOrEqual(LIMIT_SEC);
      await page.waitForTimeout(600);
    }
    await page.getByTestId('timer-pause').waitFor();
    await page.screenshot({ path: join(SHOTS, 'event-day-console-running.png') });

    // The speaker talks on: the app's clock jumps 75 s (no test waits a minute). Both pages reload,
    // as a laptop or a display would after a hiccup, and pick the clock and the state up again.
    server.clock.advance(75_000);
    await Promise.all([page.reload(), hall.reload()]);
    await poll(() => page.getByTestId('timer-display').getAttribute('data-phase')).toBe('overtime');
    await poll(() => hall.getByTestId('timer').getAttribute('data-phase')).toBe('overtime');
    await poll(() => page.getByTestId('connection-status').getAttribute('data-status')).toBe('connected');
    // At least the 15 s the jump put it over the limit; at most that plus the real time since the
    // start (however long a busy machine took meanwhile).
    const overBounds = () => ({ least: 15, most: 15 + Math.ceil((Date.now() - startedAt) / 1000) + 1 });
    expect(await text(page, 'timer-display')).toMatch(/^\+\d{2}:\d{2}/);
    const hallOver = -shownSeconds(await text(hall, 'timer-digits'));
    const shownBounds = overBounds();
    expect(hallOver).toBeGreaterThanOrEqual(shownBounds.least);
    expect(hallOver).toBeLessThanOrEqual(shownBounds.most);
    for (let i = 0; i < 2; i++) {
      const remaining = await expectSameCountdown(page, hall);
      expect(remaining).toBeLessThan(0);
      await page.waitForTimeout(500);
    }
    await page.screenshot({ path: join(SHOTS, 'event-day-console-overtime.png') });
    await hall.screenshot({ path: join(SHOTS, 'event-day-screen-overtime.png') });

    // Stop: the console shows the recorded overtime and its penalty; scoring opened by itself.
    await clickFor(page, 'timer-stop', 'POST', /\/timer$/);
    const record = page.getByTestId('timer-record');
    await record.waitFor();
    const overtimeSec = Number(await record.getAttribute('data-overtime-sec'));
    const recordedBounds = overBounds();
    expect(overtimeSec).toBeGreaterThanOrEqual(recordedBounds.least);
    expect(overtimeSec).toBeLessThanOrEqual(recordedBounds.most);
    const penalty = RULE.points * Math.ceil(overtimeSec / RULE.perSeconds);
    expect(Number(await record.getAttribute('data-penalty'))).toBe(penalty);
    expect(await record.textContent()).toContain(`${overtimeSec} 秒`);
    expect(await record.textContent()).toContain(`超时扣分 ${penalty.toFixed(2)} 分`);
    const stored = (await (
      await page.request.get(`${server.baseUrl}/api/events/${fx.eventId}/host`)
    ).json()) as {
      slots: { id: string; overtimeSec: number }[];
    };
    expect(stored.slots.find((s) => s.id === slot.id)?.overtimeSec).toBe(overtimeSec);
    await poll(() => page.getByTestId('slot-control').getAttribute('data-slot-state')).toBe('open');
    await poll(() => page.getByTestId('progress-counter').textContent()).toBe('0 / 2');
    await poll(() => page.getByTestId('missing-judge').allTextContents()).toEqual(
      expect.arrayContaining([jLeader.name, jDept.name]),
    );
    await poll(() => hall.getByTestId('timer').getAttribute('data-phase')).toBe('stopped');

    // The screen shows the scoring progress.
    await clickFor(page, 'screen-mode-progress', 'PATCH', /\/screen$/);
    await hall.getByTestId('mode-progress').waitFor();
    await poll(() => text(hall, 'progress-count')).toBe('已评 0 / 2');

    // Two judges score on their phones, through their invite links.
    const invites = (await (
      await page.request.get(`${server.baseUrl}/api/events/${fx.eventId}/invites`)
    ).json()) as {
      judgeName: string;
      url: string;
    }[];
    const submitted: number[][] = [
      [35.5, 27, 18.5, 9.2], // 市领导组: 90.2
      [32, 25.5, 16, 8.7], // 部门负责人组: 82.2
    ];
    const scoreOnPhone = async (i: number, judge: EventFixture['judges'][0]) => {
      const phone = await newPage(PHONE);
      await phone.goto(invites.find((x) => x.judgeName === judge.name)!.url);
      await poll(() => text(phone, 'unit-name')).toContain(unit.name);
      const values = submitted[i]!;
      for (const [c, criterion] of fx.criteria.entries()) {
        await phone.getByTestId(`input-${criterion.id}`).fill(String(values[c]));
      }
      const total = values.reduce((a, b) => a + Math.round(b * 10), 0) / 10;
      await poll(() => text(phone, 'total')).toContain(String(total));
      await phone.getByTestId('submit').click();
      await poll(() => text(phone, 'confirmation')).toContain(String(total));
    };

    // The console loses its own connection: it says so, and keeps up by polling the HTTP API.
    liveDown = true;
    for (const ws of liveRoutes.splice(0)) await ws.close().catch(() => undefined);
    await poll(() => page.getByTestId('connection-status').getAttribute('data-status')).not.toBe('connected');
    await page.getByTestId('connection-banner').waitFor();
    await scoreOnPhone(0, jLeader);
    await poll(() => page.getByTestId('progress-counter').getAttribute('data-scored')).toBe('1');
    expect(await page.getByTestId('missing-judge').allTextContents()).toEqual([jDept.name]);
    await page.screenshot({ path: join(SHOTS, 'event-day-console-offline.png') });
    // Back: connected again within a few seconds, the banner goes.
    liveDown = false;
    await poll(() => page.getByTestId('connection-status').getAttribute('data-status')).toBe('connected');
    expect(await page.getByTestId('connection-banner').count()).toBe(0);
    await scoreOnPhone(1, jDept);

    // "2 / 2" on the console and on the screen; nobody missing.
    await poll(() => page.getByTestId('progress-counter').getAttribute('data-scored')).toBe('2');
    expect(await page.getByTestId('missing-judge').count()).toBe(0);
    await poll(() => text(hall, 'progress-count')).toBe('已评 2 / 2');
    await hall.screenshot({ path: join(SHOTS, 'event-day-screen-progress.png') });

    // The organizer closes scoring, reveals the track and the screen shows its ranking.
    await page.getByTestId('slot-close').click();
    await confirmFor(page, 'POST', /\/close$/);
    await poll(() => page.getByTestId('slot-control').getAttribute('data-slot-state')).toBe('closed');
    const trackIndex = fx.tracks.findIndex((t) => t.id === unit.trackId);
    await page.getByTestId(`reveal-track-${trackIndex}`).click();
    // The track's other unit has not been on stage: the server asks first, naming it.
    const [refused] = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'POST' && /\/reveal$/.test(new URL(r.url()).pathname),
      ),
      page.getByTestId('confirm-ok').click(),
    ]);
    expect(refused.status()).toBe(409);
    await page.getByTestId('confirm-refusal-ok').waitFor();
    const other = fx.units.find((u) => u.trackId === unit.trackId && u.id !== unit.id)!;
    expect(await page.locator('.ant-modal').filter({ hasText: '未结束评分' }).textContent()).toContain(
      other.name,
    );
    await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'PATCH' && /\/screen$/.test(new URL(r.url()).pathname),
      ),
      clickFor(page, 'confirm-refusal-ok', 'POST', /\/reveal$/),
    ]);
    await poll(() => page.getByTestId('screen-mode-reveal').getAttribute('data-active')).toBe('true');
    await hall.getByTestId('mode-reveal').waitFor();
    // From the last place up, one unit per click of the presenter's clicker (PageDown): nothing yet.
    await poll(() => page.getByTestId('reveal-steps').getAttribute('data-shown')).toBe('0');
    expect(await page.getByTestId('reveal-steps').getAttribute('data-total')).toBe('2');
    await poll(() => text(hall, 'reveal-remaining')).toBe('还有 2 个单位待揭晓');
    expect(await hall.getByTestId('reveal-row').count()).toBe(0);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    for (const shown of ['1', '2']) {
      await page.keyboard.press('PageDown');
      await poll(() => page.getByTestId('reveal-steps').getAttribute('data-shown')).toBe(shown);
    }
    await poll(() => hall.getByTestId('reveal-remaining').count()).toBe(0);

    // Weighted mean of the two panels (60 : 40), minus 0.5 per started 30 s over, to 2 decimals.
    const totals = submitted.map((v) => v.reduce((a, b) => a + Math.round(b * 10), 0)); // tenths
    const rawHundredths = (60 * totals[0]! + 40 * totals[1]!) / 10; // (Σ w·t / 100) in hundredths
    const expected = (rawHundredths - penalty * 100) / 100;
    expect(expected).toBe(87 - penalty);
    const row = hall.getByTestId('reveal-row').filter({ hasText: unit.name });
    await poll(() => row.first().getAttribute('data-score')).toBe(String(expected));
    expect(await row.first().getAttribute('data-rank')).toBe('1');
    expect(await row.first().textContent()).toContain(`扣 ${penalty} 分`);
    // Shown with the event's 2 decimals, whatever the value's own (86.5 reads 86.50).
    expect(await row.first().textContent()).toContain(expected.toFixed(2));
    // The console's preview shows what the hall sees.
    await poll(() =>
      page
        .getByTestId('preview-reveal-row')
        .filter({ hasText: unit.name })
        .first()
        .getAttribute('data-score'),
    ).toBe(String(expected));
    await hall.screenshot({ path: join(SHOTS, 'event-day-screen-reveal.png') });
    await page.screenshot({ path: join(SHOTS, 'event-day-console-reveal.png') });
  }, 180_000);
});
