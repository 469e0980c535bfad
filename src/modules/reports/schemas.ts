// The reports module's messages, shared by the server and the web; types inferred from them.
import { z } from 'zod';
import { idSchema } from '../../kernel/schemas.ts';
import { limitBounds, sectionKinds } from './domain/template.ts';

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/);
const limit = (k: keyof typeof limitBounds) =>
  z.number().int().min(limitBounds[k].min).max(limitBounds[k].max);

export const reportTemplate = z.object({
  sections: z.array(z.enum(sectionKinds)).min(1).max(sectionKinds.length),
  limits: z.object({
    maxSlides: limit('maxSlides'),
    maxCharsPerItem: limit('maxCharsPerItem'),
    maxTitleChars: limit('maxTitleChars'),
    maxHighlights: limit('maxHighlights'),
    maxItemsPerSection: limit('maxItemsPerSection'),
    maxPhotosPerSlide: limit('maxPhotosPerSlide'),
  }),
  look: z.object({
    eventTitle: z.string().trim().min(1).max(100),
    primaryColor: hexColor,
    accentColor: hexColor,
    theme: z.enum(['red', 'neutral']),
  }),
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const periodKey = z.string().regex(/^\d{4}-(M(0[1-9]|1[0-2])|Q[1-4])$/);

export const templateView = z.object({
  template: reportTemplate,
  periodKey: periodKey.nullable(),
  deadline: isoDate.nullable(),
  /** Reports no longer change once the event has started (its first slot opened). */
  locked: z.boolean(),
  /** The event's first day: the date on every cover. */
  eventDate: z.string(),
  /** The event has a logo for the covers (GET …/reports/template/logo). */
  hasLogo: z.boolean(),
});
export type TemplateView = z.infer<typeof templateView>;
export const templateBody = z.object({
  template: reportTemplate,
  periodKey: periodKey.nullable(),
  deadline: isoDate.nullable(),
});

export const requiredItemView = z.object({
  id: z.string(),
  kind: z.enum(['indicator', 'work']),
  indicatorId: z.string().nullable(),
  title: z.string(),
});
export const requiredBody = z.object({
  items: z
    .array(
      z.object({
        kind: z.enum(['indicator', 'work']),
        indicatorId: idSchema.nullable().default(null),
        title: z.string().trim().min(1).max(60),
      }),
    )
    .max(50),
});

// Bounds here only keep a request small; the template's limits are the rules, checked on submission.
const text = (max: number) => z.string().max(max);
export const reportContent = z.object({
  speaker: text(60),
  highlights: z
    .array(
      z.object({
        title: text(60),
        text: text(1000),
        figures: z.array(z.object({ label: text(60), value: text(30) })).max(4),
        photoIds: z.array(idSchema).max(4),
      }),
    )
    .max(10),
  shortfalls: z
    .array(
      z.object({ indicatorId: idSchema.nullable(), title: text(60), cause: text(1000), measure: text(1000) }),
    )
    .max(30),
  nextSteps: z.array(z.object({ commitment: text(1000), owner: text(60), due: text(10) })).max(30),
  workItems: z.array(z.object({ requiredItemId: idSchema, text: text(1000) })).max(50),
});

export const reportStatus = z.enum(['draft', 'submitted', 'verified', 'returned']);

export const factView = z.object({
  indicatorId: z.string(),
  code: z.string(),
  name: z.string(),
  measure: z.string(),
  target: z.number(),
  actual: z.number().nullable(),
  completionPct: z.number().nullable(),
  expectedPct: z.number(),
  light: z.enum(['green', 'yellow', 'red', 'grey', 'overdue']),
  explanation: z.string(),
  ranking: z.object({ from: z.number().nullable(), to: z.number(), outOf: z.number().nullable() }).nullable(),
  source: z.object({
    periodKey: z.string(),
    verifiedBy: z.string().nullable(),
    verifiedAt: z.string().nullable(),
  }),
});

export const problemView = z.object({ code: z.string(), message: z.string() });
export const commentView = z.object({ path: z.string(), text: z.string() });

export const reportView = z.object({
  eventId: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  /** null: not started. */
  status: reportStatus.nullable(),
  version: z.number().int(),
  content: reportContent,
  required: z.array(requiredItemView),
  /** The frozen facts once submitted, else the live ones. */
  facts: z.array(factView),
  /** Required indicators whose live numbers now differ from the frozen ones. */
  staleIndicatorIds: z.array(z.string()),
  /** What stops a submission now, in the caller's language. */
  problems: z.array(problemView),
  comments: z.array(commentView),
  submittedAt: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  locked: z.boolean(),
});
export type ReportView = z.infer<typeof reportView>;

export const reportSummaryView = z.object({
  unitId: z.string(),
  unitName: z.string(),
  trackId: z.string(),
  position: z.number().int(),
  status: reportStatus.nullable(),
  version: z.number().int(),
  submittedAt: z.string().nullable(),
});

export const saveReportBody = z.object({ content: reportContent });
export const reviewReportBody = z.object({
  decision: z.enum(['verify', 'return']),
  comments: z
    .array(commentView.extend({ text: z.string().trim().min(1).max(500) }))
    .max(50)
    .default([]),
});
export const unitParams = z.object({ id: idSchema, unitId: idSchema });
export const compareQuery = z.object({
  from: z.coerce.number().int().min(1),
  to: z.coerce.number().int().min(1),
});
export const revisionView = z.object({
  version: z.number().int(),
  status: reportStatus,
  actorName: z.string(),
  createdAt: z.string(),
});
export const changeView = z.object({
  path: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
});

/** What a judge's phone shows of the unit on stage: its slides' titles and required indicators. */
export const reportOutline = z.object({
  unitName: z.string(),
  titles: z.array(z.string()),
  indicators: z.array(
    factView.pick({
      name: true,
      measure: true,
      target: true,
      actual: true,
      completionPct: true,
      expectedPct: true,
      light: true,
      ranking: true,
    }),
  ),
});
export type ReportOutline = z.infer<typeof reportOutline>;

export const photoView = z.object({
  id: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  size: z.number().int(),
  createdAt: z.string(),
});
export const photoParams = z.object({ id: idSchema, unitId: idSchema, photoId: idSchema });
