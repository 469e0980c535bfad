// f. supervision at city scale: 10,000 follow-up tasks over 50 units (SQLite) — the inbox of the office,
// of a leader and of a unit, and the dashboard, through their use cases (p50/p95 of 200 reads each),
// beside bare SQL reading the same rows; and notification throughput against the local robot endpoint
// (test/support/robot.ts: signatures checked, 20 messages a minute per robot), beside bare HTTP POSTs of
// the same messages. Alone: `npx tsx bench/supervision.ts`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import type { UserActor } from '../src/kernel/actor.ts';
import { configureRobotHosts, saveChannel } from '../src/modules/notifications/channels.ts';
import { deliverDue, enqueueNotice } from '../src/modules/notifications/index.ts';
import { inbox } from '../src/modules/supervision/inbox.ts';
import { dashboard } from '../src/modules/supervision/overview.ts';
import type { Ctx } from '../src/platform/context.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { newId } from '../src/platform/ids.ts';
import { migrateToLatest } from '../src/server/migrations.ts';
import { dingtalkUrl, ROBOT_SECRET, startRobotServer } from '../test/support/robot.ts';

export interface SupervisionBench {
  tasks: number;
  units: number;
  reads: { name: string; p50: number; p95: number; bareP50: number; bareP95: number; rows: number }[];
  messages: number;
  robots: number;
  deliverMs: number;
  bareMs: number;
  heldForNextMinute: number;
  refusals: number;
}

const STATES = [
  'issued',
  'accepted',
  'in_progress',
  'in_progress',
  'submitted',
  'closed',
  'closed',
  'closed',
  'extension_requested',
  'in_progress',
];
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

async function timed(n: number, fn: () => Promise<unknown> | unknown): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 5; i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return { p50: pct(t, 0.5), p95: pct(t, 0.95) };
}

export async function runSupervisionBench(
  opts: { tasks?: number; units?: number; reads?: number } = {},
): Promise<SupervisionBench> {
  const TASKS = opts.tasks ?? 10_000;
  const UNITS = opts.units ?? 50;
  const READS = opts.reads ?? 200;
  const dir = mkdtempSync(join(tmpdir(), 'shaipin-bench-sv-'));
  const file = join(dir, 'bench.db');
  const database = openDatabase({ sqliteFile: file });
  try {
    await migrateToLatest(database.db);
    const db = database.db;
    const at = '2026-11-01T02:00:00.000Z';
    const units = Array.from({ length: UNITS }, (_, i) => ({
      id: newId(),
      code: `U${i}`,
      name: `单位${i + 1}`,
      short_name: `单位${i + 1}`,
      kind: 'town',
      track_id: null,
      sort: i,
      created_at: at,
    }));
    await db.insertInto('units').values(units).execute();
    const user = (role: string, unitId: string | null, i: number) => ({
      id: newId(),
      username: `${role}${i}`,
      display_name: `${role}${i}`,
      password_hash: 'x',
      role,
      unit_id: unitId,
      must_change_password: 0,
      locked_until: null,
      created_at: at,
    });
    const organizer = user('organizer', null, 0);
    const leader = user('leader', null, 0);
    const reporters = units.map((u, i) => user('reporter', u.id, i));
    await db
      .insertInto('users')
      .values([organizer, leader, ...reporters])
      .execute();
    const now = new Date('2026-12-03T02:00:00.000Z');
    const day = (d: number) => new Date(now.getTime() + d * 86_400_000).toISOString().slice(0, 10);
    const rows = Array.from({ length: TASKS }, (_, i) => {
      const state = STATES[i % STATES.length]!;
      return {
        id: newId(),
        parent_id: null,
        source_kind: 'meeting',
        source_id: null,
        source_text: '专题会议',
        visit_id: null,
        project_id: null,
        title: `督办事项${i + 1}`,
        standard: '按期完成',
        unit_id: units[i % UNITS]!.id,
        issuer_user_id: i % 3 === 0 ? leader.id : null,
        issuer_name: i % 3 === 0 ? leader.display_name : '督查室',
        deadline: day((i % 61) - 20),
        urgency: i % 7 === 0 ? 'urgent' : 'normal',
        cadence: i % 5 === 0 ? 'monthly' : 'none',
        state,
        requested_deadline: state === 'extension_requested' ? day(40) : null,
        returns: i % 9 === 0 ? 1 : 0,
        accepted_at: state === 'issued' ? null : at,
        last_report_at: null,
        escalated_at: null,
        closed_at: state === 'closed' ? at : null,
        created_by: organizer.id,
        created_at: at,
        updated_at: at,
      };
    });
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insertInto('sv_tasks')
        .values(rows.slice(i, i + 500))
        .execute();
    const actor = (u: typeof organizer): UserActor => ({
      kind: 'user',
      userId: u.id,
      name: u.display_name,
      role: u.role as UserActor['role'],
      unitId: u.unit_id,
      mustChangePassword: false,
    });
    const ctx = (u: typeof organizer): Ctx => ({
      db,
      dbKind: 'sqlite',
      actor: actor(u),
      now,
      publicUrl: 'http://shaipin.local',
      locale: 'zh-CN',
      linkKey: Buffer.alloc(32, 7),
    });

    // Bare SQL: the same rows, read with one prepared statement of better-sqlite3 and nothing else.
    const raw = new SQLite(file, { readonly: true });
    const bareOffice = raw.prepare(
      "SELECT * FROM sv_tasks WHERE state IN ('submitted','extension_requested')",
    );
    const bareLeader = raw.prepare(
      "SELECT * FROM sv_tasks WHERE issuer_user_id = ? AND state IN ('submitted','extension_requested')",
    );
    const bareUnit = raw.prepare(
      "SELECT * FROM sv_tasks WHERE unit_id = ? AND state IN ('issued','accepted','in_progress')",
    );
    const bareNarrow = raw.prepare('SELECT unit_id, state, deadline FROM sv_tasks');
    const bareLate = raw.prepare(
      "SELECT * FROM sv_tasks WHERE state != 'closed' AND deadline < ? ORDER BY deadline, id LIMIT 50",
    );
    const reads: SupervisionBench['reads'] = [];
    const measure = async (name: string, fn: () => Promise<unknown>, bare: () => unknown[]) => {
      const mine = await timed(READS, fn);
      const b = await timed(READS, bare);
      reads.push({ name, ...mine, bareP50: b.p50, bareP95: b.p95, rows: bare().length });
    };
    await measure(
      'inbox: the office',
      () => inbox(ctx(organizer)),
      () => bareOffice.all(),
    );
    await measure(
      'inbox: a leader',
      () => inbox(ctx(leader)),
      () => bareLeader.all(leader.id),
    );
    await measure(
      'inbox: a unit',
      () => inbox(ctx(reporters[0]!)),
      () => bareUnit.all(units[0]!.id),
    );
    await measure(
      'dashboard',
      () => dashboard(ctx(organizer)),
      () => [...bareNarrow.all(), ...bareLate.all(now.toISOString().slice(0, 10))],
    );
    raw.close();

    // Notifications: one robot per unit, 20 notices each (a full minute's budget), plus 5 more to the
    // first robot, which must wait for the next minute.
    configureRobotHosts(['127.0.0.1']);
    const robot = await startRobotServer();
    robot.setClock(() => now.getTime());
    for (const [i, u] of units.entries())
      await saveChannel(ctx(organizer), null, {
        name: `群${i}`,
        kind: 'dingtalk',
        audience: 'unit',
        unitId: u.id,
        webhook: dingtalkUrl(robot.url, `robot${i}`),
        secret: ROBOT_SECRET,
        mutedKinds: [],
        quietFrom: null,
        quietTo: null,
        digest: false,
        enabled: true,
      });
    const PER_ROBOT = 20;
    await db.transaction().execute(async (trx) => {
      for (const [i, u] of units.entries())
        for (let k = 0; k < PER_ROBOT + (i === 0 ? 5 : 0); k++)
          await enqueueNotice(
            { ...ctx(organizer), db: trx },
            {
              causeKey: `bench:${i}:${k}`,
              kind: 'task_due_soon',
              unitId: u.id,
              audiences: ['unit'],
              title: `督办事项即将到期：事项${k}`,
              markdown: `#### 督办事项即将到期\n\n**事项${k}**\n\n- 承办单位：${u.name}`,
              linkPath: `/supervision/tasks/${k}`,
              mentionUserIds: [],
            },
          );
    });
    const d0 = performance.now();
    const pass = await deliverDue({ db, dbKind: 'sqlite', now: () => now, linkKey: Buffer.alloc(32, 7) });
    const deliverMs = performance.now() - d0;
    const held = Number(
      (
        await db
          .selectFrom('nt_deliveries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('state', '=', 'pending')
          .executeTakeFirstOrThrow()
      ).n,
    );
    // Bare: the same number of signed POSTs to the same endpoint, in the same order, one at a time.
    const { robotRequest } = await import('../src/modules/notifications/domain/robots.ts');
    const robot2 = await startRobotServer();
    robot2.setClock(() => now.getTime());
    const b0 = performance.now();
    for (let i = 0; i < UNITS; i++)
      for (let k = 0; k < PER_ROBOT; k++) {
        const req = robotRequest(
          'dingtalk',
          dingtalkUrl(robot2.url, `robot${i}`),
          ROBOT_SECRET,
          {
            title: `事项${k}`,
            markdown: `#### 督办事项即将到期\n\n**事项${k}**`,
            mentionMobiles: [],
            mentionIds: [],
          },
          now.getTime(),
        );
        const res = await fetch(req.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: req.body,
        });
        await res.text();
      }
    const bareMs = performance.now() - b0;
    const refusals = robot.refusals.length;
    await robot.close();
    await robot2.close();
    return {
      tasks: TASKS,
      units: UNITS,
      reads,
      messages: pass.sent,
      robots: UNITS,
      deliverMs,
      bareMs,
      heldForNextMinute: held,
      refusals,
    };
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printSupervisionBench(r: SupervisionBench): void {
  const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
  console.log(
    `\nf. supervision: ${r.tasks.toLocaleString('en')} tasks × ${r.units} units (SQLite), p50 / p95 of each read beside bare SQL of the same rows`,
  );
  for (const x of r.reads)
    console.log(
      `   ${x.name.padEnd(20)} ${ms(x.p50).padStart(9)} / ${ms(x.p95).padStart(9)}   bare ${ms(x.bareP50)} / ${ms(x.bareP95)} (${x.rows} rows)   ${(x.p95 / Math.max(x.bareP95, 0.001)).toFixed(1)}× at p95`,
    );
  console.log(
    `   notifications: ${r.messages} messages to ${r.robots} robots in ${ms(r.deliverMs)} (${Math.round(r.messages / (r.deliverMs / 1000))}/s); bare signed POSTs ${ms(r.bareMs)} (${Math.round(r.messages / (r.bareMs / 1000))}/s), ${(r.deliverMs / r.bareMs).toFixed(1)}×`,
  );
  console.log(
    `   rate limit: ${r.heldForNextMinute} messages beyond a robot's 20 a minute held for the next minute; robot refusals: ${r.refusals}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) printSupervisionBench(await runSupervisionBench());
