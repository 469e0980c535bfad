// Phase b: 2,000 judges submit to one open slot at once, over real HTTP on loopback, against the real
// server in a child process — and the same client against a bare Fastify + better-sqlite3 server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { seededRandom } from '../src/demo/random.ts';
import { openSlot } from '../src/modules/event/slot-control.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/server/migrations.ts';
import { seedBurstFixture } from './fixture.ts';
import { type BurstFigures, burst, pool, startServer } from './http.ts';

export interface StoreCheck {
  /** Acknowledged, but not in the database afterwards. */
  lostAcknowledged: number;
  /** Not acknowledged, yet stored (the client would have to retry to learn it). */
  storedUnacknowledged: number;
  /** Rows beyond one per submission. */
  duplicates: number;
  rows: number;
}

export interface SideFigures {
  burst: BurstFigures;
  store: StoreCheck;
  setupMs: number;
}

interface Submission {
  clientId: string;
  slotId: string;
  values: Record<string, number>;
}

const CONCURRENCY = 200;
const WARMUP_REQUESTS = 400;

function makeSubmissions(
  slotId: string,
  criteria: readonly { id: string; maxPoints: number; step: number }[],
  count: number,
  seed: string,
): Submission[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const values: Record<string, number> = {};
    for (const c of criteria) {
      const raw = c.maxPoints * (0.82 + 0.06 * random.normal());
      values[c.id] = Math.min(c.maxPoints, Math.max(0, Math.round(raw / c.step) * c.step));
    }
    return { clientId: `bench-${seed}-${String(i).padStart(5, '0')}`, slotId, values };
  });
}

function checkStore(
  attempts: BurstFigures['attempts'],
  sent: readonly Submission[],
  stored: readonly string[],
): StoreCheck {
  const counts = new Map<string, number>();
  for (const id of stored) counts.set(id, (counts.get(id) ?? 0) + 1);
  let lostAcknowledged = 0;
  let storedUnacknowledged = 0;
  attempts.forEach((a, i) => {
    const present = counts.has(sent[i]!.clientId);
    const acked = a.status >= 200 && a.status < 300;
    if (acked && !present) lostAcknowledged++;
    if (!acked && present) storedUnacknowledged++;
  });
  return {
    lostAcknowledged,
    storedUnacknowledged,
    duplicates: stored.length - counts.size,
    rows: stored.length,
  };
}

async function warmUp(url: string): Promise<void> {
  await pool(Array.from({ length: WARMUP_REQUESTS }), CONCURRENCY, async () => {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(30_000) });
    await res.arrayBuffer();
  });
}

/** The baseline: one INSERT per POST, nothing else. */
export async function benchBare(judgeCount: number, seed: string): Promise<SideFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'shaipin-bench-bare-'));
  const file = join(dir, 'bare.db');
  try {
    const setupStart = performance.now();
    const server = await startServer('bench/bare-server.ts', [file]);
    const submissions = makeSubmissions(
      'slot',
      [
        { id: 'c1', maxPoints: 40, step: 0.5 },
        { id: 'c2', maxPoints: 25, step: 0.5 },
        { id: 'c3', maxPoints: 20, step: 0.5 },
        { id: 'c4', maxPoints: 15, step: 0.5 },
      ],
      judgeCount,
      seed,
    );
    try {
      await warmUp(server.url);
      const setupMs = performance.now() - setupStart;
      // A cookie of the same shape as a real session cookie, so both servers receive the same bytes.
      const requests = submissions.map((body, i) => ({
        body,
        cookie: `sp_session=${String(i).padStart(43, 'x')}`,
      }));
      const figures = await burst(`${server.url}/api/judge/scores`, requests, CONCURRENCY);
      await server.stop();
      const sqlite = new SQLite(file, { readonly: true });
      const stored = (sqlite.prepare('SELECT client_id FROM scores').all() as { client_id: string }[]).map(
        (r) => r.client_id,
      );
      sqlite.close();
      return { burst: figures, store: checkStore(figures.attempts, submissions, stored), setupMs };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The real thing: sessions, validation, recusal and slot checks, the hash-chained ledger. */
export async function benchApp(
  judgeCount: number,
  seed: string,
): Promise<SideFigures & { sessionsMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'shaipin-bench-app-'));
  try {
    const setupStart = performance.now();
    const database = openDatabase({ sqliteFile: join(dir, 'shaipin.db') });
    let fixture: Awaited<ReturnType<typeof seedBurstFixture>>;
    try {
      await migrateToLatest(database.db);
      fixture = await seedBurstFixture(database.db, judgeCount);
      await openSlot(
        {
          db: database.db,
          dbKind: database.kind,
          actor: {
            kind: 'user',
            userId: fixture.organizerId,
            name: 'bench organizer',
            role: 'organizer',
            unitId: null,
            mustChangePassword: false,
          },
          now: new Date(),
          publicUrl: '',
          locale: 'zh-CN',
        },
        fixture.eventId,
        fixture.slotId,
      );
    } finally {
      await database.close();
    }

    const server = await startServer('bench/app-server.ts', [dir]);
    try {
      // Every judge opens a session with their invite, as a phone does on scanning the QR code.
      const sessionsStart = performance.now();
      const cookies = await pool(fixture.judges, 50, async (judge) => {
        const res = await fetch(`${server.url}/api/judge/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: judge.token }),
          signal: AbortSignal.timeout(30_000),
        });
        await res.arrayBuffer();
        const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sp_session='));
        if (res.status !== 200 || !cookie) throw new Error(`judge session failed: HTTP ${res.status}`);
        return cookie.split(';')[0]!;
      });
      const sessionsMs = performance.now() - sessionsStart;
      await warmUp(server.url);
      const setupMs = performance.now() - setupStart;

      const submissions = makeSubmissions(fixture.slotId, fixture.criteria, judgeCount, seed);
      const requests = submissions.map((body, i) => ({ body, cookie: cookies[i]! }));
      const figures = await burst(`${server.url}/api/judge/scores`, requests, CONCURRENCY);
      const sample = figures.attempts.find((a) => a.status < 200 || a.status >= 300);
      if (sample)
        console.error(`  first unacknowledged answer: HTTP ${sample.status} ${sample.body.slice(0, 200)}`);
      await server.stop();

      const sqlite = new SQLite(join(dir, 'shaipin.db'), { readonly: true });
      const stored = (
        sqlite.prepare('SELECT client_id FROM score_entries WHERE slot_id = ?').all(fixture.slotId) as {
          client_id: string;
        }[]
      ).map((r) => r.client_id);
      sqlite.close();
      return {
        burst: figures,
        store: checkStore(figures.attempts, submissions, stored),
        setupMs,
        sessionsMs,
      };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
