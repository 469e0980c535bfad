// Request and response schemas shared by the server (validation + OpenAPI) and the web apps (types).
// One schema per message; types are inferred, never written twice.
import { z } from 'zod';

export const roleSchema = z.enum(['organizer', 'reporter', 'leader', 'observer']);
export type Role = z.infer<typeof roleSchema>;
export const unitKindSchema = z.enum(['town', 'street', 'zone', 'department']);
export type UnitKind = z.infer<typeof unitKindSchema>;

export const idSchema = z.string().min(1).max(64);
export const idParams = z.object({ id: idSchema });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const shortText = z.string().trim().min(1).max(200);

export const errorBody = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof errorBody>;

// ---------- auth & accounts ----------
export const loginBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
});
export const userView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  unitId: z.string().nullable(),
  mustChangePassword: z.boolean(),
  disabled: z.boolean(),
});
export type UserView = z.infer<typeof userView>;
export const judgeIdentity = z.object({
  judgeId: z.string(),
  name: z.string(),
  eventId: z.string(),
  panelName: z.string(),
});
export const meView = z.object({
  kind: z.enum(['user', 'judge', 'screen']),
  user: userView.nullable(),
  judge: judgeIdentity.nullable(),
  screen: z.object({ eventId: z.string() }).nullable().optional(),
});
export type MeView = z.infer<typeof meView>;
export const changePasswordBody = z.object({
  oldPassword: z.string().min(1).max(200),
  newPassword: z.string().min(1).max(200),
});
export const createUserBody = z.object({
  username: z
    .string()
    .trim()
    .min(2)
    .max(64)
    .regex(/^[A-Za-z0-9_.-]+$/),
  displayName: shortText,
  role: roleSchema,
  unitId: idSchema.nullable().default(null),
});
export const updateUserBody = z.object({
  displayName: shortText.optional(),
  role: roleSchema.optional(),
  unitId: idSchema.nullable().optional(),
  disabled: z.boolean().optional(),
});
export const oneTimePasswordView = z.object({ user: userView, oneTimePassword: z.string() });

// ---------- tracks & units ----------
export const trackView = z.object({
  id: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  sort: z.number().int(),
});
export type TrackView = z.infer<typeof trackView>;
export const trackBody = z.object({
  nameZh: shortText,
  nameEn: z.string().trim().max(200).default(''),
  sort: z.number().int().default(0),
});
// Patches list their fields without defaults: Zod 4 applies a field's .default() even under
// .partial(), so a PATCH that leaves a field out would silently reset it.
export const trackPatch = z
  .object({ nameZh: shortText, nameEn: z.string().trim().max(200), sort: z.number().int() })
  .partial();

export const unitView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  shortName: z.string(),
  kind: unitKindSchema,
  trackId: z.string().nullable(),
  sort: z.number().int(),
});
export type UnitView = z.infer<typeof unitView>;
export const unitBody = z.object({
  code: z.string().trim().min(1).max(32),
  name: shortText,
  shortName: z.string().trim().max(50).default(''),
  kind: unitKindSchema,
  trackId: idSchema.nullable().default(null),
  sort: z.number().int().default(0),
});
export const unitPatch = z
  .object({
    code: z.string().trim().min(1).max(32),
    name: shortText,
    shortName: z.string().trim().max(50),
    kind: unitKindSchema,
    trackId: idSchema.nullable(),
    sort: z.number().int(),
  })
  .partial();
export const importRowError = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof importRowError>;
export const importResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});

// ---------- events ----------
const gradeBand = z.object({
  key: z.string().min(1).max(32),
  labelZh: z.string().min(1).max(32),
  labelEn: z.string().max(32),
});
export const gradeBandsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('rankShare'),
    bands: z
      .array(gradeBand.extend({ share: z.number().min(0).max(1) }))
      .min(1)
      .max(10),
  }),
  z.object({
    kind: z.literal('threshold'),
    bands: z
      .array(gradeBand.extend({ min: z.number() }))
      .min(1)
      .max(10),
  }),
]);
export const scoringSettingsSchema = z.object({
  trimK: z.number().int().min(0).max(10),
  trimMinRemaining: z.number().int().min(1).max(100),
  decimals: z.number().int().min(0).max(4),
  overtimePenalty: z.object({
    points: z.number().min(0).max(100),
    perSeconds: z.number().int().min(1).max(3600),
  }),
  gradeBands: gradeBandsSchema,
  tieBreakPanelId: z.string().nullable(),
});
export type ScoringSettingsView = z.infer<typeof scoringSettingsSchema>;

export const eventStatus = z.enum(['draft', 'active', 'locked']);
export const eventSummary = z.object({
  id: z.string(),
  title: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  venue: z.string(),
  status: eventStatus,
  publishedAt: z.string().nullable(),
});
export type EventSummary = z.infer<typeof eventSummary>;
export const createEventBody = z.object({
  title: shortText,
  startDate: isoDate,
  endDate: isoDate,
  venue: z.string().trim().max(200).default(''),
  trackIds: z.array(idSchema).default([]),
  settings: scoringSettingsSchema.optional(),
  /** Copies rubric, panels, judges (with affiliations), tracks, agenda and settings from that event. */
  copyFromEventId: idSchema.optional(),
});
export const updateEventBody = z.object({
  title: shortText.optional(),
  startDate: isoDate.optional(),
  endDate: isoDate.optional(),
  venue: z.string().trim().max(200).optional(),
  trackIds: z.array(idSchema).optional(),
  settings: scoringSettingsSchema.optional(),
  /** Required (with confirm) when scoring has begun: the change is audited. */
  reason: z.string().trim().max(500).optional(),
});

export const criterionBody = z.object({
  id: idSchema.optional(),
  nameZh: shortText,
  nameEn: z.string().trim().max(200).default(''),
  maxPoints: z.number().positive().max(1000),
  step: z.number().positive().max(100),
});
export const criterionView = z.object({
  id: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  maxPoints: z.number(),
  step: z.number(),
  sort: z.number().int(),
});
export type CriterionView = z.infer<typeof criterionView>;
export const replaceCriteriaBody = z.object({
  criteria: z.array(criterionBody).min(1).max(20),
  reason: z.string().trim().max(500).optional(),
});

export const panelBody = z.object({
  id: idSchema.optional(),
  name: shortText,
  weight: z.number().positive().max(1000),
});
export const panelView = z.object({
  id: z.string(),
  name: z.string(),
  weight: z.number(),
  sort: z.number().int(),
});
export type PanelView = z.infer<typeof panelView>;
export const replacePanelsBody = z.object({
  panels: z.array(panelBody).min(1).max(20),
  reason: z.string().trim().max(500).optional(),
});

export const judgeBody = z.object({
  name: shortText,
  title: z.string().trim().max(200).default(''),
  panelId: idSchema,
  affiliatedUnitIds: z.array(idSchema).max(100).default([]),
});
export const judgePatch = z
  .object({
    name: shortText,
    title: z.string().trim().max(200),
    panelId: idSchema,
    affiliatedUnitIds: z.array(idSchema).max(100),
  })
  .partial();
export const judgeView = z.object({
  id: z.string(),
  name: z.string(),
  title: z.string(),
  panelId: z.string(),
  affiliatedUnitIds: z.array(z.string()),
  sort: z.number().int(),
  inviteActive: z.boolean(),
});
export type JudgeView = z.infer<typeof judgeView>;
export const inviteView = z.object({
  judgeId: z.string(),
  judgeName: z.string(),
  url: z.string(),
  createdAt: z.string(),
});
export type InviteView = z.infer<typeof inviteView>;

export const slotState = z.enum(['pending', 'open', 'closed']);
export const slotView = z.object({
  id: z.string(),
  trackId: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  position: z.number().int(),
  timeLimitSec: z.number().int(),
  overtimeSec: z.number().int(),
  manualPenalty: z.number(),
  state: slotState,
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export type SlotView = z.infer<typeof slotView>;
export const agendaBody = z.object({
  slots: z
    .array(
      z.object({ unitId: idSchema, trackId: idSchema, timeLimitSec: z.number().int().min(30).max(7200) }),
    )
    .max(500),
});
export const drawBody = z.object({ seed: z.string().trim().min(1).max(64).optional() });
export const slotPatch = z.object({
  overtimeSec: z.number().int().min(0).max(36000).optional(),
  manualPenalty: z.number().min(0).max(100).optional(),
  timeLimitSec: z.number().int().min(30).max(7200).optional(),
  reason: z.string().trim().max(500).optional(),
});
export const reopenBody = z.object({ reason: z.string().trim().min(1).max(500) });

export const eventDetail = z.object({
  event: eventSummary.extend({
    settings: scoringSettingsSchema,
    drawSeed: z.string().nullable(),
    scoringStarted: z.boolean(),
    revealedTrackIds: z.array(z.string()),
    ledgerHead: z.string(),
  }),
  tracks: z.array(trackView),
  criteria: z.array(criterionView),
  panels: z.array(panelView),
  judges: z.array(judgeView),
  slots: z.array(slotView),
});
export type EventDetail = z.infer<typeof eventDetail>;

// ---------- live scoring ----------
export const slotProgress = z.object({
  slotId: z.string(),
  state: slotState,
  scored: z.number().int(),
  eligible: z.number().int(),
  /** Names only, never values: who still has to score. Empty for observers. */
  missing: z.array(z.object({ judgeId: z.string(), name: z.string() })),
});
export type SlotProgress = z.infer<typeof slotProgress>;
export const progressView = z.object({ slots: z.array(slotProgress) });

export const submitScoreBody = z.object({
  clientId: z.string().min(8).max(64),
  slotId: idSchema,
  values: z.record(z.string(), z.unknown()),
});
export const submitScoreResult = z.object({
  entryId: z.string(),
  slotId: z.string(),
  total: z.number(),
  version: z.number().int(),
  duplicate: z.boolean(),
  createdAt: z.string(),
});
export type SubmitScoreResult = z.infer<typeof submitScoreResult>;

export const judgeSlotView = z.object({
  id: z.string(),
  unitName: z.string(),
  trackName: z.string(),
  position: z.number().int(),
  state: slotState,
  recused: z.boolean(),
  /** The stage timer of the slot (declared below with the event-day schemas). */
  timer: z
    .lazy(() => timerView)
    .nullable()
    .optional(),
  mine: z
    .object({
      values: z.record(z.string(), z.number()),
      total: z.number(),
      version: z.number().int(),
      createdAt: z.string(),
    })
    .nullable(),
});
export type JudgeSlotView = z.infer<typeof judgeSlotView>;
export const judgeState = z.object({
  event: z.object({ id: z.string(), title: z.string(), status: eventStatus }),
  judge: z.object({ id: z.string(), name: z.string(), panelName: z.string() }),
  criteria: z.array(criterionView),
  /** Open slots first, then the others in agenda order. */
  slots: z.array(judgeSlotView),
});
export type JudgeState = z.infer<typeof judgeState>;
export const judgeSessionBody = z.object({ token: z.string().min(16).max(128) });

// ---------- results ----------
export const gradeView = z.object({ key: z.string(), labelZh: z.string(), labelEn: z.string() }).nullable();
export const panelResultView = z.object({
  panelId: z.string(),
  score: z.number().nullable(),
  exact: z.string().nullable(),
  eligible: z.number().int(),
  scored: z.number().int(),
  trimmedHigh: z.array(z.number()),
  trimmedLow: z.array(z.number()),
  counted: z.number().int(),
});
export const unitResultView = z.object({
  slotId: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  trackId: z.string(),
  panels: z.array(panelResultView),
  raw: z.number().nullable(),
  rawExact: z.string().nullable(),
  penalty: z.number(),
  overtimePenalty: z.number(),
  manualPenalty: z.number(),
  score: z.number().nullable(),
  exact: z.string().nullable(),
  rank: z.number().int().nullable(),
  grade: gradeView,
  criterionAverages: z.record(z.string(), z.number().nullable()),
  participation: z.object({
    scored: z.number().int(),
    eligible: z.number().int(),
    recused: z.number().int(),
  }),
});
export type UnitResultView = z.infer<typeof unitResultView>;
export const resultsView = z.object({
  eventId: z.string(),
  computedAt: z.string(),
  ledgerHead: z.string(),
  ledgerLength: z.number().int(),
  publishedAt: z.string().nullable(),
  /** True when these are the frozen published results rather than a live computation. */
  published: z.boolean(),
  tracks: z.array(
    z.object({
      trackId: z.string(),
      trackName: z.string(),
      revealed: z.boolean(),
      rows: z.array(unitResultView),
    }),
  ),
});
export type ResultsView = z.infer<typeof resultsView>;
export const revealBody = z.object({ trackId: idSchema, revealed: z.boolean().default(true) });

export const auditEntryView = z.object({
  id: z.string(),
  actorName: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
});
export type AuditEntryView = z.infer<typeof auditEntryView>;

export const okBody = z.object({ ok: z.literal(true) });

// ---------- live scoring: slot control and route parameters ----------
export type ProgressView = z.infer<typeof progressView>;
export const eventSlotParams = z.object({ id: idSchema, slotId: idSchema });
/**
 * What POST …/reopen accepts. Looser than reopenBody (which the console's form uses) on purpose: an
 * empty reason reaches the service, which answers with the specific reopen_reason_required.
 */
export const reopenRequestBody = z.object({ reason: z.string().max(500).default('') });

// ---------- event day: stage timer, host console, big screen, live updates (issue 3) ----------
export const timerStatus = z.enum(['idle', 'running', 'paused', 'stopped']);
/** The raw timer state; clients compute the remaining time with domain/timer.ts readTimer + clock offset. */
export const timerView = z.object({
  slotId: z.string(),
  limitSec: z.number().int(),
  startedAt: z.string().nullable(),
  pausedAt: z.string().nullable(),
  pausedMs: z.number().int(),
  extendedSec: z.number().int(),
  stoppedAt: z.string().nullable(),
  status: timerStatus,
});
export type TimerView = z.infer<typeof timerView>;
export const timerActionBody = z.object({
  action: z.enum(['start', 'pause', 'resume', 'extend', 'stop', 'reset']),
  /** For extend: seconds to add. */
  seconds: z.number().int().min(1).max(3600).optional(),
});
export const screenMode = z.enum(['title', 'agenda', 'speaker', 'progress', 'reveal']);
export type ScreenMode = z.infer<typeof screenMode>;
export const screenTheme = z.enum(['red', 'neutral']);
export const screenSettingsBody = z.object({
  mode: screenMode.optional(),
  /** The track whose ranking the reveal mode shows; it must be revealed first. */
  trackId: idSchema.nullable().optional(),
  theme: screenTheme.optional(),
  autoOpenOnStop: z.boolean().optional(),
});
export const currentSlotBody = z.object({ slotId: idSchema.nullable() });

/** Everything the big screen may show: never a value before it is revealed, never a judge's name. */
export const screenState = z.object({
  event: z.object({
    id: z.string(),
    title: z.string(),
    startDate: z.string(),
    endDate: z.string(),
    venue: z.string(),
  }),
  mode: screenMode,
  theme: screenTheme,
  current: z
    .object({
      slotId: z.string(),
      unitName: z.string(),
      trackName: z.string(),
      position: z.number().int(),
      state: slotState,
      timer: timerView,
      progress: z.object({ scored: z.number().int(), eligible: z.number().int() }),
    })
    .nullable(),
  upNext: z.array(z.object({ unitName: z.string(), trackName: z.string(), position: z.number().int() })),
  agenda: z.array(
    z.object({
      trackId: z.string(),
      trackName: z.string(),
      slots: z.array(
        z.object({ slotId: z.string(), unitName: z.string(), position: z.number().int(), state: slotState }),
      ),
    }),
  ),
  reveal: z
    .object({
      trackId: z.string(),
      trackName: z.string(),
      /** The event's decimals setting: every score is shown with exactly this many (92.00, not 92). */
      decimals: z.number().int().min(0).max(4),
      rows: z.array(
        z.object({
          rank: z.number().int().nullable(),
          unitName: z.string(),
          score: z.number().nullable(),
          penalty: z.number(),
          grade: gradeView,
        }),
      ),
    })
    .nullable(),
});
export type ScreenState = z.infer<typeof screenState>;

/** The organizer's host console: one page runs the event. */
export const hostState = z.object({
  eventId: z.string(),
  status: eventStatus,
  currentSlotId: z.string().nullable(),
  screen: z.object({ mode: screenMode, trackId: z.string().nullable(), theme: screenTheme }),
  autoOpenOnStop: z.boolean(),
  slots: z.array(slotView.extend({ timer: timerView })),
  progress: z.array(slotProgress),
  revealedTrackIds: z.array(z.string()),
});
export type HostState = z.infer<typeof hostState>;

export const screenTokenView = z.object({
  id: z.string(),
  label: z.string(),
  url: z.string(),
  createdAt: z.string(),
});
export type ScreenTokenView = z.infer<typeof screenTokenView>;
export const screenTokenBody = z.object({ label: z.string().trim().max(100).default('') });
export const screenSessionBody = z.object({ token: z.string().min(16).max(128) });

export const liveAudience = z.enum(['organizer', 'observer', 'leader', 'screen', 'judge']);
export type LiveAudience = z.infer<typeof liveAudience>;
/** Server → client WebSocket messages. Snapshots are complete; the newest version wins. */
export const liveServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), audience: liveAudience, serverNow: z.number() }),
  z.object({ type: z.literal('pong'), t0: z.number(), serverNow: z.number() }),
  z.object({
    type: z.literal('snapshot'),
    version: z.number(),
    serverNow: z.number(),
    screen: screenState.optional(),
    host: hostState.optional(),
  }),
  /** Judges: something about the slots changed; refetch GET /api/judge/state. */
  z.object({ type: z.literal('refresh'), version: z.number(), serverNow: z.number() }),
]);
export type LiveServerMessage = z.infer<typeof liveServerMessage>;
export const liveClientMessage = z.object({ type: z.literal('ping'), t0: z.number() });

// ---------- indicators (issue 4) ----------
export const directionSchema = z.enum(['higher', 'lower']);
export const indicatorKindSchema = z.enum(['cumulative', 'point']);
export const frequencySchema = z.enum(['monthly', 'quarterly']);
export const actualStatus = z.enum(['draft', 'submitted', 'verified', 'returned']);
export type ActualStatus = z.infer<typeof actualStatus>;
export const lightSchema = z.enum(['green', 'yellow', 'red', 'grey', 'overdue']);
export type LightView = z.infer<typeof lightSchema>;
const periodKey = z.string().regex(/^\d{4}-(M(0[1-9]|1[0-2])|Q[1-4])$/, 'YYYY-Mmm or YYYY-Qn');
export const periodKeyParams = z.object({ key: periodKey });

export const frameworkNodeView = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(['program', 'task']),
  sort: z.number().int(),
});
export type FrameworkNodeView = z.infer<typeof frameworkNodeView>;
export const frameworkNodeBody = z.object({
  parentId: idSchema.nullable(),
  code: z.string().trim().min(1).max(32),
  name: shortText,
  kind: z.enum(['program', 'task']),
  sort: z.number().int().default(0),
});
export const frameworkNodePatch = z
  .object({
    parentId: idSchema.nullable(),
    code: z.string().trim().min(1).max(32),
    name: shortText,
    sort: z.number().int(),
  })
  .partial();

export const planSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('linear') }),
  z.object({ kind: z.literal('phased'), expected: z.record(periodKey, z.number()) }),
]);
export const indicatorBody = z.object({
  nodeId: idSchema,
  code: z.string().trim().min(1).max(32),
  name: shortText,
  measure: z.string().trim().min(1).max(20),
  direction: directionSchema,
  kind: indicatorKindSchema,
  year: z.number().int().min(2000).max(2100),
  baseline: z.number(),
  target: z.number(),
  tierFloor: z.number().nullable().default(null),
  tierStretch: z.number().nullable().default(null),
  unitId: idSchema,
  coUnitIds: z.array(idSchema).max(50).default([]),
  frequency: frequencySchema,
  plan: planSchema.default({ kind: 'linear' }),
  weight: z.number().min(0).max(1000).default(1),
  lightSource: z.enum(['completion', 'rank']).default('completion'),
  sort: z.number().int().default(0),
});
export const indicatorPatch = z
  .object({
    nodeId: idSchema,
    code: z.string().trim().min(1).max(32),
    name: shortText,
    measure: z.string().trim().min(1).max(20),
    direction: directionSchema,
    kind: indicatorKindSchema,
    baseline: z.number(),
    target: z.number(),
    tierFloor: z.number().nullable(),
    tierStretch: z.number().nullable(),
    unitId: idSchema,
    coUnitIds: z.array(idSchema).max(50),
    frequency: frequencySchema,
    plan: planSchema,
    weight: z.number().min(0).max(1000),
    lightSource: z.enum(['completion', 'rank']),
    sort: z.number().int(),
  })
  .partial();
export const indicatorView = z.object({
  id: z.string(),
  nodeId: z.string(),
  code: z.string(),
  name: z.string(),
  measure: z.string(),
  direction: directionSchema,
  kind: indicatorKindSchema,
  year: z.number().int(),
  baseline: z.number(),
  target: z.number(),
  tierFloor: z.number().nullable(),
  tierStretch: z.number().nullable(),
  unitId: z.string(),
  unitName: z.string(),
  coUnitIds: z.array(z.string()),
  frequency: frequencySchema,
  plan: planSchema,
  weight: z.number(),
  lightSource: z.enum(['completion', 'rank']),
  sort: z.number().int(),
});
export type IndicatorView = z.infer<typeof indicatorView>;

export const periodView = z.object({
  key: z.string(),
  year: z.number().int(),
  kind: z.enum(['month', 'quarter']),
  index: z.number().int(),
  label: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  dueDate: z.string(),
  graceDays: z.number().int(),
  locked: z.boolean(),
});
export type PeriodView = z.infer<typeof periodView>;
export const createPeriodsBody = z.object({
  year: z.number().int().min(2000).max(2100),
  frequency: frequencySchema,
  dueDayOffset: z.number().int().min(0).max(60).default(10),
  graceDays: z.number().int().min(0).max(60).default(5),
});
export const periodPatch = z
  .object({ dueDate: isoDate, graceDays: z.number().int().min(0).max(60), locked: z.boolean() })
  .partial();

export const actualView = z.object({
  id: z.string(),
  indicatorId: z.string(),
  periodKey: z.string(),
  value: z.number(),
  note: z.string(),
  status: actualStatus,
  returnReason: z.string().nullable(),
  version: z.number().int(),
  submittedAt: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  updatedAt: z.string(),
  evidence: z.array(
    z.object({ id: z.string(), fileName: z.string(), mime: z.string(), size: z.number().int() }),
  ),
});
export type ActualView = z.infer<typeof actualView>;
/** Reporter: save a draft or submit (own unit's indicators, unlocked period). */
export const saveActualBody = z.object({
  value: z.number().finite(),
  note: z.string().trim().max(2000).default(''),
  submit: z.boolean().default(false),
});
/** Organizer: verify, or return with a reason. */
export const reviewActualBody = z.object({
  decision: z.enum(['verify', 'return']),
  reason: z.string().trim().max(500).optional(),
});
export const actualRevisionView = z.object({
  version: z.number().int(),
  value: z.number(),
  note: z.string(),
  status: actualStatus,
  reason: z.string().nullable(),
  actorName: z.string(),
  createdAt: z.string(),
});

export const rankingBody = z.object({
  indicatorId: idSchema.nullable().default(null),
  unitId: idSchema.nullable().default(null),
  scope: z.string().trim().min(1).max(50),
  periodKey,
  rank: z.number().int().min(1),
  outOf: z.number().int().min(1),
  source: z.string().trim().max(200).default(''),
  publishedOn: isoDate.nullable().default(null),
});
export const rankingView = z.object({
  id: z.string(),
  indicatorId: z.string().nullable(),
  unitId: z.string().nullable(),
  scope: z.string(),
  periodKey: z.string(),
  rank: z.number().int(),
  outOf: z.number().int(),
  source: z.string(),
  publishedOn: z.string().nullable(),
  /** Change from the previous period of the same indicator/unit and scope: 89 → 32 is +57 (up). */
  change: z.object({
    previousRank: z.number().int().nullable(),
    delta: z.number().int().nullable(),
    direction: z.enum(['up', 'down', 'same', 'new']),
  }),
});
export type RankingView = z.infer<typeof rankingView>;

export const lightRulesBody = z.object({
  yellowWithinPoints: z.number().min(0).max(100),
  rankRed: z
    .object({ bottomShare: z.number().min(0).max(1) })
    .nullable()
    .default(null),
  rankYellow: z
    .object({ bottomShare: z.number().min(0).max(1) })
    .nullable()
    .default(null),
  stars: z
    .object({
      source: z.enum(['completion', 'rank']),
      bands: z
        .array(z.object({ stars: z.number().int().min(1).max(5), min: z.number() }))
        .min(1)
        .max(5),
    })
    .nullable()
    .default(null),
});
export const lightRulesView = lightRulesBody.extend({ version: z.number().int(), createdAt: z.string() });

/** One indicator's status in one period: the light explains itself in one sentence. */
export const indicatorStatusView = z.object({
  indicatorId: z.string(),
  code: z.string(),
  name: z.string(),
  measure: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  nodeId: z.string(),
  programId: z.string().nullable(),
  periodKey: z.string(),
  actual: z.number().nullable(),
  actualStatus: actualStatus.nullable(),
  target: z.number(),
  completion: z.number().nullable(),
  completionRaw: z.number().nullable(),
  expected: z.number(),
  gapPoints: z.number().nullable(),
  light: lightSchema,
  explanation: z.string(),
  stars: z.number().int().nullable(),
  rulesVersion: z.number().int(),
  latestRanking: rankingView.nullable(),
});
export type IndicatorStatusView = z.infer<typeof indicatorStatusView>;
export const overviewQuery = z.object({ period: periodKey });
export const overviewView = z.object({
  periodKey: z.string(),
  counts: z.object({
    green: z.number().int(),
    yellow: z.number().int(),
    red: z.number().int(),
    grey: z.number().int(),
    overdue: z.number().int(),
  }),
  /** Units × programs: the worst light and the counts in each cell. */
  heatmap: z.array(
    z.object({
      unitId: z.string(),
      unitName: z.string(),
      programId: z.string(),
      programName: z.string(),
      worst: lightSchema,
      counts: z.record(lightSchema, z.number().int()),
    }),
  ),
  laggards: z.array(indicatorStatusView),
  rankingChanges: z.array(
    rankingView.extend({ indicatorName: z.string().nullable(), unitName: z.string().nullable() }),
  ),
});
export type OverviewView = z.infer<typeof overviewView>;
/** The organizer's review queue of a period: every submitted value across units, with its light. */
export const reviewQueueView = z.object({
  periodKey: z.string(),
  items: z.array(z.object({ status: indicatorStatusView, actual: actualView })),
});
export type ReviewQueueView = z.infer<typeof reviewQueueView>;
export const unitIndicatorsView = z.object({
  unitId: z.string(),
  unitName: z.string(),
  periodKey: z.string(),
  items: z.array(indicatorStatusView),
  assessment: z.object({ score: z.number(), formula: z.string() }),
  rankings: z.array(rankingView),
});
export const indicatorHistoryView = z.object({
  indicator: indicatorView,
  points: z.array(
    z.object({
      periodKey: z.string(),
      label: z.string(),
      expected: z.number(),
      expectedValue: z.number(),
      actual: z.number().nullable(),
      completion: z.number().nullable(),
      light: lightSchema,
      explanation: z.string(),
    }),
  ),
  rankings: z.array(rankingView),
  revisions: z.array(actualRevisionView.extend({ periodKey: z.string() })),
});
export const indicatorImportResult = z.object({
  applied: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  errors: z.array(importRowError),
});
