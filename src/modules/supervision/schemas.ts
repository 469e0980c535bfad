// The supervision API's messages (projects, visits, tasks, inbox, dashboard, bulletin), shared by the
// server and the console.
import { z } from 'zod';
import { idSchema, isoDate } from '../../kernel/schemas.ts';
import { CADENCES } from './domain/deadlines.ts';
import { PROJECT_STATUSES, REPORT_INTERVALS } from './domain/projects.ts';
import { TASK_ACTIONS, TASK_STATES } from './domain/task-workflow.ts';

const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1).max(max);

export const URGENCIES = ['normal', 'urgent', 'critical'] as const;
export const SOURCE_KINDS = [
  'instruction',
  'meeting',
  'indicator',
  'ranking',
  'commitment',
  'other',
] as const;
export const LEVELS = ['provincial', 'municipal', 'both'] as const;

// ---------- settings ----------

export const settingsBody = z.object({
  dueSoonDays: z.number().int().min(0).max(30),
  escalateAfterDays: z.number().int().min(1).max(60),
  reportGraceDays: z.number().int().min(0).max(30),
  atRiskDays: z.number().int().min(0).max(60),
});

// ---------- tasks ----------

export const taskBody = z.object({
  title: required(200),
  standard: required(2000),
  sourceKind: z.enum(SOURCE_KINDS),
  sourceText: text(2000),
  instructionId: idSchema.nullable().default(null),
  projectId: idSchema.nullable().default(null),
  unitId: idSchema,
  coUnitIds: z.array(idSchema).max(30).default([]),
  /** The leader who gave the instruction and verifies with the office; null: the office alone. */
  issuerUserId: idSchema.nullable().default(null),
  deadline: isoDate,
  urgency: z.enum(URGENCIES).default('normal'),
  cadence: z.enum(CADENCES).default('none'),
});
export type TaskBody = z.infer<typeof taskBody>;

export const stepBody = z.object({
  action: z.enum(TASK_ACTIONS),
  opinion: text(2000).default(''),
  photoIds: z.array(idSchema).max(20).default([]),
  newDeadline: isoDate.nullable().default(null),
  /** The same key on a retried request: the step is taken once. */
  clientKey: z.string().min(8).max(64).nullable().default(null),
});
export type StepBody = z.infer<typeof stepBody>;

const light = z.enum(['green', 'yellow', 'red', 'closed']);

export const taskSummary = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  title: z.string(),
  sourceKind: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  issuerName: z.string(),
  deadline: z.string(),
  requestedDeadline: z.string().nullable(),
  urgency: z.enum(URGENCIES),
  state: z.enum(TASK_STATES),
  light,
  daysLeft: z.number(),
  overdueDays: z.number(),
  returns: z.number(),
  escalated: z.boolean(),
  reportMissing: z.boolean(),
  visitId: z.string().nullable(),
  projectId: z.string().nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});
export type TaskSummary = z.infer<typeof taskSummary>;

export const photoFlag = z.enum(['no_capture_data', 'taken_before_start', 'reused']);
export const evidencePhoto = z.object({
  id: z.string(),
  /** The task or progress update it belongs to. */
  ownerId: z.string(),
  width: z.number(),
  height: z.number(),
  takenAt: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  pairRole: z.enum(['before', 'after']).nullable(),
  flags: z.array(photoFlag),
  sameAsId: z.string().nullable(),
  createdAt: z.string(),
});
export type EvidencePhoto = z.infer<typeof evidencePhoto>;

export const taskStepView = z.object({
  id: z.string(),
  action: z.string(),
  fromState: z.string().nullable(),
  toState: z.string(),
  actorName: z.string(),
  opinion: z.string(),
  photoIds: z.array(z.string()),
  deadlineBefore: z.string().nullable(),
  deadlineAfter: z.string().nullable(),
  createdAt: z.string(),
});

export const taskDetail = taskSummary.extend({
  standard: z.string(),
  sourceText: z.string(),
  cadence: z.enum(CADENCES),
  nextReportDue: z.string().nullable(),
  actions: z.array(z.enum(TASK_ACTIONS)),
  steps: z.array(taskStepView),
  photos: z.array(evidencePhoto),
  subtasks: z.array(taskSummary),
});
export type TaskDetail = z.infer<typeof taskDetail>;

export const tasksQuery = z.object({
  state: z.enum(TASK_STATES).optional(),
  unitId: idSchema.optional(),
  light: light.optional(),
  visitId: idSchema.optional(),
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

export const photoQuery = z.object({ pair: z.enum(['before', 'after']).optional() });

// ---------- visits ----------

export const visitBody = z.object({
  title: required(200),
  visitDate: isoDate,
  leaderUserId: idSchema.nullable().default(null),
  leaderName: required(60),
  companions: text(500).default(''),
  projectIds: z.array(idSchema).max(50).default([]),
  sites: text(1000).default(''),
  findings: text(5000).default(''),
  instructions: z
    .array(z.object({ text: required(2000), projectId: idSchema.nullable().default(null) }))
    .max(50),
});
export type VisitBody = z.infer<typeof visitBody>;

export const visitSummary = z.object({
  id: z.string(),
  title: z.string(),
  visitDate: z.string(),
  leaderName: z.string(),
  instructions: z.number(),
  tasks: z.number(),
  openTasks: z.number(),
  overdueTasks: z.number(),
});

export const visitDetail = z.object({
  id: z.string(),
  title: z.string(),
  visitDate: z.string(),
  leaderUserId: z.string().nullable(),
  leaderName: z.string(),
  companions: z.string(),
  sites: z.string(),
  findings: z.string(),
  projects: z.array(
    z.object({ id: z.string(), name: z.string(), status: z.enum(PROJECT_STATUSES), progress: z.number() }),
  ),
  instructions: z.array(
    z.object({
      id: z.string(),
      text: z.string(),
      projectId: z.string().nullable(),
      tasks: z.array(taskSummary),
    }),
  ),
});
export type VisitDetail = z.infer<typeof visitDetail>;

// ---------- projects ----------

const output = z.object({
  name: required(60),
  unit: text(20).default(''),
  target: z.number().min(0).max(1e9),
  actual: z.number().min(0).max(1e9).default(0),
});
const milestoneInput = z.object({
  id: idSchema.optional(),
  title: required(200),
  plannedDate: isoDate,
  doneDate: isoDate.nullable().default(null),
  weight: z.number().int().min(1).max(100).default(1),
  evidenceRequired: z.boolean().default(false),
});

export const projectBody = z.object({
  code: required(40),
  name: required(200),
  year: z.number().int().min(2000).max(2100),
  level: z.enum(LEVELS),
  category: required(60),
  content: text(2000).default(''),
  leadUnitId: idSchema,
  coUnitIds: z.array(idSchema).max(30).default([]),
  contactLeader: text(60).default(''),
  sites: z.array(required(200)).max(30).default([]),
  outputs: z.array(output).max(20).default([]),
  indicatorIds: z.array(idSchema).max(20).default([]),
  startDate: isoDate,
  deadline: isoDate,
  reportInterval: z.enum(REPORT_INTERVALS).default('monthly'),
  manualProgress: z
    .object({ value: z.number().min(0).max(1), reason: text(500) })
    .nullable()
    .default(null),
  milestones: z.array(milestoneInput).max(50),
});
export type ProjectBody = z.infer<typeof projectBody>;

export const milestoneView = z.object({
  id: z.string(),
  title: z.string(),
  plannedDate: z.string(),
  doneDate: z.string().nullable(),
  weight: z.number(),
  evidenceRequired: z.boolean(),
});

export const projectSummary = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  year: z.number(),
  level: z.enum(LEVELS),
  category: z.string(),
  leadUnitId: z.string(),
  leadUnitName: z.string(),
  coUnitNames: z.array(z.string()),
  contactLeader: z.string(),
  deadline: z.string(),
  progress: z.number(),
  status: z.enum(PROJECT_STATUSES),
  updateMissing: z.boolean(),
  openTasks: z.number(),
});
export type ProjectSummary = z.infer<typeof projectSummary>;

export const updateView = z.object({
  id: z.string(),
  text: z.string(),
  outputs: z.array(z.object({ name: z.string(), value: z.number() })),
  milestoneIdsDone: z.array(z.string()),
  status: z.string(),
  reviewComment: z.string().nullable(),
  authorName: z.string(),
  createdAt: z.string(),
  photos: z.array(evidencePhoto),
});

export const projectDetail = projectSummary.extend({
  content: z.string(),
  coUnitIds: z.array(z.string()),
  sites: z.array(z.string()),
  outputs: z.array(output),
  indicatorIds: z.array(z.string()),
  /** The indicators the project moves. */
  indicators: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
  startDate: z.string(),
  reportInterval: z.enum(REPORT_INTERVALS),
  manualProgress: z.object({ value: z.number(), reason: z.string() }).nullable(),
  milestones: z.array(milestoneView),
  updates: z.array(updateView),
  tasks: z.array(taskSummary),
});
export type ProjectDetail = z.infer<typeof projectDetail>;

export const updateBody = z.object({
  text: required(5000),
  outputs: z
    .array(z.object({ name: required(60), value: z.number().min(0).max(1e9) }))
    .max(20)
    .default([]),
  milestoneIdsDone: z.array(idSchema).max(50).default([]),
  photoIds: z.array(idSchema).max(20).default([]),
});
export const reviewUpdateBody = z.object({
  decision: z.enum(['verify', 'return']),
  comment: text(1000).default(''),
});

// ---------- inbox, dashboard, bulletin ----------

export const inboxItem = z.object({
  kind: z.enum([
    'task_accept',
    'task_answer',
    'task_returned',
    'task_verify',
    'extension_decide',
    'update_acknowledge',
    'update_returned',
    'report_returned',
  ]),
  id: z.string(),
  title: z.string(),
  unitName: z.string(),
  deadline: z.string().nullable(),
  light: light.nullable(),
  urgency: z.enum(URGENCIES),
  link: z.string(),
  since: z.string(),
});
export type InboxItem = z.infer<typeof inboxItem>;
export const inboxView = z.object({ items: z.array(inboxItem), count: z.number() });

export const dashboardView = z.object({
  projects: z.object({
    byStatus: z.record(z.string(), z.number()),
    byLevel: z.array(z.object({ level: z.string(), status: z.string(), count: z.number() })),
  }),
  tasks: z.object({
    byState: z.record(z.string(), z.number()),
    byLight: z.record(z.string(), z.number()),
    byUnit: z.array(
      z.object({
        unitId: z.string(),
        unitName: z.string(),
        total: z.number(),
        open: z.number(),
        overdue: z.number(),
        closed: z.number(),
      }),
    ),
  }),
  overdue: z.array(taskSummary),
});

export const bulletinQuery = z.object({ from: isoDate, to: isoDate });
export const bulletinRow = z.object({
  unitId: z.string(),
  unitName: z.string(),
  tasks: z.number(),
  closed: z.number(),
  closedOnTime: z.number(),
  onTimeRate: z.number().nullable(),
  overdueOpen: z.number(),
  returns: z.number(),
  overdueDays: z.number(),
  score: z.number().nullable(),
});
export const bulletinView = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(bulletinRow),
  overdue: z.array(taskSummary),
  returned: z.array(taskSummary),
});
export type BulletinView = z.infer<typeof bulletinView>;
