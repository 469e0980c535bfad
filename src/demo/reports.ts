// The demo event's showcase reports, in the source article's own words: 五金指挥部's three 低效工业用地
// indicators "均实现时间过半，任务过半", 一网通办 from ninth to first in the province, 双随机监管 89 → 32,
// 东城街道's 38 key projects, and a town that admits "部分指标完成不理想". They go through the same use
// cases as the console (template, required content, save, submit, review), so their numbers are frozen
// from the verified indicator data exactly as a unit's would be. 东城街道 — the demo reporter's unit — is
// returned with a comment to work on; the others are approved and make the event's deck.
import type { Kysely } from 'kysely';
import type { UserActor } from '../kernel/actor.ts';
import {
  getReport,
  getTemplate,
  type ReportContent,
  reviewReport,
  saveReport,
  saveTemplate,
  setRequired,
  submitReport,
} from '../modules/reports/index.ts';
import type { Ctx } from '../platform/context.ts';
import type { DbKind } from '../platform/db/database.ts';
import type { DB } from '../platform/db/schema.ts';
import { demoIndicators } from './indicators.ts';

interface DemoReport {
  unit: string;
  /** Indicator codes the unit must show. */
  indicators: string[];
  work: { title: string; text: string }[];
  content: Omit<ReportContent, 'workItems' | 'shortfalls'> & { shortfalls: ReportContent['shortfalls'] };
  /** Cause and measure for each required indicator lit yellow or red, by code (a generic one otherwise). */
  explain?: Record<string, { cause: string; measure: string }>;
  review: { decision: 'verify' } | { decision: 'return'; path: string; text: string };
}

const reports: DemoReport[] = [
  {
    unit: '五金产业转型升级指挥部办公室',
    indicators: ['DX-001', 'DX-002', 'DX-003'],
    work: [],
    content: {
      speaker: '五金指挥部常务副指挥长',
      highlights: [
        {
          title: '低效工业用地整治“三个过半”',
          text: '低效工业用地集中连片整治、低效工业企业整治、消化供而未用土地三项指标均实现时间过半，任务过半，腾出的空间优先保障五金产业链重点项目落地。',
          figures: [
            { label: '集中连片整治', value: '过半' },
            { label: '企业整治', value: '过半' },
            { label: '供而未用消化', value: '过半' },
          ],
          photoIds: [],
        },
      ],
      shortfalls: [
        {
          indicatorId: null,
          title: '连片整治后的招商落地偏慢',
          cause: '腾出的地块与产业链项目对接不够及时，部分地块空置时间较长。',
          measure: '建立腾退地块与招引项目“一地一策”对接清单，9月底前全部明确意向项目。',
        },
      ],
      nextSteps: [
        { commitment: '下半年完成全年低效工业用地整治任务', owner: '五金指挥部', due: '2023-12-31' },
        { commitment: '腾退地块九月底前全部明确意向项目', owner: '招商服务组', due: '2023-09-30' },
      ],
    },
    review: { decision: 'verify' },
  },
  {
    unit: '市行政服务中心',
    indicators: ['YS-001'],
    work: [],
    content: {
      speaker: '市行政服务中心主任',
      highlights: [
        {
          title: '一网通办从全省第九跃升至全省第一',
          text: '依申请政务服务事项“一网通办”率从一季度全省第九跃升至二季度全省第一，金华地区连续两个季度第一；高频事项实现“一次不用跑”。',
          figures: [
            { label: '全省排名', value: '9 → 1' },
            { label: '金华排名', value: '蝉联第一' },
          ],
          photoIds: [],
        },
      ],
      shortfalls: [
        {
          indicatorId: null,
          title: '部分事项网办深度不够',
          cause: '少数事项仍需线下核验原件，群众“最多跑一次”体验不一。',
          measure: '年底前完成剩余事项电子证照归集，原件核验全部转为线上。',
        },
      ],
      nextSteps: [{ commitment: '巩固一网通办全省第一', owner: '市行政服务中心', due: '2023-12-31' }],
    },
    review: { decision: 'verify' },
  },
  {
    unit: '市市场监督管理局',
    indicators: ['YS-002'],
    work: [],
    content: {
      speaker: '市市场监督管理局局长',
      highlights: [
        {
          title: '双随机监管全省排名从89位升至32位',
          text: '跨部门联合“双随机、一公开”监管率全省排名从一季度第89位上升至二季度第32位，金华地区第一；联合抽查覆盖重点行业全部主管部门。',
          figures: [{ label: '全省排名', value: '89 → 32' }],
          photoIds: [],
        },
      ],
      shortfalls: [
        {
          indicatorId: null,
          title: '全省排名仍在中游',
          cause: '部分部门联合抽查计划执行滞后，任务录入不及时。',
          measure: '每月通报各部门联合抽查完成情况，年底前排名进入全省前二十。',
        },
      ],
      nextSteps: [{ commitment: '双随机监管全省排名进入前二十', owner: '信用监管科', due: '2023-12-31' }],
    },
    review: { decision: 'verify' },
  },
  {
    unit: '东城街道',
    indicators: ['ZC-001', 'CZ-001'],
    work: [
      {
        title: '38个重点项目推进情况',
        text: '38个重点项目已开工31个，政策处理全部按节点推进。',
      },
    ],
    content: {
      speaker: '东城街道党工委书记',
      highlights: [
        {
          title: '38个重点项目全速推进',
          text: '街道38个重点项目实行“一个项目、一名领导、一个专班”，政策处理和城中村改造签约同步推进。',
          figures: [{ label: '重点项目', value: '38个' }],
          photoIds: [],
        },
      ],
      shortfalls: [],
      nextSteps: [{ commitment: '年底前38个重点项目全部开工', owner: '项目专班', due: '2023-12-31' }],
    },
    explain: {
      'CZ-001': {
        cause: '部分户对补偿方案有顾虑，签约进度慢于预期。',
        measure: '加强政策宣讲，一户一策。',
      },
    },
    review: {
      decision: 'return',
      path: 'workItems.0.text',
      text: '请写明31个已开工项目的投资完成率，以及另外7个项目的开工时间和责任人。',
    },
  },
  {
    unit: '石柱镇',
    indicators: ['JD-04A', 'JD-04B'],
    work: [],
    content: {
      speaker: '石柱镇党委书记',
      highlights: [
        {
          title: '正视差距，补齐短板',
          text: '上半年部分指标完成不理想，镇党委逐项分析原因、倒排时间，确保下半年追上序时进度。',
          figures: [],
          photoIds: [],
        },
      ],
      shortfalls: [],
      nextSteps: [
        { commitment: '九月底前低效工业用地整治追上序时进度', owner: '镇工业办', due: '2023-09-30' },
        { commitment: '四季度固定资产投资完成全年目标', owner: '镇经济发展办', due: '2023-12-31' },
      ],
    },
    review: { decision: 'verify' },
  },
];

/** The units the demo writes a report for, in the order they are written. */
export const demoReportUnits: readonly string[] = reports.map((r) => r.unit);

const nameOf = new Map(demoIndicators.map((d) => [d.code, d.name]));

const generic = {
  cause: '部分指标完成不理想：项目前期和要素保障进度滞后于计划。',
  measure: '逐项倒排时间节点，班子成员分片包干，每月通报进度。',
};

/** Seeds the demo event's reports; the indicators (and their verified Q2 numbers) must be seeded first. */
export async function seedDemoReports(
  database: { db: Kysely<DB>; kind: DbKind },
  opts: { eventId: string; unitIds: Record<string, string>; indicatorIds: Record<string, string> },
): Promise<void> {
  const { db } = database;
  const users = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'role', 'unit_id'])
    .where('username', 'in', ['admin', 'dongcheng'])
    .execute();
  const actorOf = (role: 'organizer' | 'reporter'): UserActor | null => {
    const u = users.find((x) => x.role === role);
    return u
      ? {
          kind: 'user',
          userId: u.id,
          name: u.display_name,
          role,
          unitId: u.unit_id,
          mustChangePassword: false,
        }
      : null;
  };
  const organizer = actorOf('organizer');
  if (!organizer) throw new Error('demo reports: no organizer account');
  const reporter = actorOf('reporter');
  const ctxAt = (actor: UserActor, iso: string): Ctx => ({
    db,
    dbKind: database.kind,
    actor,
    now: new Date(iso),
    publicUrl: '',
    locale: 'zh-CN',
  });
  const { eventId } = opts;

  const atOrganizer = ctxAt(organizer, '2023-07-10T02:00:00.000Z');
  const { template } = await getTemplate(atOrganizer, eventId);
  await saveTemplate(atOrganizer, eventId, { template, periodKey: '2023-Q2', deadline: '2023-07-27' });

  for (const r of reports) {
    const unitId = opts.unitIds[r.unit];
    if (!unitId) throw new Error(`demo reports: unknown unit ${r.unit}`);
    const required = await setRequired(atOrganizer, eventId, unitId, [
      ...r.indicators.map((code) => {
        const indicatorId = opts.indicatorIds[code];
        if (!indicatorId) throw new Error(`demo reports: unknown indicator ${code}`);
        return { kind: 'indicator' as const, indicatorId, title: nameOf.get(code) ?? code };
      }),
      ...r.work.map((w) => ({ kind: 'work' as const, indicatorId: null, title: w.title })),
    ]);
    // The unit writes it (东城街道 by its own reporter, the others by the organizer on their behalf).
    const author = r.unit === '东城街道' && reporter?.unitId === unitId ? reporter : organizer;
    const atAuthor = ctxAt(author, '2023-07-25T02:00:00.000Z');
    const view = await getReport(atAuthor, eventId, unitId);
    // Every required indicator lit yellow or red is explained, first, in the indicators' order.
    const forced = view.facts
      .filter((f) => f.light === 'yellow' || f.light === 'red' || f.light === 'overdue')
      .map((f) => ({
        indicatorId: f.indicatorId,
        title: `${f.name}完成不理想`,
        ...(r.explain?.[f.code] ?? generic),
      }));
    const workItems = required
      .filter((item) => item.kind === 'work')
      .map((item) => ({
        requiredItemId: item.id,
        text: r.work.find((w) => w.title === item.title)?.text ?? '',
      }));
    const content: ReportContent = {
      ...r.content,
      shortfalls: [...forced, ...r.content.shortfalls],
      workItems,
    };
    await saveReport(atAuthor, eventId, unitId, content);
    await submitReport(atAuthor, eventId, unitId);
    const atReview = ctxAt(organizer, '2023-07-27T06:00:00.000Z');
    await reviewReport(
      atReview,
      eventId,
      unitId,
      r.review.decision === 'verify'
        ? { decision: 'verify', comments: [] }
        : { decision: 'return', comments: [{ path: r.review.path, text: r.review.text }] },
    );
  }
}
