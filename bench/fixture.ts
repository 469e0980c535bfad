// Phase b fixture: one event with one open slot and 2,000 judges with invites, written straight into a
// fresh SQLite database (not timed). The slot is opened through the real use case.
import type { Kysely } from 'kysely';
import { demoCriteria, demoPanels } from '../src/demo/yongkang.ts';
import { GENESIS_HASH } from '../src/modules/event/domain/ledger.ts';
import { defaultScoringSettings } from '../src/modules/event/domain/scoring.ts';
import type { DB } from '../src/platform/db/schema.ts';
import { newId, newToken } from '../src/platform/ids.ts';

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
  const at = new Date().toISOString();
  const eventId = newId();
  const trackId = newId();
  const unitId = newId();
  const slotId = newId();
  const organizerId = newId();
  const panels = demoPanels.map((p, i) => ({
    id: newId(),
    event_id: eventId,
    sort: i + 1,
    name: p.name,
    weight: p.weight,
  }));
  const criteria = demoCriteria.map((c, i) => ({
    id: newId(),
    event_id: eventId,
    sort: i + 1,
    name_zh: c.nameZh,
    name_en: c.nameEn,
    max_points: c.maxPoints,
    step: c.step,
  }));
  const judges = Array.from({ length: judgeCount }, (_, i) => ({
    id: newId(),
    event_id: eventId,
    panel_id: panels[i % panels.length]!.id,
    name: `评委${String(i + 1).padStart(4, '0')}`,
    title: '',
    sort: i + 1,
  }));
  const invites = judges.map((j) => ({
    id: newId(),
    judge_id: j.id,
    event_id: eventId,
    token: newToken(),
    created_at: at,
    revoked_at: null,
  }));
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('users')
      .values({
        id: organizerId,
        username: 'bench-organizer',
        display_name: 'bench organizer',
        // Never signed in with: the organizer acts through the use cases in this process.
        password_hash: 'scrypt$disabled',
        role: 'organizer',
        unit_id: null,
        must_change_password: 0,
        locked_until: null,
        created_at: at,
      })
      .execute();
    await trx
      .insertInto('tracks')
      .values({ id: trackId, name_zh: '基准组', name_en: 'Bench', sort: 1 })
      .execute();
    await trx
      .insertInto('units')
      .values({
        id: unitId,
        code: 'B01',
        name: '基准单位',
        short_name: '基准',
        kind: 'department',
        track_id: trackId,
        sort: 1,
        created_at: at,
      })
      .execute();
    await trx
      .insertInto('events')
      .values({
        id: eventId,
        title: 'bench',
        start_date: at.slice(0, 10),
        end_date: at.slice(0, 10),
        venue: '',
        status: 'draft',
        settings: JSON.stringify(defaultScoringSettings),
        draw_seed: null,
        ledger_seq: 0,
        ledger_head: GENESIS_HASH,
        revealed: '[]',
        published_at: null,
        published_results: null,
        scoring_started: 0,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await trx.insertInto('event_tracks').values({ event_id: eventId, track_id: trackId, sort: 1 }).execute();
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
    await trx
      .insertInto('slots')
      .values({
        id: slotId,
        event_id: eventId,
        track_id: trackId,
        unit_id: unitId,
        position: 1,
        time_limit_sec: 300,
        overtime_sec: 0,
        manual_penalty: 0,
        state: 'pending',
        opened_at: null,
        closed_at: null,
      })
      .execute();
  });
  return {
    eventId,
    slotId,
    organizerId,
    criteria: criteria.map((c) => ({ id: c.id, maxPoints: c.max_points, step: c.step })),
    judges: judges.map((j, i) => ({ id: j.id, token: invites[i]!.token })),
  };
}
