// The demo's livelihood projects and the mayor's supervision visit of 3 August 2023, from the source
// article: 东塔路 (丽州路—松石路, asphalt and open by the end of August), 西街幼儿园's new childcare places,
// 浙江老年开放大学永康学院 (15 courses, 1,000+ students), 城西马架龙零工市场, 西城街道新阳村's service
// station and 体育中心悦读吧 city reading room. The visit's instructions become follow-up tasks that
// travel through the same use cases as the console, each step at its own time: closed on time after a
// return, closed late, one still open, overdue and escalated; and two long-running tasks whose
// deadlines are counted from the day the demo is loaded (one due in two days, one for 东城街道 — the demo
// reporter's unit — waiting to be accepted), so the lights and the inbox have something to show.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import sharp from 'sharp';
import type { UserActor } from '../kernel/actor.ts';
import { hashPassword } from '../modules/accounts/index.ts';
import {
  applyTimeRules,
  createTask,
  createVisit,
  reviewUpdate,
  saveProject,
  stepTask,
  submitUpdate,
  uploadTaskPhoto,
} from '../modules/supervision/index.ts';
import type { ProjectBody, StepBody } from '../modules/supervision/schemas.ts';
import type { Ctx } from '../platform/context.ts';
import type { DbKind } from '../platform/db/database.ts';
import type { DB } from '../platform/db/schema.ts';
import { newId } from '../platform/ids.ts';

const DAY = 86_400_000;
const dateIn = (days: number, from = new Date()) =>
  new Date(from.getTime() + days * DAY + 8 * 3_600_000).toISOString().slice(0, 10);

/** A site photo with its capture time, as a phone would take it (a drawn scene, not a real place). */
async function sitePhoto(seed: number, takenAt: string): Promise<Buffer> {
  const bars = Array.from(
    { length: 5 },
    (_, i) =>
      `<rect x="${(seed * 41 + i * 67) % 560}" y="${200 + ((seed + i) % 3) * 30}" width="${30 + ((seed * 7 + i * 13) % 50)}" height="${120 + i * 10}" fill="#${(0x406080 + seed * 0x1f2f3f + i * 0x0a0b0c).toString(16).slice(-6)}"/>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="640" height="300" fill="#9cc3e6"/><rect y="300" width="640" height="180" fill="#555"/><rect y="380" width="640" height="12" fill="#fff"/>${bars}</svg>`;
  const exif = takenAt.replace(/-/g, ':').replace('T', ' ').slice(0, 19);
  return sharp(Buffer.from(svg))
    .jpeg({ quality: 80 })
    .withExif({ IFD2: { DateTimeOriginal: exif } })
    .toBuffer();
}

const milestone = (
  title: string,
  plannedDate: string,
  doneDate: string | null,
  weight = 1,
  evidenceRequired = true,
) => ({
  title,
  plannedDate,
  doneDate,
  weight,
  evidenceRequired,
});

export async function seedDemoSupervision(
  database: { db: Kysely<DB>; kind: DbKind },
  opts: { unitIds: Record<string, string> },
): Promise<void> {
  const { db } = database;
  const unit = (name: string) => {
    const id = opts.unitIds[name];
    if (!id) throw new Error(`demo supervision: unknown unit ${name}`);
    return id;
  };
  const accounts = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'role', 'unit_id'])
    .where('username', 'in', ['admin', 'leader', 'dongcheng'])
    .execute();
  const actor = (u: {
    id: string;
    display_name: string;
    role: string;
    unit_id: string | null;
  }): UserActor => ({
    kind: 'user',
    userId: u.id,
    name: u.display_name,
    role: u.role as UserActor['role'],
    unitId: u.unit_id,
    mustChangePassword: false,
  });
  const find = (role: string) => {
    const u = accounts.find((a) => a.role === role);
    if (!u) throw new Error(`demo supervision: no ${role} account`);
    return actor(u);
  };
  const office = find('organizer');
  const mayor = find('leader');
  const dongcheng = find('reporter');
  // The other units' liaison officers answer their tasks; nobody signs in as them (random passwords).
  const liaisons: Record<string, UserActor> = { 东城街道: dongcheng };
  for (const name of ['市交通运输局', '西城街道', '市人力资源和社会保障局']) {
    const id = newId();
    await db
      .insertInto('users')
      .values({
        id,
        username: `demo-${unit(name).slice(0, 8)}`,
        display_name: `${name}联络员`,
        password_hash: await hashPassword(randomBytes(24).toString('base64url')),
        role: 'reporter',
        unit_id: unit(name),
        must_change_password: 0,
        locked_until: null,
        created_at: '2023-07-01T00:00:00.000Z',
      })
      .execute();
    liaisons[name] = {
      kind: 'user',
      userId: id,
      name: `${name}联络员`,
      role: 'reporter',
      unitId: unit(name),
      mustChangePassword: false,
    };
  }
  const at = (a: UserActor, when: string | Date): Ctx => ({
    db,
    dbKind: database.kind,
    actor: a,
    now: typeof when === 'string' ? new Date(when) : when,
    publicUrl: '',
    locale: 'zh-CN',
  });
  const step = (
    a: UserActor,
    when: string | Date,
    id: string,
    s: Partial<StepBody> & Pick<StepBody, 'action'>,
  ) => stepTask(at(a, when), id, { opinion: '', photoIds: [], newDeadline: null, clientKey: null, ...s });

  // ---------- projects ----------
  const base = {
    year: 2023,
    coUnitIds: [] as string[],
    indicatorIds: [] as string[],
    manualProgress: null,
    reportInterval: 'monthly' as const,
  };
  const projects: ProjectBody[] = [
    {
      ...base,
      code: 'MS-2023-01',
      name: '东塔路道路建设工程（丽州路—松石路）',
      level: 'municipal',
      category: '交通出行',
      content: '打通断头路，完成路基、管网和沥青摊铺，8月底前通车',
      leadUnitId: unit('市交通运输局'),
      coUnitIds: [unit('东城街道')],
      contactLeader: '分管副市长',
      sites: ['东塔路（丽州路—松石路）'],
      outputs: [{ name: '新建道路', unit: '公里', target: 1.2, actual: 1.2 }],
      startDate: '2023-03-01',
      deadline: '2023-08-31',
      milestones: [
        milestone('征迁清表', '2023-04-30', '2023-04-25'),
        milestone('路基和管网', '2023-07-15', '2023-07-12', 2),
        milestone('沥青摊铺并通车', '2023-08-31', '2023-08-30', 2),
      ],
    },
    {
      ...base,
      code: 'MS-2023-02',
      name: '西街幼儿园新增托育机构',
      level: 'both',
      category: '幼有所育',
      content: '西街幼儿园开设托班，新增普惠托位',
      leadUnitId: unit('西城街道'),
      contactLeader: '分管副市长',
      sites: ['西街幼儿园'],
      outputs: [{ name: '新增托位', unit: '个', target: 60, actual: 60 }],
      startDate: '2023-03-01',
      deadline: '2023-12-31',
      milestones: [
        milestone('场地改造', '2023-07-31', '2023-07-28'),
        milestone('备案并开班', '2023-09-30', '2023-09-01', 2),
      ],
    },
    {
      ...base,
      code: 'MS-2023-03',
      name: '浙江老年开放大学永康学院',
      level: 'provincial',
      category: '老有所学',
      content: '打造老年教育示范校，开设课程15门，学员1000人以上',
      leadUnitId: unit('市人力资源和社会保障局'),
      contactLeader: '分管副市长',
      sites: ['永康学院'],
      outputs: [
        { name: '开设课程', unit: '门', target: 15, actual: 15 },
        { name: '招收学员', unit: '人', target: 1000, actual: 1126 },
      ],
      startDate: '2023-03-01',
      deadline: '2023-12-31',
      milestones: [
        milestone('挂牌成立', '2023-06-30', '2023-06-18'),
        milestone('秋季开学', '2023-09-15', '2023-09-12', 2),
      ],
    },
    {
      ...base,
      code: 'MS-2023-04',
      name: '城西马架龙零工市场',
      level: 'municipal',
      category: '就业服务',
      content: '建成零工市场，提供求职登记、岗位发布、技能培训',
      leadUnitId: unit('市人力资源和社会保障局'),
      coUnitIds: [unit('西城街道')],
      contactLeader: '分管副市长',
      sites: ['城西马架龙'],
      outputs: [{ name: '服务零工', unit: '人次', target: 5000, actual: 0 }],
      startDate: '2023-04-01',
      deadline: '2023-09-30',
      milestones: [
        milestone('场地装修', '2023-07-31', '2023-08-10'),
        milestone('正式投用', '2023-09-30', null, 2),
      ],
    },
    {
      ...base,
      code: 'MS-2023-05',
      name: '西城街道新阳村综合性服务站点',
      level: 'municipal',
      category: '便民服务',
      content: '建成集养老、托幼、便民于一体的综合性服务站点',
      leadUnitId: unit('西城街道'),
      contactLeader: '分管副市长',
      sites: ['西城街道新阳村'],
      outputs: [{ name: '服务站点', unit: '个', target: 1, actual: 1 }],
      startDate: '2023-03-01',
      deadline: '2023-10-31',
      milestones: [milestone('建成开放', '2023-07-31', '2023-07-20')],
    },
    {
      ...base,
      code: 'MS-2023-06',
      name: '体育中心悦读吧城市书房',
      level: 'municipal',
      category: '文化惠民',
      content: '建成城市书房，推广到各镇街',
      leadUnitId: unit('东城街道'),
      contactLeader: '分管副市长',
      sites: ['体育中心'],
      outputs: [{ name: '城市书房', unit: '个', target: 3, actual: 1 }],
      startDate: '2023-03-01',
      deadline: dateIn(90),
      milestones: [
        milestone('悦读吧开放', '2023-07-31', '2023-07-15'),
        milestone('镇街推广全覆盖', dateIn(60), null, 2),
      ],
    },
  ];
  const projectIds: Record<string, string> = {};
  for (const p of projects)
    projectIds[p.code] = (await saveProject(at(office, '2023-03-01T02:00:00.000Z'), null, p)).id;

  // 老年开放大学 reports its autumn term: the office acknowledges it (the milestone is already recorded).
  await submitUpdate(
    at(liaisons.市人力资源和社会保障局!, '2023-09-13T02:00:00.000Z'),
    projectIds['MS-2023-03']!,
    {
      text: '秋季学期开学，开设课程15门，报名学员1126人',
      outputs: [{ name: '招收学员', value: 1126 }],
      milestoneIdsDone: [],
      photoIds: [],
    },
  );
  const update = await db
    .selectFrom('lp_updates')
    .select('id')
    .where('project_id', '=', projectIds['MS-2023-03']!)
    .executeTakeFirstOrThrow();
  await reviewUpdate(at(office, '2023-09-14T02:00:00.000Z'), update.id, { decision: 'verify', comment: '' });

  // ---------- the mayor's visit ----------
  const visitDay = '2023-08-03T02:00:00.000Z';
  const visit = await createVisit(at(office, visitDay), {
    title: '市长督查民生实事项目推进情况',
    visitDate: '2023-08-03',
    leaderUserId: mayor.userId,
    leaderName: '市长',
    companions: '分管副市长、市政府办、市督查室及相关部门负责人',
    projectIds: Object.values(projectIds),
    sites:
      '东塔路（丽州路—松石路）、西街幼儿园、浙江老年开放大学永康学院、城西马架龙零工市场、西城街道新阳村、体育中心悦读吧',
    findings:
      '东塔路沥青摊铺进度偏慢；零工市场装修滞后；各项目要形成工作清单和责任清单，倒排工期、挂图作战。',
    instructions: [
      { text: '东塔路要倒排工期，确保8月底前完成沥青摊铺并通车', projectId: projectIds['MS-2023-01']! },
      { text: '西街幼儿园托班要加快备案，9月开学前开班', projectId: projectIds['MS-2023-02']! },
      { text: '老年开放大学永康学院要开足15门课程，学员突破1000人', projectId: projectIds['MS-2023-03']! },
      { text: '城西马架龙零工市场要尽快投用，规范运营', projectId: projectIds['MS-2023-04']! },
      { text: '新阳村综合性服务站点的做法要总结推广到西城街道各村', projectId: projectIds['MS-2023-05']! },
      { text: '城市书房要推广到各镇街，形成全市城市书房体系', projectId: projectIds['MS-2023-06']! },
    ],
  });
  const ins = visit.instructions;
  const task = (
    i: number,
    o: {
      title: string;
      standard: string;
      unit: string;
      coUnits?: string[];
      deadline: string;
      cadence?: 'none' | 'monthly' | 'weekly';
      urgency?: 'normal' | 'urgent';
    },
  ) =>
    createTask(at(office, visitDay), {
      title: o.title,
      standard: o.standard,
      sourceKind: 'instruction',
      sourceText: ins[i]!.text,
      instructionId: ins[i]!.id,
      projectId: ins[i]!.projectId,
      unitId: unit(o.unit),
      coUnitIds: (o.coUnits ?? []).map(unit),
      issuerUserId: mayor.userId,
      deadline: o.deadline,
      urgency: o.urgency ?? 'normal',
      cadence: o.cadence ?? 'none',
    });

  // 1. 东塔路: answered, returned once for the opening photos, answered again, closed on time.
  const road = await task(0, {
    title: '东塔路8月底前完成沥青摊铺并通车',
    standard: '沥青摊铺完成，道路通车，提供现场照片',
    unit: '市交通运输局',
    coUnits: ['东城街道'],
    deadline: '2023-08-31',
    urgency: 'urgent',
  });
  const transport = liaisons.市交通运输局!;
  await step(transport, '2023-08-03T06:00:00.000Z', road.id, { action: 'accept' });
  const paving = await uploadTaskPhoto(
    at(transport, '2023-08-27T03:00:00.000Z'),
    road.id,
    await sitePhoto(1, '2023-08-27T09:30:00'),
    null,
  );
  await step(transport, '2023-08-28T02:00:00.000Z', road.id, {
    action: 'submit',
    opinion: '沥青摊铺已全部完成',
    photoIds: [paving.id],
  });
  await step(office, '2023-08-28T08:00:00.000Z', road.id, {
    action: 'return',
    opinion: '请补充通车现场照片',
  });
  const opening = await uploadTaskPhoto(
    at(transport, '2023-08-30T03:00:00.000Z'),
    road.id,
    await sitePhoto(2, '2023-08-30T10:00:00'),
    'after',
  );
  await step(transport, '2023-08-30T04:00:00.000Z', road.id, {
    action: 'submit',
    opinion: '8月30日已通车，补充通车照片',
    photoIds: [opening.id],
  });
  const roadSub = road.subtasks[0]!.id;
  await step(dongcheng, '2023-08-04T02:00:00.000Z', roadSub, { action: 'accept' });
  await step(dongcheng, '2023-08-29T02:00:00.000Z', roadSub, {
    action: 'submit',
    opinion: '沿线交通疏导和群众工作已完成',
  });
  await step(office, '2023-08-30T06:00:00.000Z', roadSub, { action: 'verify', opinion: '同意' });
  await step(mayor, '2023-08-31T02:00:00.000Z', road.id, { action: 'verify', opinion: '按期完成，同意销号' });

  // 2. 托育: closed on time.
  const care = await task(1, {
    title: '西街幼儿园托班9月开学前开班',
    standard: '完成托育机构备案，托班开班',
    unit: '西城街道',
    deadline: '2023-08-31',
  });
  const xicheng = liaisons.西城街道!;
  await step(xicheng, '2023-08-04T02:00:00.000Z', care.id, { action: 'accept' });
  await step(xicheng, '2023-08-29T02:00:00.000Z', care.id, {
    action: 'submit',
    opinion: '已完成备案，9月1日开班，新增托位60个',
  });
  await step(office, '2023-08-30T02:00:00.000Z', care.id, { action: 'verify', opinion: '同意销号' });

  // 3. 老年开放大学: an extension to the start of term, then closed.
  const college = await task(2, {
    title: '老年开放大学永康学院开足15门课程、学员突破1000人',
    standard: '课程15门，学员1000人以上',
    unit: '市人力资源和社会保障局',
    deadline: '2023-09-10',
  });
  const hr = liaisons.市人力资源和社会保障局!;
  await step(hr, '2023-08-04T02:00:00.000Z', college.id, { action: 'accept' });
  await step(hr, '2023-09-05T02:00:00.000Z', college.id, {
    action: 'request_extension',
    opinion: '秋季学期9月12日开学，报名在开学后统计',
    newDeadline: '2023-09-20',
  });
  await step(mayor, '2023-09-06T02:00:00.000Z', college.id, {
    action: 'approve_extension',
    opinion: '同意延至9月20日',
  });
  await step(hr, '2023-09-13T02:00:00.000Z', college.id, {
    action: 'submit',
    opinion: '开设课程15门，报名学员1126人',
  });
  await step(office, '2023-09-14T02:00:00.000Z', college.id, { action: 'verify', opinion: '同意销号' });

  // 4. 零工市场: accepted, one progress report, then silence: overdue, and escalated by the time rules below.
  const market = await task(3, {
    title: '城西马架龙零工市场9月底前投用',
    standard: '零工市场正式投用并规范运营',
    unit: '市人力资源和社会保障局',
    coUnits: ['西城街道'],
    deadline: '2023-09-30',
    cadence: 'monthly',
    urgency: 'urgent',
  });
  await step(hr, '2023-08-05T02:00:00.000Z', market.id, { action: 'accept' });
  await step(hr, '2023-09-01T02:00:00.000Z', market.id, {
    action: 'report_progress',
    opinion: '装修已完成，正在招引运营方',
  });
  await step(xicheng, '2023-08-05T02:00:00.000Z', market.subtasks[0]!.id, { action: 'accept' });

  // 5 and 6: long-running tasks, counted from today.
  const now = new Date();
  const station = await task(4, {
    title: '新阳村综合性服务站点做法推广到西城街道各村',
    standard: '各村建成综合性服务站点并报送清单',
    unit: '西城街道',
    deadline: dateIn(2, now),
    cadence: 'monthly',
  });
  await step(xicheng, '2023-08-07T02:00:00.000Z', station.id, { action: 'accept' });
  await step(xicheng, new Date(now.getTime() - 10 * DAY), station.id, {
    action: 'report_progress',
    opinion: '已建成12个村级站点，其余3个本月完成',
  });
  await task(5, {
    title: '城市书房推广到各镇街',
    standard: '形成全市城市书房体系，提交推广方案',
    unit: '东城街道',
    deadline: dateIn(28, now),
    cadence: 'monthly',
  });

  // The clock's rules, as the server runs them: the overdue market escalates, the station is due soon.
  await applyTimeRules(at(office, now));
}
