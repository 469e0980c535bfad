// A complete event set up in a handful of multi-row inserts (no API, no audit, no password hashing),
// so any test can start from "an event ready to run". Names carry a per-call tag: several fixtures
// can live in one database (units, tracks and unit names are unique).
import { defaultScoringSettings, type ScoringSettings } from '../../src/modules/event/domain/scoring.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { rows, testLinkToken } from './factory.ts';

export interface EventFixtureOptions {
  /** Units (and slots) per track; 2 tracks. Default 3. */
  unitsPerTrack?: number;
  /** Judges per panel; 2 panels. Default 3. */
  judgesPerPanel?: number;
  settings?: Partial<ScoringSettings>;
  title?: string;
}

export interface EventFixture {
  eventId: string;
  title: string;
  tracks: { id: string; nameZh: string; nameEn: string }[];
  /** Units in code order; units[i] belongs to tracks[floor(i / unitsPerTrack)]. */
  units: { id: string; code: string; name: string; trackId: string }[];
  criteria: { id: string; nameZh: string; nameEn: string; maxPoints: number; step: number }[];
  panels: { id: string; name: string; weight: number }[];
  /** judges[0] is affiliated with units[0] (recused from it); each judge has a live invite token. */
  judges: { id: string; name: string; panelId: string; affiliatedUnitIds: string[]; token: string }[];
  /** One pending slot per unit, positions 1..n within each track, in unit order. */
  slots: { id: string; unitId: string; trackId: string; position: number; timeLimitSec: number }[];
}

let counter = 0;

export async function seedEventFixture(
  database: Pick<Database, 'db'>,
  opts: EventFixtureOptions = {},
): Promise<EventFixture> {
  const db = database.db;
  const tag = `${++counter}${Math.random().toString(36).slice(2, 6)}`;
  const perTrack = opts.unitsPerTrack ?? 3;
  const perPanel = opts.judgesPerPanel ?? 3;

  const tracks = [
    { id: newId(), nameZh: `镇街区组${tag}`, nameEn: `Towns ${tag}` },
    { id: newId(), nameZh: `部门组${tag}`, nameEn: `Departments ${tag}` },
  ];
  const units = tracks.flatMap((t, ti) =>
    Array.from({ length: perTrack }, (_, i) => ({
      id: newId(),
      code: `F${tag}-${ti}${String(i + 1).padStart(2, '0')}`,
      name: `${ti === 0 ? '镇街' : '部门'}${i + 1}号${tag}`,
      trackId: t.id,
    })),
  );
  const criteria = [
    { id: newId(), nameZh: '工作实绩', nameEn: 'Results', maxPoints: 40, step: 0.5 },
    { id: newId(), nameZh: '特色亮点', nameEn: 'Highlights', maxPoints: 30, step: 0.5 },
    { id: newId(), nameZh: '问题剖析', nameEn: 'Shortfalls', maxPoints: 20, step: 0.5 },
    { id: newId(), nameZh: '精神面貌', nameEn: 'Spirit', maxPoints: 10, step: 0.1 },
  ];
  const panels = [
    { id: newId(), name: '市领导组', weight: 60 },
    { id: newId(), name: '部门负责人组', weight: 40 },
  ];
  const judges = panels.flatMap((p, pi) =>
    Array.from({ length: perPanel }, (_, i) => {
      const inviteId = newId();
      return {
        id: newId(),
        name: `评委${pi + 1}-${i + 1}`,
        panelId: p.id,
        affiliatedUnitIds: pi === 0 && i === 0 ? [units[0]?.id as string] : [],
        inviteId,
        token: testLinkToken('invite', inviteId),
      };
    }),
  );
  const slots = units.map((u, i) => ({
    id: newId(),
    unitId: u.id,
    trackId: u.trackId,
    position: (i % perTrack) + 1,
    timeLimitSec: 480,
  }));
  const eventId = newId();
  const title = opts.title ?? `上半年工作大晒拼${tag}`;

  await db
    .insertInto('tracks')
    .values(tracks.map((t, i) => rows.track({ id: t.id, name_zh: t.nameZh, name_en: t.nameEn, sort: i + 1 })))
    .execute();
  await db
    .insertInto('units')
    .values(
      units.map((u, i) =>
        rows.unit({
          id: u.id,
          code: u.code,
          name: u.name,
          kind: u.trackId === tracks[0]?.id ? 'town' : 'department',
          track_id: u.trackId,
          sort: i + 1,
        }),
      ),
    )
    .execute();
  await db
    .insertInto('events')
    .values(
      rows.event({
        id: eventId,
        title,
        start_date: '2023-08-02',
        venue: '市行政中心大礼堂',
        // Quorum off unless a test is about it: most tests close slots after a handful of scores.
        settings: JSON.stringify({ ...defaultScoringSettings, quorumPercent: 0, ...opts.settings }),
      }),
    )
    .execute();
  await db
    .insertInto('event_tracks')
    .values(tracks.map((t, i) => ({ event_id: eventId, track_id: t.id, sort: i + 1 })))
    .execute();
  await db
    .insertInto('criteria')
    .values(
      criteria.map((c, i) =>
        rows.criterion({
          id: c.id,
          event_id: eventId,
          sort: i + 1,
          name_zh: c.nameZh,
          name_en: c.nameEn,
          max_points: c.maxPoints,
          step: c.step,
        }),
      ),
    )
    .execute();
  await db
    .insertInto('panels')
    .values(
      panels.map((p, i) =>
        rows.panel({ id: p.id, event_id: eventId, sort: i + 1, name: p.name, weight: p.weight }),
      ),
    )
    .execute();
  if (judges.length > 0) {
    await db
      .insertInto('judges')
      .values(
        judges.map((j, i) =>
          rows.judge({ id: j.id, event_id: eventId, panel_id: j.panelId, name: j.name, sort: i + 1 }),
        ),
      )
      .execute();
    const affiliations = judges.flatMap((j) =>
      j.affiliatedUnitIds.map((unitId) => ({ judge_id: j.id, unit_id: unitId })),
    );
    if (affiliations.length > 0) await db.insertInto('judge_affiliations').values(affiliations).execute();
    await db
      .insertInto('invites')
      .values(judges.map((j) => rows.invite({ id: j.inviteId, judge_id: j.id, event_id: eventId })))
      .execute();
  }
  if (slots.length > 0) {
    await db
      .insertInto('slots')
      .values(
        slots.map((s) =>
          rows.slot({
            id: s.id,
            event_id: eventId,
            track_id: s.trackId,
            unit_id: s.unitId,
            position: s.position,
            time_limit_sec: s.timeLimitSec,
          }),
        ),
      )
      .execute();
  }
  return { eventId, title, tracks, units, criteria, panels, judges, slots };
}
