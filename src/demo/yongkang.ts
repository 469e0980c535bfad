// The demo event, as data: Yongkang's (永康) 2023 half-year showcase (上半年工作大晒拼), held on
// 31 July and 1 August 2023 (see /work/shared/domain/source-article-yongkang-2023-08.txt).
// Units are the city's real towns, streets and zones and the departments the article names or implies.
// Judges are fictional: generic surnames with 某某 and their posts, never a real person's name.

import type { UnitKind } from '../modules/accounts/schemas.ts';
import type { ScoringSettings } from '../modules/event/domain/scoring.ts';

export interface DemoUnit {
  code: string;
  name: string;
  shortName: string;
  kind: UnitKind;
}

export interface DemoTrack {
  key: 'territorial' | 'departments';
  nameZh: string;
  nameEn: string;
  /** Speaking time per unit, in seconds. */
  timeLimitSec: number;
  units: DemoUnit[];
}

export interface DemoPanel {
  key: 'leaders' | 'heads' | 'deputies';
  name: string;
  weight: number;
}

export interface DemoJudge {
  panel: DemoPanel['key'];
  name: string;
  title: string;
  /** Unit names the judge belongs to: they do not score those units (回避). */
  affiliations: string[];
}

export interface DemoAccount {
  username: string;
  password: string;
  displayName: string;
  role: 'organizer' | 'reporter' | 'leader' | 'observer';
  /** Unit name, for reporters. */
  unit: string | null;
}

export const demoEvent = {
  title: '2023年上半年工作大晒拼',
  startDate: '2023-07-31',
  endDate: '2023-08-01',
  venue: '永康市行政中心大会议室',
  /** Recorded so anyone can redo the draw of the speaking order. */
  drawSeed: '2023-0731',
} as const;

export const demoTracks: DemoTrack[] = [
  {
    key: 'territorial',
    nameZh: '镇街区组',
    nameEn: 'Towns, streets and zones',
    timeLimitSec: 6 * 60,
    units: [
      { code: 'T01', name: '东城街道', shortName: '东城', kind: 'street' },
      { code: 'T02', name: '西城街道', shortName: '西城', kind: 'street' },
      { code: 'T03', name: '江南街道', shortName: '江南', kind: 'street' },
      { code: 'T04', name: '石柱镇', shortName: '石柱', kind: 'town' },
      { code: 'T05', name: '前仓镇', shortName: '前仓', kind: 'town' },
      { code: 'T06', name: '舟山镇', shortName: '舟山', kind: 'town' },
      { code: 'T07', name: '古山镇', shortName: '古山', kind: 'town' },
      { code: 'T08', name: '方岩镇', shortName: '方岩', kind: 'town' },
      { code: 'T09', name: '龙山镇', shortName: '龙山', kind: 'town' },
      { code: 'T10', name: '西溪镇', shortName: '西溪', kind: 'town' },
      { code: 'T11', name: '象珠镇', shortName: '象珠', kind: 'town' },
      { code: 'T12', name: '唐先镇', shortName: '唐先', kind: 'town' },
      { code: 'T13', name: '花街镇', shortName: '花街', kind: 'town' },
      { code: 'T14', name: '芝英镇', shortName: '芝英', kind: 'town' },
      { code: 'T15', name: '永康经济开发区', shortName: '经济开发区', kind: 'zone' },
      { code: 'T16', name: '现代农业装备高新区', shortName: '农装高新区', kind: 'zone' },
    ],
  },
  {
    key: 'departments',
    nameZh: '部门组',
    nameEn: 'Departments',
    timeLimitSec: 5 * 60,
    units: [
      { code: 'D01', name: '五金产业转型升级指挥部办公室', shortName: '五金指挥部', kind: 'department' },
      { code: 'D02', name: '市发展和改革局', shortName: '市发改局', kind: 'department' },
      { code: 'D03', name: '市经济和信息化局', shortName: '市经信局', kind: 'department' },
      { code: 'D04', name: '市科学技术局', shortName: '市科技局', kind: 'department' },
      { code: 'D05', name: '市财政局', shortName: '市财政局', kind: 'department' },
      { code: 'D06', name: '市人力资源和社会保障局', shortName: '市人力社保局', kind: 'department' },
      { code: 'D07', name: '市自然资源和规划局', shortName: '市自然资源和规划局', kind: 'department' },
      { code: 'D08', name: '市住房和城乡建设局', shortName: '市住建局', kind: 'department' },
      { code: 'D09', name: '市交通运输局', shortName: '市交通运输局', kind: 'department' },
      { code: 'D10', name: '市商务局', shortName: '市商务局', kind: 'department' },
      { code: 'D11', name: '市市场监督管理局', shortName: '市市场监管局', kind: 'department' },
      { code: 'D12', name: '市行政服务中心', shortName: '市行政服务中心', kind: 'department' },
    ],
  },
];

export const demoPanels: DemoPanel[] = [
  { key: 'leaders', name: '市领导', weight: 0.5 },
  { key: 'heads', name: '部门负责人', weight: 0.3 },
  { key: 'deputies', name: '代表', weight: 0.2 },
];

export const demoCriteria = [
  { nameZh: '工作实绩', nameEn: 'Work results', maxPoints: 40, step: 0.5 },
  { nameZh: '特色亮点', nameEn: 'Highlights', maxPoints: 25, step: 0.5 },
  { nameZh: '问题剖析', nameEn: 'Facing shortfalls', maxPoints: 20, step: 0.5 },
  { nameZh: '精神面貌', nameEn: 'Spirit and work style', maxPoints: 15, step: 0.5 },
] as const;

export const demoJudges: DemoJudge[] = [
  // 市四套班子领导 and the heads of court and procuratorate (法检"两长").
  { panel: 'leaders', name: '王某某', title: '市委副书记', affiliations: [] },
  { panel: 'leaders', name: '李某某', title: '市人大常委会主任', affiliations: [] },
  { panel: 'leaders', name: '张某某', title: '市政协主席', affiliations: [] },
  { panel: 'leaders', name: '刘某某', title: '市委常委、常务副市长', affiliations: [] },
  { panel: 'leaders', name: '陈某某', title: '市委常委、组织部部长', affiliations: [] },
  { panel: 'leaders', name: '杨某某', title: '市委常委、纪委书记', affiliations: [] },
  { panel: 'leaders', name: '赵某某', title: '副市长', affiliations: [] },
  { panel: 'leaders', name: '黄某某', title: '市人大常委会副主任', affiliations: [] },
  { panel: 'leaders', name: '周某某', title: '市法院院长', affiliations: [] },
  { panel: 'leaders', name: '吴某某', title: '市检察院检察长', affiliations: [] },
  // Department heads: those whose department presents do not score it.
  { panel: 'heads', name: '徐某某', title: '市发改局局长', affiliations: ['市发展和改革局'] },
  { panel: 'heads', name: '孙某某', title: '市经信局局长', affiliations: ['市经济和信息化局'] },
  { panel: 'heads', name: '马某某', title: '市财政局局长', affiliations: ['市财政局'] },
  { panel: 'heads', name: '朱某某', title: '市自然资源和规划局局长', affiliations: ['市自然资源和规划局'] },
  { panel: 'heads', name: '胡某某', title: '市市场监管局局长', affiliations: ['市市场监督管理局'] },
  { panel: 'heads', name: '郭某某', title: '市商务局局长', affiliations: ['市商务局'] },
  { panel: 'heads', name: '何某某', title: '市委办公室主任', affiliations: [] },
  { panel: 'heads', name: '高某某', title: '市政府办公室主任', affiliations: [] },
  { panel: 'heads', name: '林某某', title: '市考核办主任', affiliations: [] },
  { panel: 'heads', name: '罗某某', title: '市督查室主任', affiliations: [] },
  // Deputies, committee members and citizen representatives.
  { panel: 'deputies', name: '郑某某', title: '市人大代表', affiliations: [] },
  { panel: 'deputies', name: '梁某某', title: '市人大代表', affiliations: [] },
  { panel: 'deputies', name: '谢某某', title: '市政协委员', affiliations: [] },
  { panel: 'deputies', name: '宋某某', title: '市政协委员', affiliations: [] },
  { panel: 'deputies', name: '唐某某', title: '企业家代表', affiliations: [] },
  { panel: 'deputies', name: '许某某', title: '企业家代表', affiliations: [] },
  { panel: 'deputies', name: '韩某某', title: '东城街道社区干部代表', affiliations: ['东城街道'] },
  { panel: 'deputies', name: '冯某某', title: '西城街道村干部代表', affiliations: ['西城街道'] },
  { panel: 'deputies', name: '邓某某', title: '群众代表', affiliations: [] },
  { panel: 'deputies', name: '曹某某', title: '媒体代表', affiliations: [] },
];

/** Demo sign-ins, all ready to use (no forced password change). Listed in the README. */
export const demoAccounts: DemoAccount[] = [
  {
    username: 'admin',
    password: 'shaipin-admin',
    displayName: '考核办管理员',
    role: 'organizer',
    unit: null,
  },
  {
    username: 'leader',
    password: 'shaipin-leader',
    displayName: '市领导（演示）',
    role: 'leader',
    unit: null,
  },
  {
    username: 'observer',
    password: 'shaipin-observer',
    displayName: '纪检监督（演示）',
    role: 'observer',
    unit: null,
  },
  {
    username: 'dongcheng',
    password: 'shaipin-reporter',
    displayName: '东城街道联络员',
    role: 'reporter',
    unit: '东城街道',
  },
];

/** The event's scoring rule; tieBreakPanelId is filled in with the leaders' panel id when seeding. */
export const demoSettings: Omit<ScoringSettings, 'tieBreakPanelId'> = {
  trimK: 1,
  trimMinRemaining: 3,
  decimals: 2,
  quorumPercent: 50,
  overtimePenalty: { points: 0.5, perSeconds: 30 },
  gradeBands: {
    kind: 'rankShare',
    bands: [
      { key: 'five', labelZh: '五星', labelEn: 'Five stars', share: 0.2 },
      { key: 'four', labelZh: '四星', labelEn: 'Four stars', share: 0.3 },
      { key: 'three', labelZh: '三星', labelEn: 'Three stars', share: 0.5 },
    ],
  },
};
