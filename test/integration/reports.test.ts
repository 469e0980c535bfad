// A unit's showcase report over HTTP, on both databases: the organizer sets the template and what the
// unit must show; the reporter is refused while a red required indicator is unexplained, submits, is
// returned with a comment, resubmits; the organizer compares the revisions and approves; the numbers
// are frozen with their source; who may read what; the deck as slides and PPTX; the lock.
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWorkbook } from '../../src/platform/excel.ts';
import { dbKinds } from '../support/db.ts';
import {
  asRole,
  type Client,
  clientFor,
  createTestApp,
  loginAs,
  type RoleClient,
  type TestApp,
} from '../support/http.ts';
import { type IndicatorFixture, seedIndicatorFixture } from '../support/indicator-fixtures.ts';
import { seedReportEvent, verifyFirstUnitQ2 } from '../support/report-setup.ts';

describe.each(dbKinds)('showcase reports on %s', (kind) => {
  let t: TestApp;
  let org: RoleClient;
  let leader: RoleClient;
  let f: IndicatorFixture;
  let reporterA: Client;
  let reporterB: Client;
  let eventId: string;
  let unitA: string;
  const base = () => `/api/events/${eventId}/reports`;

  beforeAll(async () => {
    t = await createTestApp(kind);
    org = await asRole(t, 'organizer');
    leader = await asRole(t, 'leader');
    f = await seedIndicatorFixture(t.database);
    reporterA = clientFor(t.app, await loginAs(t.app, f.reporters[0]!.username, f.reporters[0]!.password));
    reporterB = clientFor(t.app, await loginAs(t.app, f.reporters[1]!.username, f.reporters[1]!.password));
    unitA = f.units[0]!.id;
    // An event whose agenda holds both units of the indicators; the first unit's Q2 verified.
    eventId = await seedReportEvent(
      t.database.db,
      f.units.map((u) => u.id),
    );
    await verifyFirstUnitQ2(f, reporterA, org);
  });
  afterAll(() => t?.close());

  const content = (withShortfall: boolean) => ({
    speaker: '自然资源局局长',
    highlights: [
      {
        title: '低效工业用地整治',
        text: '均实现时间过半、任务过半，腾出空间 560 亩。',
        figures: [{ label: '整治面积', value: '1500亩' }],
        photoIds: [],
      },
    ],
    shortfalls: withShortfall
      ? [
          {
            indicatorId: f.indicators.air.id,
            title: '空气质量改善滞后',
            cause: '工地扬尘管控不到位。',
            measure: '8月底前完成全部工地在线监测。',
          },
        ]
      : [],
    nextSteps: [{ commitment: '年底前完成2400亩整治', owner: '耕保科', due: '2023-12-31' }],
    workItems: [] as { requiredItemId: string; text: string }[],
  });

  it('runs the review loop from the template to an approved, frozen deck', async () => {
    // The organizer: the template with its data period, and what the unit must show.
    const tpl = (await org.get(`${base()}/template`)).json;
    expect(tpl).toMatchObject({
      periodKey: null,
      locked: false,
      template: { look: { eventTitle: '永康市2023年上半年“大晒拼”' } },
    });
    expect(
      (
        await org.put(`${base()}/template`, {
          template: tpl.template,
          periodKey: '2023-Q2',
          deadline: '2099-07-31',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await reporterA.put(`${base()}/template`, {
          template: tpl.template,
          periodKey: '2023-Q2',
          deadline: null,
        })
      ).status,
    ).toBe(403);
    const required = await org.put(`${base()}/${unitA}/required`, {
      items: [
        { kind: 'indicator', indicatorId: f.indicators.land.id, title: f.indicators.land.name },
        { kind: 'indicator', indicatorId: f.indicators.air.id, title: f.indicators.air.name },
        { kind: 'work', title: '城市更新“拆改结合”' },
      ],
    });
    expect(required.status).toBe(200);
    const workId = (required.json as { id: string; kind: string }[]).find((r) => r.kind === 'work')!.id;

    // The reporter starts: the numbers are the verified ones; what is missing is listed in Chinese.
    const fresh = (await reporterA.get(`${base()}/${unitA}`)).json;
    expect(fresh.status).toBeNull();
    expect(fresh.facts.map((x: { code: string; light: string }) => [x.code, x.light])).toEqual([
      [f.indicators.land.code, 'green'],
      [f.indicators.air.code, 'red'],
    ]);
    expect(fresh.facts[1].source).toMatchObject({ periodKey: '2023-Q2', verifiedBy: expect.any(String) });

    // Saved without explaining the red light: the submission is refused, saying which and why.
    const draft = {
      ...content(false),
      workItems: [{ requiredItemId: workId, text: '完成拆改结合项目12个。' }],
    };
    expect((await reporterA.put(`${base()}/${unitA}`, { content: draft })).json.status).toBe('draft');
    const refused = await reporterA.post(`${base()}/${unitA}/submit`);
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe('report_incomplete');
    expect(refused.json.details.problems).toEqual([
      {
        code: 'unexplainedShortfall',
        message: `必晒指标 ${f.indicators.air.code} 亮红灯，请在「短板不足」中说明原因和举措`,
      },
    ]);

    // Explained: submitted, version 1, numbers frozen.
    const fixed = { ...content(true), workItems: draft.workItems };
    await reporterA.put(`${base()}/${unitA}`, { content: fixed });
    const submitted = await reporterA.post(`${base()}/${unitA}/submit`);
    expect(submitted.status).toBe(200);
    expect(submitted.json).toMatchObject({
      status: 'submitted',
      version: 1,
      problems: [],
      staleIndicatorIds: [],
    });

    // Nobody else reads it before it is approved.
    expect((await reporterB.get(`${base()}/${unitA}`)).status).toBe(403);
    expect((await leader.get(`${base()}/${unitA}`)).status).toBe(403);
    expect((await reporterB.put(`${base()}/${unitA}`, { content: fixed })).status).toBe(403);
    expect((await org.get(`${base()}`)).json.map((r: { status: string | null }) => r.status)).toEqual([
      'submitted',
      null,
    ]);
    expect((await reporterA.get(`${base()}`)).json).toHaveLength(1);

    // Returned with a comment on one item; fixed and resubmitted.
    expect((await org.post(`${base()}/${unitA}/review`, { decision: 'return' })).status).toBe(400);
    const returned = await org.post(`${base()}/${unitA}/review`, {
      decision: 'return',
      comments: [{ path: 'shortfalls.0.measure', text: '举措要有完成时间和责任人' }],
    });
    expect(returned.json).toMatchObject({
      status: 'returned',
      version: 2,
      comments: [{ path: 'shortfalls.0.measure' }],
    });
    // The unit's group is told, with the comment, in the return's transaction; once.
    const told = await t.database.db
      .selectFrom('nt_outbox')
      .selectAll()
      .where('kind', '=', 'report_returned')
      .where('unit_id', '=', unitA)
      .execute();
    expect(told).toHaveLength(1);
    expect(told[0]?.markdown).toContain('举措要有完成时间和责任人');
    const reworked = structuredClone(fixed);
    reworked.shortfalls[0]!.measure = '8月底前由环保科完成全部工地在线监测。';
    await reporterA.put(`${base()}/${unitA}`, { content: reworked });
    expect((await reporterA.post(`${base()}/${unitA}/submit`)).json).toMatchObject({
      status: 'submitted',
      version: 3,
    });

    // What changed between the two submissions.
    const revisions = (await org.get(`${base()}/${unitA}/revisions`)).json;
    expect(revisions.map((r: { version: number; status: string }) => [r.version, r.status])).toEqual([
      [1, 'submitted'],
      [2, 'returned'],
      [3, 'submitted'],
    ]);
    expect((await org.get(`${base()}/${unitA}/compare?from=1&to=3`)).json).toEqual([
      {
        path: 'content.shortfalls.0.measure',
        before: '8月底前完成全部工地在线监测。',
        after: '8月底前由环保科完成全部工地在线监测。',
      },
    ]);

    // The indicator data change after submission: the organizer sees which numbers are stale.
    await org.post(`/api/indicators/${f.indicators.air.id}/actuals/2023-Q2/review`, {
      decision: 'return',
      reason: '核对',
    });
    await org.put(`/api/indicators/${f.indicators.air.id}/actuals/2023-Q2`, { value: 36, submit: true });
    const stale = (await org.get(`${base()}/${unitA}`)).json;
    expect(stale.staleIndicatorIds).toEqual([f.indicators.air.id]);
    expect(stale.facts.find((x: { code: string }) => x.code === f.indicators.air.code).actual).toBe(39.9);

    // Approved: leaders read it, and the deck comes as slides and as PowerPoint.
    expect((await org.post(`${base()}/${unitA}/review`, { decision: 'verify' })).json.status).toBe(
      'verified',
    );
    expect((await reporterA.put(`${base()}/${unitA}`, { content: reworked })).json.code).toBe(
      'report_verified',
    );
    expect((await leader.get(`${base()}/${unitA}`)).status).toBe(200);
    const slides = (await leader.get(`${base()}/${unitA}/slides`)).json;
    expect(slides.slides.map((s: { title: string }) => s.title)).toEqual([
      f.units[0]!.name,
      '核心指标',
      '必晒工作',
      '特色亮点：低效工业用地整治',
      '短板不足',
      '下步举措',
    ]);
    const pptx = await leader.get(`${base()}/${unitA}/deck.pptx`);
    expect(pptx.status).toBe(200);
    expect(pptx.headers['content-type']).toContain('presentationml');
    const zip = await JSZip.loadAsync(pptx.raw as Buffer);
    expect(Object.keys(zip.files).filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))).toHaveLength(6);
    const whole = await JSZip.loadAsync((await org.get(`${base()}/deck.pptx`)).raw as Buffer);
    // A divider for the track, then the one approved deck (the other unit has none).
    expect(Object.keys(whole.files).filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))).toHaveLength(7);
    expect((await reporterA.get(`${base()}/deck.pptx`)).status).toBe(403);
  });

  it('prints the approved report as an A4 page for those who may read it', async () => {
    const page = await leader.get(`${base()}/${unitA}/print`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const html = page.body;
    expect(html).toContain(`${f.units[0]!.name}晒拼报告`);
    expect(html).toContain('已审核通过');
    // The frozen numbers with their source, the red light and the shortfall that explains it.
    expect(html).toContain(f.indicators.air.name);
    expect(html).toContain('2023-Q2');
    expect(html).toContain('class="light-red"');
    expect(html).toContain('空气质量改善滞后');
    expect(html).toContain(`说明指标：${f.indicators.air.name}`);
    expect(html).toContain('填报人');
    // Escaped: the unit's texts cannot inject markup into the page.
    expect(html).not.toMatch(/<script/i);
    expect((await reporterB.get(`${base()}/${unitA}/print`)).status).toBe(403);
    expect((await reporterB.get(`${base()}/${f.units[1]!.id}/print`)).status).toBe(200);
  });

  it('takes the required content from an Excel sheet, all or nothing, with every bad row named', async () => {
    const unitB = f.units[1]!;
    const sheet = (rows: string[][]) =>
      writeWorkbook([{ name: '必晒内容', headers: ['单位', '类别', '事项'], rows }]);
    const url = `${base()}/required-import`;
    // Every mistake at once, in the organizer's words; nothing is imported.
    const bad = await org.post(
      url,
      await sheet([
        [unitB.name, '必晒指标', f.indicators.air.code],
        ['不存在的单位', '必晒工作', '某项工作'],
        [unitB.name, '亮点', '某项工作'],
        [unitB.name, '必晒工作', ''],
      ]),
    );
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('import_failed');
    expect(bad.json.details.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [2, '事项'],
      [3, '单位'],
      [4, '类别'],
      [5, '事项'],
    ]);
    expect(bad.json.details.errors[0].message).toContain('不是');
    expect((await org.get(`${base()}/${unitB.id}/required`)).json).toEqual([]);

    // A good sheet (by unit code, indicator code and name): the unit gets exactly its rows, in order.
    const landB = (await org.get(`/api/indicators?unitId=${unitB.id}`)).json as {
      code: string;
      name: string;
    }[];
    const own = landB[0]!;
    const okSheet = await sheet([
      [unitB.code, '必晒指标', own.code],
      [unitB.name, '必晒工作', '38个重点项目推进情况'],
    ]);
    const done = await org.post(url, okSheet);
    expect(done.status).toBe(200);
    expect(done.json).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(
      (await org.get(`${base()}/${unitB.id}/required`)).json.map((r: { kind: string; title: string }) => [
        r.kind,
        r.title,
      ]),
    ).toEqual([
      ['indicator', own.name],
      ['work', '38个重点项目推进情况'],
    ]);
    // The same file again changes nothing; reporters cannot import.
    expect((await org.post(url, okSheet)).json).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect((await reporterB.post(url, okSheet)).status).toBe(403);
  });

  it('takes a unit’s submission by the deadline only; the organizer can still submit for it', async () => {
    const unitB = f.units[1]!.id;
    const tpl = (await org.get(`${base()}/template`)).json;
    // The whole deadline day counts, in China time: 23:59 on the day is in time, 00:00 the next is late.
    await org.put(`${base()}/template`, {
      template: tpl.template,
      periodKey: '2023-Q2',
      deadline: '2023-07-31',
    });
    expect((await reporterB.put(`${base()}/${unitB}`, { content: content(false) })).status).toBe(200);
    t.clock.set(new Date('2023-07-31T15:59:00Z'));
    expect((await reporterB.post(`${base()}/${unitB}/submit`)).json.code).not.toBe('report_deadline_passed');
    t.clock.set(new Date('2023-07-31T16:00:00Z'));
    const late = await reporterB.post(`${base()}/${unitB}/submit`);
    expect(late.status).toBe(409);
    expect(late.json).toMatchObject({
      code: 'report_deadline_passed',
      message: expect.stringContaining('2023-07-31'),
    });
    // The organizer is not held by it (here the report is refused for what it lacks, not for the date).
    expect((await org.post(`${base()}/${unitB}/submit`)).json.code).toBe('report_incomplete');
    t.clock.set(new Date());
    await org.put(`${base()}/template`, { template: tpl.template, periodKey: '2023-Q2', deadline: null });
  });

  it('stands once the event has started', async () => {
    await t.database.db.updateTable('events').set({ scoring_started: 1 }).where('id', '=', eventId).execute();
    const unitB = f.units[1]!.id;
    const res = await reporterB.put(`${base()}/${unitB}`, { content: content(false) });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ code: 'reports_locked', message: '活动已开始，晒拼报告不能再修改' });
    expect((await org.get(`${base()}/template`)).json.locked).toBe(true);
  });
});
