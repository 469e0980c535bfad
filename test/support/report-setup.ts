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
