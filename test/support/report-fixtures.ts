// A showcase report as the source article's units would write one, and the deck labels in Chinese,
// for the reports module's tests.
import { type DeckLabels, type LayoutResult, layoutDeck } from '../../src/modules/reports/domain/layout.ts';
import type { IndicatorFact, ReportContent, RequiredItem } from '../../src/modules/reports/domain/report.ts';
import { defaultTemplate, type ReportTemplate } from '../../src/modules/reports/domain/template.ts';

export const zhLabels: DeckLabels = {
  sections: {
    cover: '封面',
    indicators: '核心指标',
    highlights: '特色亮点',
    shortfalls: '短板不足',
    nextSteps: '下步举措',
  },
  workItems: '必晒工作',
  part: (n, of) => `（${n}/${of}）`,
  columns: {
    indicator: '指标',
    target: '目标',
    actual: '实际',
    completion: '完成率',
    expected: '序时进度',
    light: '亮灯',
    ranking: '排名',
  },
  lights: { green: '绿灯', yellow: '黄灯', red: '红灯', grey: '灰灯', overdue: '逾期' },
  series: { completion: '完成率', expected: '序时进度' },
  cause: '原因：',
  measure: '举措：',
  owner: '责任人：',
  due: '完成时限：',
  speaker: '汇报人：',
  noValue: '—',
  page: (n, of) => `${n} / ${of}`,
};

export const fact = (
  o: Partial<IndicatorFact> & Pick<IndicatorFact, 'indicatorId' | 'code' | 'name'>,
): IndicatorFact => ({
  measure: '亩',
  target: 1000,
  actual: 620,
  completionPct: 62,
  expectedPct: 49.6,
  light: 'green',
  explanation: '',
  ranking: null,
  source: { periodKey: '2023-Q2', verifiedBy: '考核办小王', verifiedAt: '2023-07-12T02:00:00.000Z' },
  ...o,
});

/** 东城街道's report: 低效工业用地 on time, 双随机监管 89 → 32, a red light it must explain. */
export function dongchengReport(): {
  content: ReportContent;
  required: RequiredItem[];
  facts: IndicatorFact[];
} {
  const facts = [
    fact({ indicatorId: 'i-land', code: 'DC-01', name: '低效工业用地整治', light: 'green' }),
    fact({
      indicatorId: 'i-rand',
      code: 'DC-02',
      name: '双随机监管全省排名',
      measure: '名',
      target: 30,
      actual: 32,
      completionPct: 96,
      light: 'yellow',
      ranking: { from: 89, to: 32, outOf: 90 },
    }),
    fact({
      indicatorId: 'i-proj',
      code: 'DC-03',
      name: '38个重点项目开工率',
      measure: '%',
      target: 100,
      actual: 42,
      completionPct: 42,
      light: 'red',
    }),
  ];
  const required: RequiredItem[] = [
    ...facts.map((f) => ({
      id: `r-${f.indicatorId}`,
      kind: 'indicator' as const,
      indicatorId: f.indicatorId,
      title: f.name,
    })),
    { id: 'r-work', kind: 'work', indicatorId: null, title: '城市更新“拆改结合”' },
  ];
  const content: ReportContent = {
    speaker: '东城街道党工委书记',
    highlights: [
      {
        title: '“一网通办”跃居全省第一',
        text: '从全省第九跃升至第一，推行“一窗受理、集成服务”，办件平均时长由 3.2 天缩短至 0.8 天。',
        figures: [
          { label: '全省排名', value: '9 → 1' },
          { label: '平均办件时长', value: '0.8天' },
        ],
        photoIds: [],
      },
    ],
    shortfalls: [
      {
        indicatorId: 'i-proj',
        title: '重点项目开工滞后',
        cause: '3个项目政策处理未完成。',
        measure: '成立专班，9月底前完成政策处理。',
      },
      {
        indicatorId: 'i-rand',
        title: '双随机监管仍需提升',
        cause: '抽查覆盖不足。',
        measure: '每月通报，年底前进入前20。',
      },
    ],
    nextSteps: [{ commitment: '38个重点项目全部开工', owner: '街道建设办', due: '2023-12-31' }],
    workItems: [{ requiredItemId: 'r-work', text: '完成拆改结合项目12个，腾出空间560亩。' }],
  };
  return { content, required, facts };
}

export const demoTemplate = (): ReportTemplate => defaultTemplate('永康市2023年上半年“大晒拼”');

/** A report laid out as 东城街道's deck for 2023-08-03; `report` defaults to dongchengReport(). */
export function layoutAsDongcheng(
  report: {
    content: ReportContent;
    required: readonly RequiredItem[];
    facts: readonly IndicatorFact[];
  } = dongchengReport(),
  template: ReportTemplate = demoTemplate(),
  unitName = '东城街道',
): LayoutResult {
  return layoutDeck({ template, unitName, dateText: '2023年8月3日', ...report, labels: zhLabels });
}
