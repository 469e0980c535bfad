// Two real server processes (src/server/main.ts) on one PostgreSQL database, each with its delivery
// worker and time rules running: a burst of task changes sent to both produces each robot message
// exactly once (the workers claim deliveries with FOR UPDATE SKIP LOCKED; the time rules run once per
// cluster and once per cause). Then one process is killed with SIGKILL while its deliveries are in
// flight (the robot holds its answers): the other takes them over when their lease runs out, and
// every message arrives exactly once, none lost, none twice. PostgreSQL only: with SQLite one process
// is the supported setup.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, onDialect, type TestDatabase } from '../support/db.ts';
import { freePort } from '../support/embedded-postgres.ts';
import { rows } from '../support/factory.ts';
import { seedUser } from '../support/http.ts';
import { dingtalkUrl, ROBOT_SECRET, type RobotServer, startRobotServer } from '../support/robot.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const UNITS = 8;
const TASKS_PER_UNIT = 2;
const LINK_SECRET = 'cluster-test-link-secret-0123456789abcdef';
const DEADLINE_MS = 90_000;

interface Server {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

function startServer(databaseUrl: string, port: number, dataDir: string): Server {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/server/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SHAIPIN_DATA_DIR: dataDir,
      SHAIPIN_LINK_SECRET: LINK_SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG: '0',
      BACKGROUND_INTERVAL_MS: '100',
      NOTIFY_LEASE_MS: '2000',
      ROBOT_HOSTS: '127.0.0.1',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err = (err + c.toString('utf8')).slice(-4000);
  });
  return { child, url: `http://127.0.0.1:${port}`, stderr: () => err };
}

async function healthy(s: Server): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    if (s.child.exitCode !== null) throw new Error(`server exited: ${s.stderr()}`);
    try {
      const res = await fetch(`${s.url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`server not healthy: ${s.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function signIn(s: Server, username: string, password: string): Promise<string> {
  const res = await fetch(`${s.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: s.url },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sp_session='));
  return cookie?.split(';')[0] ?? '';
}

async function call(s: Server, cookie: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie, origin: s.url },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

const waitFor = async (what: string, ok: () => boolean | Promise<boolean>) => {
  const until = Date.now() + DEADLINE_MS;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

onDialect('postgres')('notifications across two processes on postgres', () => {
  let database: TestDatabase;
  let robot: RobotServer;
  let a: Server;
  let b: Server;
  const dirs: string[] = [];
  const units: { id: string; token: string }[] = [];
  let organizer = { username: '', password: '' };
  const reporters: { username: string; password: string }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    robot = await startRobotServer();
    for (let i = 0; i < UNITS; i++) {
      const u = rows.unit({ track_id: null, name: `单位${i + 1}` });
      await database.db.insertInto('units').values(u).execute();
      units.push({ id: u.id, token: `unit${i}-robot-token` });
      reporters.push(await seedUser(database, { role: 'reporter', unitId: u.id }));
    }
    organizer = await seedUser(database, { role: 'organizer' });
    for (const port of [await freePort(), await freePort()]) {
      const dir = mkdtempSync(join(tmpdir(), 'shaipin-cluster-'));
      dirs.push(dir);
      const s = startServer(database.location, port, dir);
      if (a) b = s;
      else a = s;
    }
    await Promise.all([healthy(a), healthy(b)]);
  }, 120_000);

  afterAll(async () => {
    for (const s of [a, b]) {
      if (s && s.child.exitCode === null && s.child.signalCode === null) {
        const exited = once(s.child, 'exit');
        s.child.kill('SIGTERM');
        await exited;
      }
    }
    await robot?.close();
    await database?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('delivers each notice of a burst once, and a killed process loses none and duplicates none', async () => {
    const orgA = await signIn(a, organizer.username, organizer.password);
    const orgB = await signIn(b, organizer.username, organizer.password);
    for (const u of units)
      await call(a, orgA, 'POST', '/api/notifications/channels', {
        name: `群${u.token}`,
        kind: 'dingtalk',
        audience: 'unit',
        unitId: u.id,
        webhook: dingtalkUrl(robot.url, u.token),
        secret: ROBOT_SECRET,
        mutedKinds: [],
        quietFrom: null,
        quietTo: null,
        digest: false,
        enabled: true,
      });
    // Answers held long enough that deliveries are in flight when a process dies.
    robot.setDelay(250);
    const tomorrow = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
    const later = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    // The burst: tasks issued through both processes at once; half due tomorrow (the time rules of
    // both processes will find them due soon); then each unit accepts and answers, and the office
    // returns every answer, again through both processes.
    const created = await Promise.all(
      units.flatMap((u, i) =>
        Array.from({ length: TASKS_PER_UNIT }, (_, k) =>
          call(k % 2 ? b : a, k % 2 ? orgB : orgA, 'POST', '/api/supervision/tasks', {
            title: `任务${i}-${k}`,
            standard: '按期完成',
            sourceKind: 'meeting',
            sourceText: '专题会议',
            unitId: u.id,
            deadline: k === 0 ? tomorrow : later,
          }),
        ),
      ),
    );
    await Promise.all(
      created.map(async (task: { id: string; unitId: string }, n) => {
        const i = units.findIndex((u) => u.id === task.unitId);
        const s = n % 2 ? a : b;
        const cookie = await signIn(s, reporters[i]!.username, reporters[i]!.password);
        await call(s, cookie, 'POST', `/api/supervision/tasks/${task.id}/steps`, { action: 'accept' });
        await call(s, cookie, 'POST', `/api/supervision/tasks/${task.id}/steps`, {
          action: 'submit',
          opinion: '已完成',
        });
        await call(n % 2 ? b : a, n % 2 ? orgB : orgA, 'POST', `/api/supervision/tasks/${task.id}/steps`, {
          action: 'return',
          opinion: '请补充材料',
        });
      }),
    );
    // Each unit's robot is owed: an issued and a returned notice per task, a due-soon one per task due tomorrow.
    const expected = units.length * (TASKS_PER_UNIT * 2 + 1);
    await waitFor('some deliveries', () => robot.messages.length >= 6);
    // Killed while the robot holds one of its requests: mid-delivery, by construction.
    await waitFor('a delivery of process A in flight', () =>
      robot.inFlight().some((ua) => ua.includes(`pid ${a.child.pid}`)),
    );
    a.child.kill('SIGKILL');
    await once(a.child, 'exit');
    await waitFor(
      `${expected} messages (have ${robot.messages.length})`,
      () => robot.messages.length >= expected,
    );
    // Give the survivor time to send anything twice, if it would.
    await new Promise((r) => setTimeout(r, 3_000));
    const seen = new Map<string, number>();
    for (const m of robot.messages)
      seen.set(`${m.robot} ${m.title}`, (seen.get(`${m.robot} ${m.title}`) ?? 0) + 1);
    expect([...seen.values()].filter((n) => n > 1)).toEqual([]);
    expect(robot.messages).toHaveLength(expected);
    for (const [i, u] of units.entries()) {
      const titles = robot.messages
        .filter((m) => m.robot === u.token)
        .map((m) => m.title)
        .sort();
      expect(titles).toEqual(
        [
          `新督办事项：任务${i}-0`,
          `新督办事项：任务${i}-1`,
          `督办事项被退回：任务${i}-0`,
          `督办事项被退回：任务${i}-1`,
          `督办事项即将到期：任务${i}-0`,
        ].sort(),
      );
    }
    expect(robot.refusals).toEqual([]);
    // The kill did land mid-delivery: the robot saw requests whose sender was gone before the answer,
    // and the survivor sent those again.
    console.log(`messages abandoned by the killed process: ${robot.abandoned()}`);
    expect(robot.abandoned()).toBeGreaterThan(0);
    const states = await database.db.selectFrom('nt_deliveries').select('state').execute();
    expect(states.every((d) => d.state === 'sent')).toBe(true);
    expect(states).toHaveLength(expected);
  }, 150_000);
});
