// The demo's indicators: Yongkang's work framework and its first half of 2023 (see
// /work/shared/domain/source-article-yongkang-2023-08.txt). Figures the article quotes are used as they
// are — 集中连片整治 1261 亩, 低效工业企业整治 3938 亩, 消化供而未用 241 亩 (all "时间过半，任务过半"),
// 一网通办 全省第九 → 第一 and 金华第一, 双随机监管 全省 89 (Q1) → 32 (Q2) and 金华第一, 千项万亿 全省前 20,
// 促消费 全省第二, "315" 前十, 东城街道 38 项重点工程政策处理. Everything else (annual targets, first
// quarters, the towns' figures, the department indicators the article only implies) is invented but
// plausible, chosen so that the second quarter shows green, yellow and red lights, one unreported
// indicator (未按期报送) and ranking changes.
//
// Seeding writes straight to the tables in one transaction, a few multi-row inserts per table, so the
// whole demo still seeds in well under the time the demo test allows.
import type { InsertObject, Kysely } from 'kysely';
import { periodsOfYear } from '../modules/indicators/domain/periods.ts';
import { periodRow } from '../modules/indicators/index.ts';
import type { DB } from '../platform/db/schema.ts';
import { newId } from '../platform/ids.ts';

export const demoIndicatorYear = 2023;

interface DemoNode {
  code: string;
  name: string;
  tasks: { code: string; name: string }[];
}

/** 工作体系: the three programs the article names, each with its tasks. */
export const demoFramework: DemoNode[] = [
  {
    code: 'P1',
    name: '三条先行路径',
    tasks: [
      { code: 'P1-01', name: '营商环境优化提升"一号改革工程"' },
      { code: 'P1-02', name: '"315"科技创新体系建设工程' },
    ],
  },
  {
    code: 'P2',
    name: '十项重大工程',
    tasks: [
      { code: 'P2-01', name: '扩大有效投资"千项万亿"工程' },
      { code: 'P2-02', name: '城市更新和县城承载能力提升工程' },
      { code: 'P2-03', name: '消费提质扩容工程' },
      { code: 'P2-04', name: '公共服务"七优享"工程' },
    ],
  },
  {
    code: 'P3',
    name: '一提升六攻坚',
    tasks: [
      { code: 'P3-01', name: '低效工业用地改造攻坚' },
      { code: 'P3-02', name: '重点工程政策处理攻坚' },
      { code: 'P3-03', name: '城中村改造攻坚' },
      { code: 'P3-04', name: '企业纾困解难攻坚' },
      { code: 'P3-05', name: '财源巩固攻坚' },
    ],
  },
];

type Status = 'submitted' | 'verified';

export interface DemoIndicator {
  code: string;
  task: string;
  name: string;
  measure: string;
  unit: string;
  coUnits?: string[];
  direction?: 'higher' | 'lower';
  kind?: 'cumulative' | 'point';
  baseline?: number;
  target: number;
  tierFloor?: number;
  tierStretch?: number;
  /** Phased plan: value expected at the end of each quarter; linear when absent. */
  phased?: [number, number, number, number];
  weight?: number;
  lightSource?: 'completion' | 'rank';
  /** Q1 actual (verified). */
  q1: number;
  /** Q2 actual; null: not reported (未按期报送 once Q2's grace period is over). */
  q2: number | null;
  /** Q2's status; verified by default. */
  q2Status?: Status;
  note?: string;
  /** Q2 was first reported with this value and returned with `returnReason`, then corrected. */
  corrected?: { value: number; returnReason: string };
}

export interface DemoRanking {
  /** Indicator code, or null for a ranking of the unit as a whole. */
  indicator: string | null;
  /** Unit name for a unit ranking. */
  unit?: string;
  scope: string;
  quarter: 1 | 2;
  rank: number;
  outOf: number;
  source: string;
  publishedOn: string;
}

// Towns, streets and zones: their share of the 低效工业用地 work (亩) and their fixed-asset investment
// (万元): [name, land target, land Q1, land H1, investment target, investment Q1, investment H1 | null].
const territorial: [string, number, number, number, number, number, number | null][] = [
  ['东城街道', 300, 52, 105, 420_000, 110_000, 226_000],
  ['西城街道', 260, 70, 140, 380_000, 95_000, 185_000],
  ['江南街道', 280, 75, 150, 400_000, 105_000, 212_000],
  ['石柱镇', 220, 40, 80, 260_000, 60_000, 118_000],
  ['前仓镇', 180, 50, 96, 240_000, 62_000, 126_000],
  ['舟山镇', 160, 30, 60, 200_000, 42_000, 82_000],
  ['古山镇', 240, 55, 125, 300_000, 70_000, null],
  ['方岩镇', 150, 35, 78, 180_000, 45_000, 93_000],
  ['龙山镇', 200, 45, 88, 260_000, 66_000, 134_000],
  ['西溪镇', 140, 30, 72, 190_000, 40_000, 88_000],
  ['象珠镇', 210, 52, 110, 230_000, 58_000, 120_000],
  ['唐先镇', 190, 46, 99, 250_000, 60_000, 128_000],
  ['花街镇', 170, 28, 58, 210_000, 50_000, 104_000],
  ['芝英镇', 230, 60, 121, 320_000, 80_000, 166_000],
  ['永康经济开发区', 900, 260, 505, 1_600_000, 420_000, 860_000],
  ['现代农业装备高新区', 400, 90, 212, 800_000, 190_000, 380_000],
];

// Second-quarter figures still awaiting the organizer's review (the rest are verified).
const awaitingReview = new Set(['东城街道', '西城街道']);

const HQ = '五金产业转型升级指挥部办公室';

export const demoIndicators: DemoIndicator[] = [
  // 低效工业用地: the three figures the article quotes, all past half of the year's target.
  {
    code: 'DX-001',
    task: 'P3-01',
    name: '低效工业用地集中连片整治面积',
    measure: '亩',
    unit: HQ,
    coUnits: ['永康经济开发区', '市自然资源和规划局'],
    target: 2400,
    tierFloor: 2200,
    tierStretch: 2600,
    weight: 3,
    q1: 560,
    q2: 1261,
    note: '上半年集中连片整治 1261 亩，实现"时间过半，任务过半"',
    corrected: {
      value: 1250,
      returnReason: '与市自然资源和规划局台账核对不一致（相差 11 亩），请核实后重新报送',
    },
  },
  {
    code: 'DX-002',
    task: 'P3-01',
    name: '低效工业企业整治面积',
    measure: '亩',
    unit: HQ,
    coUnits: ['永康经济开发区'],
    target: 7500,
    tierFloor: 7000,
    tierStretch: 8000,
    weight: 3,
    q1: 1700,
    q2: 3938,
    note: '上半年整治低效工业企业 3938 亩',
  },
  {
    code: 'DX-003',
    task: 'P3-01',
    name: '消化供而未用土地面积',
    measure: '亩',
    unit: HQ,
    coUnits: ['市自然资源和规划局'],
    target: 460,
    // Seasonal: land is handed over mostly in the second and third quarters.
    phased: [80, 230, 350, 460],
    weight: 2,
    q1: 95,
    q2: 241,
    note: '上半年消化供而未用土地 241 亩',
  },
  {
    code: 'DX-004',
    task: 'P3-01',
    name: '批而未供土地消化面积',
    measure: '亩',
    unit: '市自然资源和规划局',
    target: 1500,
    q1: 260,
    q2: 560,
  },
  // 营商环境: lights from the external rankings.
  {
    code: 'YS-001',
    task: 'P1-01',
    name: '依申请公开"一网通办"率',
    measure: '%',
    unit: '市行政服务中心',
    kind: 'point',
    baseline: 90,
    target: 98,
    lightSource: 'rank',
    weight: 2,
    q1: 96.2,
    q2: 99.1,
    note: '蝉联金华第一，从全省第九提升至全省第一',
  },
  {
    code: 'YS-002',
    task: 'P1-01',
    name: '跨部门联合双随机监管率',
    measure: '%',
    unit: '市市场监督管理局',
    kind: 'point',
    baseline: 50,
    target: 90,
    lightSource: 'rank',
    weight: 2,
    q1: 62.5,
    q2: 88.6,
    note: '从一季度的全省 89 位提升至二季度的 32 位，排名金华第一',
  },
  {
    code: 'KC-001',
    task: 'P1-02',
    name: '新认定高新技术企业数',
    measure: '家',
    unit: '市科学技术局',
    target: 120,
    q1: 18,
    q2: 45,
    note: '认定批次集中在下半年',
  },
  // 十项重大工程.
  {
    code: 'TZ-001',
    task: 'P2-01',
    name: '"千项万亿"工程年度投资完成额',
    measure: '万元',
    unit: '市发展和改革局',
    target: 1_850_000,
    weight: 3,
    q1: 430_000,
    q2: 1_020_000,
    note: '获省"十项重大工程"半年度五星评价，跻身全省前 20',
  },
  {
    code: 'TZ-002',
    task: 'P2-01',
    name: '交通建设投资完成额',
    measure: '万元',
    unit: '市交通运输局',
    target: 350_000,
    q1: 70_000,
    q2: 150_000,
    q2Status: 'submitted',
  },
  {
    code: 'CS-001',
    task: 'P2-02',
    name: '城镇老旧小区改造开工数',
    measure: '个',
    unit: '市住房和城乡建设局',
    target: 24,
    q1: 5,
    q2: 13,
    note: '城市更新月度考核连续多月位居金华前列',
  },
  {
    code: 'XF-001',
    task: 'P2-03',
    name: '社会消费品零售总额',
    measure: '万元',
    unit: '市商务局',
    target: 4_200_000,
    q1: 1_000_000,
    q2: 1_980_000,
    note: '促消费工作以全省第二的高分获省政府正向激励',
  },
  {
    code: 'GF-001',
    task: 'P2-04',
    name: '城镇新增就业人数',
    measure: '人',
    unit: '市人力资源和社会保障局',
    target: 12_000,
    q1: 2900,
    q2: 5600,
  },
  // 一提升六攻坚.
  {
    code: 'ZC-001',
    task: 'P3-02',
    name: '重点工程政策处理完成数',
    measure: '项',
    unit: '东城街道',
    target: 60,
    q1: 17,
    q2: 38,
    note: '半年承接 38 项重点工程政策处理，攻坚干部每日转场复盘',
  },
  {
    code: 'CZ-001',
    task: 'P3-03',
    name: '城中村改造签约户数',
    measure: '户',
    unit: '东城街道',
    target: 800,
    q1: 150,
    q2: 370,
  },
  {
    code: 'QY-001',
    task: 'P3-04',
    name: '规上工业企业亏损面',
    measure: '%',
    unit: '市经济和信息化局',
    direction: 'lower',
    kind: 'point',
    baseline: 18,
    target: 12,
    q1: 16.5,
    q2: 14.8,
  },
  {
    code: 'CY-001',
    task: 'P3-05',
    name: '一般公共预算收入',
    measure: '万元',
    unit: '市财政局',
    target: 620_000,
    q1: 168_000,
    q2: 322_000,
  },
  // The towns, streets and zones: land and investment, numbered in the order of the units.
  ...territorial.flatMap(([unit, land, land1, land2, inv, inv1, inv2], i): DemoIndicator[] => {
    const n = String(i + 1).padStart(2, '0');
    const q2Status: Status = awaitingReview.has(unit) ? 'submitted' : 'verified';
    return [
      {
        code: `JD-${n}A`,
        task: 'P3-01',
        name: `${unit}低效工业用地整治面积`,
        measure: '亩',
        unit,
        target: land,
        q1: land1,
        q2: land2,
        q2Status: unit === '东城街道' ? 'submitted' : 'verified',
      },
      {
        code: `JD-${n}B`,
        task: 'P2-01',
        name: `${unit}固定资产投资完成额`,
        measure: '万元',
        unit,
        target: inv,
        q1: inv1,
        q2: inv2,
        q2Status: unit === '东城街道' ? 'verified' : q2Status,
      },
    ];
  }),
];

const q = (quarter: 1 | 2) => `${demoIndicatorYear}-Q${quarter}`;

export const demoRankings: DemoRanking[] = [
  // 一网通办: 全省 9 → 1, 金华 first both quarters (蝉联).
  {
    indicator: 'YS-001',
    scope: '全省',
    quarter: 1,
    rank: 9,
    outOf: 90,
    source: '浙江省政务服务办通报',
    publishedOn: '2023-04-20',
  },
  {
    indicator: 'YS-001',
    scope: '全省',
    quarter: 2,
    rank: 1,
    outOf: 90,
    source: '浙江省政务服务办通报',
    publishedOn: '2023-07-18',
  },
  {
    indicator: 'YS-001',
    scope: '金华',
    quarter: 1,
    rank: 1,
    outOf: 9,
    source: '金华市政务服务办通报',
    publishedOn: '2023-04-21',
  },
  {
    indicator: 'YS-001',
    scope: '金华',
    quarter: 2,
    rank: 1,
    outOf: 9,
    source: '金华市政务服务办通报',
    publishedOn: '2023-07-19',
  },
  // 双随机监管: 全省 89 → 32, 金华 first in Q2.
  {
    indicator: 'YS-002',
    scope: '全省',
    quarter: 1,
    rank: 89,
    outOf: 90,
    source: '浙江省市场监管局通报',
    publishedOn: '2023-04-25',
  },
  {
    indicator: 'YS-002',
    scope: '全省',
    quarter: 2,
    rank: 32,
    outOf: 90,
    source: '浙江省市场监管局通报',
    publishedOn: '2023-07-20',
  },
  {
    indicator: 'YS-002',
    scope: '金华',
    quarter: 1,
    rank: 8,
    outOf: 9,
    source: '金华市市场监管局通报',
    publishedOn: '2023-04-26',
  },
  {
    indicator: 'YS-002',
    scope: '金华',
    quarter: 2,
    rank: 1,
    outOf: 9,
    source: '金华市市场监管局通报',
    publishedOn: '2023-07-21',
  },
  // 千项万亿: into the province's top 20.
  {
    indicator: 'TZ-001',
    scope: '全省',
    quarter: 1,
    rank: 27,
    outOf: 90,
    source: '省"十项重大工程"评价',
    publishedOn: '2023-04-28',
  },
  {
    indicator: 'TZ-001',
    scope: '全省',
    quarter: 2,
    rank: 18,
    outOf: 90,
    source: '省"十项重大工程"半年度评价',
    publishedOn: '2023-07-25',
  },
  // 促消费: second in the province.
  {
    indicator: 'XF-001',
    scope: '全省',
    quarter: 1,
    rank: 5,
    outOf: 90,
    source: '浙江省商务厅通报',
    publishedOn: '2023-04-27',
  },
  {
    indicator: 'XF-001',
    scope: '全省',
    quarter: 2,
    rank: 2,
    outOf: 90,
    source: '浙江省商务厅通报',
    publishedOn: '2023-07-24',
  },
  // "315" 科技创新体系: top ten, the only one in 金华.
  {
    indicator: 'KC-001',
    scope: '全省',
    quarter: 1,
    rank: 14,
    outOf: 90,
    source: '省"315"科技创新体系工程评价',
    publishedOn: '2023-04-30',
  },
  {
    indicator: 'KC-001',
    scope: '全省',
    quarter: 2,
    rank: 8,
    outOf: 90,
    source: '省"315"科技创新体系工程评价',
    publishedOn: '2023-07-26',
  },
  // 城市更新月度考核: among the first in 金华.
  {
    indicator: 'CS-001',
    scope: '金华',
    quarter: 1,
    rank: 3,
    outOf: 9,
    source: '金华市城市更新月度考核',
    publishedOn: '2023-04-15',
  },
  {
    indicator: 'CS-001',
    scope: '金华',
    quarter: 2,
    rank: 2,
    outOf: 9,
    source: '金华市城市更新月度考核',
    publishedOn: '2023-07-15',
  },
  // 综合考核: first in 金华, five stars (五星最高等级赋分).
  {
    indicator: null,
    unit: HQ,
    scope: '金华',
    quarter: 1,
    rank: 3,
    outOf: 9,
    source: '金华市综合考核通报',
    publishedOn: '2023-04-30',
  },
  {
    indicator: null,
    unit: HQ,
    scope: '金华',
    quarter: 2,
    rank: 1,
    outOf: 9,
    source: '金华市综合考核通报',
    publishedOn: '2023-07-28',
  },
];

/** Light rules v1: the defaults (yellow within 10 points; rank red in the bottom third, yellow in the bottom half). */
export const demoLightRules = {
  yellowWithinPoints: 10,
  rankRed: { bottomShare: 1 / 3 },
  rankYellow: { bottomShare: 1 / 2 },
  stars: {
    source: 'completion' as const,
    bands: [
      { stars: 5, min: 0.5 },
      { stars: 4, min: 0.45 },
      { stars: 3, min: 0.4 },
      { stars: 2, min: 0.3 },
      { stars: 1, min: 0 },
    ],
  },
};

export interface DemoIndicatorsResult {
  /** Indicator code → id. */
  indicatorIds: Record<string, string>;
  /** Framework node code → id. */
  nodeIds: Record<string, string>;
}

/** Rows per INSERT: well below every driver's bound on parameters. */
const CHUNK = 200;

async function insertChunked<T extends keyof DB & string>(
  trx: Kysely<DB>,
  table: T,
  rows: InsertObject<DB, T>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK))
      .execute();
  }
}

/**
 * Adds the demo's indicators to a database holding the demo units (seedDemoEvent). `unitIds` maps unit
 * names to ids; when omitted the units are looked up by name. Users 'admin' (verifies) and the unit
 * reporters are found by username when present, so revisions name a plausible actor either way.
 */
export async function seedDemoIndicators(
  db: Kysely<DB>,
  opts: { unitIds?: Record<string, string>; now?: Date } = {},
): Promise<DemoIndicatorsResult> {
  const at = (opts.now ?? new Date()).toISOString();
  let unitIds = opts.unitIds;
  if (!unitIds) {
    const rows = await db.selectFrom('units').select(['id', 'name']).execute();
    unitIds = Object.fromEntries(rows.map((r) => [r.name, r.id]));
  }
  const unitId = (name: string): string => {
    const id = unitIds[name];
    if (id === undefined) throw new Error(`demo indicators: unknown unit ${name}`);
    return id;
  };
  const users = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'unit_id'])
    .where('username', 'in', ['admin', 'dongcheng'])
    .execute();
  const admin = users.find((u) => u.username === 'admin');
  const reporter = users.find((u) => u.username === 'dongcheng');
  const organizerId = admin?.id ?? 'demo';
  const organizerName = admin?.display_name ?? '考核办管理员';

  const nodeIds: Record<string, string> = {};
  const nodes = demoFramework.flatMap((p, pi) => {
    const programId = newId();
    nodeIds[p.code] = programId;
    return [
      {
        id: programId,
        parent_id: null,
        code: p.code,
        name: p.name,
        kind: 'program',
        sort: pi + 1,
        created_at: at,
      },
      ...p.tasks.map((task, ti) => {
        const id = newId();
        nodeIds[task.code] = id;
        return {
          id,
          parent_id: programId,
          code: task.code,
          name: task.name,
          kind: 'task',
          sort: ti + 1,
          created_at: at,
        };
      }),
    ];
  });

  const quarters = periodsOfYear(demoIndicatorYear, 'quarterly');
  const periods = quarters.map(periodRow);

  const indicatorIds: Record<string, string> = {};
  const indicators = demoIndicators.map((d, i) => {
    const id = newId();
    indicatorIds[d.code] = id;
    const nodeId = nodeIds[d.task];
    if (nodeId === undefined) throw new Error(`demo indicator ${d.code}: unknown task ${d.task}`);
    const plan = d.phased
      ? { kind: 'phased', expected: Object.fromEntries(quarters.map((p, qi) => [p.key, d.phased![qi]!])) }
      : { kind: 'linear' };
    return {
      id,
      node_id: nodeId,
      code: d.code,
      name: d.name,
      measure: d.measure,
      direction: d.direction ?? 'higher',
      kind: d.kind ?? 'cumulative',
      year: demoIndicatorYear,
      baseline: d.baseline ?? 0,
      target: d.target,
      tier_floor: d.tierFloor ?? null,
      tier_stretch: d.tierStretch ?? null,
      unit_id: unitId(d.unit),
      frequency: 'quarterly',
      plan: JSON.stringify(plan),
      weight: d.weight ?? 1,
      light_source: d.lightSource ?? 'completion',
      sort: i + 1,
      created_at: at,
      updated_at: at,
    };
  });
  const coUnits = demoIndicators.flatMap((d) =>
    (d.coUnits ?? []).map((u) => ({ indicator_id: indicatorIds[d.code]!, unit_id: unitId(u) })),
  );

  // Actuals with their revision history: reported by the unit, then verified by the organizer.
  const actuals: InsertObject<DB, 'actuals'>[] = [];
  const revisions: InsertObject<DB, 'actual_revisions'>[] = [];
  const reporterOf = (unit: string): { id: string | null; name: string } =>
    reporter && reporter.unit_id === unitIds[unit]
      ? { id: reporter.id, name: reporter.display_name }
      : { id: null, name: `${unit}联络员` };
  for (const d of demoIndicators) {
    const by = reporterOf(d.unit);
    const entries: {
      quarter: 1 | 2;
      value: number;
      status: Status;
      submittedAt: string;
      verifiedAt: string;
    }[] = [
      {
        quarter: 1,
        value: d.q1,
        status: 'verified',
        submittedAt: '2023-04-07T02:30:00.000Z',
        verifiedAt: '2023-04-12T03:00:00.000Z',
      },
    ];
    if (d.q2 !== null) {
      entries.push({
        quarter: 2,
        value: d.q2,
        status: d.q2Status ?? 'verified',
        submittedAt: '2023-07-06T02:30:00.000Z',
        verifiedAt: '2023-07-13T03:00:00.000Z',
      });
    }
    for (const e of entries) {
      const actualId = newId();
      const note = e.quarter === 2 ? (d.note ?? '') : '';
      const history: InsertObject<DB, 'actual_revisions'>[] = [];
      const revision = (
        status: string,
        value: number,
        createdAt: string,
        actor: { id: string | null; name: string },
        reason: string | null = null,
      ) =>
        history.push({
          id: newId(),
          actual_id: actualId,
          version: history.length + 1,
          value,
          note,
          status,
          reason,
          actor_id: actor.id,
          actor_name: actor.name,
          created_at: createdAt,
        });
      if (e.quarter === 2 && d.corrected) {
        revision('submitted', d.corrected.value, '2023-07-04T02:00:00.000Z', by);
        revision(
          'returned',
          d.corrected.value,
          '2023-07-05T06:00:00.000Z',
          { id: organizerId, name: organizerName },
          d.corrected.returnReason,
        );
      }
      revision('submitted', e.value, e.submittedAt, by);
      if (e.status === 'verified')
        revision('verified', e.value, e.verifiedAt, { id: organizerId, name: organizerName });
      revisions.push(...history);
      actuals.push({
        id: actualId,
        indicator_id: indicatorIds[d.code]!,
        period_key: q(e.quarter),
        value: e.value,
        note,
        status: e.status,
        return_reason: null,
        version: history.length,
        submitted_at: e.submittedAt,
        verified_at: e.status === 'verified' ? e.verifiedAt : null,
        updated_by: e.status === 'verified' ? organizerId : (by.id ?? organizerId),
        updated_at: e.status === 'verified' ? e.verifiedAt : e.submittedAt,
      });
    }
  }

  const rankings = demoRankings.map((r) => {
    const indicatorId = r.indicator === null ? null : indicatorIds[r.indicator];
    if (indicatorId === undefined) throw new Error(`demo ranking: unknown indicator ${String(r.indicator)}`);
    return {
      id: newId(),
      indicator_id: indicatorId,
      unit_id: r.unit === undefined ? null : unitId(r.unit),
      scope: r.scope,
      period_key: q(r.quarter),
      rank: r.rank,
      out_of: r.outOf,
      source: r.source,
      published_on: r.publishedOn,
      created_at: at,
    };
  });

  await db.transaction().execute(async (trx) => {
    // Parents before children: the tree's foreign key points at rows inserted earlier in the statement.
    await insertChunked(
      trx,
      'framework_nodes',
      nodes.filter((n) => n.parent_id === null),
    );
    await insertChunked(
      trx,
      'framework_nodes',
      nodes.filter((n) => n.parent_id !== null),
    );
    await insertChunked(trx, 'periods', periods);
    await insertChunked(trx, 'indicators', indicators);
    if (coUnits.length > 0) await insertChunked(trx, 'indicator_co_units', coUnits);
    await insertChunked(trx, 'actuals', actuals);
    await insertChunked(trx, 'actual_revisions', revisions);
    await insertChunked(trx, 'rankings', rankings);
    const hasRules = await trx.selectFrom('light_rules').select('version').limit(1).executeTakeFirst();
    if (!hasRules) {
      await trx
        .insertInto('light_rules')
        .values({
          version: 1,
          config: JSON.stringify(demoLightRules),
          created_by: organizerId,
          created_at: at,
        })
        .execute();
    }
  });
  return { indicatorIds, nodeIds };
}
