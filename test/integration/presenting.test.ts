// A unit's approved showcase slides in the hall, on both databases: the host pages the deck of the
// unit on stage (an absolute slide number for a named slot), the big screen's state carries the slide
// and starts the next unit at its first slide; the screen and the judges read approved decks of their
// own event only, and the judges' phones get the slide titles and required indicators.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/platform/http/app.ts';
import { dbKinds } from '../support/db.ts';
import { rows, testLinkToken } from '../support/factory.ts';
import {
  anonymous,
  asJudge,
  asRole,
  type Client,
  clientFor,
  createTestApp,
  loginAs,
  type RoleClient,
  type TestApp,
} from '../support/http.ts';
import { type IndicatorFixture, seedIndicatorFixture } from '../support/indicator-fixtures.ts';
import { approveFirstUnitReport, seedReportEvent, verifyFirstUnitQ2 } from '../support/report-setup.ts';

describe.each(dbKinds)('presenting showcase slides on %s', (kind) => {
  let t: TestApp;
  let org: RoleClient;
  let observer: RoleClient;
  let f: IndicatorFixture;
  let reporterA: Client;
  let eventId: string;
  let otherEventId: string;
  let unitA: string;
  let unitB: string;
  let slots: { id: string; unit_id: string }[];

  async function asScreen(id: string): Promise<Client> {
    const created = await org.post(`/api/events/${id}/screen-tokens`, { label: '主会场' });
    expect(created.status).toBe(200);
    const token = new URL(created.json.url).searchParams.get('t')!;
    const res = await anonymous(t).post('/api/screen/session', { token });
    const c = res.cookies.find((x) => x.name === SESSION_COOKIE)!;
    return clientFor(t.app, `${SESSION_COOKIE}=${c.value}`);
  }

  async function judgeOf(id: string): Promise<Client> {
    const panel = rows.panel({ event_id: id });
    const judge = rows.judge({ event_id: id, panel_id: panel.id as string });
    const invite = rows.invite({ event_id: id, judge_id: judge.id as string });
    await t.database.db.insertInto('panels').values(panel).execute();
    await t.database.db.insertInto('judges').values(judge).execute();
    await t.database.db.insertInto('invites').values(invite).execute();
    return asJudge(t, testLinkToken('invite', invite.id as string));
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    org = await asRole(t, 'organizer');
    observer = await asRole(t, 'observer');
    f = await seedIndicatorFixture(t.database);
    reporterA = clientFor(t.app, await loginAs(t.app, f.reporters[0]!.username, f.reporters[0]!.password));
    eventId = await seedReportEvent(
      t.database.db,
      f.units.map((u) => u.id),
    );
    otherEventId = await seedReportEvent(t.database.db, [f.units[0]!.id]);
    await verifyFirstUnitQ2(f, reporterA, org);
    unitA = await approveFirstUnitReport(f, eventId, reporterA, org);
    unitB = f.units[1]!.id;
    slots = await t.database.db
      .selectFrom('slots')
      .select(['id', 'unit_id'])
      .where('event_id', '=', eventId)
      .orderBy('position')
      .execute();
  });
  afterAll(() => t?.close());

  const slide = (body: { slotId: string; index: number }, as: Client = org) =>
    as.put(`/api/events/${eventId}/screen/slide`, body);

  it('pages the deck of the unit on stage and starts the next unit at its first slide', async () => {
    const [a, b] = slots;
    // Nobody on stage: no slot's deck can be paged.
    const early = await slide({ slotId: a!.id, index: 1 });
    expect(early.status).toBe(409);
    expect(early.json).toMatchObject({
      code: 'slot_not_on_stage',
      message: expect.stringContaining('不在台上'),
    });

    expect((await org.post(`/api/events/${eventId}/current`, { slotId: a!.id })).status).toBe(200);
    expect((await org.patch(`/api/events/${eventId}/screen`, { mode: 'slides' })).status).toBe(200);
    const screen = await asScreen(eventId);
    const before = (await screen.get('/api/screen/state')).json;
    expect(before).toMatchObject({ mode: 'slides', current: { slotId: a!.id, unitId: unitA, slide: 0 } });

    const turned = await slide({ slotId: a!.id, index: 2 });
    expect(turned.status).toBe(200);
    expect(turned.json.screen).toMatchObject({ mode: 'slides', slide: 2 });
    // A retried click is the same slide, not one further.
    expect((await slide({ slotId: a!.id, index: 2 })).json.screen.slide).toBe(2);
    expect((await screen.get('/api/screen/state')).json.current.slide).toBe(2);

    // The next unit on stage starts at its first slide; a late click for the previous unit is refused.
    await org.post(`/api/events/${eventId}/current`, { slotId: b!.id });
    expect((await screen.get('/api/screen/state')).json.current).toMatchObject({ unitId: unitB, slide: 0 });
    expect((await slide({ slotId: a!.id, index: 3 })).status).toBe(409);
    expect((await screen.get('/api/screen/state')).json.current.slide).toBe(0);
    // Back on stage later, the first unit starts over at its first slide.
    await org.post(`/api/events/${eventId}/current`, { slotId: a!.id });
    expect((await screen.get('/api/screen/state')).json.current.slide).toBe(0);
  });

  it('lets only the organizer turn slides, within bounds', async () => {
    const a = slots[0]!;
    expect((await slide({ slotId: a.id, index: 1 }, observer)).status).toBe(403);
    expect((await slide({ slotId: a.id, index: 1 }, reporterA)).status).toBe(403);
    expect((await slide({ slotId: a.id, index: 1 }, anonymous(t))).status).toBe(401);
    expect((await slide({ slotId: a.id, index: -1 })).status).toBe(400);
    expect((await slide({ slotId: a.id, index: 100 })).status).toBe(400);
    const screen = await asScreen(eventId);
    expect((await slide({ slotId: a.id, index: 1 }, screen)).status).toBe(403);
  });

  it('shows the hall approved decks of its own event only, without the numbers’ sources', async () => {
    const screen = await asScreen(eventId);
    const deck = await screen.get(`/api/events/${eventId}/reports/${unitA}/slides`);
    expect(deck.status).toBe(200);
    expect(deck.json.slides.length).toBeGreaterThanOrEqual(5);
    expect(deck.json.facts).toEqual({});
    // The organizer's copy keeps the sources.
    const own = (await org.get(`/api/events/${eventId}/reports/${unitA}/slides`)).json;
    expect(own.facts[f.indicators.air.id].source).toMatchObject({ periodKey: '2023-Q2' });
    // No approved report: nothing for the hall (the screen shows the speaker instead).
    expect((await screen.get(`/api/events/${eventId}/reports/${unitB}/slides`)).status).toBe(404);
    // Another event's screen.
    const other = await asScreen(otherEventId);
    expect((await other.get(`/api/events/${eventId}/reports/${unitA}/slides`)).status).toBe(403);
  });

  it('gives a judge of the event the slide titles and the required indicators', async () => {
    const judge = await judgeOf(eventId);
    const outline = await judge.get(`/api/events/${eventId}/reports/${unitA}/outline`);
    expect(outline.status).toBe(200);
    expect(outline.json).toMatchObject({
      unitName: f.units[0]!.name,
      titles: [f.units[0]!.name, '核心指标', '特色亮点：低效工业用地整治', '短板不足', '下步举措'],
    });
    expect(outline.json.indicators.map((i: { name: string; light: string }) => [i.name, i.light])).toEqual([
      [f.indicators.land.name, 'green'],
      [f.indicators.air.name, 'red'],
    ]);
    expect(outline.json.indicators[1]).not.toHaveProperty('source');
    expect((await judge.get(`/api/events/${eventId}/reports/${unitB}/outline`)).status).toBe(404);
    const stranger = await judgeOf(otherEventId);
    expect((await stranger.get(`/api/events/${eventId}/reports/${unitA}/outline`)).status).toBe(403);
    expect((await reporterA.get(`/api/events/${eventId}/reports/${unitA}/outline`)).status).toBe(403);
  });
});
