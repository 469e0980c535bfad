// Request and response schemas of the showcase event: setup, judges, agenda, live scoring, results,
// stage timer, host console, big screen and live messages. Types are inferred, never written twice.
import { z } from 'zod';
import { boundedNumber, idSchema, isoDate, type NumberBounds, shortText } from '../../kernel/schemas.ts';
import { trackView } from '../accounts/schemas.ts';

/** Set by the organizer who confirmed that a change after publication withdraws the publication. */
const withdrawPublication = z.boolean().optional();

/**
 * What the rubric's numbers may be. A criterion is worth at most 1000 points, scored in steps of at
 * least 0.01 (results show at most 4 decimals); a panel's weight is at least 0.01 (0 would leave its
 * judges out of every score). A score, hence a grade threshold, is at most 20 criteria × 1000 points.
 */
export const rubricBounds = Object.freeze({
  maxPoints: { min: 0.01, max: 1000 },
  step: { min: 0.01, max: 100 },
  panelWeight: { min: 0.01, max: 1000 },
  gradeMin: { min: 0, max: 20 * 1000 },
} satisfies Record<string, NumberBounds>);

// ---------- events ----------
const gradeBand = z.object({
  key: z.string().min(1).max(32),
  labelZh: z.string().min(1).max(32),
  labelEn: z.string().max(32),
});
// Settings are read back from storage and export files with the schemas of the time they were written:
// only what a request sets is held to today's bounds (a threshold's), so an older value still shows.
const gradeBandsOf = (thresholdMin: z.ZodNumber) =>
  z.discriminatedUnion('kind', [
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
        .array(gradeBand.extend({ min: thresholdMin }))
        .min(1)
        .max(10),
    }),
  ]);
export const gradeBandsSchema = gradeBandsOf(z.number());
const scoringSettingsOf = (gradeBands: ReturnType<typeof gradeBandsOf>) =>
  z.object({
    trimK: z.number().int().min(0).max(10),
    trimMinRemaining: z.number().int().min(1).max(100),
    decimals: z.number().int().min(0).max(4),
    overtimePenalty: z.object({
      points: z.number().min(0).max(100),
      perSeconds: z.number().int().min(1).max(3600),
    }),
    gradeBands,
    tieBreakPanelId: z.string().nullable(),
    /** A client that does not know the rule yet keeps the default. */
    quorumPercent: z.number().int().min(0).max(100).default(50),
  });
export const scoringSettingsSchema = scoringSettingsOf(gradeBandsSchema);
/** The settings a request may set. */
export const scoringSettingsBody = scoringSettingsOf(gradeBandsOf(boundedNumber(rubricBounds.gradeMin)));
export type ScoringSettingsView = z.infer<typeof scoringSettingsSchema>;

export const eventStatus = z.enum(['draft', 'active', 'locked']);
/** What names an event wherever it is shown: the big screen, a list, an export file. */
export const eventHeading = z.object({
  id: z.string(),
  title: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  venue: z.string(),
});
export const eventSummary = eventHeading.extend({
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
  settings: scoringSettingsBody.optional(),
  /** Copies rubric, panels, judges (with affiliations), tracks, agenda and settings from that event. */
  copyFromEventId: idSchema.optional(),
});
export const updateEventBody = z.object({
  title: shortText.optional(),
  startDate: isoDate.optional(),
  endDate: isoDate.optional(),
  venue: z.string().trim().max(200).optional(),
  trackIds: z.array(idSchema).optional(),
  settings: scoringSettingsBody.optional(),
  /** Required (with confirm) when scoring has begun: the change is audited. */
  reason: z.string().trim().max(500).optional(),
});

export const criterionBody = z.object({
  id: idSchema.optional(),
  nameZh: shortText,
  nameEn: z.string().trim().max(200).default(''),
  maxPoints: boundedNumber(rubricBounds.maxPoints),
  step: boundedNumber(rubricBounds.step),
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
  weight: boundedNumber(rubricBounds.panelWeight),
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
/** Where the QR codes point: a base only this machine reaches is a warning, with the alternatives. */
export const inviteAddressView = z.object({
  base: z.string(),
  localOnly: z.boolean(),
  networkBases: z.array(z.string()),
});
export type InviteAddressView = z.infer<typeof inviteAddressView>;
// url is null for a live link that cannot be shown again (issued before links were derived from the
// server's link key, or under another key): it still signs in; a new link is needed to print it.
export const inviteView = z.object({
  judgeId: z.string(),
  judgeName: z.string(),
  url: z.string().nullable(),
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
  withdrawPublication,
});
/** Closing below the quorum is refused unless the organizer confirmed the counts. */
export const closeSlotBody = z.object({ confirmBelowQuorum: z.boolean().optional() }).nullish();
/** A reason is needed when units are below the quorum (quorum_reason_required). */
export const publishBody = z.object({ quorumReason: z.string().trim().max(500).optional() }).nullish();
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
  unitId: z.string(),
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
// Any text up to a bound: a mistyped or cut link is answered as an invalid link (invite_invalid,
// screen_token_invalid), in the holder's words, not as a schema violation.
const linkTokenText = z.string().max(512);
export const judgeSessionBody = z.object({ token: linkTokenText });

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
  /** False when a panel's participation is below the event's quorum (a snapshot from before: true). */
  quorumMet: z.boolean().default(true),
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
  /** The publication's number (1, 2 … after a withdrawal); null for live results. */
  version: z.number().int().min(1).nullable().default(null),
  /** Why the organizer published with units below the quorum (printed with the results). */
  quorumReason: z.string().nullable().default(null),
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
export const revealBody = z.object({
  trackId: idSchema,
  revealed: z.boolean().default(true),
  /** Reveal although some of the track's units are not closed (the organizer saw the list). */
  confirmIncomplete: z.boolean().optional(),
});

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

// ---------- live scoring: slot control and route parameters ----------
export type ProgressView = z.infer<typeof progressView>;
export const eventSlotParams = z.object({ id: idSchema, slotId: idSchema });
/**
 * What POST …/reopen accepts. Looser than reopenBody (which the console's form uses) on purpose: an
 * empty reason reaches the service, which answers with the specific reopen_reason_required.
 */
export const reopenRequestBody = z.object({ reason: z.string().max(500).default(''), withdrawPublication });

// ---------- event day: stage timer, host console, big screen, live updates ----------
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
  /** For stop on a closed slot: why its recorded overtime changes (as for a manual correction). */
  reason: z.string().trim().max(500).optional(),
  withdrawPublication,
});
export const screenMode = z.enum(['title', 'agenda', 'speaker', 'slides', 'progress', 'reveal']);
export type ScreenMode = z.infer<typeof screenMode>;
export const screenTheme = z.enum(['red', 'neutral']);
export const screenSettingsBody = z.object({
  mode: screenMode.optional(),
  /** The track whose ranking the reveal mode shows; it must be revealed first. */
  trackId: idSchema.nullable().optional(),
  theme: screenTheme.optional(),
  autoOpenOnStop: z.boolean().optional(),
  /** How many units of the track the reveal shows, from the last place up; null shows all. */
  revealCount: z.number().int().min(0).max(10_000).nullable().optional(),
});
export const currentSlotBody = z.object({ slotId: idSchema.nullable() });
/** No template allows more than 40 slides; the index names the slot so a late click cannot page another unit. */
export const MAX_SLIDE_INDEX = 99;
export const screenSlideBody = z.object({
  slotId: idSchema,
  index: z.number().int().min(0).max(MAX_SLIDE_INDEX),
});

/** Everything the big screen may show: never a value before it is revealed, never a judge's name. */
export const screenState = z.object({
  event: eventHeading,
  mode: screenMode,
  theme: screenTheme,
  current: z
    .object({
      slotId: z.string(),
      unitId: z.string(),
      unitName: z.string(),
      trackName: z.string(),
      position: z.number().int(),
      state: slotState,
      timer: timerView,
      progress: z.object({ scored: z.number().int(), eligible: z.number().int() }),
      /** The slide of the unit's showcase deck the screen shows in slides mode (0-based). */
      slide: z.number().int(),
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
      /** Units in the track's ranking, and how many of them are shown so far (from the last place up). */
      total: z.number().int(),
      shown: z.number().int(),
      rows: z.array(
        z.object({
          rank: z.number().int().nullable(),
          unitName: z.string(),
          score: z.number().nullable(),
          penalty: z.number(),
          grade: gradeView,
          quorumMet: z.boolean(),
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
  screen: z.object({
    mode: screenMode,
    trackId: z.string().nullable(),
    theme: screenTheme,
    revealCount: z.number().int().nullable(),
    /** The slide of the current slot's deck on the screen (0-based). */
    slide: z.number().int(),
  }),
  autoOpenOnStop: z.boolean(),
  slots: z.array(slotView.extend({ timer: timerView })),
  progress: z.array(slotProgress),
  revealedTrackIds: z.array(z.string()),
});
export type HostState = z.infer<typeof hostState>;

export const screenTokenView = z.object({
  id: z.string(),
  label: z.string(),
  /** Null as for an invite: the link works but cannot be shown again. */
  url: z.string().nullable(),
  createdAt: z.string(),
});
export type ScreenTokenView = z.infer<typeof screenTokenView>;
export const screenTokenBody = z.object({ label: z.string().trim().max(100).default('') });
export const screenSessionBody = z.object({ token: linkTokenText });

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
