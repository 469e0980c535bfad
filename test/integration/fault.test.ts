// Crash proof, on SQLite and PostgreSQL: the real server process (src/server/main.ts) takes a burst of
// judge submissions, is killed with SIGKILL in the middle of it, and is started again on the same
// data while the judges' clients keep retrying what was not acknowledged (same clientId) until it is.
// Afterwards every acknowledged score is stored exactly once, as the entry it was acknowledged as; the
// ledger chain verifies; and the results computed from the ledger equal the results computed from what
// the judges were told was accepted. Nothing here asserts a timing.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeSignIn } from '../../src/modules/accounts/auth.ts';
import { latestPerSlotAndJudge, verifyChain } from '../../src/modules/event/domain/ledger.ts';
import { computeResults, type ResultsInput, type Score } from '../../src/modules/event/domain/scoring.ts';
import { loadEventData } from '../../src/modules/event/results.ts';
import { openSlot } from '../../src/modules/event/slot-control.ts';
import type { Ctx } from '../../src/platform/context.ts';
import { type Database, type DbKind, openDatabase } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { migrateToLatest } from '../../src/server/migrations.ts';
import { createTestDatabase, dbKinds } from '../support/db.ts';
import { freePort } from '../support/embedded-postgres.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const JUDGES_PER_PANEL = 50; // 100 judges
const SLOTS = 3; // the second track's three units: nobody is recused from them
const REVISING = 5; // every 5th judge sends a second version of their first slot's score
const KILL_AFTER_ACKS = 100;
const IN_FLIGHT = 32;
/** Bounds every wait and retry loop of one run; the test's own timeout is the hard stop. */
const DEADLINE_MS = 45_000;

// ---------- the server process ----------

interface ServerProcess {
  child: ChildProcess;
  /** What it wrote to stderr, for the failure message. */
  stderr: () => string;
}

function spawnServer(dataDir: string, port: number, databaseUrl: string | null): ServerProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SHAIPIN_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG: '0',
    SHAIPIN_EMPTY: '1',
  };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/server/main.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString('utf8')).slice(-4000);
  });
  return { child, stderr: () => err };
}

async function waitHealthy(server: ServerProcess, url: string, deadline: number): Promise<void> {
  for (;;) {
    if (server.child.exitCode !== null) {
      throw new Error(`server exited with code ${server.child.exitCode}: ${server.stderr()}`);
    }
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not healthy in time: ${server.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopServer(server: ServerProcess | null, signal: NodeJS.Signals): Promise<void> {
  const child = server?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

// ---------- the storage under test ----------

interface Storage {
  database: Database;
  dataDir: string;
  /** For the server process: null selects SQLite in dataDir. */
  databaseUrl: string | null;
  drop(): Promise<void>;
}

async function createStorage(kind: DbKind): Promise<Storage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shaipin-fault-'));
  if (kind === 'sqlite') {
    // The file main.ts opens in SHAIPIN_DATA_DIR.
    const database = openDatabase({ sqliteFile: join(dataDir, 'shaipin.db') });
    await migrateToLatest(database.db);
    return {
      database,
      dataDir,
      databaseUrl: null,
      drop: async () => {
        await database.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const database = await createTestDatabase('postgres');
  return {
    database,
    dataDir,
    databaseUrl: database.location,
    drop: async () => {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------- the judges ----------

interface Submission {
  judgeIndex: number;
  slotId: string;
  clientId: string;
  values: Record<string, number>;
}

interface Ack {
  entryId: string;
  duplicate: boolean;
  version: number;
}

/** Deterministic, valid values on the fixture's rubric (maxima 40/30/20/10, steps 0.5/0.5/0.5/0.1). */
function valuesFor(f: EventFixture, judge: number, slot: number, revision: number): Record<string, number> {
  const pick = (max: number, step: number, salt: number): number => {
    const steps = Math.round(max / step);
    const k = (judge * 7 + slot * 13 + revision * 29 + salt * 3) % (steps + 1);
    return Number((k * step).toFixed(1));
  };
  return Object.fromEntries(f.criteria.map((c, i) => [c.id, pick(c.maxPoints, c.step, i)]));
}

describe.each(dbKinds)('a server killed with SIGKILL mid-burst on %s', (kind) => {
  let storage: Storage;
  let server: ServerProcess | null = null;

  beforeAll(async () => {
    storage = await createStorage(kind);
  });
  afterAll(async () => {
    await stopServer(server, 'SIGKILL');
    await storage?.drop();
  });

  it('keeps every acknowledged score exactly once, a valid chain, and the acknowledged results', async () => {
    const deadline = Date.now() + DEADLINE_MS;
    const { db } = storage.database;

    // An event, its judges signed in and three slots open — written before the server starts.
    const f = await seedEventFixture(storage.database, {
      unitsPerTrack: SLOTS,
      judgesPerPanel: JUDGES_PER_PANEL,
    });
    const slots = f.slots.slice(SLOTS, 2 * SLOTS);
    const base = {
      db,
      dbKind: storage.database.kind,
      now: new Date(),
      publicUrl: '',
      locale: 'zh-CN' as const,
    };
    const organizer: Ctx = {
      ...base,
      actor: {
        kind: 'user',
        userId: newId(),
        name: 'fault organizer',
        role: 'organizer',
        unitId: null,
        mustChangePassword: false,
      },
    };
    for (const s of slots) await openSlot(organizer, f.eventId, s.id);
    const cookies: string[] = [];
    for (const j of f.judges) {
      const session = await judgeSignIn({ ...base, actor: { kind: 'anonymous' } }, j.token);
      cookies.push(`sp_session=${session.token}`);
    }

    // Each judge's queue, sent in order: their three slots, then (some) a revision of the first.
    const queues: Submission[][] = f.judges.map((_, j) => {
      const own = slots.map((s, k) => ({
        judgeIndex: j,
        slotId: s.id,
        clientId: `fault-${j}-${k}-0`,
        values: valuesFor(f, j, k, 0),
      }));
      if (j % REVISING === 0) {
        own.push({
          judgeIndex: j,
          slotId: slots[0]!.id,
          clientId: `fault-${j}-0-1`,
          values: valuesFor(f, j, 0, 1),
        });
      }
      return own;
    });
    const all = queues.flat();

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    server = spawnServer(storage.dataDir, port, storage.databaseUrl);
    await waitHealthy(server, url, deadline);

    const acks = new Map<string, Ack>();
    let ackedBeforeKill = -1;
    let killed: Promise<void> | null = null;
    let attempts = 0;

    /** One judge's phone: each submission is retried (same clientId) until acknowledged. */
    const judgeClient = async (queue: Submission[]): Promise<void> => {
      for (const s of queue) {
        for (let attempt = 0; ; attempt++) {
          if (Date.now() > deadline) throw new Error(`${s.clientId} never acknowledged`);
          attempts++;
          let status = 0;
          let body: unknown;
          try {
            const res = await fetch(`${url}/api/judge/scores`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', cookie: cookies[s.judgeIndex]! },
              body: JSON.stringify({ clientId: s.clientId, slotId: s.slotId, values: s.values }),
              signal: AbortSignal.timeout(5_000),
            });
            status = res.status;
            body = await res.json();
          } catch {
            status = 0; // refused, reset by the kill, or timed out: not acknowledged
          }
          if (status === 200) {
            acks.set(s.clientId, body as Ack);
            if (acks.size >= KILL_AFTER_ACKS && killed === null) {
              ackedBeforeKill = acks.size;
              // SIGKILL: no shutdown hook runs, in-flight requests die with their sockets.
              killed = stopServer(server, 'SIGKILL');
            }
            break;
          }
          // A 4xx would be a bug here (every submission is valid and its slot open): fail loudly.
          if (status >= 400 && status < 500) {
            throw new Error(`${s.clientId}: HTTP ${status} ${JSON.stringify(body)}`);
          }
          await new Promise((r) => setTimeout(r, Math.min(200, 20 * (attempt + 1))));
        }
      }
    };

    // The judges' phones, at most IN_FLIGHT requests at once (a hall's worth of Wi-Fi).
    const burst = (async () => {
      const pending = [...queues];
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          for (let q = pending.shift(); q; q = pending.shift()) await judgeClient(q);
        }),
      );
    })();

    // Restart on the same data as soon as the kill landed; the phones keep retrying meanwhile.
    for (; killed === null; ) {
      if (Date.now() > deadline) throw new Error('the burst never reached the kill point');
      await Promise.race([burst, new Promise((r) => setTimeout(r, 10))]);
    }
    await killed;
    expect(server.child.signalCode).toBe('SIGKILL');
    server = spawnServer(storage.dataDir, port, storage.databaseUrl);
    await waitHealthy(server, url, deadline);
    await burst;
    await stopServer(server, 'SIGTERM');
    server = null;

    // The kill really cut the burst: submissions were still unacknowledged when it came.
    expect(ackedBeforeKill).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(ackedBeforeKill).toBeLessThan(all.length);
    expect(attempts).toBeGreaterThan(all.length);
    expect(acks.size).toBe(all.length);

    // Every acknowledged score is stored exactly once, as the entry it was acknowledged as.
    const rows = await db
      .selectFrom('score_entries')
      .select(['id', 'client_id', 'judge_id', 'slot_id', 'score_values'])
      .where('event_id', '=', f.eventId)
      .execute();
    const perClient = new Map<string, typeof rows>();
    for (const r of rows) perClient.set(r.client_id, [...(perClient.get(r.client_id) ?? []), r]);
    expect(rows).toHaveLength(all.length);
    for (const s of all) {
      const stored = perClient.get(s.clientId) ?? [];
      expect(stored, s.clientId).toHaveLength(1);
      expect(stored[0]!.id, s.clientId).toBe(acks.get(s.clientId)!.entryId);
      expect(stored[0]!.judge_id).toBe(f.judges[s.judgeIndex]!.id);
      expect(JSON.parse(stored[0]!.score_values)).toEqual(s.values);
    }

    // The chain verifies, and the results from the ledger are those of what was acknowledged.
    const data = await loadEventData(db, f.eventId);
    expect(verifyChain(data.ledger)).toMatchObject({ ok: true, length: all.length });
    const input = (scores: Score[]): ResultsInput => ({
      settings: data.settings,
      criteria: data.criteria,
      panels: data.panels,
      judges: data.judges,
      slots: data.slots.map((s) => ({
        id: s.id,
        unitId: s.unit_id,
        trackId: s.track_id,
        overtimeSeconds: Number(s.overtime_sec),
        manualPenalty: Number(s.manual_penalty),
      })),
      scores,
    });
    const fromLedger = computeResults(
      input(
        latestPerSlotAndJudge(data.ledger).map((e) => ({
          slotId: e.slotId,
          judgeId: e.judgeId,
          values: e.values,
        })),
      ),
    );
    // What the judges were told: each judge's later acknowledged version of a slot replaces the earlier.
    const acknowledged = new Map<string, Score>();
    for (const s of all) {
      acknowledged.set(`${s.slotId}\u0000${s.judgeIndex}`, {
        slotId: s.slotId,
        judgeId: f.judges[s.judgeIndex]!.id,
        values: s.values,
      });
    }
    const fromAcks = computeResults(input([...acknowledged.values()]));
    expect(fromLedger).toEqual(fromAcks);
    // Not vacuous: the three slots are ranked with real scores.
    const ranked = fromAcks.flatMap((t) => t.rows).filter((r) => slots.some((s) => s.unitId === r.unitId));
    expect(ranked).toHaveLength(SLOTS);
    expect(ranked.every((r) => r.score !== null)).toBe(true);
  }, 60_000);
});
