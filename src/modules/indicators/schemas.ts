// Request and response schemas of indicators: framework, indicators, periods, actuals, rankings,
// light rules and dashboards. Types are inferred, never written twice.
import { z } from 'zod';
import {
  boundedNumber,
  idSchema,
  importRowError,
  isoDate,
  type NumberBounds,
  shortText,
  sortOrder,
} from '../../kernel/schemas.ts';

/**
 * What an indicator's numbers may be (docs/indicators.md, "Bounds"). Values (actuals, baselines,
 * targets, tiers and planned values, in the indicator's unit of measure) are at most 10^12 in magnitude,
 * with at most 6 decimals: 10^12 is far above any county figure (GDP in 元 included), and with 6
 * decimals two values differ by 0 or at least 10^-6, so a completion stays below 2·10^18 and every
 * figure derived from it (gap in points, percentages) stays finite. The Excel imports and the rules'
 * last check (domain/lights.ts) use the same bounds.
 */
export const indicatorBounds = Object.freeze({
  value: { min: -1e12, max: 1e12, maxDecimals: 6 },
  /** Weight in the unit's assessment score: 0 leaves the indicator out of it. */
  weight: { min: 0, max: 1000 },
  /** A rank r of n: n is at most 100,000 (China has about 2,800 counties). */
  rank: { min: 1, max: 100_000, integer: true },
  /** A star band's least completion (1 = 100%), or rank share: up to ±1000%. */
  starMin: { min: -10, max: 10 },
} satisfies Record<string, NumberBounds>);
const indicatorValue = boundedNumber(indicatorBounds.value);
const indicatorWeight = boundedNumber(indicatorBounds.weight);
const rankNumber = boundedNumber(indicatorBounds.rank);

// ---------- indicators ----------
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
  sort: sortOrder.default(0),
});
export const frameworkNodePatch = z
  .object({
    parentId: idSchema.nullable(),
    code: z.string().trim().min(1).max(32),
    name: shortText,
    sort: sortOrder,
  })
  .partial();

const planOf = (value: z.ZodNumber) =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('linear') }),
    z.object({ kind: z.literal('phased'), expected: z.record(periodKey, value) }),
  ]);
/** A plan as stored and shown: read with the bounds of the time it was written, so an older one still shows. */
export const planSchema = planOf(z.number());
/** A plan a request or an import sets: planned values are indicator values. */
export const planBody = planOf(indicatorValue);
export const indicatorBody = z.object({
  nodeId: idSchema,
  code: z.string().trim().min(1).max(32),
  name: shortText,
  measure: z.string().trim().min(1).max(20),
  direction: directionSchema,
  kind: indicatorKindSchema,
  year: z.number().int().min(2000).max(2100),
  baseline: indicatorValue,
  target: indicatorValue,
  tierFloor: indicatorValue.nullable().default(null),
  tierStretch: indicatorValue.nullable().default(null),
  unitId: idSchema,
  coUnitIds: z.array(idSchema).max(50).default([]),
  frequency: frequencySchema,
  plan: planBody.default({ kind: 'linear' }),
  weight: indicatorWeight.default(1),
  lightSource: z.enum(['completion', 'rank']).default('completion'),
  sort: sortOrder.default(0),
});
export const indicatorPatch = z
  .object({
    nodeId: idSchema,
    code: z.string().trim().min(1).max(32),
    name: shortText,
    measure: z.string().trim().min(1).max(20),
    direction: directionSchema,
    kind: indicatorKindSchema,
    baseline: indicatorValue,
    target: indicatorValue,
    tierFloor: indicatorValue.nullable(),
    tierStretch: indicatorValue.nullable(),
    unitId: idSchema,
    coUnitIds: z.array(idSchema).max(50),
    frequency: frequencySchema,
    plan: planBody,
    weight: indicatorWeight,
    lightSource: z.enum(['completion', 'rank']),
    sort: sortOrder,
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
  value: indicatorValue,
  note: z.string().trim().max(2000).default(''),
  submit: z.boolean().default(false),
  /** Yes, this value is meant (unusualActual: a negative value of a count, an area, an amount). */
  confirmUnusual: z.boolean().default(false),
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
  rank: rankNumber,
  outOf: rankNumber,
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

// Rules are shown as stored: only a request is held to today's bound on a star band's least value.
const lightRulesOf = (starMin: z.ZodNumber) =>
  z.object({
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
          .array(z.object({ stars: z.number().int().min(1).max(5), min: starMin }))
          .min(1)
          .max(5),
      })
      .nullable()
      .default(null),
  });
export const lightRulesBody = lightRulesOf(boundedNumber(indicatorBounds.starMin));
export const lightRulesView = lightRulesOf(z.number()).extend({
  version: z.number().int(),
  createdAt: z.string(),
});

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
/** GET /api/dashboard/lights: the light of every indicator the caller may open, in one period. */
export const periodLightsView = z.object({ periodKey: z.string(), items: z.array(indicatorStatusView) });
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
  /** Rows applied that deserve a second look (a negative count…), with why. */
  warnings: z.array(importRowError),
});
