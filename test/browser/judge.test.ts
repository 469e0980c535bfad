// The judge's phone page in a real Chromium with a phone viewport, against the real server: invite
// link → the open unit → steppers and running total → "已提交 ✓" with the server's total; a
// submission made offline waits on the phone and goes through exactly once when the network is back.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, startServer, type TestServer } from '../support/browser.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';
import { asRole, type RoleClient } from '../support/http.ts';

const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
};
const SHOTS = join(import.meta.dirname, '..', '..', 'test-results');

describe('judge phone page', () => {
  let browser: Browser;
  let server: TestServer;
  let fx: EventFixture;
  let organizer: RoleClient;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!inject('webBuilt'))
      throw new Error('the web apps were not built (web/index.html or web/judge.html missing)');
    server = await startServer();
    fx = await seedEventFixture(server.database);
    organizer = await asRole({ app: server.app, database: server.database }, 'organizer');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  async function phone(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext(PHONE);
    contexts.push(context);
    return { context, page: await context.newPage() };
  }

  const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent()) ?? '';
  const poll = <T>(fn: () => Promise<T>, timeout = 10_000) => expect.poll(fn, { timeout, interval: 100 });

  async function entriesOf(judgeId: string, slotId: string) {
    return server.database.db
      .selectFrom('score_entries')
      .select(['client_id', 'total', 'seq'])
      .where('judge_id', '=', judgeId)
      .where('slot_id', '=', slotId)
      .orderBy('seq')
      .execute();
  }

  it('without an invite asks to scan the QR code; a bad invite shows the server’s message', async () => {
    const { page } = await phone();
    await page.goto(`${server.baseUrl}/judge/`);
    await poll(() => text(page, 'fullscreen-message')).toContain('请扫描会务组提供的二维码');

    await page.goto(`${server.baseUrl}/judge/?t=${'x'.repeat(40)}`);
    await poll(() => text(page, 'fullscreen-message')).toContain('评委链接无效或已被撤销');
  });

  it('scores the open unit, confirms with the server’s total, and sends an offline revision exactly once', async () => {
    const judge = fx.judges[1]!;
    const slot = fx.slots[0]!;
    const unit = fx.units[0]!;
    const [c0, c1, c2, c3] = fx.criteria as [
      EventFixture['criteria'][0],
      EventFixture['criteria'][0],
      EventFixture['criteria'][0],
      EventFixture['criteria'][0],
    ];
    const { context, page } = await phone();

    // Before the host opens anything: the waiting room, and the token is gone from the address bar.
    await page.goto(`${server.baseUrl}/judge/?t=${judge.token}`);
    await poll(() => text(page, 'waiting')).toContain('请等待主持人开放评分');
    expect(page.url()).not.toContain('t=');
    expect(await text(page, 'event-title')).toBe(fx.title);

    // The host opens the first unit; the page picks it up by itself.
    const opened = await organizer.post(`/api/events/${fx.eventId}/slots/${slot.id}/open`);
    expect(opened.status).toBe(200);
    await poll(() => text(page, 'unit-name')).toBe(unit.name);

    // Steppers go by each criterion's step, exactly (0.1 steps included), and the total follows.
    await page.getByTestId(`input-${c0.id}`).fill('35.5');
    await page.getByTestId(`plus-${c0.id}`).tap();
    expect(await page.getByTestId(`input-${c0.id}`).inputValue()).toBe('36');
    await page.getByTestId(`minus-${c1.id}`).tap(); // from empty: full marks
    await page.getByTestId(`minus-${c1.id}`).tap();
    expect(await page.getByTestId(`input-${c1.id}`).inputValue()).toBe('29.5');
    await page.getByTestId(`input-${c2.id}`).fill('18');
    expect(await text(page, 'total')).toBe('83.5');
    await page.getByTestId(`input-${c3.id}`).fill('8.7');
    await page.getByTestId(`plus-${c3.id}`).tap();
    expect(await page.getByTestId(`input-${c3.id}`).inputValue()).toBe('8.8');
    expect(await text(page, 'total')).toBe('92.3');

    // A value off the step is refused on the phone before anything is sent.
    await page.getByTestId(`input-${c2.id}`).fill('18.3');
    await page.getByTestId('submit').tap();
    await poll(() => text(page, `issue-${c2.id}`)).toContain('须按 0.5 分递进');
    expect(await entriesOf(judge.id, slot.id)).toHaveLength(0);
    await page.getByTestId(`input-${c2.id}`).fill('18');

    await page.getByTestId('submit').tap();
    await poll(() => text(page, 'confirmation')).toContain('已提交 ✓ 92.3');
    expect(await text(page, 'confirmation')).toContain('第 1 版');
    expect((await entriesOf(judge.id, slot.id)).map((e) => e.total)).toEqual([92.3]);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'judge-phone-confirmed.png'), fullPage: false });

    // Offline: the revision waits on the phone, said plainly, and is not lost.
    await context.setOffline(true);
    await page.getByTestId(`plus-${c3.id}`).tap();
    await page.getByTestId(`plus-${c3.id}`).tap();
    expect(await text(page, 'total')).toBe('92.5');
    await page.getByTestId('submit').tap();
    await poll(() => text(page, 'status-banner')).toContain('等待网络…');
    expect(await text(page, 'status-banner')).toContain('92.5');
    expect(await text(page, 'bar-status')).toContain('等待网络…'); // also where the thumb is
    expect(await text(page, 'confirmation')).toContain('已提交 ✓ 92.3'); // still the last confirmed
    // Let it fail and retry at least once more while offline.
    await poll(async () => {
      const stored = await page.evaluate(
        (key) => localStorage.getItem(key),
        `shaipin.judge.outbox.v1.${judge.id}`,
      );
      return (JSON.parse(stored ?? '{}').pending?.[0]?.attempts as number | undefined) ?? 0;
    }).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(SHOTS, 'judge-phone-waiting.png'), fullPage: false });
    expect(await entriesOf(judge.id, slot.id)).toHaveLength(1);

    // Back online: it goes through by itself, once.
    await context.setOffline(false);
    await poll(() => text(page, 'confirmation'), 20_000).toContain('已提交 ✓ 92.5');
    expect(await text(page, 'confirmation')).toContain('第 2 版');
    await poll(() => page.getByTestId('status-banner').count()).toBe(0);
    expect(await page.getByTestId('bar-status').count()).toBe(0);
    const entries = await entriesOf(judge.id, slot.id);
    expect(entries.map((e) => e.total)).toEqual([92.3, 92.5]);
    expect(new Set(entries.map((e) => e.client_id)).size).toBe(2);
    const progress = await organizer.get(`/api/events/${fx.eventId}/progress`);
    expect(progress.status).toBe(200);
    expect(progress.json.slots.find((s: { slotId: string }) => s.slotId === slot.id)).toMatchObject({
      scored: 1,
    });

    // A reload shows the latest confirmed version and nothing pending.
    await page.reload();
    await poll(() => text(page, 'confirmation')).toContain('已提交 ✓ 92.5');
    expect(await page.getByTestId(`input-${c3.id}`).inputValue()).toBe('9');
    expect(await page.getByTestId('submit').isDisabled()).toBe(true);
    expect(await entriesOf(judge.id, slot.id)).toHaveLength(2);
  });

  it('a recused judge sees the recusal notice and no inputs', async () => {
    const judge = fx.judges[0]!; // affiliated with units[0], whose slot is open
    expect(judge.affiliatedUnitIds).toContain(fx.units[0]!.id);
    const { page } = await phone();
    await page.goto(`${server.baseUrl}/judge/?t=${judge.token}`);
    await poll(() => text(page, 'unit-name')).toBe(fx.units[0]!.name);
    expect(await text(page, 'recusal-notice')).toBe('您与该单位存在关联，按回避规定不参与本单位评分');
    expect(await page.locator('input').count()).toBe(0);
    expect(await page.getByTestId('submit').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'judge-phone-recused.png'), fullPage: false });
  });

  it('a submission that reaches the server after the close is not counted, and the phone says so', async () => {
    const judge = fx.judges[2]!;
    const slot = fx.slots[1]!;
    expect((await organizer.post(`/api/events/${fx.eventId}/slots/${fx.slots[0]!.id}/close`)).status).toBe(
      200,
    );
    expect((await organizer.post(`/api/events/${fx.eventId}/slots/${slot.id}/open`)).status).toBe(200);
    const { context, page } = await phone();
    await page.goto(`${server.baseUrl}/judge/?t=${judge.token}`);
    await poll(() => text(page, 'unit-name')).toBe(fx.units[1]!.name);
    for (const [i, v] of ['30', '25', '15', '8'].entries()) {
      await page.getByTestId(`input-${fx.criteria[i]!.id}`).fill(v);
    }
    expect(await text(page, 'total')).toBe('78');

    await context.setOffline(true);
    await page.getByTestId('submit').tap();
    await poll(() => text(page, 'bar-status')).toContain('等待网络…');
    expect((await organizer.post(`/api/events/${fx.eventId}/slots/${slot.id}/close`)).status).toBe(200);
    await context.setOffline(false);

    await poll(
      () => page.getByTestId('status-banner').locator('[data-state="rejected"]').count(),
      20_000,
    ).toBe(1);
    expect(await text(page, 'status-banner')).toContain('该单位的评分已结束，本次提交未计入');
    expect(await text(page, 'status-banner')).toContain('78');
    await poll(() => text(page, 'waiting')).toContain('请等待主持人开放评分');
    expect(await entriesOf(judge.id, slot.id)).toHaveLength(0);
  });
  it('a unit that closes while the judge is typing says so, keeps what was typed, and marks the agenda', async () => {
    const judge = fx.judges[4]!;
    const slot = fx.slots[2]!;
    expect((await organizer.post(`/api/events/${fx.eventId}/slots/${slot.id}/open`)).status).toBe(200);
    const { page } = await phone();
    await page.goto(`${server.baseUrl}/judge/?t=${judge.token}`);
    await poll(() => text(page, 'unit-name')).toBe(fx.units[2]!.name);
    await page.getByTestId(`input-${fx.criteria[0]!.id}`).fill('31');
    await page.getByTestId(`input-${fx.criteria[1]!.id}`).fill('22.5');
    // The organizer closes the unit before the judge sent anything.
    expect((await organizer.post(`/api/events/${fx.eventId}/slots/${slot.id}/close`)).status).toBe(200);
    const missed = page.getByTestId(`missed-${slot.id}`);
    await missed.waitFor({ timeout: 15_000 });
    expect(await missed.textContent()).toContain(`${fx.units[2]!.name}评分已结束，您未提交`);
    expect(await missed.textContent()).toContain(`${fx.criteria[0]!.nameZh} 31`);
    expect(await missed.textContent()).toContain(`${fx.criteria[1]!.nameZh} 22.5`);
    await page.locator('details.agenda summary, section.agenda h2').first().click();
    expect(await page.getByTestId(`mine-${slot.id}`).getAttribute('data-state')).toBe('missed');
    // It stays through a reload, until the judge dismisses it.
    await page.reload();
    await missed.waitFor();
    await page.getByTestId(`missed-dismiss-${slot.id}`).tap();
    await poll(() => missed.count()).toBe(0);
    await page.reload();
    await page.getByTestId('waiting').waitFor();
    expect(await missed.count()).toBe(0);
    expect(await entriesOf(judge.id, slot.id)).toHaveLength(0);
  });
});
