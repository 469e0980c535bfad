// The demo event from the Yongkang article: what seeding puts in, that its sign-ins work, and that a
// simulated run through the real use cases yields complete, recusal-respecting results.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoReportUnits } from '../../src/demo/reports.ts';
import { findDemoEventId, seedDemo, seedDemoEvent } from '../../src/demo/seed.ts';
import { simulateEvent, snapToStep } from '../../src/demo/simulate.ts';
import { demoAccounts } from '../../src/demo/yongkang.ts';
import { login } from '../../src/modules/accounts/auth.ts';
import { drawAgenda } from '../../src/modules/event/agenda.ts';
import { verifyChain } from '../../src/modules/event/domain/ledger.ts';
import { computeResults } from '../../src/modules/event/domain/scoring.ts';
import { readLedger } from '../../src/modules/event/ledger.ts';
import { loadEventData } from '../../src/modules/event/results.ts';
import { eventPptx, getReport } from '../../src/modules/reports/index.ts';
import { inbox } from '../../src/modules/supervision/inbox.ts';
import { listProjects } from '../../src/modules/supervision/projects.ts';
import { getTask } from '../../src/modules/supervision/tasks.ts';
import { getVisit } from '../../src/modules/supervision/visits.ts';
import type { Ctx } from '../../src/platform/context.ts';
import { tokenDigest } from '../../src/platform/link-tokens.ts';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db.ts';
import { TEST_LINK_KEY, testLinkToken } from '../support/factory.ts';

describe('snapping simulated scores', () => {
  it('lands on the step as a clean decimal inside [0, max]', () => {
    expect(snapToStep(37.26, 40, 0.5)).toBe(37.5);
    expect(snapToStep(41.3, 40, 0.5)).toBe(40);
    expect(snapToStep(-2, 40, 0.5)).toBe(0);
    expect(snapToStep(12.34, 20, 0.1)).toBe(12.3);
    expect(snapToStep(9.9, 10, 3)).toBe(9);
  });
});

describe.each(dbKinds)('the Yongkang demo on %s', (kind) => {
  let database: TestDatabase;
  let eventId: string;
  /** Statements the seeding sent: a measure of its cost that a busy machine cannot change. */
  let seedStatements = 0;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDemo(
      {
        kind,
        db: database.db.withPlugin({
          transformQuery: (args) => {
            seedStatements++;
            return args.node;
          },
          transformResult: async (args) => args.result,
        }),
      },
      TEST_LINK_KEY,
    );
    eventId = (await findDemoEventId(database.db))!;
  });
  afterAll(async () => {
    await database?.drop();
  });

  const ctx = (): Ctx => ({
    db: database.db,
    dbKind: database.kind,
    actor: { kind: 'anonymous' },
    now: new Date(),
    publicUrl: '',
    locale: 'zh-CN',
  });
  /** The demo's organizer account acting. */
  const organizerCtx = async (): Promise<Ctx> => {
    const admin = await database.db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    return {
      ...ctx(),
      actor: {
        kind: 'user',
        userId: admin.id,
        name: admin.display_name,
        role: 'organizer',
        unitId: null,
        mustChangePassword: false,
      },
    };
  };

  it('seeds a draft event without scores in a few multi-row statements, not one per row', async () => {
    expect(eventId).toBeTruthy();
    // About 300 rows over a dozen tables (units, judges, invites, slots, indicators, actuals…).
    const rows = await Promise.all(
      (['units', 'judges', 'invites', 'slots', 'indicators', 'actuals'] as const).map(async (table) =>
        Number(
          (
            await database.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ),
    );
    expect(rows.reduce((a, b) => a + b, 0)).toBeGreaterThan(200);
    expect(seedStatements).toBeGreaterThan(0);
    // The event and the indicators in batched inserts; each report through the console's use cases
    // (template, required content, live facts, save, submit, review, audit): a cost per report, not per row.
    // Supervision: six projects and a visit whose tasks take some thirty steps, each through its use case.
    expect(seedStatements).toBeLessThan(40 + 100 * demoReportUnits.length + 1_500);
    const event = await database.db
      .selectFrom('events')
      .selectAll()
      .where('id', '=', eventId)
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      title: '2023年上半年工作大晒拼',
      start_date: '2023-07-31',
      end_date: '2023-08-01',
      status: 'draft',
      draw_seed: '2023-0731',
    });
    expect(Number(event.scoring_started)).toBe(0);
    const settings = JSON.parse(event.settings);
    expect(settings).toMatchObject({
      trimK: 1,
      trimMinRemaining: 3,
      decimals: 2,
      overtimePenalty: { points: 0.5, perSeconds: 30 },
      gradeBands: { kind: 'rankShare' },
    });
    expect(settings.gradeBands.bands.map((b: { labelZh: string }) => b.labelZh)).toEqual([
      '五星',
      '四星',
      '三星',
    ]);
    const entries = await database.db.selectFrom('score_entries').select('id').execute();
    expect(entries).toEqual([]);
  });

  it('has the towns, streets and zones in 镇街区组 and the departments in 部门组', async () => {
    const rows = await database.db
      .selectFrom('units')
      .innerJoin('tracks', 'tracks.id', 'units.track_id')
      .select(['units.name', 'units.kind', 'tracks.name_zh as track'])
      .execute();
    const territorial = rows.filter((r) => r.track === '镇街区组');
    const departments = rows.filter((r) => r.track === '部门组');
    expect(territorial.length).toBeGreaterThanOrEqual(14);
    expect(departments.length).toBeGreaterThanOrEqual(10);
    expect(territorial.every((u) => ['town', 'street', 'zone'].includes(u.kind))).toBe(true);
    expect(departments.every((u) => u.kind === 'department')).toBe(true);
    expect(territorial.map((u) => u.name)).toEqual(
      expect.arrayContaining(['东城街道', '西城街道', '江南街道', '芝英镇', '永康经济开发区']),
    );
    expect(departments.map((u) => u.name)).toEqual(
      expect.arrayContaining(['五金产业转型升级指挥部办公室', '市发展和改革局', '市市场监督管理局']),
    );
  });

  it('has three weighted panels, about thirty judges with invites, some affiliated, and a 100-point rubric', async () => {
    const panels = await database.db
      .selectFrom('panels')
      .selectAll()
      .where('event_id', '=', eventId)
      .orderBy('sort')
      .execute();
    expect(panels.map((p) => [p.name, Number(p.weight)])).toEqual([
      ['市领导', 0.5],
      ['部门负责人', 0.3],
      ['代表', 0.2],
    ]);
    const judges = await database.db
      .selectFrom('judges')
      .selectAll()
      .where('event_id', '=', eventId)
      .execute();
    expect(judges.length).toBeGreaterThanOrEqual(25);
    expect(judges.length).toBeLessThanOrEqual(35);
    for (const p of panels) expect(judges.some((j) => j.panel_id === p.id)).toBe(true);
    // No real person's name: every judge is a surname followed by 某某.
    expect(judges.every((j) => /^.某某$/.test(j.name))).toBe(true);

    const affiliations = await database.db
      .selectFrom('judge_affiliations')
      .innerJoin('judges', 'judges.id', 'judge_affiliations.judge_id')
      .select(['judge_affiliations.judge_id', 'judge_affiliations.unit_id'])
      .where('judges.event_id', '=', eventId)
      .execute();
    expect(new Set(affiliations.map((a) => a.judge_id)).size).toBeGreaterThanOrEqual(3);

    const invites = await database.db
      .selectFrom('invites')
      .selectAll()
      .where('event_id', '=', eventId)
      .where('revoked_at', 'is', null)
      .execute();
    expect(new Set(invites.map((i) => i.judge_id))).toEqual(new Set(judges.map((j) => j.id)));
    // Only digests are stored; each is of the link the server derives for the invite, so it can be printed.
    expect(invites.map((i) => i.token_hash)).toEqual(
      invites.map((i) => tokenDigest(testLinkToken('invite', i.id))),
    );

    const criteria = await database.db
      .selectFrom('criteria')
      .selectAll()
      .where('event_id', '=', eventId)
      .orderBy('sort')
      .execute();
    expect(criteria.map((c) => [c.name_zh, Number(c.max_points), Number(c.step)])).toEqual([
      ['工作实绩', 40, 0.5],
      ['特色亮点', 25, 0.5],
      ['问题剖析', 20, 0.5],
      ['精神面貌', 15, 0.5],
    ]);
    expect(criteria.every((c) => c.name_en.length > 0)).toBe(true);
  });

  it('puts every unit on the agenda once, numbered per track, with the time limits', async () => {
    const slots = await database.db
      .selectFrom('slots')
      .innerJoin('tracks', 'tracks.id', 'slots.track_id')
      .select([
        'slots.unit_id',
        'slots.position',
        'slots.time_limit_sec',
        'slots.state',
        'tracks.name_zh as track',
      ])
      .where('slots.event_id', '=', eventId)
      .execute();
    const units = await database.db.selectFrom('units').select('id').execute();
    expect(slots.map((s) => s.unit_id).sort()).toEqual(units.map((u) => u.id).sort());
    for (const track of ['镇街区组', '部门组']) {
      const positions = slots
        .filter((s) => s.track === track)
        .map((s) => Number(s.position))
        .sort((a, b) => a - b);
      expect(positions).toEqual(positions.map((_, i) => i + 1));
    }
    expect(slots.every((s) => s.state === 'pending')).toBe(true);

    // The recorded seed is the real draw: drawing again with it reproduces the seeded order.
    const organizer = await organizerCtx();
    const redrawn = await drawAgenda(organizer, eventId, { seed: '2023-0731' });
    const seededOrder = new Map(slots.map((s) => [s.unit_id, Number(s.position)]));
    expect(redrawn.map((s) => [s.unitId, s.position])).toEqual(
      redrawn.map((s) => [s.unitId, seededOrder.get(s.unitId)]),
    );
    expect(new Set(slots.filter((s) => s.track === '镇街区组').map((s) => Number(s.time_limit_sec)))).toEqual(
      new Set([360]),
    );
    expect(new Set(slots.filter((s) => s.track === '部门组').map((s) => Number(s.time_limit_sec)))).toEqual(
      new Set([300]),
    );
  });

  it('lets every demo account sign in with its documented password, without a forced change', async () => {
    const dongcheng = await database.db
      .selectFrom('units')
      .select('id')
      .where('name', '=', '东城街道')
      .executeTakeFirstOrThrow();
    for (const account of demoAccounts) {
      const { user, token } = await login(ctx(), account.username, account.password);
      expect(token).toBeTruthy();
      expect(user).toMatchObject({
        username: account.username,
        role: account.role,
        mustChangePassword: false,
      });
      expect(user.unitId).toBe(account.role === 'reporter' ? dongcheng.id : null);
    }
    expect(demoAccounts.map((a) => [a.username, a.password])).toEqual(
      expect.arrayContaining([
        ['admin', 'shaipin-admin'],
        ['leader', 'shaipin-leader'],
        ['observer', 'shaipin-observer'],
        ['dongcheng', 'shaipin-reporter'],
      ]),
    );
  });

  it('has the article’s reports: approved decks with its statements, one returned to 东城街道', async () => {
    const asOrganizer = await organizerCtx();
    const units = await database.db.selectFrom('units').select(['id', 'name']).execute();
    const report = async (name: string) =>
      getReport(asOrganizer, eventId, units.find((u) => u.name === name)!.id);

    const hq = await report('五金产业转型升级指挥部办公室');
    // Submitted (version 1) and approved (version 2): every step is a revision.
    expect(hq).toMatchObject({ status: 'verified', version: 2, problems: [] });
    expect(hq.content.highlights[0]!.text).toContain('均实现时间过半，任务过半');
    // The three 低效工业用地 indicators, past half their target at half year: green, frozen, sourced.
    expect(hq.facts.map((f) => [f.code, f.light])).toEqual([
      ['DX-001', 'green'],
      ['DX-002', 'green'],
      ['DX-003', 'green'],
    ]);
    expect(hq.facts[0]!.source).toMatchObject({ periodKey: '2023-Q2', verifiedBy: '考核办管理员' });

    const service = await report('市行政服务中心');
    expect(service.status).toBe('verified');
    expect(service.facts[0]!.ranking).toMatchObject({ from: 9, to: 1 });
    const market = await report('市市场监督管理局');
    expect(market.status).toBe('verified');
    expect(market.facts[0]!.ranking).toMatchObject({ from: 89, to: 32 });

    // The town that admits "部分指标完成不理想": every yellow or red light explained, approved.
    const town = await report('石柱镇');
    const lit = town.facts.filter((f) => f.light === 'yellow' || f.light === 'red');
    expect(lit.length).toBeGreaterThan(0);
    expect(town.content.shortfalls.map((x) => x.indicatorId)).toEqual(
      expect.arrayContaining(lit.map((f) => f.indicatorId)),
    );
    expect(town).toMatchObject({ status: 'verified', problems: [] });
    expect(town.content.highlights[0]!.text).toContain('部分指标完成不理想');

    // 东城街道's 38 key projects, written by its own reporter and returned with a comment on the item.
    const dongcheng = await report('东城街道');
    expect(dongcheng.status).toBe('returned');
    expect(dongcheng.content.workItems[0]!.text).toContain('38个重点项目');
    expect(dongcheng.comments).toEqual([{ path: 'workItems.0.text', text: expect.stringContaining('31个') }]);
    const submittedBy = await database.db
      .selectFrom('report_revisions')
      .innerJoin('reports', 'reports.id', 'report_revisions.report_id')
      .innerJoin('users', 'users.id', 'report_revisions.actor_id')
      .select('users.username')
      .where('reports.unit_id', '=', units.find((u) => u.name === '东城街道')!.id)
      .execute();
    expect(submittedBy.map((r) => r.username)).toContain('dongcheng');

    // The event's deck: the four approved reports, in agenda order, with a divider per track.
    const { file } = await eventPptx(asOrganizer, eventId);
    expect(file.length).toBeGreaterThan(10_000);
  });

  it('has the article’s livelihood projects and the mayor’s visit of 3 August 2023, its tasks in every state', async () => {
    const org = await organizerCtx();
    const projects = await listProjects(org);
    expect(projects.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        '东塔路道路建设工程（丽州路—松石路）',
        '西街幼儿园新增托育机构',
        '浙江老年开放大学永康学院',
        '城西马架龙零工市场',
        '西城街道新阳村综合性服务站点',
        '体育中心悦读吧城市书房',
      ]),
    );
    const status = Object.fromEntries(projects.map((p) => [p.code, p.status]));
    expect(status).toMatchObject({
      'MS-2023-01': 'done',
      'MS-2023-03': 'done',
      'MS-2023-04': 'overdue',
      'MS-2023-06': 'on_track',
    });
    const [visit] = await database.db.selectFrom('sv_visits').selectAll().execute();
    expect(visit).toMatchObject({ visit_date: '2023-08-03', leader_name: '市长' });
    const briefing = await getVisit(org, visit!.id);
    const tasks = briefing.instructions.flatMap((i) => i.tasks);
    expect(briefing.instructions).toHaveLength(6);
    expect(tasks.map((t) => [t.state, t.light])).toEqual([
      ['closed', 'closed'],
      ['closed', 'closed'],
      ['closed', 'closed'],
      ['in_progress', 'red'],
      ['in_progress', 'yellow'],
      ['issued', 'green'],
    ]);
    expect(tasks.filter((t) => t.escalated).map((t) => t.title)).toEqual(['城西马架龙零工市场9月底前投用']);
    expect(tasks[0]).toMatchObject({ returns: 1, overdueDays: 0 });
    const road = await getTask(org, tasks[0]!.id);
    expect(road.steps.map((s) => s.action)).toEqual([
      'issue',
      'accept',
      'submit',
      'return',
      'submit',
      'verify',
    ]);
    expect(road.photos.every((p) => p.flags.length === 0)).toBe(true);
    // The demo reporter (东城街道) finds the city reading room task waiting to be accepted.
    const dongcheng = await database.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', 'dongcheng')
      .executeTakeFirstOrThrow();
    const reporter = {
      ...org,
      actor: { ...org.actor, userId: dongcheng.id, role: 'reporter' as const, unitId: dongcheng.unit_id },
    };
    const items = (await inbox(reporter)).items;
    expect(items.map((i) => [i.kind, i.title])).toContainEqual(['task_accept', '城市书房推广到各镇街']);
    // The escalation was told to the office and the leaders, once.
    const escalations = await database.db
      .selectFrom('nt_outbox')
      .select('kind')
      .where('kind', '=', 'task_escalated')
      .execute();
    expect(escalations.length).toBeGreaterThan(0);
  });

  it('runs the whole agenda in simulation: every unit gets a score and a rank, recused judges score nothing', async () => {
    const summary = await simulateEvent(database, { eventId, seed: 'test-1' });
    const data = await loadEventData(database.db, eventId);
    expect(summary.slots).toBe(data.slots.length);
    expect(data.slots.every((s) => s.state === 'closed')).toBe(true);

    const eligiblePairs = data.slots.reduce(
      (n, s) => n + data.judges.filter((j) => !j.affiliatedUnitIds.includes(s.unit_id)).length,
      0,
    );
    expect(summary.submissions).toBe(eligiblePairs);
    expect(summary.recusals).toBe(data.slots.length * data.judges.length - eligiblePairs);
    expect(summary.recusals).toBeGreaterThan(0);
    expect(data.ledger).toHaveLength(eligiblePairs);
    expect(verifyChain(await readLedger(database.db, eventId)).ok).toBe(true);

    // No entry by a judge for a unit they belong to.
    const affiliatedOf = new Map(data.judges.map((j) => [j.id, j.affiliatedUnitIds]));
    const unitOfSlot = new Map(data.slots.map((s) => [s.id, s.unit_id]));
    const recusedEntries = data.ledger.filter((e) =>
      affiliatedOf.get(e.judgeId)!.includes(unitOfSlot.get(e.slotId)!),
    );
    expect(recusedEntries).toEqual([]);

    const results = computeResults({
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
      scores: data.ledger.map((e) => ({ slotId: e.slotId, judgeId: e.judgeId, values: e.values })),
    });
    const rows = results.flatMap((t) => t.rows);
    expect(results).toHaveLength(2);
    expect(rows).toHaveLength(data.slots.length);
    for (const row of rows) {
      expect(row.score).not.toBeNull();
      expect(row.rank).not.toBeNull();
      expect(row.grade).not.toBeNull();
      expect(row.score!).toBeGreaterThan(40);
      expect(row.score!).toBeLessThanOrEqual(100);
      expect(row.participation.scored).toBe(row.participation.eligible);
    }
    expect(rows.some((r) => r.participation.recused > 0)).toBe(true);
    // Plausible spread: the simulated units are not all alike.
    const scores = rows.map((r) => r.score!);
    expect(Math.max(...scores) - Math.min(...scores)).toBeGreaterThan(5);
    // Each track ranks 1..n among its own units.
    for (const track of results) {
      expect(Math.min(...track.rows.map((r) => r.rank!))).toBe(1);
    }

    // Running again finds nothing left to do and adds nothing.
    const again = await simulateEvent(database, { eventId, seed: 'test-1' });
    expect(again).toMatchObject({ slots: 0, submissions: 0 });
    expect(await readLedger(database.db, eventId)).toHaveLength(eligiblePairs);
  });

  it('gives the same scores for the same seed', async () => {
    const other = await createTestDatabase(kind);
    try {
      const seeded = await seedDemoEvent(other.db, TEST_LINK_KEY);
      await simulateEvent(other, { eventId: seeded.eventId, seed: 'test-1' });
      const key = async (db: TestDatabase, id: string): Promise<string[]> => {
        const data = await loadEventData(db.db, id);
        const code = new Map([...data.units.values()].map((u) => [u.id, u.code]));
        const slotUnit = new Map(data.slots.map((s) => [s.id, code.get(s.unit_id)!]));
        // Judges by their place in the judge list (their export numbers follow random ids).
        const judgeNumber = new Map(data.judges.map((j, i) => [j.id, i + 1]));
        const slotOvertime = data.slots.map((s) => `${code.get(s.unit_id)} overtime ${s.overtime_sec}`);
        const entries = data.ledger.map(
          (e) =>
            `${slotUnit.get(e.slotId)} ${judgeNumber.get(e.judgeId)} ${data.criteria.map((c) => e.values[c.id]).join('+')}=${e.total}`,
        );
        return [...slotOvertime, ...entries].sort();
      };
      expect(await key(other, seeded.eventId)).toEqual(await key(database, eventId));
    } finally {
      await other.drop();
    }
  });
});
