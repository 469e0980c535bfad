// A reveal is a verdict and a publication is a promise: a track is revealed only once its units are
// closed (or the organizer confirmed the list of those that are not), and nothing changes published
// results in place: reopening or correcting after publication withdraws it (once confirmed), and the
// next publication is a new, numbered version that the print and the export name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExport, verifyExport } from '../../src/modules/event/domain/event-export.ts';
import { newId } from '../../src/platform/ids.ts';
import { dbKinds } from '../support/db.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';
import { asJudge, asRole, type Client, createTestApp, type TestApp } from '../support/http.ts';

describe.each(dbKinds)('reveal and publication on %s', (kind) => {
  let t: TestApp;
  let organizer: Client;
  let leader: Client;

  beforeAll(async () => {
    t = await createTestApp(kind);
    organizer = await asRole(t, 'organizer');
    leader = await asRole(t, 'leader');
  });
  afterAll(async () => {
    await t?.close();
  });

  const url = (f: EventFixture, path: string) => `/api/events/${f.eventId}${path}`;
  const slot = (f: EventFixture, i: number, action: string, body?: object) =>
    organizer.post(url(f, `/slots/${f.slots[i]!.id}/${action}`), body);
  const score = async (f: EventFixture, judge: number, i: number) => {
    const values = Object.fromEntries(f.criteria.map((c) => [c.id, c.maxPoints / 2]));
    const res = await (await asJudge(t, f.judges[judge]!.token)).post('/api/judge/scores', {
      clientId: `c-${newId()}`,
      slotId: f.slots[i]!.id,
      values,
    });
    expect(res.status).toBe(200);
  };
  const scoreAndCloseAll = async (f: EventFixture) => {
    for (let i = 0; i < f.slots.length; i++) {
      expect((await slot(f, i, 'open')).status).toBe(200);
      await score(f, 1, i);
      expect((await slot(f, i, 'close')).status).toBe(200);
    }
  };
  const auditOf = (eventId: string, action: string) =>
    t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('event_id', '=', eventId)
      .where('action', '=', action)
      .execute();

  it('reveals a track only when its units are closed, or when the organizer confirmed what is missing', async () => {
    const f = await seedEventFixture(t.database, { unitsPerTrack: 2 });
    const track = f.slots[0]!.trackId;
    expect((await slot(f, 0, 'open')).status).toBe(200);
    const refused = await organizer.post(url(f, '/reveal'), { trackId: track, revealed: true });
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe('reveal_incomplete');
    const names = f.slots
      .filter((s) => s.trackId === track)
      .map((s) => f.units.find((u) => u.id === s.unitId)!.name);
    expect(refused.json.message).toBe(`该组还有 2 个单位未结束评分（${names.join('、')}）：确认后方可揭晓`);
    expect((await leader.get(url(f, '/results'))).json.tracks).toEqual([]);

    // The other track, all closed, reveals at once.
    const other = f.slots.filter((s) => s.trackId !== track);
    for (const s of other) {
      const i = f.slots.indexOf(s);
      await slot(f, i, 'open');
      await slot(f, i, 'close');
    }
    expect((await organizer.post(url(f, '/reveal'), { trackId: other[0]!.trackId })).status).toBe(200);

    const confirmed = await organizer.post(url(f, '/reveal'), {
      trackId: track,
      revealed: true,
      confirmIncomplete: true,
    });
    expect(confirmed.status).toBe(200);
    expect(
      (await leader.get(url(f, '/results'))).json.tracks.map((x: { trackId: string }) => x.trackId),
    ).toContain(track);
  });

  it('reopening after publication withdraws it once confirmed; publishing again makes version 2', async () => {
    const f = await seedEventFixture(t.database, { unitsPerTrack: 1 });
    await scoreAndCloseAll(f);
    const first = await organizer.post(url(f, '/publish'));
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ published: true, version: 1 });
    expect((await organizer.get(url(f, '/results/print'))).body).toContain('第 1 版成绩，已于');
    // Told in the publication's own transaction: the office and leaders once, each unit on the agenda once.
    const notices = async (version: number) =>
      (
        await t.database.db
          .selectFrom('nt_outbox')
          .select(['cause_key', 'unit_id', 'title'])
          .where('cause_key', 'like', `results:${f.eventId}:v${version}:%`)
          .execute()
      ).map((n) => n.unit_id);
    expect((await notices(1)).sort()).toEqual([null, ...new Set(f.slots.map((s) => s.unitId))].sort());

    // Unconfirmed: refused, and nothing moved.
    const refused = await slot(f, 0, 'reopen', { reason: '评委反映提交失败' });
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe('publication_withdrawal_required');
    expect(refused.json.message).toContain('第 1 版');
    expect(refused.json.message).toContain('第 2 版');
    expect((await leader.get(url(f, '/results'))).json).toMatchObject({ published: true, version: 1 });
    const correction = await organizer.patch(url(f, `/slots/${f.slots[0]!.id}`), {
      overtimeSec: 30,
      reason: '补记',
    });
    expect(correction.status).toBe(409);
    expect(correction.json.code).toBe('publication_withdrawal_required');

    // Confirmed: the publication is withdrawn (audited with its figures) and the slot reopens.
    const reopened = await slot(f, 0, 'reopen', { reason: '评委反映提交失败', withdrawPublication: true });
    expect(reopened.status).toBe(200);
    expect((await leader.get(url(f, '/results'))).json).toMatchObject({ published: false, version: null });
    const [withdrawn] = await auditOf(f.eventId, 'results.withdrawn');
    expect(withdrawn!.reason).toBe('评委反映提交失败');
    expect(JSON.parse(withdrawn!.before_json!)).toMatchObject({
      version: 1,
      ledgerHead: first.json.ledgerHead,
      ledgerLength: first.json.ledgerLength,
    });
    expect((await organizer.get(url(f, '/results/print'))).body).toContain('实时成绩，尚未发布');

    await score(f, 2, 0);
    expect((await slot(f, 0, 'close')).status).toBe(200);
    const second = await organizer.post(url(f, '/publish'));
    expect(second.json).toMatchObject({
      published: true,
      version: 2,
      ledgerLength: first.json.ledgerLength + 1,
    });
    expect((await organizer.get(url(f, '/results/print'))).body).toContain('第 2 版成绩，已于');
    expect(await notices(2)).toHaveLength((await notices(1)).length);
    const exported = parseExport((await organizer.get(url(f, '/export.json'))).body);
    if (!exported.ok) throw new Error(exported.error);
    expect(exported.file.published?.version).toBe(2);
    expect(verifyExport(exported.file).ok).toBe(true);
  });

  it('closing below the quorum asks for confirmation with the counts; the unit is then marked', async () => {
    // 2 panels × 3 judges; judges[0] is recused from the first unit: its panel has 2 eligible.
    const f = await seedEventFixture(t.database, { unitsPerTrack: 1, settings: { quorumPercent: 50 } });
    expect((await slot(f, 0, 'open')).status).toBe(200);
    await score(f, 1, 0); // panel 1: 1 of 2 — meets 50%; panel 2: 0 of 3 — does not
    const refused = await slot(f, 0, 'close');
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe('below_quorum');
    const unit = f.units.find((u) => u.id === f.slots[0]!.unitId)!.name;
    expect(refused.json.message).toBe(
      `「${unit}」评分人数不足法定比例 50%：${f.panels[1]!.name} 0/3 人。确认后仍可结束评分，成绩将标注“评分人数不足”`,
    );
    expect(refused.json.details.panels).toEqual([{ panel: f.panels[1]!.name, eligible: 3, scored: 0 }]);
    const still = await t.database.db
      .selectFrom('slots')
      .select('state')
      .where('id', '=', f.slots[0]!.id)
      .executeTakeFirstOrThrow();
    expect(still.state).toBe('open');

    await score(f, 3, 0); // panel 2: 1 of 3 — still short
    expect((await slot(f, 0, 'close', { confirmBelowQuorum: true })).status).toBe(200);
    const row = (await organizer.get(url(f, '/results'))).json.tracks
      .flatMap((x: { rows: { slotId: string; quorumMet: boolean }[] }) => x.rows)
      .find((r: { slotId: string }) => r.slotId === f.slots[0]!.id);
    expect(row.quorumMet).toBe(false);

    // A unit whose every panel reached the quorum closes without a question.
    expect((await slot(f, 1, 'open')).status).toBe(200);
    for (const j of [0, 1, 3, 4]) await score(f, j, 1);
    expect((await slot(f, 1, 'close')).status).toBe(200);
  });

  it('the reveal goes from the last place up, one step at a time; unrevealed rows are never sent', async () => {
    const f = await seedEventFixture(t.database, { unitsPerTrack: 3 });
    const track = f.slots[0]!.trackId;
    const mine = f.slots.filter((s) => s.trackId === track);
    // Different scores per unit: 3rd unit best, then 2nd, then 1st.
    for (const [k, s] of mine.entries()) {
      const i = f.slots.indexOf(s);
      expect((await slot(f, i, 'open')).status).toBe(200);
      const values = Object.fromEntries(f.criteria.map((c) => [c.id, (c.maxPoints * (5 + k)) / 10]));
      const res = await (await asJudge(t, f.judges[1]!.token)).post('/api/judge/scores', {
        clientId: `c-${newId()}`,
        slotId: s.id,
        values,
      });
      expect(res.status).toBe(200);
      expect((await slot(f, i, 'close')).status).toBe(200);
    }
    expect((await organizer.post(url(f, '/reveal'), { trackId: track })).status).toBe(200);
    const name = (s: (typeof mine)[number]) => f.units.find((u) => u.id === s.unitId)!.name;
    const step = async (revealCount: number | null) => {
      const res = await organizer.patch(url(f, '/screen'), { mode: 'reveal', trackId: track, revealCount });
      expect(res.status).toBe(200);
      expect(res.json.screen.revealCount).toBe(revealCount);
      return leader.get(url(f, '/screen-state'));
    };
    const none = await step(0);
    expect(none.json.reveal).toMatchObject({ total: 3, shown: 0, rows: [] });
    // The agenda names the units; no rank or score of the track is on the feed yet.
    expect(none.body).not.toContain('"rank"');

    const last = await step(1);
    expect(
      last.json.reveal.rows.map((r: { rank: number; unitName: string }) => [r.rank, r.unitName]),
    ).toEqual([[3, name(mine[0]!)]]);
    expect(last.body.match(/"rank"/g)).toHaveLength(1);

    const two = await step(2);
    expect(two.json.reveal.rows.map((r: { rank: number }) => r.rank)).toEqual([2, 3]);
    const all = await step(null);
    expect(all.json.reveal).toMatchObject({ total: 3, shown: 3 });
    expect(all.json.reveal.rows.map((r: { unitName: string }) => r.unitName)).toEqual(
      [...mine].reverse().map(name),
    );
    // Each step is on the record.
    expect((await auditOf(f.eventId, 'screen.settings')).length).toBeGreaterThanOrEqual(4);
  });

  it('a correction of a published slot also withdraws, once confirmed', async () => {
    const f = await seedEventFixture(t.database, { unitsPerTrack: 1 });
    await scoreAndCloseAll(f);
    expect((await organizer.post(url(f, '/publish'))).status).toBe(200);
    // The same values as stored change nothing and need no withdrawal.
    expect(
      (await organizer.patch(url(f, `/slots/${f.slots[0]!.id}`), { overtimeSec: 0, reason: '核对' })).status,
    ).toBe(200);
    const corrected = await organizer.patch(url(f, `/slots/${f.slots[0]!.id}`), {
      overtimeSec: 30,
      reason: '补记超时',
      withdrawPublication: true,
    });
    expect(corrected.status).toBe(200);
    expect((await organizer.get(url(f, '/results'))).json.published).toBe(false);
  });
});
