// The event and the verified numbers the reports tests start from (over HTTP, with assertions: for tests
// only; the bench uses report-fixtures.ts, which has no test runner in it).
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { DB } from '../../src/platform/db/schema.ts';
import { rows } from './factory.ts';
import type { Client } from './http.ts';
import type { IndicatorFixture } from './indicator-fixtures.ts';

/** The source article's event (2023-08-03), with `unitIds` on its agenda in that order: its id. */
export async function seedReportEvent(db: Kysely<DB>, unitIds: readonly string[]): Promise<string> {
  const track = rows.track();
  const event = rows.event({
    title: '永康市2023年上半年“大晒拼”',
    start_date: '2023-08-03',
    end_date: '2023-08-03',
  });
  const eventId = event.id as string;
  await db.insertInto('tracks').values(track).execute();
  await db.insertInto('events').values(event).execute();
  await db
    .insertInto('event_tracks')
    .values({ event_id: eventId, track_id: track.id as string, sort: 1 })
    .execute();
  for (const [i, unitId] of unitIds.entries())
    await db
      .insertInto('slots')
      .values(
        rows.slot({ event_id: eventId, track_id: track.id as string, unit_id: unitId, position: i + 1 }),
      )
      .execute();
  return eventId;
}

/**
 * 2023-Q2 of the indicator fixture's first unit, reported and verified: land well ahead (green), air
 * hardly moved (40 → 39.9 against 30 by year end: red).
 */
export async function verifyFirstUnitQ2(
  f: IndicatorFixture,
  reporter: Client,
  organizer: Client,
): Promise<void> {
  for (const [id, value] of [
    [f.indicators.land.id, 1500],
    [f.indicators.air.id, 39.9],
  ] as const) {
    expect(
      (await reporter.put(`/api/indicators/${id}/actuals/2023-Q2`, { value, submit: true })).status,
    ).toBe(200);
    expect(
      (await organizer.post(`/api/indicators/${id}/actuals/2023-Q2/review`, { decision: 'verify' })).status,
    ).toBe(200);
  }
}

/**
 * The first unit's report, from the template to approved: Q2 data, both indicators required, the red
 * one explained. Returns the unit's id.
 */
export async function approveFirstUnitReport(
  f: IndicatorFixture,
  eventId: string,
  reporter: Client,
  organizer: Client,
  photoIds: string[] = [],
): Promise<string> {
  const base = `/api/events/${eventId}/reports`;
  const unitId = f.units[0]!.id;
  const tpl = (await organizer.get(`${base}/template`)).json;
  expect(
    (
      await organizer.put(`${base}/template`, {
        template: tpl.template,
        periodKey: '2023-Q2',
        deadline: null,
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await organizer.put(`${base}/${unitId}/required`, {
        items: [
          { kind: 'indicator', indicatorId: f.indicators.land.id, title: f.indicators.land.name },
          { kind: 'indicator', indicatorId: f.indicators.air.id, title: f.indicators.air.name },
        ],
      })
    ).status,
  ).toBe(200);
  const content = {
    speaker: '自然资源局局长',
    highlights: [{ title: '低效工业用地整治', text: '均实现时间过半、任务过半。', figures: [], photoIds }],
    shortfalls: [
      {
        indicatorId: f.indicators.air.id,
        title: '空气质量改善滞后',
        cause: '工地扬尘管控不到位。',
        measure: '8月底前完成全部工地在线监测。',
      },
    ],
    nextSteps: [{ commitment: '年底前完成2400亩整治', owner: '耕保科', due: '2023-12-31' }],
    workItems: [],
  };
  const saved = await reporter.put(`${base}/${unitId}`, { content });
  if (saved.status !== 200) throw new Error(`saving the report: ${saved.status} ${saved.body}`);
  expect((await reporter.post(`${base}/${unitId}/submit`)).status).toBe(200);
  expect((await organizer.post(`${base}/${unitId}/review`, { decision: 'verify' })).status).toBe(200);
  return unitId;
}
