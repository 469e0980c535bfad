// `npm run bench:event`: a benchmark, not a test. The event-day scenario against the real server
// (src/server/main.ts in a child process, fresh data, loopback only): 10,000 judges submit for one
// open slot within 5 s while 2,000 WebSocket viewers (big screens and observers) watch /api/live.
// Beside it, in the same run and with the same load shape: a bare Fastify insert server on the same
// database, and a bare `ws` server broadcasting one small message to as many sockets — with ratios
// and the goals. SQLite first, then PostgreSQL (DATABASE_URL, else an embedded, durable cluster).
//
//   npm run bench:event                 both databases
//   npm run bench:event -- --sqlite     SQLite only           (--pg: PostgreSQL only)
//   npm run bench:event -- --judges=2000 --viewers=500 --window=5000    a smaller run
//
// The load generator shares the machine with the server: on 2 cores every client CPU-second is taken
// from the server, for our side and the baselines alike. Every loop and wait below is bounded.
// For digging: BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" profiles our server process;
// BENCH_DUMP=FILE writes each timed submission as [answered at, latency, server latency, status].
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { seededRandom } from '../src/demo/random.ts';
import { verifyChain } from '../src/modules/event/domain/ledger.ts';
import { readLedger } from '../src/modules/event/ledger.ts';
import { type DbKind, openDatabase } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/server/migrations.ts';
import { keepAliveAgent, type LoadFigures, type LoadRequest, openLoop } from './event-load.ts';
import { type BenchPostgres, startBenchPostgres } from './event-pg.ts';
import { seedEventBench } from './event-seed.ts';
import { startShaipin } from './event-server.ts';
import type { ViewerCommand, ViewerReply } from './event-viewers.ts';
import { percentile, startServer } from './http.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// ---------- parameters ----------

const args = process.argv.slice(2);
const numberArg = (name: string, fallback: number): number => {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
};
const JUDGES = numberArg('judges', 10_000);
const VIEWERS = numberArg('viewers', 2_000);
const WINDOW_MS = numberArg('window', 5_000);
const MAX_IN_FLIGHT = numberArg('inflight', 512);
const kinds: DbKind[] = args.includes('--sqlite')
  ? ['sqlite']
  : args.includes('--pg')
    ? ['postgres']
    : ['sqlite', 'postgres'];
const SEED = 'bench-event';
const BARE_WS_ROUNDS = 5;
const VIEWER_WAIT_MS = 20_000;
// Warm-up: one second at the timed run's rate, through the same connections. A cold client and
// server (JIT, first sockets) add a second or more to the first requests, on any server.
const WARM_WINDOW_MS = 1_000;
const WARM = Math.min(JUDGES, Math.ceil((JUDGES / WINDOW_MS) * WARM_WINDOW_MS));

const GOALS = {
  ackP99Ms: 100,
  lost: 0,
  duplicated: 0,
  throughputVsBare: 0.5,
  viewerVsBareBroadcast: 2,
};

// ---------- printing ----------

const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 1 : 0)} ms` : '—');
const ratio = (a: number, b: number): string =>
  b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '—';
const count = (n: number): string => Math.round(n).toLocaleString('en');

function table(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');

// ---------- the viewers' process ----------

interface Viewers {
  ask<T extends ViewerReply['type']>(
    cmd: ViewerCommand,
    expect: T,
    timeoutMs: number,
  ): Promise<Extract<ViewerReply, { type: T }>>;
  stop(): void;
}

function startViewers(): Viewers {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench/event-viewers.ts')],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  return {
    ask: (cmd, expect, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          child.off('message', onMessage);
          reject(new Error(`viewers: no answer to ${cmd.cmd} within ${timeoutMs} ms`));
        }, timeoutMs);
        const onMessage = (m: ViewerReply): void => {
          clearTimeout(timer);
          child.off('message', onMessage);
          if (m.type === 'error') reject(new Error(`viewers: ${m.message}`));
          else if (m.type !== expect) reject(new Error(`viewers: expected ${expect}, got ${m.type}`));
          else resolve(m as never);
        };
        child.on('message', onMessage);
        child.send(cmd);
      }),
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}

// ---------- load ----------

interface Submission {
  clientId: string;
  slotId: string;
  values: Record<string, number>;
}

function makeSubmissions(
  slotId: string,
  criteria: readonly { id: string; maxPoints: number; step: number }[],
  n: number,
): Submission[] {
  const random = seededRandom(SEED);
  return Array.from({ length: n }, (_, i) => {
    const values: Record<string, number> = {};
    for (const c of criteria) {
      const raw = c.maxPoints * (0.82 + 0.06 * random.normal());
      values[c.id] = Math.min(c.maxPoints, Math.max(0, Math.round(raw / c.step) * c.step));
    }
    return { clientId: `ev-${SEED}-${String(i).padStart(5, '0')}`, slotId, values };
  });
}

/**
 * The same for every server: the HTTP path, then WARM submissions (other client ids, or another slot)
 * through the same load generator, so neither JIT nor first connections land in the timed figures.
 */
async function warmUp(url: string, requests: readonly LoadRequest[], agent: Agent): Promise<void> {
  for (let round = 0; round < 4; round++) {
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(30_000) });
        await res.arrayBuffer();
      }),
    );
  }
  const warm = await openLoop(`${url}/api/judge/scores`, requests, {
    windowMs: WARM_WINDOW_MS,
    maxInFlight: MAX_IN_FLIGHT,
    seed: `${SEED}-warm`,
    agent,
  });
  if (warm.acknowledged < requests.length) {
    const sample = warm.attempts.find((a) => a.status < 200 || a.status >= 300);
    throw new Error(
      `warm-up: ${requests.length - warm.acknowledged} not acknowledged, e.g. HTTP ${sample?.status} ${sample?.body.slice(0, 200)}`,
    );
  }
}

interface StoreCheck {
  /** Acknowledged, but not stored afterwards. */
  lost: number;
  /** Rows beyond one per submission. */
  duplicated: number;
  /** Stored without an acknowledgement (a retry would learn it). */
  storedUnacked: number;
  rows: number;
}

function checkStore(
  load: LoadFigures,
  sent: readonly Submission[],
  storedClientIds: readonly string[],
): StoreCheck {
  const counts = new Map<string, number>();
  for (const id of storedClientIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  let lost = 0;
  let storedUnacked = 0;
  load.attempts.forEach((a, i) => {
    const present = counts.has(sent[i]!.clientId);
    const acked = a.status >= 200 && a.status < 300;
    if (acked && !present) lost++;
    if (!acked && present) storedUnacked++;
  });
  return {
    lost,
    duplicated: storedClientIds.length - counts.size,
    storedUnacked,
    rows: storedClientIds.length,
  };
}

const fixtureCriteria = [
  { id: 'c1', maxPoints: 40, step: 0.5 },
  { id: 'c2', maxPoints: 25, step: 0.5 },
  { id: 'c3', maxPoints: 20, step: 0.5 },
  { id: 'c4', maxPoints: 15, step: 0.5 },
];

// ---------- the three sides ----------

interface BareInsert {
  label: string;
  load: LoadFigures;
  store: StoreCheck;
}

async function bareInsert(kind: DbKind, postgres: BenchPostgres | null): Promise<BareInsert> {
  const submissions = makeSubmissions('slot', fixtureCriteria, JUDGES);
  // A cookie of the same shape as a real session cookie, so both servers receive the same bytes.
  const requests: LoadRequest[] = submissions.map((body, i) => ({
    body,
    cookie: `sp_session=${String(i).padStart(43, 'x')}`,
  }));
  const bareWarm = requests.slice(0, WARM).map((r, i) => ({
    ...r,
    body: { ...(r.body as Submission), clientId: `warm-${String(i).padStart(5, '0')}` },
  }));
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'shaipin-bench-bare-'));
    const file = join(dir, 'bare.db');
    try {
      const server = await startServer('bench/bare-server.ts', [file]);
      const agent = keepAliveAgent(MAX_IN_FLIGHT);
      let load: LoadFigures;
      try {
        await warmUp(server.url, bareWarm, agent);
        load = await openLoop(`${server.url}/api/judge/scores`, requests, {
          windowMs: WINDOW_MS,
          maxInFlight: MAX_IN_FLIGHT,
          seed: SEED,
          agent,
        });
      } finally {
        agent.destroy();
        await server.stop();
      }
      const sqlite = new SQLite(file, { readonly: true });
      const stored = (
        sqlite.prepare("SELECT client_id FROM scores WHERE client_id NOT LIKE 'warm-%'").all() as {
          client_id: string;
        }[]
      ).map((r) => r.client_id);
      sqlite.close();
      return { label: 'bare Fastify + SQLite', load, store: checkStore(load, submissions, stored) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const database = await postgres!.createDatabase();
  try {
    const server = await startServer('bench/event-bare-pg.ts', [database.url]);
    const agent = keepAliveAgent(MAX_IN_FLIGHT);
    let load: LoadFigures;
    try {
      await warmUp(server.url, bareWarm, agent);
      load = await openLoop(`${server.url}/api/judge/scores`, requests, {
        windowMs: WINDOW_MS,
        maxInFlight: MAX_IN_FLIGHT,
        seed: SEED,
        agent,
      });
    } finally {
      agent.destroy();
      await server.stop();
    }
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const stored = (
      await client.query<{ client_id: string }>(
        "SELECT client_id FROM scores WHERE client_id NOT LIKE 'warm-%'",
      )
    ).rows.map((r) => r.client_id);
    await client.end();
    return { label: 'bare Fastify + PostgreSQL', load, store: checkStore(load, submissions, stored) };
  } finally {
    await database.drop();
  }
}

interface BareBroadcast {
  delays: number[];
  p50Ms: number;
  p99Ms: number;
  open: number;
}

async function bareBroadcast(viewers: Viewers): Promise<BareBroadcast> {
  const server = await startServer('bench/event-bare-ws.ts', []);
  try {
    const r = await viewers.ask(
      {
        cmd: 'bare',
        url: server.url.replace(/^http/, 'ws'),
        count: VIEWERS,
        rounds: BARE_WS_ROUNDS,
        timeoutMs: 30_000,
      },
      'bare',
      180_000,
    );
    const sorted = [...r.delays].sort((a, b) => a - b);
    return { delays: r.delays, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), open: r.open };
  } finally {
    await server.stop();
  }
}

interface Ours {
  load: LoadFigures;
  store: StoreCheck;
  chainOk: boolean;
  setupMs: number;
  connected: Extract<ViewerReply, { type: 'connected' }>;
  awaited: Extract<ViewerReply, { type: 'awaited' }>;
  /** Per viewer: final snapshot arrival − last acknowledgement. */
  viewerDelays: number[];
  viewerP50Ms: number;
  viewerP99Ms: number;
  /** Viewers whose snapshot never reached the final count in time. */
  viewersMissing: number;
}

async function ours(kind: DbKind, postgres: BenchPostgres | null, viewers: Viewers): Promise<Ours> {
  const setupStart = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'shaipin-bench-event-'));
  const pgDatabase = kind === 'postgres' ? await postgres!.createDatabase() : null;
  const open = () =>
    openDatabase(pgDatabase ? { databaseUrl: pgDatabase.url } : { sqliteFile: join(dir, 'shaipin.db') });
  try {
    const seeding = open();
    let fixture: Awaited<ReturnType<typeof seedEventBench>>;
    try {
      await migrateToLatest(seeding.db);
      fixture = await seedEventBench(seeding.db, seeding.kind, { judges: JUDGES, viewers: VIEWERS });
    } finally {
      await seeding.close();
    }
    const server = await startShaipin({ dataDir: dir, databaseUrl: pgDatabase?.url });
    const agent = keepAliveAgent(MAX_IN_FLIGHT);
    let load: LoadFigures;
    let connected: Extract<ViewerReply, { type: 'connected' }>;
    let awaited: Extract<ViewerReply, { type: 'awaited' }>;
    const submissions = makeSubmissions(fixture.slotId, fixture.criteria, JUDGES);
    let setupMs: number;
    try {
      const warm = makeSubmissions(fixture.warmSlotId, fixture.criteria, WARM).map((body, i) => ({
        body: { ...body, clientId: `warm-${String(i).padStart(5, '0')}` },
        cookie: fixture.judgeCookies[i]!,
      }));
      await warmUp(server.url, warm, agent);
      connected = await viewers.ask(
        {
          cmd: 'connect',
          url: `${server.url.replace(/^http/, 'ws')}/api/live?eventId=${encodeURIComponent(fixture.eventId)}`,
          cookies: fixture.viewerCookies,
          slotId: fixture.slotId,
          concurrency: 50,
          timeoutMs: 30_000,
        },
        'connected',
        300_000,
      );
      setupMs = performance.now() - setupStart;
      if (connected.failed > 0) {
        console.error(
          `   ${connected.failed} viewers could not connect: ${JSON.stringify(connected.failures)}`,
        );
      }
      const requests = submissions.map((body, i) => ({ body, cookie: fixture.judgeCookies[i]! }));
      load = await openLoop(`${server.url}/api/judge/scores`, requests, {
        windowMs: WINDOW_MS,
        maxInFlight: MAX_IN_FLIGHT,
        seed: SEED,
        agent,
      });
      if (process.env.BENCH_DUMP) {
        writeFileSync(
          process.env.BENCH_DUMP,
          JSON.stringify(load.attempts.map((a) => [a.at, a.ms, a.serviceMs, a.status])),
        );
      }
      const sample = load.attempts.find((a) => a.status < 200 || a.status >= 300);
      if (sample)
        console.error(`   first unacknowledged answer: HTTP ${sample.status} ${sample.body.slice(0, 200)}`);
      // Each judge submits once: the final progress count is the number of acknowledged judges.
      awaited = await viewers.ask(
        { cmd: 'await', target: load.acknowledged, timeoutMs: VIEWER_WAIT_MS },
        'awaited',
        VIEWER_WAIT_MS + 30_000,
      );
      await viewers.ask({ cmd: 'close' }, 'closed', 30_000);
    } finally {
      agent.destroy();
      await server.stop();
    }

    const check = open();
    try {
      const stored = (
        await check.db
          .selectFrom('score_entries')
          .select('client_id')
          .where('slot_id', '=', fixture.slotId)
          .execute()
      ).map((r) => r.client_id);
      const chainOk = verifyChain(await readLedger(check.db, fixture.eventId)).ok;
      const viewerDelays = awaited.arrivals
        .filter((t): t is number => t !== null)
        .map((t) => t - load.lastAckAt);
      const sorted = [...viewerDelays].sort((a, b) => a - b);
      return {
        load,
        store: checkStore(load, submissions, stored),
        chainOk,
        setupMs,
        connected,
        awaited,
        viewerDelays,
        viewerP50Ms: percentile(sorted, 50),
        viewerP99Ms: percentile(sorted, 99),
        viewersMissing: awaited.arrivals.length - viewerDelays.length,
      };
    } finally {
      await check.close();
    }
  } finally {
    await pgDatabase?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------- the run ----------

const cpu = cpus();
console.log(
  `shaipin bench:event — Node ${process.version}, ${cpu.length} CPU (${cpu[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, ${new Date().toISOString()}`,
);
console.log(
  `Scenario: ${count(JUDGES)} judges submit once each for one open slot, due uniformly within ${WINDOW_MS / 1000} s ` +
    `(open loop, ≤ ${MAX_IN_FLIGHT} in flight, keep-alive HTTP), while ${count(VIEWERS)} WebSocket viewers ` +
    '(half big screens, half observers) watch /api/live. Loopback only.',
);
console.log(
  `Note: the load generator (judges + viewers, 2 processes) runs on the same ${cpu.length} cores as the server ` +
    'and competes with it for CPU — for our server and the baselines alike.',
);

const viewers = startViewers();
let postgres: BenchPostgres | null = null;
const started = performance.now();
try {
  for (const kind of kinds) {
    if (kind === 'postgres') {
      postgres = await startBenchPostgres();
    }
    const dbLabel =
      kind === 'sqlite' ? 'SQLite (WAL, synchronous = FULL)' : `PostgreSQL — ${postgres!.label}`;
    console.log(`\n=== ${dbLabel} ===`);
    console.log('   bare insert baseline …');
    const bare = await bareInsert(kind, postgres);
    console.log('   bare ws broadcast baseline …');
    const broadcast = await bareBroadcast(viewers);
    console.log('   shaipin (seed, start, connect viewers, submit) …');
    const o = await ours(kind, postgres, viewers);
    console.log(
      `   (not timed: seeding ${count(JUDGES)} judges + ${count(VIEWERS)} viewer sessions, server start, ` +
        `${o.connected.open} viewers connected in ${(o.connected.ms / 1000).toFixed(1)} s; setup ${(o.setupMs / 1000).toFixed(1)} s)`,
    );

    const unacked = (l: LoadFigures): string =>
      Object.entries(l.failures)
        .map(([k, v]) => `${v}×${k}`)
        .join(' ') || '0';
    const row = (name: string, l: LoadFigures, s: StoreCheck): string[] => [
      name,
      count(l.throughput),
      ms(l.p50Ms),
      ms(l.p99Ms),
      ms(l.maxMs),
      ms(l.serviceP99Ms),
      `${l.acknowledged}/${l.requests}`,
      String(s.lost),
      String(s.duplicated),
      unacked(l),
      String(l.maxQueued),
    ];
    table(
      `submissions (latency from each judge's due instant to the acknowledgement = 2xx after commit; "server p99" from the send)`,
      ['', 'subm/s', 'p50', 'p99', 'max', 'server p99', 'acked', 'lost', 'dup', 'never acked', 'max queued'],
      [
        row('shaipin (real server)', o.load, o.store),
        row(bare.label, bare.load, bare.store),
        [
          'ratio shaipin / bare',
          ratio(o.load.throughput, bare.load.throughput),
          ratio(o.load.p50Ms, bare.load.p50Ms),
          ratio(o.load.p99Ms, bare.load.p99Ms),
          '',
          ratio(o.load.serviceP99Ms, bare.load.serviceP99Ms),
          '',
          '',
          '',
          '',
          '',
        ],
      ],
    );
    if (o.store.storedUnacked + bare.store.storedUnacked > 0) {
      console.log(
        `stored but never acknowledged: shaipin ${o.store.storedUnacked}, bare ${bare.store.storedUnacked}`,
      );
    }
    console.log(
      `ledger chain after the run: ${o.chainOk ? 'verifies' : 'DOES NOT VERIFY'} (${o.store.rows} entries)`,
    );

    table(
      "viewers (shaipin: each viewer's first snapshot showing the final count − the last acknowledgement; bare: each delivery − broadcast start)",
      ['', 'p50', 'p99', 'sockets', 'not reached'],
      [
        [
          'shaipin /api/live',
          ms(o.viewerP50Ms),
          ms(o.viewerP99Ms),
          String(o.awaited.arrivals.length),
          String(o.viewersMissing),
        ],
        [
          `bare ws broadcast (${BARE_WS_ROUNDS} rounds)`,
          ms(broadcast.p50Ms),
          ms(broadcast.p99Ms),
          String(broadcast.open),
          '',
        ],
        [
          'ratio shaipin / bare',
          ratio(o.viewerP50Ms, broadcast.p50Ms),
          ratio(o.viewerP99Ms, broadcast.p99Ms),
          '',
          '',
        ],
      ],
    );
    console.log(
      `snapshots per viewer during the run: median ${o.awaited.snapshotsMedian}, max ${o.awaited.snapshotsMax}; ` +
        `last snapshot ${count(o.awaited.snapshotBytes)} bytes; sockets closed by the server: ${o.awaited.closed}`,
    );

    const throughputRatio = o.load.throughput / bare.load.throughput;
    const viewerRatio = o.viewerP99Ms / broadcast.p99Ms;
    table(
      'goals',
      ['', 'goal', 'measured', ''],
      [
        [
          'p99 acknowledgement',
          `< ${GOALS.ackP99Ms} ms`,
          ms(o.load.p99Ms),
          verdict(o.load.p99Ms < GOALS.ackP99Ms),
        ],
        ['lost', String(GOALS.lost), String(o.store.lost), verdict(o.store.lost === GOALS.lost)],
        [
          'duplicated',
          String(GOALS.duplicated),
          String(o.store.duplicated),
          verdict(o.store.duplicated === GOALS.duplicated),
        ],
        [
          'throughput vs bare',
          `≥ ${GOALS.throughputVsBare * 100}%`,
          `${(throughputRatio * 100).toFixed(0)}%`,
          verdict(throughputRatio >= GOALS.throughputVsBare),
        ],
        [
          'viewer p99 vs bare broadcast',
          `≤ ${GOALS.viewerVsBareBroadcast}×`,
          `${viewerRatio.toFixed(1)}×`,
          verdict(viewerRatio <= GOALS.viewerVsBareBroadcast && o.viewersMissing === 0),
        ],
        ['never acknowledged', '(reported)', String(o.load.requests - o.load.acknowledged), ''],
      ],
    );
    if (postgres) {
      await postgres.stop();
      postgres = null;
    }
  }
} finally {
  viewers.stop();
  await postgres?.stop();
}
console.log(`\ntotal run time ${((performance.now() - started) / 1000).toFixed(0)} s`);
