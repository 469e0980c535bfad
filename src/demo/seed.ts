// Fills a fresh database with the demo: Yongkang's 2023 half-year showcase, ready to run (draft, no
// scores), with demo sign-ins. Everything goes in through the tables in one transaction, so a failed
// seed leaves nothing half-made.
import type { Kysely } from 'kysely';
import { hashPassword, verifyPassword } from '../modules/accounts/index.ts';
import { drawOrder } from '../modules/event/domain/agenda.ts';
import type { ScoringSettings } from '../modules/event/domain/scoring.ts';
import { newEventRow, newPendingSlotRow } from '../modules/event/index.ts';
import type { DbKind } from '../platform/db/database.ts';
import type { DB } from '../platform/db/schema.ts';
import { newId } from '../platform/ids.ts';
import { linkToken, tokenDigest } from '../platform/link-tokens.ts';
import { seedDemoIndicators } from './indicators.ts';
import { seedDemoReports } from './reports.ts';
import { seedDemoSupervision } from './supervision.ts';
import {
  demoAccounts,
  demoCriteria,
  demoEvent,
  demoJudges,
  demoPanels,
  demoSettings,
  demoTracks,
} from './yongkang.ts';

export interface DemoSeedResult {
  eventId: string;
  /** Track key → track id. */
  trackIds: Record<string, string>;
  /** Unit name → unit id. */
  unitIds: Record<string, string>;
}

/** Fills a fresh database with the demo event, its indicators (first half of 2023) and its units' reports. */
export async function seedDemo(database: { db: Kysely<DB>; kind: DbKind }, linkKey: Buffer): Promise<void> {
  const { db } = database;
  const { eventId, unitIds } = await seedDemoEvent(db, linkKey);
  const { indicatorIds } = await seedDemoIndicators(db, { unitIds });
  await seedDemoReports(database, { eventId, unitIds, indicatorIds });
  await seedDemoSupervision(database, { unitIds });
}

/** Same as seedDemo, returning the ids a caller (the simulation, tests) needs. */
export async function seedDemoEvent(
  db: Kysely<DB>,
  linkKey: Buffer,
  now: Date = new Date(),
): Promise<DemoSeedResult> {
  const at = now.toISOString();
  // scrypt runs on the libuv pool: four hashes side by side cost about one.
  const hashes = await Promise.all(demoAccounts.map((a) => hashPassword(a.password)));

  const eventId = newId();
  const trackIds: Record<string, string> = {};
  const unitIds: Record<string, string> = {};
  const tracks = demoTracks.map((t, i) => {
    const id = newId();
    trackIds[t.key] = id;
    return { id, name_zh: t.nameZh, name_en: t.nameEn, sort: i + 1 };
  });
  let unitSort = 0;
  const units = demoTracks.flatMap((t) =>
    t.units.map((u) => {
      const id = newId();
      unitIds[u.name] = id;
      return {
        id,
        code: u.code,
        name: u.name,
        short_name: u.shortName,
        kind: u.kind,
        track_id: trackIds[t.key]!,
        sort: ++unitSort,
        created_at: at,
      };
    }),
  );
  const panelIds: Record<string, string> = {};
  const panels = demoPanels.map((p, i) => {
    const id = newId();
    panelIds[p.key] = id;
    return { id, event_id: eventId, sort: i + 1, name: p.name, weight: p.weight };
  });
  const settings: ScoringSettings = { ...demoSettings, tieBreakPanelId: panelIds.leaders! };
  const criteria = demoCriteria.map((c, i) => ({
    id: newId(),
    event_id: eventId,
    sort: i + 1,
    name_zh: c.nameZh,
    name_en: c.nameEn,
    max_points: c.maxPoints,
    step: c.step,
  }));
  const judges = demoJudges.map((j, i) => ({
    id: newId(),
    event_id: eventId,
    panel_id: panelIds[j.panel]!,
    name: j.name,
    title: j.title,
    sort: i + 1,
  }));
  const affiliations = demoJudges.flatMap((j, i) =>
    j.affiliations.map((unitName) => {
      const unitId = unitIds[unitName];
      if (unitId === undefined) throw new Error(`demo judge ${j.name}: unknown unit ${unitName}`);
      return { judge_id: judges[i]!.id, unit_id: unitId };
    }),
  );
  const invites = judges.map((j) => {
    const id = newId();
    return {
      id,
      judge_id: j.id,
      event_id: eventId,
      token_hash: tokenDigest(linkToken(linkKey, 'invite', id)),
      created_at: at,
      revoked_at: null,
    };
  });
  // The speaking order is drawn by lot per track from the recorded seed, with the same rule as the
  // organizer's draw, so drawing again with this seed gives this order.
  const drawn = drawOrder(
    demoEvent.drawSeed,
    demoTracks.map((t) => ({
      trackId: trackIds[t.key]!,
      units: t.units.map((u) => ({ unitId: unitIds[u.name]!, code: u.code })),
    })),
  );
  const slots = drawn.flatMap((d, ti) =>
    d.unitIds.map((unitId, i) =>
      newPendingSlotRow({
        eventId,
        trackId: d.trackId,
        unitId,
        position: i + 1,
        timeLimitSec: demoTracks[ti]!.timeLimitSec,
      }),
    ),
  );
  const users = demoAccounts.map((a, i) => ({
    id: newId(),
    username: a.username,
    display_name: a.displayName,
    password_hash: hashes[i]!,
    role: a.role,
    unit_id: a.unit === null ? null : unitIds[a.unit]!,
    must_change_password: 0,
    locked_until: null,
    created_at: at,
  }));

  await db.transaction().execute(async (trx) => {
    await trx.insertInto('tracks').values(tracks).execute();
    await trx.insertInto('units').values(units).execute();
    await trx.insertInto('users').values(users).execute();
    await trx
      .insertInto('events')
      .values(
        newEventRow({
          id: eventId,
          title: demoEvent.title,
          startDate: demoEvent.startDate,
          endDate: demoEvent.endDate,
          venue: demoEvent.venue,
          settings,
          drawSeed: demoEvent.drawSeed,
          at,
        }),
      )
      .execute();
    await trx
      .insertInto('event_tracks')
      .values(tracks.map((t) => ({ event_id: eventId, track_id: t.id, sort: t.sort })))
      .execute();
    await trx.insertInto('panels').values(panels).execute();
    await trx.insertInto('criteria').values(criteria).execute();
    await trx.insertInto('judges').values(judges).execute();
    if (affiliations.length > 0) await trx.insertInto('judge_affiliations').values(affiliations).execute();
    await trx.insertInto('invites').values(invites).execute();
    await trx.insertInto('slots').values(slots).execute();
  });
  return { eventId, trackIds, unitIds };
}

/** The demo event's id, when the demo was seeded: the latest event bearing the demo title. */
export async function findDemoEventId(db: Kysely<DB>): Promise<string | null> {
  const row = await db
    .selectFrom('events')
    .select('id')
    .where('title', '=', demoEvent.title)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The demo accounts that still sign in with the password published in the README. */
export async function demoAccountsWithPublishedPasswords(db: Kysely<DB>): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select(['username', 'password_hash'])
    .where('disabled', '=', 0)
    .where(
      'username',
      'in',
      demoAccounts.map((a) => a.username),
    )
    .execute();
  const open: string[] = [];
  for (const row of rows) {
    const published = demoAccounts.find((a) => a.username === row.username)?.password;
    if (published && (await verifyPassword(published, row.password_hash))) open.push(row.username);
  }
  return open.sort();
}
