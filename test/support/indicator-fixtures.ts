// Indicators ready to report on, in a handful of inserts (no API, no audit): 2 units, a program with 2
// tasks, 4 indicators of 2023 (one lower-is-better, one phased, one co-owned), the 2023 quarterly periods
// and a reporter per unit. Codes and names carry a per-call tag, so several fixtures share a database;
// the periods are shared (keys are global) and kept if they exist.
import { periodsOfYear } from '../../src/modules/indicators/domain/periods.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { rows } from './factory.ts';
import { type SeededUser, seedUser } from './http.ts';

export interface FixtureIndicator {
  id: string;
  code: string;
  name: string;
  unitId: string;
  nodeId: string;
  direction: 'higher' | 'lower';
  baseline: number;
  target: number;
  weight: number;
}

export interface IndicatorFixture {
  year: 2023;
  units: { id: string; code: string; name: string }[];
  program: { id: string; code: string; name: string };
  tasks: { id: string; code: string; name: string }[];
  /**
   * land: units[0], 亩, higher, 0 → 2400, linear, weight 2.
   * air: units[0], μg/m³ point value, LOWER is better, 40 → 30, linear.
   * investment: units[1] (co-unit units[0]), 亿元, 0 → 100, PHASED Q1 10 / Q2 40 / Q3 70 / Q4 100.
   * service: units[1], %, higher, 80 → 100, linear.
   */
  indicators: {
    land: FixtureIndicator;
    air: FixtureIndicator;
    investment: FixtureIndicator;
    service: FixtureIndicator;
  };
  /** 2023-Q1 … 2023-Q4: due 10 days after the quarter, 5 days of grace (UTC+8 deadlines). */
  periodKeys: string[];
  /** reporters[i] reports for units[i]. */
  reporters: SeededUser[];
}

let counter = 0;

export async function seedIndicatorFixture(database: Pick<Database, 'db'>): Promise<IndicatorFixture> {
  const db = database.db;
  const tag = `${++counter}${Math.random().toString(36).slice(2, 6)}`;

  const units = [
    { id: newId(), code: `IA${tag}`, name: `自然资源局${tag}` },
    { id: newId(), code: `IB${tag}`, name: `发改局${tag}` },
  ];
  await db
    .insertInto('units')
    .values(units.map((u, i) => rows.unit({ ...u, kind: 'department', track_id: null, sort: i + 1 })))
    .execute();

  const program = { id: newId(), code: `P${tag}`, name: `三条先行路径${tag}` };
  const tasks = [
    { id: newId(), code: `P${tag}.1`, name: `低效用地整治${tag}` },
    { id: newId(), code: `P${tag}.2`, name: `扩大有效投资${tag}` },
  ];
  await db
    .insertInto('framework_nodes')
    .values([
      rows.frameworkNode({ ...program, kind: 'program', sort: 1 }),
      ...tasks.map((t, i) => rows.frameworkNode({ ...t, parent_id: program.id, kind: 'task', sort: i + 1 })),
    ])
    .execute();

  const mk = (
    key: string,
    name: string,
    unit: number,
    task: number,
    direction: 'higher' | 'lower',
    baseline: number,
    target: number,
    weight = 1,
  ): FixtureIndicator => ({
    id: newId(),
    code: `${key}${tag}`,
    name: `${name}${tag}`,
    unitId: units[unit]!.id,
    nodeId: tasks[task]!.id,
    direction,
    baseline,
    target,
    weight,
  });
  const indicators = {
    land: mk('LAND', '集中连片整治', 0, 0, 'higher', 0, 2400, 2),
    air: mk('AIR', 'PM2.5平均浓度', 0, 0, 'lower', 40, 30),
    investment: mk('INV', '重大项目投资', 1, 1, 'higher', 0, 100),
    service: mk('SVC', '一网通办率', 1, 1, 'higher', 80, 100),
  };
  const extra: Record<keyof typeof indicators, { measure: string; kind: string; plan: unknown }> = {
    land: { measure: '亩', kind: 'cumulative', plan: { kind: 'linear' } },
    air: { measure: 'μg/m³', kind: 'point', plan: { kind: 'linear' } },
    investment: {
      measure: '亿元',
      kind: 'cumulative',
      plan: { kind: 'phased', expected: { '2023-Q1': 10, '2023-Q2': 40, '2023-Q3': 70, '2023-Q4': 100 } },
    },
    service: { measure: '%', kind: 'point', plan: { kind: 'linear' } },
  };
  await db
    .insertInto('indicators')
    .values(
      (Object.keys(indicators) as (keyof typeof indicators)[]).map((k, i) => {
        const { id, code, name, unitId, nodeId, direction, baseline, target, weight } = indicators[k];
        return rows.indicator({
          id,
          code,
          name,
          node_id: nodeId,
          unit_id: unitId,
          direction,
          baseline,
          target,
          weight,
          measure: extra[k].measure,
          kind: extra[k].kind,
          plan: JSON.stringify(extra[k].plan),
          sort: i + 1,
        });
      }),
    )
    .execute();
  await db
    .insertInto('indicator_co_units')
    .values({ indicator_id: indicators.investment.id, unit_id: units[0]!.id })
    .execute();

  const periods = periodsOfYear(2023, 'quarterly');
  await db
    .insertInto('periods')
    .values(periods.map(rows.period))
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();

  const reporters = [
    await seedUser(database, { role: 'reporter', unitId: units[0]!.id, displayName: `填报员甲${tag}` }),
    await seedUser(database, { role: 'reporter', unitId: units[1]!.id, displayName: `填报员乙${tag}` }),
  ];
  return { year: 2023, units, program, tasks, indicators, periodKeys: periods.map((p) => p.key), reporters };
}
