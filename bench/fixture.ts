// Phase b fixture: one event with one open slot and 2,000 judges with invites, written straight into a
// fresh SQLite database (not timed). The slot is opened through the real use case.
import type { Kysely } from 'kysely';
import { demoCriteria, demoPanels } from '../src/demo/yongkang.ts';
import type { DB } from '../src/platform/db/schema.ts';
import { rows, testLinkToken } from '../test/support/factory.ts';

export interface BurstFixture {
  eventId: string;
  slotId: string;
  organizerId: string;
  criteria: { id: string; maxPoints: number; step: number }[];
  judges: { id: string; token: string }[];
}

// SQLite caps the number of bound variables per statement: insert the many rows in chunks.
const CHUNK = 500;

export async function seedBurstFixture(db: Kysely<DB>, judgeCount: number): Promise<BurstFixture> {
  const today = new Date().toISOString().slice(0, 10);
  // Never signed in with: the organizer acts through the use cases in this process.
  const organizer = rows.user({
    username: 'bench-organizer',
    display_name: 'bench organizer',
    role: 'organizer',
  });
  const track = rows.track({ name_zh: '基准组', name_en: 'Bench', sort: 1 });
  const unit = rows.unit({
    code: 'B01',
    name: '基准单位',
    short_name: '基准',
    kind: 'department',
    track_id: track.id,
    sort: 1,
  });
  const event = rows.event({ title: 'bench', start_date: today, end_date: today, venue: '' });
  const eventId = event.id;
  const panels = demoPanels.map((p, i) =>
    rows.panel({ event_id: eventId, sort: i + 1, name: p.name, weight: p.weight }),
  );
  const criteria = demoCriteria.map((c, i) =>
    rows.criterion({
      event_id: eventId,
      sort: i + 1,
      name_zh: c.nameZh,
      name_en: c.nameEn,
      max_points: c.maxPoints,
      step: c.step,
    }),
  );
  const judges = Array.from({ length: judgeCount }, (_, i) =>
    rows.judge({
      event_id: eventId,
      panel_id: panels[i % panels.length]!.id,
      name: `评委${String(i + 1).padStart(4, '0')}`,
      sort: i + 1,
    }),
  );
  const invites = judges.map((j) => rows.invite({ judge_id: j.id, event_id: eventId }));
  const slot = rows.slot({
    event_id: eventId,
    track_id: track.id,
    unit_id: unit.id,
    position: 1,
  });
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('users').values(organizer).execute();
    await trx.insertInto('tracks').values(track).execute();
    await trx.insertInto('units').values(unit).execute();
    await trx.insertInto('events').values(event).execute();
    await trx.insertInto('event_tracks').values({ event_id: eventId, track_id: track.id, sort: 1 }).execute();
    await trx.insertInto('panels').values(panels).execute();
    await trx.insertInto('criteria').values(criteria).execute();
    for (let i = 0; i < judges.length; i += CHUNK) {
      await trx
        .insertInto('judges')
        .values(judges.slice(i, i + CHUNK))
        .execute();
      await trx
        .insertInto('invites')
        .values(invites.slice(i, i + CHUNK))
        .execute();
    }
    await trx.insertInto('slots').values(slot).execute();
  });
  return {
    eventId,
    slotId: slot.id,
    organizerId: organizer.id,
    criteria: criteria.map((c) => ({ id: c.id, maxPoints: c.max_points, step: c.step })),
    judges: judges.map((j, i) => ({ id: j.id, token: testLinkToken('invite', invites[i]!.id as string) })),
  };
}
