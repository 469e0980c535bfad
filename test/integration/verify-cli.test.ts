// `npx shaipin verify FILE` as a user runs it: a real process through bin/shaipin.mjs, on a file
// exported over HTTP from SQLite and from PostgreSQL, clean and tampered with in a text editor.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeTotal } from '../../src/modules/event/domain/scoring.ts';
import { appendScoreEntry } from '../../src/modules/event/ledger.ts';
import type { DB } from '../../src/platform/db/schema.ts';
import { newId } from '../../src/platform/ids.ts';
import { dbKinds } from '../support/db.ts';
import { rows } from '../support/factory.ts';
import { asRole, type Client, createTestApp, type TestApp } from '../support/http.ts';

const root = resolve(import.meta.dirname, '..', '..');

function shaipin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(root, 'bin', 'shaipin.mjs'), ...args],
      { cwd: root, env: { ...process.env, SHAIPIN_LANG: 'zh-CN' }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** One track, two units, one panel of three judges, every slot closed; scores in the ledger. */
async function seedEvent(db: Kysely<DB>): Promise<{ eventId: string; unitNames: string[] }> {
  const tag = Math.random().toString(36).slice(2, 8);
  const now = new Date().toISOString();
  const eventId = newId();
  const trackId = newId();
  const panelId = newId();
  const criterionId = newId();
  await db
    .insertInto('tracks')
    .values(rows.track({ id: trackId, name_zh: `镇街组${tag}`, name_en: `Towns ${tag}` }))
    .execute();
  await db
    .insertInto('events')
    .values(
      rows.event({ id: eventId, title: `复核演练 ${tag}`, venue: '', status: 'active', scoring_started: 1 }),
    )
    .execute();
  await db.insertInto('event_tracks').values({ event_id: eventId, track_id: trackId, sort: 0 }).execute();
  await db
    .insertInto('criteria')
    .values(rows.criterion({ id: criterionId, event_id: eventId, name_zh: '总分', name_en: 'Total' }))
    .execute();
  await db
    .insertInto('panels')
    .values(rows.panel({ id: panelId, event_id: eventId }))
    .execute();
  const judgeIds = [newId(), newId(), newId()];
  await db
    .insertInto('judges')
    .values(
      judgeIds.map((id, i) =>
        rows.judge({ id, event_id: eventId, panel_id: panelId, name: `评委${i}`, sort: i }),
      ),
    )
    .execute();
  const unitNames = [`东镇${tag}`, `西镇${tag}`];
  const slotIds: string[] = [];
  for (const [i, name] of unitNames.entries()) {
    const unitId = newId();
    const slotId = newId();
    slotIds.push(slotId);
    await db
      .insertInto('units')
      .values(rows.unit({ id: unitId, code: `V${tag}${i}`, name, track_id: trackId, sort: i }))
      .execute();
    await db
      .insertInto('slots')
      .values(
        rows.closedSlot({
          id: slotId,
          event_id: eventId,
          track_id: trackId,
          unit_id: unitId,
          position: i + 1,
        }),
      )
      .execute();
  }
  const points = [
    [88.5, 90, 87],
    [79, 81.5, 84],
  ];
  for (const [s, row] of points.entries()) {
    for (const [j, value] of row.entries()) {
      const values = { [criterionId]: value };
      await db.transaction().execute((trx) =>
        appendScoreEntry(trx, {
          eventId,
          slotId: slotIds[s]!,
          judgeId: judgeIds[j]!,
          clientId: `c-${newId()}`,
          values,
          total: judgeTotal(values),
          createdAt: now,
        }),
      );
    }
  }
  return { eventId, unitNames };
}

describe('shaipin command', () => {
  it('prints the usage and fails on an unknown command', async () => {
    const res = await shaipin(['frobnicate']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('未知命令：frobnicate');
    expect(res.stderr).toContain('verify');
  });

  it('fails with a clear message on a file that is not an export', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shaipin-verify-'));
    try {
      const path = join(dir, 'not-an-export.json');
      writeFileSync(path, '{"hello": 1}');
      const res = await shaipin(['verify', path]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('不是有效的晒拼导出文件');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(dbKinds)('shaipin verify on an export from %s', (kind) => {
  let t: TestApp;
  let organizer: Client;
  let dir: string;
  let text: string;
  let unitNames: string[];

  beforeAll(async () => {
    t = await createTestApp(kind);
    organizer = await asRole(t, 'organizer');
    const seeded = await seedEvent(t.database.db);
    unitNames = seeded.unitNames;
    expect((await organizer.post(`/api/events/${seeded.eventId}/publish`)).status).toBe(200);
    const res = await organizer.get(`/api/events/${seeded.eventId}/export.json`);
    expect(res.status).toBe(200);
    text = res.body;
    dir = mkdtempSync(join(tmpdir(), 'shaipin-verify-'));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('exits 0 on the file as exported', async () => {
    const res = await shaipin(['verify', write('clean.json', text)]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('评分记录链完整：共 6 条');
    expect(res.stdout).toContain('结果一致');
    expect(res.stdout).toContain('复核通过');
  });

  it('exits 1 and names the entry when one digit of a ledger score is changed', async () => {
    // The second entry is 90 for the first unit; make it 80.
    const at = text.indexOf(': 90\n', text.indexOf('"ledger"'));
    expect(at).toBeGreaterThan(0);
    const tampered = `${text.slice(0, at + 2)}8${text.slice(at + 3)}`;
    const res = await shaipin(['verify', write('tampered-ledger.json', tampered)]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('评分记录链已损坏：第 2 条');
    expect(res.stderr).toContain('复核未通过');
  });

  it('exits 1 and names the unit when a published score is changed', async () => {
    // Three judges are too few to trim: east town scores (88.5 + 90 + 87) / 3 = 88.5. Its row-level
    // score comes after rawExact (the panel's own score, also 88.5, comes before).
    const start = text.indexOf('"rawExact"', text.indexOf('"published": {'));
    const at = text.indexOf('"score": 88.5', start);
    expect(start).toBeGreaterThan(0);
    expect(at).toBeGreaterThan(start);
    const tampered = `${text.slice(0, at)}"score": 98.5${text.slice(at + '"score": 88.5'.length)}`;
    const res = await shaipin(['verify', write('tampered-published.json', tampered)]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`「${unitNames[0]}」score 应为 88.5，文件为 98.5`);
  });
});
