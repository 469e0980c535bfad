// Bytes on the wire, as Chromium counts them (compressed bodies plus headers), for a cold first load
// on the real build: the judge page must open on weak hall Wi-Fi.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startServer, type TestServer } from '../support/browser.ts';
import { seedEventFixture } from '../support/fixtures.ts';

const JUDGE_TRANSFER_BUDGET = 100_000;

/** Everything the page loads until the network is idle, service worker included, with its wire size. */
async function coldLoad(page: Page, url: string): Promise<{ total: number; files: [string, number][] }> {
  const sizes: Promise<[string, number]>[] = [];
  page.context().on('requestfinished', (request) => {
    sizes.push(
      request
        .sizes()
        .then((s) => [new URL(request.url()).pathname, s.responseBodySize + s.responseHeadersSize]),
    );
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  const files = await Promise.all(sizes);
  return { total: files.reduce((n, [, b]) => n + b, 0), files };
}

describe('transfer size of a cold load', () => {
  let server: TestServer;
  let browser: Browser;
  let token: string;

  beforeAll(async () => {
    server = await startServer({
      seed: async (database) => {
        token = (await seedEventFixture(database)).judges[1]!.token;
      },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(`the judge page, from its QR link, stays within ${JUDGE_TRANSFER_BUDGET / 1000} KB, compressed by brotli`, async () => {
    const context = await browser.newContext({ serviceWorkers: 'allow' });
    const page = await context.newPage();
    const encodings: string[] = [];
    page.on('response', (r) => {
      if (/\.(js|css)$/.test(new URL(r.url()).pathname))
        encodings.push(r.headers()['content-encoding'] ?? 'none');
    });
    const { total, files } = await coldLoad(page, `${server.baseUrl}/judge/?t=${token}`);
    console.log(
      `judge page cold load: ${total} bytes on the wire\n${files.map(([f, b]) => `  ${f} ${b}`).join('\n')}`,
    );
    await page.getByTestId('language-toggle').waitFor();
    expect(files.some(([f]) => /\/assets\/judge-.*\.js$/.test(f))).toBe(true);
    expect(encodings.length).toBeGreaterThan(0);
    expect(encodings.every((e) => e === 'br')).toBe(true);
    expect(total).toBeLessThanOrEqual(JUDGE_TRANSFER_BUDGET);
    await context.close();
  });
});
