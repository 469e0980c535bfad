// Judges are anonymous to all but the organizer: no view of an observer or a leader names a judge, ties
// a value to one, or shows the running score of an open slot (from which the first judge's score could
// be read off).
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { dbKinds } from '../support/db.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';
import { asJudge, asRole, type Client, createTestApp, type TestApp } from '../support/http.ts';

describe.each(dbKinds)('judge anonymity on %s', (kind) => {
  let t: TestApp;
  let organizer: Client;
  let observer: Client;
  let leader: Client;

  beforeAll(async () => {
    t = await createTestApp(kind);
    organizer = await asRole(t, 'organizer');
    observer = await asRole(t, 'observer');
    leader = await asRole(t, 'leader');
  });
  afterAll(async () => {
    await t?.close();
  });

  const slotUrl = (f: EventFixture, i: number, action: string) =>
    `/api/events/${f.eventId}/slots/${f.slots[i]!.id}/${action}`;
  const values = (f: EventFixture, points: number[]) =>
    Object.fromEntries(f.criteria.map((c, i) => [c.id, points[i]]));
  const submit = async (f: EventFixture, judge: number, slot: number, points: number[]) => {
    const res = await (await asJudge(t, f.judges[judge]!.token)).post('/api/judge/scores', {
      clientId: `c-${newId()}`,
      slotId: f.slots[slot]!.id,
      values: values(f, points),
    });
    return res;
  };

  it('the event detail lists judges to the organizer only', async () => {
    const f = await seedEventFixture(t.database);
    const detail = (c: Client) => c.get(`/api/events/${f.eventId}`);
    expect((await detail(organizer)).json.judges).toHaveLength(f.judges.length);
    for (const c of [observer, leader]) {
      const res = await detail(c);
      expect(res.status).toBe(200);
      expect(res.json.judges).toEqual([]);
      for (const j of f.judges) expect(res.body).not.toContain(j.id);
    }
  });

  it("the observer's audit trail names no judge and shows no judge's values", async () => {
    const f = await seedEventFixture(t.database);
    // A judge added by the organizer, and a late score kept for the record.
    const added = await organizer.post(`/api/events/${f.eventId}/judges`, {
      name: '王评委',
      title: '市人大代表',
      panelId: f.panels[0]!.id,
    });
    expect(added.status).toBe(200);
    expect((await organizer.post(slotUrl(f, 1, 'open'))).status).toBe(200);
    expect((await organizer.post(slotUrl(f, 1, 'close'))).status).toBe(200);
    expect((await submit(f, 1, 1, [30, 20, 15, 5])).status).toBe(409);

    const trail = async (c: Client) =>
      (await c.get(`/api/events/${f.eventId}/audit`)).json as {
        action: string;
        actorName: string;
        target: string | null;
        after: unknown;
      }[];
    const byAction = (list: Awaited<ReturnType<typeof trail>>, action: string) =>
      list.find((e) => e.action === action)!;

    const own = await trail(organizer);
    expect(byAction(own, 'score.rejected_late')).toMatchObject({
      actorName: f.judges[1]!.name,
      after: expect.objectContaining({ values: values(f, [30, 20, 15, 5]) }),
    });
    expect(byAction(own, 'judge.created')).toMatchObject({ target: '王评委' });

    const seen = await trail(observer);
    expect(byAction(seen, 'score.rejected_late')).toMatchObject({
      actorName: '评委',
      target: f.units[1]!.name,
      after: null,
    });
    expect(byAction(seen, 'judge.created')).toMatchObject({ target: '评委', after: null });
    // The organizer's own steps keep their names and states.
    expect(byAction(seen, 'slot.open').actorName).toBe(byAction(own, 'slot.open').actorName);
    const text = JSON.stringify(seen);
    for (const name of ['王评委', '市人大代表', f.judges[1]!.name, f.judges[1]!.id])
      expect(text).not.toContain(name);
  });

  it('while a slot is open only the organizer sees its running score, and only the organizer exports', async () => {
    const f = await seedEventFixture(t.database);
    expect((await organizer.post(slotUrl(f, 1, 'open'))).status).toBe(200);
    expect((await submit(f, 1, 1, [38, 27, 18, 9])).status).toBe(200);
    type Row = { slotId: string; panels: { score: number | null }[]; participation: { scored: number } };
    const rowOf = async (c: Client): Promise<Row> =>
      ((await c.get(`/api/events/${f.eventId}/results`)).json.tracks as { rows: Row[] }[])
        .flatMap((tr) => tr.rows)
        .find((r) => r.slotId === f.slots[1]!.id)!;
    const running = await rowOf(organizer);
    expect(running.participation.scored).toBe(1);
    expect(running.panels.some((p) => p.score !== null)).toBe(true);
    const withheld = await rowOf(observer);
    expect(withheld.participation.scored).toBe(0);
    expect(withheld.panels.every((p) => p.score === null)).toBe(true);

    for (const path of ['export.json', 'export.xlsx', 'results/print']) {
      expect((await organizer.get(`/api/events/${f.eventId}/${path}`)).status).toBe(200);
      const refused = await observer.get(`/api/events/${f.eventId}/${path}`);
      expect(refused.status).toBe(409);
      expect(refused.json.code).toBe('scoring_in_progress');
    }

    // Once the slot closes, the observer sees the score and may export again.
    expect((await organizer.post(slotUrl(f, 1, 'close'))).status).toBe(200);
    expect((await rowOf(observer)).participation.scored).toBe(1);
    expect((await observer.get(`/api/events/${f.eventId}/export.json`)).status).toBe(200);
  });

  it('export numbers (评委01 …) follow the random ids, not the order of the judge list', async () => {
    const f = await seedEventFixture(t.database, { judgesPerPanel: 5 });
    const exported = (await organizer.get(`/api/events/${f.eventId}/export.json`)).json as {
      judges: { id: string; number: number }[];
    };
    const byId = [...f.judges].map((j) => j.id).sort();
    expect(exported.judges.map((j) => [j.id, j.number]).sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual(
      byId.map((id, i) => [id, i + 1]),
    );
    // The judge list (the fixture's order is the sort order) is not what the numbers count down.
    expect(byId).not.toEqual(f.judges.map((j) => j.id));

    // The workbook's raw sheet uses the same numbers.
    expect((await organizer.post(slotUrl(f, 0, 'open'))).status).toBe(200);
    expect((await submit(f, 3, 0, [30, 20, 15, 5])).status).toBe(200);
    expect((await organizer.post(slotUrl(f, 0, 'close'))).status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(
      (await observer.get(`/api/events/${f.eventId}/export.xlsx`)).raw as unknown as ArrayBuffer,
    );
    const number = exported.judges.find((j) => j.id === f.judges[3]!.id)!.number;
    const label = `评委${String(number).padStart(2, '0')}`;
    const cells: string[] = [];
    wb.worksheets.at(-1)!.eachRow((row) => {
      for (const v of row.values as unknown[]) if (typeof v === 'string') cells.push(v);
    });
    expect(cells).toContain(label);
    expect(cells.join()).not.toContain(f.judges[3]!.name);
  });
});
