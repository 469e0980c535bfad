// The supervision loop in a real Chromium, as its users run it: the organizer records the mayor's visit
// with an instruction and turns it into a task for a unit; the unit's reporter, on a phone, finds it in
// the inbox, accepts, adds a site photo and answers; the organizer returns it once with a reason; the
// reporter answers again; the organizer verifies and closes it. Meanwhile the server's delivery worker
// posts every notice to the local robot endpoints (DingTalk signed, WeCom), which check each request
// as the services do. The dashboard, the bulletin and the Excel lists follow each step.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, signInPage, startServer, type TestServer } from '../support/browser.ts';
import { rows } from '../support/factory.ts';
import { clientFor, loginAs, type SeededUser, seedUser } from '../support/http.ts';
import { dingtalkUrl, ROBOT_SECRET, type RobotServer, startRobotServer, wecomUrl } from '../support/robot.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'test-results');
const DESKTOP = { viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true };
const PHONE = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true };
const TASK = '东塔路8月底前完成沥青摊铺并通车';

const poll = <T>(fn: () => T | Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout, interval: 200 });

describe('supervision: visit → task → answer → return → close, with the groups told', () => {
  let browser: Browser;
  let server: TestServer;
  let robot: RobotServer;
  let organizer: SeededUser;
  let reporter: SeededUser;
  let unitId = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!inject('webBuilt')) throw new Error(inject('webBuildError') ?? 'the web apps were not built');
    mkdirSync(SHOTS, { recursive: true });
    robot = await startRobotServer();
    server = await startServer({ background: { intervalMs: 200 }, publicUrl: 'http://shaipin.test' });
    server.clock.set(new Date('2023-08-03T02:00:00.000Z'));
    robot.setClock(() => server.clock.now().getTime());
    const unit = rows.unit({ track_id: null, name: '市交通运输局' });
    await server.database.db.insertInto('units').values(unit).execute();
    unitId = unit.id;
    organizer = await seedUser(server.database, { role: 'organizer', displayName: '督查室小李' });
    reporter = await seedUser(server.database, { role: 'reporter', unitId, displayName: '交通局联络员' });
    await seedUser(server.database, { role: 'leader', displayName: '市长' });
    const org = clientFor(server.app, await loginAs(server.app, organizer.username, organizer.password));
    const robotBody = { mutedKinds: [], quietFrom: null, quietTo: null, digest: false, enabled: true };
    for (const body of [
      {
        name: '交通局工作群',
        kind: 'dingtalk',
        audience: 'unit',
        unitId,
        webhook: dingtalkUrl(robot.url, 'unit-robot-0001'),
        secret: ROBOT_SECRET,
      },
      {
        name: '督查室工作群',
        kind: 'wecom',
        audience: 'office',
        unitId: null,
        webhook: wecomUrl(robot.url, 'office-robot-0001'),
      },
    ])
      expect((await org.post('/api/notifications/channels', { ...robotBody, ...body })).status).toBe(200);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    await robot?.close();
  });

  const titlesTo = (robotName: string) =>
    robot.messages.filter((m) => m.robot === robotName).map((m) => m.title || (m.text.split('\n')[0] ?? ''));
  const step = async (page: Page, action: string, opinion?: string) => {
    await page.getByTestId(`task-action-${action}`).click();
    if (opinion) await page.getByTestId('task-step-opinion').fill(opinion);
    await page.getByTestId('task-step-ok').click();
  };
  const lists = async (page: Page) => {
    await page.goto(`${server.baseUrl}/supervision/projects`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('lists-export').click(),
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('责任清单')!;
    return sheet.getRow(2).values as unknown[];
  };

  let taskUrl = '';

  it('records a visit with an instruction and turns the instruction into a task', async () => {
    const page = await signInPage(browser, server.baseUrl, organizer, DESKTOP, contexts);
    await page.goto(`${server.baseUrl}/supervision/visits`);
    await page.getByTestId('visit-new').click();
    await page.getByTestId('visit-form-title').fill('市长督查民生实事');
    await page.getByTestId('visit-form-leader').fill('市长');
    await page.getByTestId('visit-form-findings').fill('东塔路沥青摊铺进度偏慢');
    await page
      .getByTestId('visit-form-instruction-0')
      .fill('东塔路要倒排工期，确保8月底前完成沥青摊铺并通车');
    await page.getByTestId('visit-form-ok').click();
    await page.waitForURL(/\/supervision\/visits\/[^/]+$/);
    await page.getByTestId('visit-to-task-0').click();
    await page.getByTestId('task-form-title').fill(TASK);
    await page.getByTestId('task-form-standard').fill('沥青摊铺完成，道路通车，提供现场照片');
    await page.getByTestId('task-form-unit').click();
    await page.locator('.ant-select-item-option', { hasText: '市交通运输局' }).click();
    const due = page.getByTestId('task-form-deadline');
    await due.click();
    await due.fill('2023-08-31');
    await due.press('Enter');
    await page.getByTestId('task-form-ok').click();
    await poll(() => page.getByTestId('visit-instruction').first().textContent()).toContain(TASK);
    await page.screenshot({ path: join(SHOTS, 'supervision-visit.png'), fullPage: true });
    await page.getByRole('link', { name: TASK }).click();
    await page.waitForURL(/\/supervision\/tasks\/[^/]+$/);
    taskUrl = page.url();
    await poll(() => page.getByTestId('task-page').getAttribute('data-state')).toBe('issued');
    // The dashboard counts it open and green.
    await page.goto(`${server.baseUrl}/supervision/dashboard`);
    await poll(() => page.getByTestId('dashboard-light-green').textContent()).toContain('1');
    expect((await lists(page))[8]).toBe('已交办');
  });

  it('lets the unit accept, add a photo and answer, on a phone', async () => {
    const phone = await signInPage(browser, server.baseUrl, reporter, PHONE, contexts);
    await phone.goto(`${server.baseUrl}/supervision/inbox`);
    const item = phone.getByTestId('inbox-item').first();
    await poll(() => item.getAttribute('data-kind')).toBe('task_accept');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: join(SHOTS, 'supervision-inbox-phone.png'), fullPage: true });
    await item.click();
    await phone.waitForURL(/\/supervision\/tasks\//);
    await step(phone, 'accept');
    await poll(() => phone.getByTestId('task-page').getAttribute('data-state')).toBe('accepted');
    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#557799' } })
      .composite([
        {
          input: Buffer.from(
            '<svg width="200" height="100"><rect width="200" height="40" fill="#222"/></svg>',
          ),
          top: 300,
          left: 100,
        },
      ])
      .jpeg()
      .withExif({ IFD2: { DateTimeOriginal: '2023:08:29 09:30:00' } })
      .toBuffer();
    await phone
      .getByTestId('task-photo-input')
      .setInputFiles({ name: 'road.jpg', mimeType: 'image/jpeg', buffer: photo });
    await poll(() => phone.getByTestId('task-photos-photo').count()).toBe(1);
    expect(await phone.getByTestId('task-photos').textContent()).toContain('拍摄于');
    await step(phone, 'submit', '沥青摊铺已完成');
    await poll(() => phone.getByTestId('task-page').getAttribute('data-state')).toBe('submitted');
    await phone.screenshot({ path: join(SHOTS, 'supervision-task-phone.png'), fullPage: true });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it('returns it once, takes the second answer, verifies and closes it; the groups were told each step', async () => {
    const page = contexts[0]!.pages()[0]!;
    await page.goto(taskUrl);
    await poll(() => page.getByTestId('task-page').getAttribute('data-state')).toBe('submitted');
    // A return needs a reason: the empty form is refused in place.
    await page.getByTestId('task-action-return').click();
    await page.getByTestId('task-step-ok').click();
    await poll(() => page.getByRole('dialog').textContent()).toContain('请填写理由或意见');
    await page.getByTestId('task-step-opinion').fill('请补充通车现场照片');
    await page.getByTestId('task-step-ok').click();
    await poll(() => page.getByTestId('task-page').getAttribute('data-state')).toBe('in_progress');

    const phone = contexts[1]!.pages()[0]!;
    await phone.goto(`${server.baseUrl}/supervision/inbox`);
    await poll(() => phone.getByTestId('inbox-item').first().getAttribute('data-kind')).toBe('task_returned');
    await phone.getByTestId('inbox-item').first().click();
    await step(phone, 'submit', '8月30日已通车');
    await poll(() => phone.getByTestId('task-page').getAttribute('data-state')).toBe('submitted');
    // The unit cannot close its own task: no such button for it.
    expect(await phone.getByTestId('task-action-verify').count()).toBe(0);

    await page.reload();
    await step(page, 'verify', '按期完成，同意销号');
    await page.getByTestId('task-verify-confirm').click();
    await poll(() => page.getByTestId('task-page').getAttribute('data-state')).toBe('closed');
    expect(
      await page.getByTestId('task-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-action'))),
    ).toEqual(['verify', 'submit', 'return', 'submit', 'accept', 'issue']);
    await page.screenshot({ path: join(SHOTS, 'supervision-task-closed.png'), fullPage: true });

    await poll(() => titlesTo('unit-robot-0001').length).toBe(3);
    expect(titlesTo('unit-robot-0001')).toEqual([
      `新督办事项：${TASK}`,
      `督办事项被退回：${TASK}`,
      `督办事项已销号：${TASK}`,
    ]);
    await poll(() => titlesTo('office-robot-0001').length).toBe(2);
    expect(titlesTo('office-robot-0001').every((t) => t.includes('已报送办结'))).toBe(true);
    expect(robot.refusals).toEqual([]);

    await page.goto(`${server.baseUrl}/supervision/dashboard`);
    await poll(() => page.getByTestId('dashboard-light-closed').textContent()).toContain('1');
    // The period in the address, as a shared link carries it; the picker shows it.
    await page.goto(`${server.baseUrl}/supervision/bulletin?from=2023-08-01&to=2023-08-31`);
    await poll(() => page.locator('.ant-picker-range input').first().inputValue()).toBe('2023年8月1日');
    const row = page.getByTestId('bulletin-table').locator('tbody tr', { hasText: '市交通运输局' });
    // Closed on time with one return: 100 × 1 − 2 × 1.
    await poll(() => row.textContent()).toContain('98');
    await page.screenshot({ path: join(SHOTS, 'supervision-bulletin.png'), fullPage: true });
    const last = await lists(page);
    expect(last[1]).toBe(TASK);
    expect(last[8]).toBe('已销号');
  });
  it('issues a task from another page: a unit’s commitment arrives with its words filled in', async () => {
    const page = contexts[0]!.pages()[0]!;
    const q = new URLSearchParams({
      new: '1',
      sourceKind: 'commitment',
      unitId,
      title: '8月底前完成全部工地在线监测',
      sourceText: '8月底前完成全部工地在线监测 · 环保科',
    });
    await page.goto(`${server.baseUrl}/supervision/tasks?${q}`);
    await poll(() => page.getByTestId('task-form-title').inputValue()).toBe('8月底前完成全部工地在线监测');
    await page.getByTestId('task-form-standard').fill('全部工地接入在线监测');
    const due = page.getByTestId('task-form-deadline');
    await due.click();
    await due.fill('2023-08-31');
    await due.press('Enter');
    await page.getByTestId('task-form-ok').click();
    await page.waitForURL(/\/supervision\/tasks\/[^/?]+$/);
    await poll(() => page.getByTestId('task-page').textContent()).toContain('单位承诺');
    expect(await page.getByTestId('task-page').textContent()).toContain('环保科');
  });
  it('takes an extension request from the unit and the issuer’s approval, which moves the deadline', async () => {
    const org = clientFor(server.app, await loginAs(server.app, organizer.username, organizer.password));
    const rep = clientFor(server.app, await loginAs(server.app, reporter.username, reporter.password));
    const made = await org.post('/api/supervision/tasks', {
      title: '零工市场投用',
      standard: '正式投用',
      sourceKind: 'meeting',
      sourceText: '专题会议',
      unitId,
      deadline: '2023-08-20',
    });
    expect(
      (await rep.post(`/api/supervision/tasks/${made.json.id}/steps`, { action: 'accept' })).status,
    ).toBe(200);
    const phone = contexts[1]!.pages()[0]!;
    await phone.goto(`${server.baseUrl}/supervision/tasks/${made.json.id}`);
    await phone.getByTestId('task-action-request_extension').click();
    await phone.getByTestId('task-step-opinion').fill('运营方招引需要时间');
    const date = phone.getByTestId('task-step-deadline');
    await date.click();
    await date.fill('2023-09-30');
    await date.press('Enter');
    await phone.getByTestId('task-step-ok').click();
    await poll(() => phone.getByTestId('task-page').getAttribute('data-state')).toBe('extension_requested');
    expect(await phone.getByTestId('task-page').textContent()).toContain('申请延至 2023年9月30日');

    const page = contexts[0]!.pages()[0]!;
    await page.goto(`${server.baseUrl}/supervision/tasks/${made.json.id}`);
    await step(page, 'approve_extension', '同意延期');
    await poll(() => page.getByTestId('task-page').getAttribute('data-state')).toBe('in_progress');
    expect(await page.getByTestId('task-page').textContent()).toContain('2023年9月30日');
    const after = await org.get(`/api/supervision/tasks/${made.json.id}`);
    expect(after.json).toMatchObject({ deadline: '2023-09-30', requestedDeadline: null });
  });
});
