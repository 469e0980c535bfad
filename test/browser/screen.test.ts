// The hall's big screen in a real Chromium at 1920×1080, against the real server: the screen link
// signs in and leaves the address bar, the host console switches modes, the stage timer counts down
// in step with the server (last minute, overtime), scoring progress shows counts only, the screen
// survives a server restart on the same database and port, and a revealed track's ranking is drawn.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readTimer } from '../../src/modules/event/domain/timer.ts';
import type { TimerView } from '../../src/modules/event/schemas.ts';
import type { App } from '../../src/platform/http/app.ts';
import { buildApp } from '../../src/server/app.ts';
import { launchBrowser, startServer, type TestServer, WEB_ROOT } from '../support/browser.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';
import { asRole, type Client, clientFor, request } from '../support/http.ts';

const HALL = { viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1, locale: 'zh-CN' };
const SHOTS = join(import.meta.dirname, '..', '..', 'test-results');

/** "08:00" → 480, "+00:07" → −7 (seconds shown on the screen; negative when over time). */
function shownSeconds(text: string): number {
  const m = /^(\+?)(\d{2,}):(\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`not a timer face: ${JSON.stringify(text)}`);
  const s = Number(m[2]) * 60 + Number(m[3]);
  return m[1] ? -s : s;
}

describe('hall big screen', () => {
  let browser: Browser;
  let server: TestServer;
  /** The app currently serving (replaced by the restart test). */
  let app: App;
  let restarted: App | null = null;
  let fx: EventFixture;
  let organizer: Client;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!inject('webBuilt')) throw new Error('the web apps were not built');
    server = await startServer();
    app = server.app;
    fx = await seedEventFixture(server.database, {
      unitsPerTrack: 3,
      judgesPerPanel: 2,
      settings: {
        overtimePenalty: { points: 0.5, perSeconds: 30 },
        gradeBands: {
          kind: 'rankShare',
          bands: [
            { key: 'excellent', labelZh: '优秀', labelEn: 'Excellent', share: 0.34 },
            { key: 'good', labelZh: '良好', labelEn: 'Good', share: 0.67 },
          ],
        },
      },
    });
    organizer = await asRole({ app: server.app, database: server.database }, 'organizer');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await restarted?.close();
    await server?.close();
  });

  async function hallPage(): Promise<Page> {
    const context = await browser.newContext(HALL);
    contexts.push(context);
    return context.newPage();
  }

  const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent()) ?? '';
  const poll = <T>(fn: () => Promise<T>, timeout = 10_000) => expect.poll(fn, { timeout, interval: 100 });
  const ok = async (res: Promise<{ status: number; json: unknown; body: string }>) => {
    const r = await res;
    expect(r.status, r.body).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
    return r.json as any;
  };
  const host = {
    screen: (body: object) => ok(organizer.patch(`/api/events/${fx.eventId}/screen`, body)),
    current: (slotId: string | null) => ok(organizer.post(`/api/events/${fx.eventId}/current`, { slotId })),
    timer: (slotId: string, action: string): Promise<TimerView> =>
      ok(organizer.post(`/api/events/${fx.eventId}/slots/${slotId}/timer`, { action })),
    open: (slotId: string) => ok(organizer.post(`/api/events/${fx.eventId}/slots/${slotId}/open`)),
    close: (slotId: string) => ok(organizer.post(`/api/events/${fx.eventId}/slots/${slotId}/close`)),
  };

  /** Signs a judge in through the invite API and submits a score (values per criterion, in order). */
  async function score(judgeIndex: number, slotId: string, values: number[], f = fx): Promise<void> {
    const judge = f.judges[judgeIndex]!;
    const session = await request(app, 'POST', '/api/judge/session', { token: judge.token });
    expect(session.status, session.body).toBe(200);
    const cookie = session.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const body = {
      clientId: `screen-${judgeIndex}-${slotId}`.slice(0, 64),
      slotId,
      values: Object.fromEntries(f.criteria.map((c, i) => [c.id, values[i]])),
    };
    await ok(clientFor(app, cookie).post('/api/judge/scores', body));
  }

  async function screenToken(eventId = fx.eventId): Promise<string> {
    const view = await ok(organizer.post(`/api/events/${eventId}/screen-tokens`, { label: '主会场大屏' }));
    const token = new URL(view.url as string).searchParams.get('t');
    expect(token).toBeTruthy();
    return token as string;
  }

  it('without a link asks for one from the host console; a bad link says so', async () => {
    const page = await hallPage();
    await page.goto(`${server.baseUrl}/screen/`);
    await poll(() => text(page, 'fullscreen-message')).toContain('请在主控台生成大屏链接');

    await page.goto(`${server.baseUrl}/screen/?t=${'x'.repeat(40)}`);
    await poll(() => text(page, 'fullscreen-message')).toContain('大屏链接无效');
    expect(page.url()).not.toContain('t=');
    // A link cut short when copied says the same, never a schema's message.
    await page.goto(`${server.baseUrl}/screen/?t=abc`);
    await poll(() => text(page, 'fullscreen-message')).toContain('大屏链接无效或已被撤销');
    expect(await text(page, 'fullscreen-message')).not.toMatch(/输入有误|token|Too small|字符/);

    // English on request (remembered on this computer); Chinese otherwise, whatever the OS language.
    await page.goto(`${server.baseUrl}/screen/?lang=en-US`);
    await poll(() => text(page, 'fullscreen-message')).toContain(
      'Generate a screen link in the host console',
    );
    await page.goto(`${server.baseUrl}/screen/`);
    await poll(() => text(page, 'fullscreen-message')).toContain(
      'Generate a screen link in the host console',
    );
  });

  it('follows the host console: modes, countdown, progress, restart, reveal', async () => {
    const track = fx.tracks[0]!;
    const [s0, s1, s2] = fx.slots.filter((s) => s.trackId === track.id) as [
      EventFixture['slots'][0],
      EventFixture['slots'][0],
      EventFixture['slots'][0],
    ];
    const unitName = (slotId: string) =>
      fx.units.find((u) => fx.slots.find((s) => s.id === slotId)?.unitId === u.id)!.name;
    const page = await hallPage();
    // Every frame the screen receives before the reveal, to prove no value reaches it early.
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));

    // The screen link signs in, leaves the address bar, and shows the title card (the default mode).
    await page.goto(`${server.baseUrl}/screen/?t=${await screenToken()}`);
    await page.getByTestId('mode-title').waitFor();
    expect(page.url()).not.toContain('t=');
    expect(await text(page, 'event-title')).toBe(fx.title);
    expect(await text(page, 'event-dates')).toBe('2023年8月2日—3日');
    expect(await text(page, 'event-venue')).toBe('市行政中心大礼堂');
    expect(await page.getByTestId('screen').getAttribute('data-theme')).toBe('red');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'screen-title.png') });

    // Agenda: both tracks, nobody on stage yet.
    await host.screen({ mode: 'agenda' });
    await page.getByTestId('mode-agenda').waitFor();
    expect(await page.getByTestId('agenda-track').count()).toBe(2);
    expect(await text(page, 'agenda-now')).toContain('暂无');
    await host.current(s0.id);
    await poll(() => text(page, 'agenda-now')).toContain(unitName(s0.id));
    expect(await text(page, 'agenda-up-next')).toContain(unitName(s1.id));
    expect(await overflow(page)).toEqual({ outside: [], cut: [] });
    await page.screenshot({ path: join(SHOTS, 'screen-agenda.png') });

    // Speaker: the unit, the timer at its limit before it starts.
    await host.screen({ mode: 'speaker' });
    await page.getByTestId('mode-speaker').waitFor();
    expect(await text(page, 'speaker-unit')).toBe(unitName(s0.id));
    await poll(() => text(page, 'timer-digits')).toBe('08:00');
    expect(await text(page, 'timer-label')).toBe('准备开始');
    expect(await page.getByTestId('progress-count').count()).toBe(0);

    // Started: the screen counts down, second by second, never ahead of the server's clock (however
    // late a busy machine paints it).
    const started = await host.timer(s0.id, 'start');
    await poll(() => page.getByTestId('timer').getAttribute('data-phase')).toBe('running');
    let previous = started.limitSec + 1;
    for (let i = 0; i < 3; i++) {
      await poll(async () => shownSeconds(await text(page, 'timer-digits'))).toBeLessThan(previous);
      const shown = shownSeconds(await text(page, 'timer-digits'));
      const remaining = readTimer(started, Date.now()).remainingMs / 1000;
      expect(shown).toBeLessThan(previous);
      // (One second of slack: the page reads the server's clock through its measured offset.)
      expect(shown).toBeGreaterThanOrEqual(Math.floor(remaining) - 1);
      previous = shown;
    }
    expect(await text(page, 'timer-label')).toBe('汇报中');
    await page.screenshot({ path: join(SHOTS, 'screen-speaker.png') });

    // Paused: the indicator, and the digits stand still.
    await host.timer(s0.id, 'pause');
    await poll(() => text(page, 'timer-label')).toBe('已暂停');
    const frozen = await text(page, 'timer-digits');
    await page.waitForTimeout(1200);
    expect(await text(page, 'timer-digits')).toBe(frozen);
    await host.timer(s0.id, 'resume');
    await poll(() => text(page, 'timer-label')).toBe('汇报中');
    await host.timer(s0.id, 'stop');
    await poll(() => page.getByTestId('timer').getAttribute('data-phase')).toBe('stopped');

    // Scoring opens: counts only, never values or names.
    await host.open(s0.id);
    // judges[0] is recused from the first unit: 3 eligible.
    await poll(() => text(page, 'progress-count')).toBe('已评 0 / 3');
    await score(1, s0.id, [30, 25, 15, 8]);
    await score(2, s0.id, [32, 24, 16, 8]);
    await poll(() => text(page, 'progress-count')).toBe('已评 2 / 3');
    await score(3, s0.id, [31, 25, 15, 9]);
    await host.screen({ mode: 'progress' });
    await page.getByTestId('mode-progress').waitFor();
    await poll(() => text(page, 'progress-count')).toBe('已评 3 / 3');
    await page.screenshot({ path: join(SHOTS, 'screen-progress.png') });
    await host.close(s0.id);
    await poll(() => text(page, 'progress-state')).toBe('本单位评分已结束');

    // The next speaker has 30 s and is 25 s in: amber for the last minute, then over time.
    await ok(organizer.patch(`/api/events/${fx.eventId}/slots/${s1.id}`, { timeLimitSec: 30 }));
    await host.current(s1.id);
    await host.screen({ mode: 'speaker' });
    await poll(() => text(page, 'speaker-unit')).toBe(unitName(s1.id));
    // Started 25 s ago by the server's clock (moved back for one request, then restored).
    server.clock.advance(-25_000);
    let late: TimerView;
    try {
      late = await host.timer(s1.id, 'start');
    } finally {
      server.clock.advance(25_000);
    }
    await poll(() => page.getByTestId('timer').getAttribute('data-phase')).toBe('lastMinute');
    expect(await text(page, 'timer-label')).toBe('剩余不足 1 分钟');
    await page.screenshot({ path: join(SHOTS, 'screen-speaker-last-minute.png') });
    await poll(() => page.getByTestId('timer').getAttribute('data-phase')).toBe('overtime');
    await poll(() => text(page, 'timer-digits')).toMatch(/^\+\d{2}:\d{2}$/);
    const over = shownSeconds(await text(page, 'timer-digits'));
    // Over time, and not more over than the server's clock says.
    expect(over).toBeLessThan(0);
    expect(over).toBeGreaterThanOrEqual(Math.floor(readTimer(late, Date.now()).remainingMs / 1000) - 1);
    expect(await text(page, 'timer-label')).toBe('已超时');
    await page.screenshot({ path: join(SHOTS, 'screen-speaker-overtime.png') });
    await host.timer(s1.id, 'stop');

    // The rest of the track is scored.
    await host.open(s1.id);
    await score(0, s1.id, [38, 28, 18, 9]);
    await score(1, s1.id, [37, 28, 19, 9]);
    await score(2, s1.id, [38, 27, 18, 9.5]);
    await score(3, s1.id, [36, 28, 18, 9]);
    await host.close(s1.id);
    await host.current(s2.id);
    await host.open(s2.id);
    await score(0, s2.id, [34, 26, 17, 8]);
    await score(1, s2.id, [35, 26, 17, 8]);
    await score(2, s2.id, [33, 27, 16, 8.5]);
    await score(3, s2.id, [35, 25, 17, 8]);
    await host.close(s2.id);
    await host.screen({ mode: 'progress' });
    await poll(() => text(page, 'progress-count')).toBe('已评 4 / 4');

    // Server restart on the same database and port: the screen keeps the last state with a small
    // dot, then reconnects and follows the host console again.
    const port = Number(new URL(server.baseUrl).port);
    await app.close();
    await page.getByTestId('reconnecting').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('mode-progress').count()).toBe(1);
    restarted = await buildApp({
      database: server.database,
      clock: server.clock.now,
      logger: false,
      webRoot: WEB_ROOT,
      loginRateLimit: 10_000,
    });
    app = restarted;
    organizer = clientFor(app, organizer.cookie);
    await restarted.listen({ host: '127.0.0.1', port });
    await page.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 20_000 });
    // Reconnected: the last state stayed up throughout, and the next change from the host shows.
    expect(await page.getByTestId('mode-progress').count()).toBe(1);
    await host.screen({ mode: 'agenda' });
    await page.getByTestId('mode-agenda').waitFor({ timeout: 20_000 });

    // The server refuses the reveal mode for a track not yet revealed; no value has reached the screen.
    const early = await organizer.patch(`/api/events/${fx.eventId}/screen`, {
      mode: 'reveal',
      trackId: track.id,
    });
    expect(early.status).toBe(409);
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) expect(f).not.toMatch(/"reveal":\{/);

    // Revealed: the ranking as the organizer's results have it, top three gold, grades and penalty.
    await ok(
      organizer.post(`/api/events/${fx.eventId}/reveal`, { trackId: track.id, confirmIncomplete: true }),
    );
    await host.screen({ mode: 'reveal', trackId: track.id });
    await page.getByTestId('reveal-chart').waitFor();
    const results = await ok(organizer.get(`/api/events/${fx.eventId}/results`));
    const rows = (
      results.tracks as {
        trackId: string;
        rows: { unitName: string; rank: number; score: number; penalty: number }[];
      }[]
    )
      .find((t) => t.trackId === track.id)!
      .rows.slice()
      .sort((a, b) => a.rank - b.rank);
    expect(rows.some((r) => r.penalty > 0)).toBe(true);
    await poll(() => page.getByTestId('reveal-row').count()).toBe(3);
    const shown = await page.getByTestId('reveal-row').allTextContents();
    for (const [i, r] of rows.entries()) {
      const row = page.getByTestId('reveal-row').nth(i);
      expect(await row.getAttribute('data-rank')).toBe(String(r.rank));
      expect(await row.getAttribute('data-score')).toBe(String(r.score));
      expect(shown[i]).toContain(`第 ${r.rank} 名`);
      expect(shown[i]).toContain(r.unitName);
    }
    expect(shown.join()).toContain('优秀');
    expect(shown.join()).toContain('扣 0.5 分');
    expect(await text(page, 'reveal-title')).toContain(track.nameZh);
    // Let the bars finish growing before the picture.
    await page.waitForTimeout(2600);
    await page.screenshot({ path: join(SHOTS, 'screen-reveal.png') });

    // The neutral theme, and a reload that lands on the same state without a new link.
    await host.screen({ theme: 'neutral' });
    await poll(() => page.getByTestId('screen').getAttribute('data-theme')).toBe('neutral');
    await page.reload();
    await page.getByTestId('reveal-chart').waitFor();
    expect(await page.getByTestId('screen').getAttribute('data-theme')).toBe('neutral');
    await page.waitForTimeout(2600);
    await page.screenshot({ path: join(SHOTS, 'screen-reveal-neutral.png') });
  });

  /** Elements of the 16:9 frame drawn outside it, and one-line names cut off: both must be empty. */
  const overflow = (page: Page) =>
    page.evaluate(() => {
      const frameEl = document.querySelector('.frame')!;
      const frame = frameEl.getBoundingClientRect();
      const outside: string[] = [];
      for (const el of document.querySelectorAll('.frame *')) {
        if (el.closest('.visually-hidden')) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        // Clipped by a box that hides its overflow (a list cut at the bottom) counts as outside too.
        for (let p = el.parentElement; p && p !== frameEl; p = p.parentElement) {
          if (getComputedStyle(p).overflow === 'visible') continue;
          const c = p.getBoundingClientRect();
          if (r.top < c.top - 1 || r.bottom > c.bottom + 1)
            outside.push(`clipped ${el.className}: ${(el.textContent ?? '').slice(0, 24)}`);
          break;
        }
        if (
          r.left < frame.left - 1 ||
          r.right > frame.right + 1 ||
          r.top < frame.top - 1 ||
          r.bottom > frame.bottom + 1
        )
          outside.push(`${el.className}: ${(el.textContent ?? '').slice(0, 24)}`);
      }
      const cut = [
        ...document.querySelectorAll('.agenda-unit, .agenda-track-name, .speaker-unit, .side-next-unit'),
      ]
        .filter((e) => e.scrollWidth > e.clientWidth + 1)
        .map((e) => e.textContent);
      return { outside, cut };
    });

  it('a long agenda with official unit names fits any 16:9 frame; a long ranking is drawn', async () => {
    const big = await seedEventFixture(server.database, { unitsPerTrack: 12, judgesPerPanel: 1 });
    // Real unit names are long; every one must stay whole on the screen.
    const long = ['某某县经济技术开发区管理委员会', '中共某某县委员会政法委员会', '某某县住房和城乡建设局'];
    for (const [i, u] of big.units.entries()) {
      await server.database.db
        .updateTable('units')
        .set({ name: `${long[i % long.length]}${i + 1}` })
        .where('id', '=', u.id)
        .execute();
    }
    const page = await hallPage();
    await page.goto(`${server.baseUrl}/screen/?t=${await screenToken(big.eventId)}`);
    await page.getByTestId('mode-title').waitFor();
    const slots = big.slots.filter((s) => s.trackId === big.tracks[0]!.id);
    await ok(organizer.post(`/api/events/${big.eventId}/current`, { slotId: slots[0]!.id }));
    await ok(organizer.patch(`/api/events/${big.eventId}/screen`, { mode: 'agenda' }));
    await page.getByTestId('mode-agenda').waitFor();
    await poll(() => text(page, 'agenda-now')).toContain(`${long[0]}1`);
    // 24 long names side by side would be unreadable: the track on stage gets the whole width.
    expect(await page.getByTestId('agenda-track').count()).toBe(1);
    expect(await overflow(page)).toEqual({ outside: [], cut: [] });
    await page.screenshot({ path: join(SHOTS, 'screen-agenda-long.png') });

    await ok(organizer.patch(`/api/events/${big.eventId}/screen`, { mode: 'speaker' }));
    await page.getByTestId('mode-speaker').waitFor();
    expect(await overflow(page)).toEqual({ outside: [], cut: [] });

    // A 4:3 projector: the same 16:9 picture, letterboxed.
    await page.setViewportSize({ width: 1280, height: 960 });
    await poll(() =>
      page.evaluate(() => document.querySelector('.frame')!.getBoundingClientRect().height),
    ).toBe(720);
    expect(await overflow(page)).toEqual({ outside: [], cut: [] });
    await ok(organizer.patch(`/api/events/${big.eventId}/screen`, { mode: 'agenda' }));
    await page.getByTestId('mode-agenda').waitFor();
    expect(await overflow(page)).toEqual({ outside: [], cut: [] });
    await page.setViewportSize({ width: 1920, height: 1080 });

    // Twelve ranked units.
    for (const [i, slot] of slots.entries()) {
      await ok(organizer.post(`/api/events/${big.eventId}/slots/${slot.id}/open`));
      for (const j of [0, 1]) {
        if (i === 0 && j === 0) continue; // judges[0] is recused from the first unit
        await score(j, slot.id, [30 + (i % 7) + j, 20 + (i % 5), 15, 5 + (i % 4)], big);
      }
      await ok(organizer.post(`/api/events/${big.eventId}/slots/${slot.id}/close`));
    }
    await ok(organizer.post(`/api/events/${big.eventId}/reveal`, { trackId: big.tracks[0]!.id }));
    await ok(
      organizer.patch(`/api/events/${big.eventId}/screen`, { mode: 'reveal', trackId: big.tracks[0]!.id }),
    );
    await page.getByTestId('reveal-chart').waitFor();
    await poll(() => page.getByTestId('reveal-row').count()).toBe(12);
    await page.waitForTimeout(12 * 280 + 1600);
    await page.screenshot({ path: join(SHOTS, 'screen-reveal-long.png') });

    // The chart's chunk cannot be downloaded (hall Wi-Fi at the wrong moment): the ranking still shows.
    const cut = await page.context().newPage();
    await cut.route(/\/assets\/RevealChart-[^/]*\.js$/, (route) => route.abort());
    await cut.goto(`${server.baseUrl}/screen/`);
    await poll(() => cut.getByTestId('reveal-row').count(), 15_000).toBe(12);
    expect(await cut.getByTestId('reveal-chart').count()).toBe(0);
    expect(await cut.getByTestId('reveal-row').first().getAttribute('data-rank')).toBe('1');
    expect(await overflow(cut)).toEqual({ outside: [], cut: [] });
    await cut.screenshot({ path: join(SHOTS, 'screen-reveal-fallback.png') });
  });
});
