// The demo's showcase decks on the hall's big screen at 1920 × 1080: the host puts each reporting unit
// on stage in slides mode and pages through its deck; no text box or table cell of any slide overflows
// (its scroll size stays within its client size), and the screen says which slide of how many it is.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoReportUnits } from '../../src/demo/reports.ts';
import { findDemoEventId, seedDemo } from '../../src/demo/seed.ts';
import { launchBrowser, startServer, type TestServer } from '../support/browser.ts';
import { TEST_LINK_KEY } from '../support/factory.ts';
import { type Client, clientFor, loginAs } from '../support/http.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'test-results');

describe('the demo decks on the big screen', () => {
  let browser: Browser;
  let server: TestServer;
  let eventId: string;
  let org: Client;

  beforeAll(async () => {
    if (!inject('webBuilt')) throw new Error(inject('webBuildError') ?? 'the web apps were not built');
    server = await startServer({ seed: (database) => seedDemo(database, TEST_LINK_KEY) });
    eventId = (await findDemoEventId(server.database.db))!;
    org = clientFor(server.app, await loginAs(server.app, 'admin', 'shaipin-admin'));
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const overflowing = (page: Page) =>
    page.evaluate(() =>
      [
        ...document.querySelectorAll(
          '[data-testid="slide-text"], [data-testid="slide-table"] td, [data-testid="slide-table"] th',
        ),
      ]
        .filter((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
        .map((el) => el.textContent),
    );

  it('shows every slide of every demo deck without a text overflowing its box', async () => {
    const units = (await org.get('/api/units')).json as { id: string; name: string }[];
    const slots = (await org.get(`/api/events/${eventId}`)).json.slots as { id: string; unitId: string }[];
    const link = (await org.post(`/api/events/${eventId}/screen-tokens`, { label: '主会场' })).json;
    expect((await org.patch(`/api/events/${eventId}/screen`, { mode: 'slides' })).status).toBe(200);
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
    const screen = await context.newPage();
    await screen.goto(`${server.baseUrl}/screen/${new URL(link.url).search}`);
    const shown = screen.getByTestId('mode-slides');
    const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });

    let checked = 0;
    for (const name of demoReportUnits) {
      const unitId = units.find((u) => u.name === name)!.id;
      const slot = slots.find((s) => s.unitId === unitId)!;
      const deck = await org.get(`/api/events/${eventId}/reports/${unitId}/slides`);
      const count = deck.json.slides.length as number;
      expect(count, name).toBeGreaterThanOrEqual(5);
      expect((await org.post(`/api/events/${eventId}/current`, { slotId: slot.id })).status).toBe(200);
      const status = (await org.get(`/api/events/${eventId}/reports/${unitId}`)).json.status;
      if (status !== 'verified') {
        // Not approved (东城街道 was returned): the hall sees the speaker, never a draft.
        await screen.getByTestId('mode-speaker').waitFor({ timeout: 15_000 });
        expect(await screen.getByTestId('speaker-unit').textContent()).toBe(name);
        continue;
      }
      for (let index = 0; index < count; index++) {
        expect(
          (await org.put(`/api/events/${eventId}/screen/slide`, { slotId: slot.id, index })).status,
        ).toBe(200);
        await poll(
          async () => `${await shown.getAttribute('data-slide')}/${await shown.getAttribute('data-count')}`,
        ).toBe(`${index + 1}/${count}`);
        expect(await overflowing(screen), `${name}, slide ${index + 1}`).toEqual([]);
        if (name === demoReportUnits[0])
          await screen.screenshot({ path: join(SHOTS, `demo-slide-${index + 1}-1920.png`) });
        checked++;
      }
    }
    // Four approved decks of five slides or more.
    expect(checked).toBeGreaterThanOrEqual((demoReportUnits.length - 1) * 5);
    await context.close();
  });
});
