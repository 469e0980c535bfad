// Event day over HTTP, on SQLite and PostgreSQL: the stage timer and the overtime it records, the host
// console's state, the big screen's state (and what it must never contain), and screen links.
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/platform/db/schema.ts';
import { SESSION_COOKIE } from '../../src/platform/http/app.ts';
import { newId } from '../../src/platform/ids.ts';
import { dbKinds } from '../support/db.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';
import {
  anonymous,
  asJudge,
  asRole,
  type Client,
  clientFor,
  createTestApp,
  type TestApp,
  type TestResponse,
} from '../support/http.ts';

const clientId = (): string => `c-${newId()}`;

/** Every number anywhere in a JSON value. */
function numbersIn(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (Array.isArray(value)) for (const v of value) numbersIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) numbersIn(v, out);
  return out;
}

describe.each(dbKinds)('event day on %s', (kind) => {
  let t: TestApp;
  let db: Kysely<DB>;
  let organizer: Client;
  let observer: Client;
  let leader: Client;

  beforeAll(async () => {
    t = await createTestApp(kind);
    db = t.database.db;
    organizer = await asRole(t, 'organizer');
    observer = await asRole(t, 'observer');
    leader = await asRole(t, 'leader');
  });
  afterAll(async () => {
    await t?.close();
  });

  const timerUrl = (f: EventFixture, i: number): string =>
    `/api/events/${f.eventId}/slots/${f.slots[i]!.id}/timer`;
  const timer = (f: EventFixture, i: number, action: string, seconds?: number): Promise<TestResponse> =>
    organizer.post(timerUrl(f, i), seconds === undefined ? { action } : { action, seconds });
  const slotRow = (id: string) =>
    db.selectFrom('slots').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const eventRow = (id: string) =>
    db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const auditOf = (eventId: string, action: string) =>
    db
      .selectFrom('audit_log')
      .selectAll()
      .where('event_id', '=', eventId)
      .where('action', '=', action)
      .orderBy('created_at')
      .execute();
  const unitName = (f: EventFixture, i: number): string =>
    f.units.find((u) => u.id === f.slots[i]!.unitId)!.name;

  /** A signed-in big screen of the event, through a fresh screen link. */
  async function asScreen(eventId: string, label = '主会场大屏'): Promise<Client & { tokenId: string }> {
    const created = await organizer.post(`/api/events/${eventId}/screen-tokens`, { label });
    expect(created.status).toBe(200);
    const token = new URL(created.json.url).searchParams.get('t')!;
    const res = await anonymous(t).post('/api/screen/session', { token });
    expect(res.status).toBe(200);
    const c = res.cookies.find((x) => x.name === SESSION_COOKIE)!;
    return { ...clientFor(t.app, `${SESSION_COOKIE}=${c.value}`), tokenId: created.json.id };
  }

  // ---------------------------------------------------------------------------------------------------
  describe('stage timer', () => {
    afterEach(() => t.clock.resume());

    it('start → pause → resume → extend → stop records the exact overtime, which the results penalize', async () => {
      // 0.5 points per started 5 s over the limit.
      const f = await seedEventFixture(t.database, {
        settings: { overtimePenalty: { points: 0.5, perSeconds: 5 } },
      });
      const slot = f.slots[1]!;
      const penaltyOf = async (): Promise<{ overtimePenalty: number; penalty: number }> => {
        const res = await organizer.get(`/api/events/${f.eventId}/results`);
        expect(res.status).toBe(200);
        return res.json.tracks
          .flatMap((tr: { rows: unknown[] }) => tr.rows)
          .find((r: { slotId: string }) => r.slotId === slot.id);
      };
      expect(await penaltyOf()).toMatchObject({ overtimePenalty: 0, penalty: 0 });

      // The clock stands still between the steps (afterEach lets it run again): every duration below
      // is exact, however long the requests take on a busy machine.
      t.clock.freeze();
      const started = await timer(f, 1, 'start');
      expect(started.status).toBe(200);
      expect(started.json).toMatchObject({
        slotId: slot.id,
        limitSec: 480,
        status: 'running',
        pausedAt: null,
        pausedMs: 0,
        extendedSec: 0,
        stoppedAt: null,
      });
      expect((await eventRow(f.eventId)).current_slot_id).toBe(slot.id);

      t.clock.advance(100_000);
      const paused = await timer(f, 1, 'pause');
      expect(paused.json.status).toBe('paused');
      t.clock.advance(60_000); // not speaking time
      const resumed = await timer(f, 1, 'resume');
      expect(resumed.json.status).toBe('running');
      expect(resumed.json.pausedMs).toBe(60_000);
      t.clock.advance(300_000);
      const extended = await timer(f, 1, 'extend', 30); // allowed 510 s
      expect(extended.json).toMatchObject({ status: 'running', extendedSec: 30 });
      t.clock.advance(123_500); // spoken 523.5 s → 13.5 s over → 14 s
      const stopped = await timer(f, 1, 'stop');
      expect(stopped.status).toBe(200);
      expect(stopped.json.status).toBe('stopped');

      const row = await slotRow(slot.id);
      expect(Number(row.overtime_sec)).toBe(14);
      expect(row.timer_stopped_at).toBe(stopped.json.stoppedAt);
      expect(row.state).toBe('pending'); // autoOpenOnStop is off by default
      // ceil(14 / 5) = 3 periods × 0.5
      expect(await penaltyOf()).toMatchObject({ overtimePenalty: 1.5, penalty: 1.5 });

      const actions = (
        await db
          .selectFrom('audit_log')
          .select('action')
          .where('event_id', '=', f.eventId)
          .where('action', 'like', 'timer.%')
          .orderBy('created_at')
          .execute()
      ).map((a) => a.action);
      expect(actions).toEqual(['timer.start', 'timer.pause', 'timer.resume', 'timer.extend', 'timer.stop']);
      const [stopAudit] = await auditOf(f.eventId, 'timer.stop');
      expect(stopAudit!.target).toBe(unitName(f, 1));
      expect(JSON.parse(stopAudit!.before_json!)).toMatchObject({ status: 'running', overtimeSec: 0 });
      expect(JSON.parse(stopAudit!.after_json!)).toMatchObject({ status: 'stopped', overtimeSec: 14 });

      // The organizer's manual correction overrides what the timer recorded.
      const corrected = await organizer.patch(`/api/events/${f.eventId}/slots/${slot.id}`, {
        overtimeSec: 3,
      });
      expect(corrected.status).toBe(200);
      expect(await penaltyOf()).toMatchObject({ overtimePenalty: 0.5, penalty: 0.5 });

      // Reset: back to idle, overtime back to 0, audited with before and after.
      const reset = await timer(f, 1, 'reset');
      expect(reset.json).toMatchObject({ status: 'idle', startedAt: null, stoppedAt: null, extendedSec: 0 });
      expect(Number((await slotRow(slot.id)).overtime_sec)).toBe(0);
      const [resetAudit] = await auditOf(f.eventId, 'timer.reset');
      expect(JSON.parse(resetAudit!.before_json!)).toMatchObject({ overtimeSec: 3 });
      expect(JSON.parse(resetAudit!.after_json!)).toMatchObject({ status: 'idle', overtimeSec: 0 });
      expect(await penaltyOf()).toMatchObject({ overtimePenalty: 0, penalty: 0 });
    });

    it('stopping a paused timer does not count the pause', async () => {
      const f = await seedEventFixture(t.database);
      t.clock.freeze();
      await timer(f, 0, 'start');
      t.clock.advance(470_500);
      await timer(f, 0, 'pause');
      t.clock.advance(600_000);
      expect((await timer(f, 0, 'stop')).json.status).toBe('stopped');
      expect(Number((await slotRow(f.slots[0]!.id)).overtime_sec)).toBe(0);
    });

    it('refuses transitions that make no sense and bad input', async () => {
      const f = await seedEventFixture(t.database);
      const pauseIdle = await timer(f, 0, 'pause');
      expect(pauseIdle.status).toBe(409);
      expect(pauseIdle.json.code).toBe('timer_invalid');
      expect((await timer(f, 0, 'stop')).json.code).toBe('timer_invalid');
      expect((await timer(f, 0, 'resume')).json.code).toBe('timer_invalid');
      await timer(f, 0, 'start');
      expect((await timer(f, 0, 'start')).json.code).toBe('timer_invalid');
      await timer(f, 0, 'stop');
      const extendStopped = await timer(f, 0, 'extend', 30);
      expect(extendStopped.status).toBe(409);
      expect(extendStopped.json.code).toBe('timer_invalid');

      for (const body of [
        { action: 'explode' },
        { action: 'extend', seconds: 0 },
        { action: 'extend', seconds: 1.5 },
        {},
      ]) {
        const res = await organizer.post(timerUrl(f, 1), body);
        expect(res.status).toBe(400);
        expect(res.json.code).toBe('validation_failed');
      }
      const noSeconds = await timer(f, 1, 'extend');
      expect(noSeconds.status).toBe(400);
      expect(noSeconds.json.code).toBe('validation_failed');

      const unknown = await organizer.post(`/api/events/${f.eventId}/slots/${newId()}/timer`, {
        action: 'start',
      });
      expect(unknown.status).toBe(404);
      const other = await seedEventFixture(t.database);
      const crossed = await organizer.post(`/api/events/${other.eventId}/slots/${f.slots[1]!.id}/timer`, {
        action: 'start',
      });
      expect(crossed.status).toBe(404);
    });

    it('will not re-time a closed slot, and nothing runs once the event is locked', async () => {
      const f = await seedEventFixture(t.database);
      const base = `/api/events/${f.eventId}/slots/${f.slots[0]!.id}`;
      await organizer.post(`${base}/open`);
      await organizer.post(`${base}/close`);
      const startClosed = await timer(f, 0, 'start');
      expect(startClosed.status).toBe(409);
      expect(startClosed.json.code).toBe('slot_already_closed');

      expect((await timer(f, 1, 'start')).status).toBe(200);
      expect((await organizer.post(`/api/events/${f.eventId}/lock`)).status).toBe(200);
      const locked = await timer(f, 1, 'stop');
      expect(locked.status).toBe(409);
      expect(locked.json.code).toBe('event_locked');
    });

    it('stopping a closed slot’s timer changes its overtime only with a reason, like a manual correction', async () => {
      const f = await seedEventFixture(t.database);
      const base = `/api/events/${f.eventId}/slots/${f.slots[0]!.id}`;
      t.clock.freeze();
      await timer(f, 0, 'start');
      await organizer.post(`${base}/open`);
      // Scoring closes while the speaker is still on stage; the timer runs on past the limit.
      await organizer.post(`${base}/close`);
      t.clock.advance((f.slots[0]!.timeLimitSec + 40) * 1000);
      const bare = await timer(f, 0, 'stop');
      expect(bare.status).toBe(400);
      expect(bare.json.message).toContain('已结束评分的场次，修改时必须填写原因');
      expect(Number((await slotRow(f.slots[0]!.id)).overtime_sec)).toBe(0);
      expect((await slotRow(f.slots[0]!.id)).timer_stopped_at).toBeNull();

      const stopped = await organizer.post(timerUrl(f, 0), { action: 'stop', reason: '主持人补记超时' });
      expect(stopped.status).toBe(200);
      expect(Number((await slotRow(f.slots[0]!.id)).overtime_sec)).toBe(40);
      const [stopAudit] = await auditOf(f.eventId, 'timer.stop');
      expect(stopAudit!.reason).toBe('主持人补记超时');
    });

    it('a stop on a closed slot that records no overtime needs no reason', async () => {
      const f = await seedEventFixture(t.database);
      const base = `/api/events/${f.eventId}/slots/${f.slots[0]!.id}`;
      t.clock.freeze();
      await timer(f, 0, 'start');
      await organizer.post(`${base}/open`);
      await organizer.post(`${base}/close`);
      t.clock.advance(10_000);
      expect((await timer(f, 0, 'stop')).status).toBe(200);
    });

    it('is the organizer’s alone', async () => {
      const f = await seedEventFixture(t.database);
      for (const c of [observer, leader]) {
        const res = await c.post(timerUrl(f, 0), { action: 'start' });
        expect(res.status).toBe(403);
      }
      const judge = await asJudge(t, f.judges[1]!.token);
      expect((await judge.post(timerUrl(f, 0), { action: 'start' })).status).toBe(403);
      const anon = await anonymous(t).post(timerUrl(f, 0), { action: 'start' });
      expect(anon.status).toBe(401);
      expect((await slotRow(f.slots[0]!.id)).timer_started_at).toBeNull();
    });

    it('opens scoring when the timer stops, with autoOpenOnStop', async () => {
      const f = await seedEventFixture(t.database);
      const set = await organizer.patch(`/api/events/${f.eventId}/screen`, { autoOpenOnStop: true });
      expect(set.status).toBe(200);
      expect(set.json.autoOpenOnStop).toBe(true);

      await timer(f, 2, 'start');
      t.clock.advance(5_000);
      expect((await timer(f, 2, 'stop')).status).toBe(200);
      const row = await slotRow(f.slots[2]!.id);
      expect(row.state).toBe('open');
      expect((await eventRow(f.eventId)).status).toBe('active');
      expect(await auditOf(f.eventId, 'slot.open')).toHaveLength(1);

      // A slot already open stays open; stopping its timer again after a reset is harmless.
      await timer(f, 2, 'reset');
      await timer(f, 2, 'start');
      expect((await timer(f, 2, 'stop')).status).toBe(200);
      expect((await slotRow(f.slots[2]!.id)).state).toBe('open');
      expect(await auditOf(f.eventId, 'slot.open')).toHaveLength(1);
    });
  });

  // ---------------------------------------------------------------------------------------------------
  describe('host console', () => {
    it('shows slots with their timers, progress with missing names, reveal status and screen settings', async () => {
      const f = await seedEventFixture(t.database);
      await timer(f, 0, 'start');
      const res = await organizer.get(`/api/events/${f.eventId}/host`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        eventId: f.eventId,
        status: 'draft',
        currentSlotId: f.slots[0]!.id,
        screen: { mode: 'title', trackId: null, theme: 'red' },
        autoOpenOnStop: false,
        revealedTrackIds: [],
      });
      expect(res.json.slots.map((s: { id: string }) => s.id)).toEqual(f.slots.map((s) => s.id));
      expect(res.json.slots[0].timer).toMatchObject({
        slotId: f.slots[0]!.id,
        status: 'running',
        limitSec: 480,
      });
      expect(res.json.slots[1].timer.status).toBe('idle');
      // Slot 0's unit is judge 0's own: 5 of the 6 judges score it.
      expect(res.json.progress[0]).toMatchObject({ slotId: f.slots[0]!.id, scored: 0, eligible: 5 });
      expect(res.json.progress[0].missing).toHaveLength(5);
    });

    it('is the organizer’s alone', async () => {
      const f = await seedEventFixture(t.database);
      expect((await observer.get(`/api/events/${f.eventId}/host`)).status).toBe(403);
      expect((await leader.get(`/api/events/${f.eventId}/host`)).status).toBe(403);
      expect((await anonymous(t).get(`/api/events/${f.eventId}/host`)).status).toBe(401);
      expect((await organizer.get(`/api/events/${newId()}/host`)).status).toBe(404);
    });

    it('sets and clears the current slot, audited', async () => {
      const f = await seedEventFixture(t.database);
      const url = `/api/events/${f.eventId}/current`;
      const set = await organizer.post(url, { slotId: f.slots[4]!.id });
      expect(set.status).toBe(200);
      expect(set.json.currentSlotId).toBe(f.slots[4]!.id);
      expect((await organizer.post(url, { slotId: f.slots[4]!.id })).status).toBe(200); // no-op
      const cleared = await organizer.post(url, { slotId: null });
      expect(cleared.json.currentSlotId).toBeNull();
      const audits = await auditOf(f.eventId, 'screen.current_slot');
      expect(audits).toHaveLength(2);
      expect(JSON.parse(audits[0]!.after_json!)).toEqual({ currentSlotId: f.slots[4]!.id });

      expect((await organizer.post(url, { slotId: newId() })).status).toBe(404);
      expect((await organizer.post(url, {})).status).toBe(400);
      expect((await organizer.post(url, { slotId: '' })).status).toBe(400);
      expect((await observer.post(url, { slotId: null })).status).toBe(403);
      expect((await anonymous(t).post(url, { slotId: null })).status).toBe(401);
    });

    it('changes the screen settings, audited; reveal mode needs a revealed track', async () => {
      const f = await seedEventFixture(t.database);
      const url = `/api/events/${f.eventId}/screen`;
      const res = await organizer.patch(url, { mode: 'agenda', theme: 'neutral' });
      expect(res.status).toBe(200);
      expect(res.json.screen).toEqual({
        mode: 'agenda',
        trackId: null,
        theme: 'neutral',
        revealCount: null,
        slide: 0,
      });
      const [a] = await auditOf(f.eventId, 'screen.settings');
      expect(JSON.parse(a!.before_json!)).toMatchObject({ mode: 'title', theme: 'red' });
      expect(JSON.parse(a!.after_json!)).toMatchObject({ mode: 'agenda', theme: 'neutral' });

      const noTrack = await organizer.patch(url, { mode: 'reveal' }, { lang: 'en-US' });
      expect(noTrack.status).toBe(409);
      expect(noTrack.json.code).toBe('screen_track_not_revealed');
      expect(noTrack.json.message).toMatch(/revealed/);
      const hidden = await organizer.patch(url, { mode: 'reveal', trackId: f.tracks[0]!.id });
      expect(hidden.status).toBe(409);
      expect(hidden.json.code).toBe('screen_track_not_revealed');
      expect((await organizer.patch(url, { trackId: newId() })).status).toBe(404);
      expect((await eventRow(f.eventId)).screen_mode).toBe('agenda');

      expect(
        (
          await organizer.post(`/api/events/${f.eventId}/reveal`, {
            trackId: f.tracks[0]!.id,
            confirmIncomplete: true,
          })
        ).status,
      ).toBe(200);
      const reveal = await organizer.patch(url, { mode: 'reveal', trackId: f.tracks[0]!.id });
      expect(reveal.status).toBe(200);
      expect(reveal.json.screen).toEqual({
        mode: 'reveal',
        trackId: f.tracks[0]!.id,
        theme: 'neutral',
        revealCount: null,
        slide: 0,
      });

      for (const body of [{ mode: 'disco' }, { theme: 'blue' }, { autoOpenOnStop: 'yes' }]) {
        expect((await organizer.patch(url, body)).status).toBe(400);
      }
      expect((await observer.patch(url, { mode: 'title' })).status).toBe(403);
      expect((await leader.patch(url, { mode: 'title' })).status).toBe(403);
      expect((await anonymous(t).patch(url, { mode: 'title' })).status).toBe(401);
    });
  });

  // ---------------------------------------------------------------------------------------------------
  describe('big screen state', () => {
    it('shows the current slot with its timer and counts, the next three pending, the agenda per track', async () => {
      const f = await seedEventFixture(t.database);
      const url = `/api/events/${f.eventId}/screen-state`;
      const idle = await organizer.get(url);
      expect(idle.status).toBe(200);
      expect(idle.json).toMatchObject({
        event: { id: f.eventId, title: f.title, startDate: '2023-08-02', endDate: '2023-08-03' },
        mode: 'title',
        theme: 'red',
        current: null,
        reveal: null,
      });
      expect(idle.json.upNext.map((u: { unitName: string }) => u.unitName)).toEqual(
        [0, 1, 2].map((i) => unitName(f, i)),
      );
      expect(idle.json.agenda).toHaveLength(2);
      expect(idle.json.agenda[0]).toMatchObject({ trackId: f.tracks[0]!.id, trackName: f.tracks[0]!.nameZh });
      expect(idle.json.agenda[1].slots.map((s: { slotId: string }) => s.slotId)).toEqual(
        f.slots.slice(3).map((s) => s.id),
      );

      // An open slot is on stage when no current slot is set.
      await organizer.post(`/api/events/${f.eventId}/slots/${f.slots[0]!.id}/open`);
      const judge = await asJudge(t, f.judges[2]!.token);
      const values = Object.fromEntries(f.criteria.map((c, i) => [c.id, [30.5, 20.5, 15.5, 7.7][i]]));
      expect(
        (await judge.post('/api/judge/scores', { clientId: clientId(), slotId: f.slots[0]!.id, values }))
          .status,
      ).toBe(200);
      const open = await leader.get(url);
      expect(open.status).toBe(200);
      expect(open.json.current).toMatchObject({
        slotId: f.slots[0]!.id,
        unitName: unitName(f, 0),
        trackName: f.tracks[0]!.nameZh,
        position: 1,
        state: 'open',
        progress: { scored: 1, eligible: 5 },
      });
      expect(open.json.upNext.map((u: { unitName: string }) => u.unitName)).toEqual(
        [1, 2, 3].map((i) => unitName(f, i)),
      );

      // The current slot wins over the open one; its timer comes along.
      await timer(f, 4, 'start');
      const running = await observer.get(url);
      expect(running.json.current).toMatchObject({
        slotId: f.slots[4]!.id,
        state: 'pending',
        position: 2,
        progress: { scored: 0, eligible: 6 },
      });
      expect(running.json.current.timer).toMatchObject({
        slotId: f.slots[4]!.id,
        status: 'running',
        limitSec: 480,
      });
      // After slot 4: slot 5, then the skipped pending ones from the start of the agenda.
      expect(running.json.upNext).toEqual([
        { unitName: unitName(f, 5), trackName: f.tracks[1]!.nameZh, position: 3 },
        { unitName: unitName(f, 1), trackName: f.tracks[0]!.nameZh, position: 2 },
        { unitName: unitName(f, 2), trackName: f.tracks[0]!.nameZh, position: 3 },
      ]);
      // In English, track names follow the language.
      const en = await organizer.get(url, { lang: 'en-US' });
      expect(en.json.current.trackName).toBe(f.tracks[1]!.nameEn);
    });

    it('is for the screen of that event and for organizer, observer and leader previews only', async () => {
      const f = await seedEventFixture(t.database);
      const url = `/api/events/${f.eventId}/screen-state`;
      const reporter = await asRole(t, 'reporter', f.units[0]!.id);
      expect((await reporter.get(url)).status).toBe(403);
      const judge = await asJudge(t, f.judges[1]!.token);
      expect((await judge.get(url)).status).toBe(403);
      expect((await anonymous(t).get(url)).status).toBe(401);
      expect((await organizer.get(`/api/events/${newId()}/screen-state`)).status).toBe(404);
      expect((await organizer.get('/api/screen/state')).status).toBe(403);
      expect((await anonymous(t).get('/api/screen/state')).status).toBe(401);
    });

    it('never contains a judge name or a score before the track is revealed, then shows its ranking', async () => {
      const f = await seedEventFixture(t.database, { judgesPerPanel: 3 });
      const screen = await asScreen(f.eventId);
      const judges = await Promise.all(f.judges.map((j) => asJudge(t, j.token)));
      // Distinct non-integers ≥ 7: they cannot be mistaken for a position, a count or a time limit.
      const points = [
        [36.5, 27.5, 18.5, 8.7],
        [33.5, 25.5, 17.5, 9.3],
        [38.5, 22.5, 19.5, 7.9],
        [31.5, 28.5, 16.5, 9.9],
        [35.5, 24.5, 15.5, 8.1],
        [37.5, 26.5, 18.5, 7.3],
      ];
      const totals: number[] = [];
      const submitted: number[] = [];
      for (const [si, slot] of f.slots.slice(0, 3).entries()) {
        expect((await organizer.post(`/api/events/${f.eventId}/slots/${slot.id}/open`)).status).toBe(200);
        for (const [ji, judge] of judges.entries()) {
          if (f.judges[ji]!.affiliatedUnitIds.includes(slot.unitId)) continue;
          const p = points[(ji + si) % points.length]!.map((v, k) => (k === 3 ? v : v - si));
          submitted.push(...p);
          totals.push(Math.round(p.reduce((a, b) => a + b, 0) * 10) / 10);
          const res = await judge.post('/api/judge/scores', {
            clientId: clientId(),
            slotId: slot.id,
            values: Object.fromEntries(f.criteria.map((c, k) => [c.id, p[k]])),
          });
          expect(res.status).toBe(200);
        }
        expect((await organizer.post(`/api/events/${f.eventId}/slots/${slot.id}/close`)).status).toBe(200);
      }
      await organizer.post(`/api/events/${f.eventId}/current`, { slotId: f.slots[1]!.id });

      const results = await organizer.get(`/api/events/${f.eventId}/results`);
      const rows = results.json.tracks[0].rows as {
        unitName: string;
        score: number;
        rank: number;
        penalty: number;
        panels: { score: number }[];
      }[];
      expect(rows).toHaveLength(3);
      const secretNumbers = [
        ...totals,
        ...rows.map((r) => r.score),
        ...rows.flatMap((r) => r.panels.map((p) => p.score)),
        ...submitted,
      ].filter((n) => typeof n === 'number' && !Number.isInteger(n));
      expect(secretNumbers.length).toBeGreaterThan(10);

      const assertNothingSecret = (res: TestResponse) => {
        expect(res.status).toBe(200);
        for (const j of f.judges) expect(res.body).not.toContain(j.name);
        for (const n of secretNumbers) expect(res.body).not.toContain(String(n));
        const shown = numbersIn(res.json);
        for (const n of secretNumbers) expect(shown).not.toContain(n);
      };
      for (const mode of ['title', 'agenda', 'speaker', 'progress']) {
        expect((await organizer.patch(`/api/events/${f.eventId}/screen`, { mode })).status).toBe(200);
        const res = await screen.get('/api/screen/state');
        assertNothingSecret(res);
        expect(res.json.reveal).toBeNull();
        expect(res.json.current).toMatchObject({
          slotId: f.slots[1]!.id,
          progress: { scored: 6, eligible: 6 },
        });
      }

      // Reveal mode is refused for a track not revealed…
      const refused = await organizer.patch(`/api/events/${f.eventId}/screen`, {
        mode: 'reveal',
        trackId: f.tracks[0]!.id,
      });
      expect(refused.status).toBe(409);
      // …and even if the stored mode says reveal (say, the track was hidden again), nothing shows.
      await db
        .updateTable('events')
        .set({ screen_mode: 'reveal', screen_track_id: f.tracks[0]!.id })
        .where('id', '=', f.eventId)
        .execute();
      const forced = await screen.get('/api/screen/state');
      assertNothingSecret(forced);
      expect(forced.json.mode).toBe('reveal');
      expect(forced.json.reveal).toBeNull();
      assertNothingSecret(await leader.get(`/api/events/${f.eventId}/screen-state`));

      // After the reveal the screen shows that track's ranking: rank, unit, score, penalty, grade.
      expect(
        (await organizer.post(`/api/events/${f.eventId}/reveal`, { trackId: f.tracks[0]!.id })).status,
      ).toBe(200);
      const revealed = await screen.get('/api/screen/state');
      expect(revealed.status).toBe(200);
      const expected = [...rows]
        .sort((a, b) => a.rank - b.rank)
        .map((r) => ({
          rank: r.rank,
          unitName: r.unitName,
          score: r.score,
          penalty: r.penalty,
          grade: null,
          // The fixture's quorum is off: every unit stands without a remark.
          quorumMet: true,
        }));
      expect(revealed.json.reveal).toEqual({
        trackId: f.tracks[0]!.id,
        trackName: f.tracks[0]!.nameZh,
        // The event's setting (the fixture keeps the default of 2), not the decimals a score happens to have.
        decimals: 2,
        // Shown all at once (no step-by-step count set).
        total: expected.length,
        shown: expected.length,
        rows: expected,
      });
      // The detector above would have caught these very figures.
      for (const r of rows) expect(revealed.body).toContain(String(r.score));
      // Still no judge, no individual score, no panel score.
      for (const j of f.judges) expect(revealed.body).not.toContain(j.name);
      const shown = numbersIn(revealed.json);
      for (const n of [...totals, ...rows.flatMap((r) => r.panels.map((p) => p.score))]) {
        if (!rows.some((r) => r.score === n)) expect(shown).not.toContain(n);
      }
      // The preview shows the same.
      const preview = await organizer.get(`/api/events/${f.eventId}/screen-state`);
      expect(preview.json.reveal).toEqual(revealed.json.reveal);

      // Once published, the frozen snapshot is what the screen shows.
      for (const slot of f.slots.slice(3)) {
        await organizer.post(`/api/events/${f.eventId}/slots/${slot.id}/open`);
        await organizer.post(`/api/events/${f.eventId}/slots/${slot.id}/close`);
      }
      expect((await organizer.post(`/api/events/${f.eventId}/publish`)).status).toBe(200);
      const published = await screen.get('/api/screen/state');
      expect(published.json.reveal).toEqual(revealed.json.reveal);
    });
  });

  // ---------------------------------------------------------------------------------------------------
  describe('screen links', () => {
    it('signs a display in to its own event, read-only', async () => {
      const f = await seedEventFixture(t.database);
      const other = await seedEventFixture(t.database);
      const created = await organizer.post(`/api/events/${f.eventId}/screen-tokens`, { label: '  主会场 ' });
      expect(created.status).toBe(200);
      expect(created.json).toMatchObject({ label: '主会场' });
      expect(created.json.url).toMatch(/^http:\/\/shaipin\.test\/screen\/\?t=[A-Za-z0-9_-]{40,}$/);
      const listed = await organizer.get(`/api/events/${f.eventId}/screen-tokens`);
      expect(listed.json).toEqual([created.json]);
      const [a] = await auditOf(f.eventId, 'screen_token.created');
      expect(a!.target).toBe('主会场');
      expect(a!.after_json).not.toContain(new URL(created.json.url).searchParams.get('t')!);

      const token = new URL(created.json.url).searchParams.get('t')!;
      const signIn = await anonymous(t).post('/api/screen/session', { token });
      expect(signIn.status).toBe(200);
      expect(signIn.json).toEqual({ eventId: f.eventId });
      const cookie = signIn.cookies.find((c) => c.name === SESSION_COOKIE)!;
      expect(cookie).toMatchObject({ httpOnly: true, path: '/', maxAge: 7 * 24 * 60 * 60 });
      const screen = clientFor(t.app, `${SESSION_COOKIE}=${cookie.value}`);

      expect((await screen.get('/api/auth/me')).json).toMatchObject({
        kind: 'screen',
        screen: { eventId: f.eventId },
      });
      const state = await screen.get('/api/screen/state');
      expect(state.status).toBe(200);
      expect(state.json.event.id).toBe(f.eventId);
      expect((await screen.get(`/api/events/${f.eventId}/screen-state`)).status).toBe(200);
      expect((await screen.get(`/api/events/${other.eventId}/screen-state`)).status).toBe(403);

      // Nothing of the organizer's, nor of anyone else's.
      const forbidden: [string, string, unknown?][] = [
        ['GET', `/api/events/${f.eventId}/host`],
        ['POST', `/api/events/${f.eventId}/slots/${f.slots[0]!.id}/timer`, { action: 'start' }],
        ['POST', `/api/events/${f.eventId}/current`, { slotId: null }],
        ['PATCH', `/api/events/${f.eventId}/screen`, { mode: 'agenda' }],
        ['GET', `/api/events/${f.eventId}/screen-tokens`],
        ['POST', `/api/events/${f.eventId}/screen-tokens`, { label: 'x' }],
        ['GET', `/api/events/${f.eventId}/results`],
        ['GET', `/api/events/${f.eventId}/progress`],
        ['GET', `/api/events/${f.eventId}`],
        ['GET', '/api/judge/state'],
      ];
      for (const [method, url, body] of forbidden) {
        const res =
          method === 'GET'
            ? await screen.get(url)
            : method === 'POST'
              ? await screen.post(url, body)
              : await screen.patch(url, body);
        expect(res.status, `${method} ${url}`).toBe(403);
      }
    });

    it("a cut, mistyped or empty link is answered as an invalid link in the holder's words", async () => {
      for (const token of ['', 'abc', 'x'.repeat(100)]) {
        const screen = await anonymous(t).post('/api/screen/session', { token });
        expect(screen.status, token).toBe(401);
        expect(screen.json).toMatchObject({
          code: 'screen_token_invalid',
          message: '大屏链接无效或已被撤销，请在主控台重新生成',
        });
        const judge = await anonymous(t).post('/api/judge/session', { token });
        expect(judge.status, token).toBe(401);
        expect(judge.json.code).toBe('invite_invalid');
      }
      // Bounded all the same.
      expect((await anonymous(t).post('/api/screen/session', { token: 'x'.repeat(513) })).status).toBe(400);
    });

    it('a revoked link ends the sessions opened with it and cannot sign in again', async () => {
      const f = await seedEventFixture(t.database);
      const screen = await asScreen(f.eventId, '侧屏');
      const keep = await asScreen(f.eventId, '主屏');
      expect((await screen.get('/api/screen/state')).status).toBe(200);
      const token = new URL(
        (await organizer.get(`/api/events/${f.eventId}/screen-tokens`)).json.find(
          (x: { id: string }) => x.id === screen.tokenId,
        ).url,
      ).searchParams.get('t')!;

      const revoked = await organizer.delete(`/api/events/${f.eventId}/screen-tokens/${screen.tokenId}`);
      expect(revoked.status).toBe(200);
      expect(revoked.json).toEqual({ ok: true });
      expect((await screen.get('/api/screen/state')).status).toBe(401);
      expect((await screen.get('/api/auth/me')).status).toBe(401);
      expect((await keep.get('/api/screen/state')).status).toBe(200);
      const again = await anonymous(t).post('/api/screen/session', { token });
      expect(again.status).toBe(401);
      expect(again.json.code).toBe('screen_token_invalid');
      const listed = await organizer.get(`/api/events/${f.eventId}/screen-tokens`);
      expect(listed.json.map((x: { id: string }) => x.id)).toEqual([keep.tokenId]);
      expect(await auditOf(f.eventId, 'screen_token.revoked')).toHaveLength(1);
      // Revoking twice is harmless; a token of another event is not found there.
      expect(
        (await organizer.delete(`/api/events/${f.eventId}/screen-tokens/${screen.tokenId}`)).status,
      ).toBe(200);
      const other = await seedEventFixture(t.database);
      expect(
        (await organizer.delete(`/api/events/${other.eventId}/screen-tokens/${keep.tokenId}`)).status,
      ).toBe(404);
      expect(
        (await organizer.get(`/api/events/${f.eventId}/screen-tokens/${screen.tokenId}/qr.svg`)).status,
      ).toBe(404);
      const qr = await organizer.get(`/api/events/${f.eventId}/screen-tokens/${keep.tokenId}/qr.svg`);
      expect(qr.status).toBe(200);
      expect(String(qr.headers['content-type'])).toContain('image/svg+xml');
      expect(qr.body).toContain('<svg');
    });

    it('refuses bad tokens and bad input, and only the organizer manages links', async () => {
      const f = await seedEventFixture(t.database);
      const unknown = await anonymous(t).post(
        '/api/screen/session',
        { token: 'x'.repeat(43) },
        { lang: 'en-US' },
      );
      expect(unknown.status).toBe(401);
      expect(unknown.json).toMatchObject({ code: 'screen_token_invalid' });
      expect(unknown.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
      expect((await anonymous(t).post('/api/screen/session', { token: 'short' })).status).toBe(401);
      expect((await anonymous(t).post('/api/screen/session', {})).status).toBe(400);
      // A judge's invite is not a screen link.
      expect((await anonymous(t).post('/api/screen/session', { token: f.judges[0]!.token })).status).toBe(
        401,
      );

      const url = `/api/events/${f.eventId}/screen-tokens`;
      expect((await organizer.post(url, { label: 'x'.repeat(101) })).status).toBe(400);
      expect((await organizer.post(url, {})).status).toBe(200);
      expect((await organizer.post(`/api/events/${newId()}/screen-tokens`, {})).status).toBe(404);
      for (const c of [observer, leader]) {
        expect((await c.post(url, { label: 'x' })).status).toBe(403);
        expect((await c.get(url)).status).toBe(403);
      }
      expect((await anonymous(t).post(url, { label: 'x' })).status).toBe(401);
      expect((await anonymous(t).get(url)).status).toBe(401);
      expect((await anonymous(t).delete(`${url}/${newId()}`)).status).toBe(401);
      expect((await observer.delete(`${url}/${newId()}`)).status).toBe(403);
    });
  });

  it('tells anyone the server time', async () => {
    const before = t.clock.now().getTime();
    const res = await anonymous(t).get('/api/time');
    const after = t.clock.now().getTime();
    expect(res.status).toBe(200);
    // Read from the server's clock while the request was under way.
    expect(res.json.serverNow).toBeGreaterThanOrEqual(before);
    expect(res.json.serverNow).toBeLessThanOrEqual(after);
    t.clock.advance(3_600_000);
    const later = await anonymous(t).get('/api/time');
    expect(later.json.serverNow - res.json.serverNow).toBeGreaterThanOrEqual(3_600_000);
  });
});

describe.each(dbKinds)('screen sign-in rate limit on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { tokenSignInFailures: { max: 3, windowMs: 60_000 } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('limits failed screen sign-ins per IP address', async () => {
    const attempt = (ip: string) =>
      anonymous(t).post(
        '/api/screen/session',
        { token: 'y'.repeat(43) },
        { headers: { 'x-forwarded-for': ip } },
      );
    for (let i = 0; i < 3; i++) expect((await attempt('203.0.113.9')).status).toBe(401);
    const limited = await attempt('203.0.113.9');
    expect(limited.status).toBe(429);
    expect(limited.json.code).toBe('rate_limited');
    expect((await attempt('198.51.100.21')).status).toBe(401);
  });
});
