import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:3111';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
async function session(user: string, pass: string, width: number, height: number) {
  const ctx = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
  page.on('console', (m) => { if (m.type() === 'error') console.log('CONSOLE', m.text()); });
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(user);
  await page.getByTestId('login-password').fill(pass);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}
const shots = process.argv.slice(2);
const org = await session('admin', 'shaipin-admin', 1440, 900);
for (const path of ['/supervision/inbox', '/supervision/tasks', '/supervision/visits', '/supervision/projects', '/supervision/dashboard', '/supervision/bulletin', '/supervision/channels']) {
  await org.goto(base + path);
  await org.waitForTimeout(1500);
  await org.screenshot({ path: `/tmp/shots/org${path.replaceAll('/', '_')}.png`, fullPage: true });
}
const visitLink = org.getByTestId('visits-table');
await org.goto(base + '/supervision/visits');
await org.waitForTimeout(800);
await org.locator('[data-testid=visits-table] tbody tr').first().click();
await org.waitForTimeout(1200);
await org.screenshot({ path: '/tmp/shots/org_visit.png', fullPage: true });
await org.goto(base + '/supervision/tasks');
await org.waitForTimeout(800);
await org.locator('[data-testid=tasks-table] tbody tr').first().click();
await org.waitForTimeout(1200);
await org.screenshot({ path: '/tmp/shots/org_task.png', fullPage: true });
const rep = await session('dongcheng', 'shaipin-reporter', 390, 844);
await rep.goto(base + '/supervision/inbox');
await rep.waitForTimeout(1500);
await rep.screenshot({ path: '/tmp/shots/rep_inbox.png', fullPage: true });
await rep.locator('[data-testid=inbox-item]').first().click();
await rep.waitForTimeout(1500);
await rep.screenshot({ path: '/tmp/shots/rep_task.png', fullPage: true });
await browser.close();
