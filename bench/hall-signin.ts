// Phase d: a hall signs in. 300 judges scan their QR codes and submit from phones that all share the
// hall's one public address — here, this one process over loopback (127.0.0.1). Each judge does what the
// judge page does: POST /api/judge/session with the invite token, GET /api/judge/state, then one
// POST /api/judge/scores for the open slot with values built from the rubric in that state.
//
// The real server is src/server/main.ts in a child process (bench/event-server.ts), configured only
// through its environment with the limits left at their defaults — 30 failed token sign-ins per address
// per minute, 20 password sign-ins per address per minute — which is the point: successes are never
// limited, so all 300 must get in. Two arrival shapes, each on a fresh database and a fresh server:
//   burst   all 300 judges at the same instant (as fast as the server lets them)
//   steady  300 arrivals drawn uniformly over 30 s (independent people), open loop: nobody waits for
//           anyone else, latency counts from each request's send
// Beside each, the same client against a bare Fastify + better-sqlite3 server doing one statement per
// request (bench/hall-bare-server.ts), in the same run; figures with ratios, never asserted.
// Afterwards the database is read back (sessions and score entries stored), and the failure limiter is
// shown to be live without locking the hall out: 30 wrong tokens from the same address, then one more
// (answered rate_limited), then a valid invite (which still gets in).
//
// Exit code 1 if any sign-in or submission failed. Run alone: npx tsx bench/hall-signin.ts
//   [--judges=300] [--window=30000]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import { seededRandom } from '../src/demo/random.ts';
import { openSlot } from '../src/modules/event/slot-control.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/server/migrations.ts';
import { startShaipin } from './event-server.ts';
import { type BurstFixture, seedBurstFixture } from './fixture.ts';
import { type ChildServer, percentile, pool, startServer } from './http.ts';

export interface HallOptions {
  judges?: number | undefined;
  windowMs?: number | undefined;
}

type Mode = 'burst' | 'steady';

interface Step {
  /** HTTP status, or 0 when no response came; -1 when not sent (an earlier step failed). */
  status: number;
  ms: number;
  body: string;
}

interface JudgeRun {
  signIn: Step;
  state: Step;
  submit: Step;
  /** How late the first request went out against its due instant (timer lag of this process). */
  startLagMs: number;
  clientId: string;
}

export interface StepFigures {
  ok: number;
  failed: number;
  /** Status (or reason) → count, for the failed ones. */
  failures: Record<string, number>;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface RunFigures {
  signIn: StepFigures;
  state: StepFigures;
  submit: StepFigures;
  /** First sign-in sent → last submission answered. */
  wallMs: number;
  maxStartLagMs: number;
  /** Read back from the database after the server stopped. */
  stored: { sessions: number; entries: number; lostAcknowledged: number };
  firstFailure: string | null;
}

export interface LimiterCheck {
  wrongTokens: number;
  wrongStatuses: Record<string, number>;
  /** One more wrong token, past the limit. */
  pastLimitStatus: number;
  /** The valid invite sent right after the wrong ones. */
  validStatus: number;
  validBody: string;
}

export interface HallFigures {
  judges: number;
  windowMs: number;
  loadAverage: number[];
  limitEnvRemoved: string[];
  app: Record<Mode, RunFigures>;
  bare: Record<Mode, RunFigures>;
  limiter: LimiterCheck;
  /** Sign-ins 300/0 and submissions 300/0 (none lost) on the real server, in both shapes. */
  ok: boolean;
}

const SEED = 'bench-hall';
const WARMUP_REQUESTS = 400;
const TIMEOUT_MS = 30_000;
/** The real server's default (src/server/main.ts): failed token sign-ins per address per minute. */
const DEFAULT_TOKEN_FAILURES = 30;
/** Set in the environment, these would change the real server's limits: they are removed for the run. */
const LIMIT_ENV = ['TOKEN_SIGNIN_FAILURES_PER_MINUTE', 'LOGIN_RATE_LIMIT_PER_MINUTE'];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const notSent: Step = { status: -1, ms: Number.NaN, body: '' };
const isOk = (s: Step): boolean => s.status >= 200 && s.status < 300;

async function send(
  url: string,
  method: 'GET' | 'POST',
  body: unknown,
  cookie: string | null,
): Promise<Step & { setCookie: string[] }> {
  const start = performance.now();
  try {
    const res = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(cookie ? { cookie } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    return {
      status: res.status,
      ms: performance.now() - start,
      body: text,
      setCookie: res.headers.getSetCookie(),
    };
  } catch (e) {
    return {
      status: 0,
      ms: performance.now() - start,
      body: e instanceof Error ? e.message : String(e),
      setCookie: [],
    };
  }
}

interface StateView {
  criteria?: { id: string; maxPoints: number; step: number }[];
  slots?: { id: string; state: string }[];
}

/** One phone: sign in, read the state, submit once for the open slot. */
async function judgeFlow(base: string, token: string, i: number, dueAt: number): Promise<JudgeRun> {
  const startLagMs = Math.max(0, performance.now() - dueAt);
  const clientId = `hall-${String(i).padStart(4, '0')}-${SEED}`;
  const signIn = await send(`${base}/api/judge/session`, 'POST', { token }, null);
  const cookie = signIn.setCookie.find((c) => c.startsWith('sp_session='))?.split(';')[0];
  if (!isOk(signIn) || !cookie) {
    return {
      signIn: isOk(signIn) ? { ...signIn, status: 1 } : signIn,
      state: notSent,
      submit: notSent,
      startLagMs,
      clientId,
    };
  }
  const state = await send(`${base}/api/judge/state`, 'GET', undefined, cookie);
  let view: StateView = {};
  try {
    view = JSON.parse(state.body) as StateView;
  } catch {
    // not JSON: counted as a failed state below
  }
  const slot = view.slots?.find((s) => s.state === 'open');
  if (!isOk(state) || !slot || !view.criteria?.length) {
    return {
      signIn,
      state: isOk(state) ? { ...state, status: 2 } : state,
      submit: notSent,
      startLagMs,
      clientId,
    };
  }
  // As bench/burst.ts builds them: around 82% of each criterion's maximum, on its step, within range.
  const random = seededRandom(`${SEED}-${i}`);
  const values: Record<string, number> = {};
  for (const c of view.criteria) {
    const raw = c.maxPoints * (0.82 + 0.06 * random.normal());
    values[c.id] = Math.min(c.maxPoints, Math.max(0, Math.round(raw / c.step) * c.step));
  }
  const submit = await send(
    `${base}/api/judge/scores`,
    'POST',
    { clientId, slotId: slot.id, values },
    cookie,
  );
  return { signIn, state, submit, startLagMs, clientId };
}

/** Due offsets (ms from the start) of the arrivals: all at 0, or uniform over the window, sorted. */
function arrivals(mode: Mode, count: number, windowMs: number): number[] {
  if (mode === 'burst') return Array.from({ length: count }, () => 0);
  const random = seededRandom(`${SEED}-arrivals`);
  return Array.from({ length: count }, () => random.next() * windowMs).sort((a, b) => a - b);
}

const reason = (status: number): string =>
  status === 0
    ? 'no response'
    : status === -1
      ? 'not sent'
      : status === 1
        ? 'no cookie'
        : status === 2
          ? 'no open slot'
          : String(status);

function stepFigures(steps: readonly Step[]): StepFigures {
  const ok = steps.filter(isOk);
  const failures: Record<string, number> = {};
  for (const s of steps) {
    if (isOk(s)) continue;
    const key = reason(s.status);
    failures[key] = (failures[key] ?? 0) + 1;
  }
  const latencies = ok.map((s) => s.ms).sort((a, b) => a - b);
  return {
    ok: ok.length,
    failed: steps.length - ok.length,
    failures,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    maxMs: latencies.at(-1) ?? Number.NaN,
  };
}

async function warmUp(url: string): Promise<void> {
  await pool(Array.from({ length: WARMUP_REQUESTS }), 50, async () => {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    await res.arrayBuffer();
  });
}

/** Runs every judge's flow at its due instant; returns the runs in judge order and the wall time. */
async function hall(
  base: string,
  tokens: readonly string[],
  mode: Mode,
  windowMs: number,
): Promise<{ runs: JudgeRun[]; wallMs: number; maxStartLagMs: number }> {
  const due = arrivals(mode, tokens.length, windowMs);
  const start = performance.now();
  const runs = await Promise.all(
    tokens.map(async (token, i) => {
      const dueAt = start + due[i]!;
      await sleep(dueAt - performance.now());
      return judgeFlow(base, token, i, dueAt);
    }),
  );
  return {
    runs,
    wallMs: performance.now() - start - due[0]!,
    maxStartLagMs: Math.max(...runs.map((r) => r.startLagMs)),
  };
}

function figuresOf(
  result: { runs: JudgeRun[]; wallMs: number; maxStartLagMs: number },
  stored: RunFigures['stored'],
): RunFigures {
  const failed = result.runs.flatMap((r) =>
    (
      [
        ['sign-in', r.signIn],
        ['state', r.state],
        ['submit', r.submit],
      ] as const
    ).filter(([, s]) => !isOk(s) && s.status !== -1),
  );
  const first = failed[0];
  return {
    signIn: stepFigures(result.runs.map((r) => r.signIn)),
    state: stepFigures(result.runs.map((r) => r.state)),
    submit: stepFigures(result.runs.map((r) => r.submit)),
    wallMs: result.wallMs,
    maxStartLagMs: result.maxStartLagMs,
    stored,
    firstFailure: first ? `${first[0]}: ${reason(first[1].status)} ${first[1].body.slice(0, 200)}` : null,
  };
}

/** A fresh SQLite database with the fixture's event, 300 judges with invites and the slot opened. */
async function seedHall(dir: string, judges: number): Promise<BurstFixture> {
  const database = openDatabase({ sqliteFile: join(dir, 'shaipin.db') });
  try {
    await migrateToLatest(database.db);
    const fixture = await seedBurstFixture(database.db, judges);
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
    return fixture;
  } finally {
    await database.close();
  }
}

/** DEFAULT_TOKEN_FAILURES wrong tokens from this address, then a valid invite. */
async function checkLimiter(base: string, validToken: string): Promise<LimiterCheck> {
  const wrongStatuses: Record<string, number> = {};
  for (let i = 0; i < DEFAULT_TOKEN_FAILURES; i++) {
    const r = await send(`${base}/api/judge/session`, 'POST', { token: `wrong-${i}-`.padEnd(43, 'x') }, null);
    wrongStatuses[reason(r.status)] = (wrongStatuses[reason(r.status)] ?? 0) + 1;
  }
  const past = await send(
    `${base}/api/judge/session`,
    'POST',
    { token: 'wrong-past-'.padEnd(43, 'x') },
    null,
  );
  const valid = await send(`${base}/api/judge/session`, 'POST', { token: validToken }, null);
  return {
    wrongTokens: DEFAULT_TOKEN_FAILURES,
    wrongStatuses,
    pastLimitStatus: past.status,
    validStatus: valid.status,
    validBody: valid.body.slice(0, 200),
  };
}

async function runApp(
  mode: Mode,
  judges: number,
  windowMs: number,
  withLimiterCheck: boolean,
): Promise<{ figures: RunFigures; limiter: LimiterCheck | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'shaipin-bench-hall-'));
  try {
    const fixture = await seedHall(dir, judges);
    const server = await startShaipin({ dataDir: dir });
    let result: Awaited<ReturnType<typeof hall>>;
    let limiter: LimiterCheck | null = null;
    try {
      await warmUp(server.url);
      result = await hall(
        server.url,
        fixture.judges.map((j) => j.token),
        mode,
        windowMs,
      );
      if (withLimiterCheck) limiter = await checkLimiter(server.url, fixture.judges[0]!.token);
    } finally {
      await server.stop();
    }
    const sqlite = new SQLite(join(dir, 'shaipin.db'), { readonly: true });
    const sessions = (
      sqlite
        .prepare("SELECT COUNT(*) AS n FROM sessions WHERE role = 'judge' AND event_id = ?")
        .get(fixture.eventId) as { n: number }
    ).n;
    const stored = new Set(
      (
        sqlite.prepare('SELECT client_id FROM score_entries WHERE slot_id = ?').all(fixture.slotId) as {
          client_id: string;
        }[]
      ).map((r) => r.client_id),
    );
    const entries = (
      sqlite.prepare('SELECT COUNT(*) AS n FROM score_entries WHERE slot_id = ?').get(fixture.slotId) as {
        n: number;
      }
    ).n;
    sqlite.close();
    const lostAcknowledged = result.runs.filter((r) => isOk(r.submit) && !stored.has(r.clientId)).length;
    return { figures: figuresOf(result, { sessions, entries, lostAcknowledged }), limiter };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runBare(
  mode: Mode,
  judges: number,
  windowMs: number,
  fixture: BurstFixture,
): Promise<RunFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'shaipin-bench-hall-bare-'));
  const file = join(dir, 'bare.db');
  try {
    const state = {
      criteria: fixture.criteria,
      slots: [{ id: fixture.slotId, state: 'open' }],
    };
    const server: ChildServer = await startServer('bench/hall-bare-server.ts', [file, JSON.stringify(state)]);
    let result: Awaited<ReturnType<typeof hall>>;
    try {
      await warmUp(server.url);
      result = await hall(
        server.url,
        fixture.judges.slice(0, judges).map((j) => j.token),
        mode,
        windowMs,
      );
    } finally {
      await server.stop();
    }
    const sqlite = new SQLite(file, { readonly: true });
    const sessions = (sqlite.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n;
    const ids = (sqlite.prepare('SELECT client_id FROM scores').all() as { client_id: string }[]).map(
      (r) => r.client_id,
    );
    sqlite.close();
    const stored = new Set(ids);
    const lostAcknowledged = result.runs.filter((r) => isOk(r.submit) && !stored.has(r.clientId)).length;
    return figuresOf(result, { sessions, entries: ids.length, lostAcknowledged });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runHallSignIn(options: HallOptions = {}): Promise<HallFigures> {
  const judges = options.judges ?? 300;
  const windowMs = options.windowMs ?? 30_000;
  const limitEnvRemoved = LIMIT_ENV.filter((k) => process.env[k] !== undefined);
  for (const k of LIMIT_ENV) delete process.env[k];
  const loadAverage = loadavg();

  // The bare server needs a rubric and a slot id of the same shape: a fixture seeded into a throwaway
  // database (not timed).
  const scratch = mkdtempSync(join(tmpdir(), 'shaipin-bench-hall-fixture-'));
  let fixture: BurstFixture;
  try {
    fixture = await seedHall(scratch, judges);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  // The baseline of each shape goes first, as in phase b, so that neither side inherits a warmer cache.
  const bareBurst = await runBare('burst', judges, windowMs, fixture);
  const appBurst = await runApp('burst', judges, windowMs, false);
  const bareSteady = await runBare('steady', judges, windowMs, fixture);
  const appSteady = await runApp('steady', judges, windowMs, true);
  const app = { burst: appBurst.figures, steady: appSteady.figures };
  const ok = Object.values(app).every(
    (f) =>
      f.signIn.ok === judges &&
      f.signIn.failed === 0 &&
      f.submit.ok === judges &&
      f.submit.failed === 0 &&
      f.stored.lostAcknowledged === 0,
  );
  return {
    judges,
    windowMs,
    loadAverage,
    limitEnvRemoved,
    app,
    bare: { burst: bareBurst, steady: bareSteady },
    limiter: appSteady.limiter!,
    ok,
  };
}

// ---------- printing ----------

const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 2 : 1)} ms` : '—');
const seconds = (v: number): string => (Number.isFinite(v) ? `${(v / 1000).toFixed(2)} s` : '—');
const ratio = (a: number, b: number): string =>
  b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(1)}×` : '—';
const okFailed = (s: StepFigures): string => `${s.ok}/${s.failed}`;
const failures = (s: StepFigures): string =>
  Object.entries(s.failures)
    .map(([k, v]) => `${v}×${k}`)
    .join(' ');

function table(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

export function printHallSignIn(f: HallFigures): void {
  const label: Record<Mode, string> = {
    burst: 'burst (all at once)',
    steady: `steady (${(f.windowMs / 1000).toFixed(0)} s)`,
  };
  const rows: string[][] = [];
  const stateRows: string[][] = [];
  for (const mode of ['burst', 'steady'] as const) {
    const a = f.app[mode];
    const b = f.bare[mode];
    const row = (name: string, s: RunFigures): string[] => [
      `${label[mode]}: ${name}`,
      okFailed(s.signIn),
      ms(s.signIn.p50Ms),
      ms(s.signIn.p95Ms),
      ms(s.signIn.maxMs),
      okFailed(s.submit),
      ms(s.submit.p50Ms),
      ms(s.submit.p95Ms),
      ms(s.submit.maxMs),
      seconds(s.wallMs),
    ];
    rows.push(row('shaipin', a), row('bare', b), [
      `${label[mode]}: ratio shaipin / bare`,
      '',
      ratio(a.signIn.p50Ms, b.signIn.p50Ms),
      ratio(a.signIn.p95Ms, b.signIn.p95Ms),
      ratio(a.signIn.maxMs, b.signIn.maxMs),
      '',
      ratio(a.submit.p50Ms, b.submit.p50Ms),
      ratio(a.submit.p95Ms, b.submit.p95Ms),
      ratio(a.submit.maxMs, b.submit.maxMs),
      ratio(a.wallMs, b.wallMs),
    ]);
    const stateRow = (name: string, s: RunFigures): string[] => [
      `${label[mode]}: ${name}`,
      okFailed(s.state),
      ms(s.state.p50Ms),
      ms(s.state.p95Ms),
      ms(s.state.maxMs),
      `${s.stored.sessions} / ${s.stored.entries} / ${s.stored.lostAcknowledged}`,
      ms(s.maxStartLagMs),
    ];
    stateRows.push(stateRow('shaipin', a), stateRow('bare', b));
  }
  table(
    `d. hall sign-in: ${f.judges} judges from one address (127.0.0.1), real server with its default limits — sign-in, state, one submission each (ok/failed; wall = first sign-in sent → last submission answered)`,
    ['', 'sign-ins', 'sign-in p50', 'p95', 'max', 'submits', 'submit p50', 'p95', 'max', 'wall'],
    rows,
  );
  table(
    'd. GET /api/judge/state between the two, and what the database holds afterwards',
    ['', 'states', 'state p50', 'p95', 'max', 'stored sessions / entries / lost', 'client start lag max'],
    stateRows,
  );
  for (const mode of ['burst', 'steady'] as const) {
    for (const [name, s] of [
      ['shaipin', f.app[mode]],
      ['bare', f.bare[mode]],
    ] as const) {
      const all = [failures(s.signIn), failures(s.state), failures(s.submit)].filter(Boolean).join('; ');
      if (all) console.log(`   ${label[mode]}, ${name}: failed ${all}; first: ${s.firstFailure}`);
    }
  }
  const l = f.limiter;
  const inForce = l.pastLimitStatus === 429;
  console.log(
    `\n   failure limiter (after the steady run, same address): ${l.wrongTokens} wrong tokens → ${Object.entries(
      l.wrongStatuses,
    )
      .map(([k, v]) => `${v}×${k}`)
      .join(' ')}; one more wrong → HTTP ${l.pastLimitStatus}; then a valid invite → HTTP ${l.validStatus}${
      l.validStatus === 200 ? ' (the hall still gets in)' : ` — ${l.validBody}`
    }`,
  );
  if (!inForce)
    console.log('   WARNING: the limiter did not answer 429; the default limits may not have been in force');
  if (l.validStatus !== 200) console.log('   WARNING: a valid invite was refused after the misses');
  if (f.limitEnvRemoved.length > 0)
    console.log(`   (removed from this run's environment: ${f.limitEnvRemoved.join(', ')})`);
  console.log(`   load average at the start: ${f.loadAverage.map((v) => v.toFixed(2)).join(' ')}`);
  console.log(
    f.ok
      ? `   all ${f.judges} judges signed in and submitted, in both shapes`
      : '   FAILED: not every judge signed in and submitted (see above)',
  );
}

function numberFlag(name: string): number | undefined {
  const raw = process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${raw}`);
  return n;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(
    `shaipin hall sign-in bench — Node ${process.version}, ${cpus().length} CPU (${cpus()[0]?.model ?? 'unknown'})`,
  );
  const figures = await runHallSignIn({ judges: numberFlag('judges'), windowMs: numberFlag('window') });
  printHallSignIn(figures);
  if (!figures.ok) process.exitCode = 1;
}
