// What a unit puts in its showcase report, what it must put there, and when it may be submitted. The
// numbers are not the unit's to type: they are facts taken from the verified indicator data and frozen
// into the submission, each with where it came from.
import type { TemplateLimits } from './template.ts';

export type FactLight = 'green' | 'yellow' | 'red' | 'grey' | 'overdue';

/** One required indicator as the deck shows it, frozen at submission. */
export interface IndicatorFact {
  indicatorId: string;
  code: string;
  name: string;
  measure: string;
  target: number;
  actual: number | null;
  /** Completion in percent, rounded for display; null without an actual. */
  completionPct: number | null;
  /** 序时进度 in percent. */
  expectedPct: number;
  light: FactLight;
  explanation: string;
  /** An external ranking with its change, e.g. 89 → 32. */
  ranking: { from: number | null; to: number; outOf: number | null } | null;
  source: { periodKey: string; verifiedBy: string | null; verifiedAt: string | null };
}

/** 必晒内容: an indicator or a work item the organizer requires this unit to show. */
export interface RequiredItem {
  id: string;
  kind: 'indicator' | 'work';
  /** For kind indicator. */
  indicatorId: string | null;
  title: string;
}

export interface KeyFigure {
  label: string;
  value: string;
}

export interface Highlight {
  title: string;
  text: string;
  figures: KeyFigure[];
  photoIds: string[];
}

export interface Shortfall {
  /** The indicator it explains, or null for a shortfall the unit adds of its own. */
  indicatorId: string | null;
  title: string;
  cause: string;
  measure: string;
}

export interface NextStep {
  commitment: string;
  owner: string;
  /** YYYY-MM-DD */
  due: string;
}

export interface WorkItemEntry {
  requiredItemId: string;
  text: string;
}

export interface ReportContent {
  speaker: string;
  highlights: Highlight[];
  shortfalls: Shortfall[];
  nextSteps: NextStep[];
  /** What the unit says on each required work item. */
  workItems: WorkItemEntry[];
}

export const emptyContent = (): ReportContent => ({
  speaker: '',
  highlights: [],
  shortfalls: [],
  nextSteps: [],
  workItems: [],
});

export type ListSection = 'highlights' | 'shortfalls' | 'nextSteps' | 'workItems';

export type SubmissionProblem =
  /** A required indicator lit yellow or red (or overdue) that no shortfall explains with cause and measure. */
  | { code: 'unexplainedShortfall'; indicatorCode: string; light: FactLight }
  | { code: 'missingRequiredItem'; title: string }
  | { code: 'missingField'; section: ListSection | 'cover'; index: number; field: string }
  | {
      code: 'tooLong';
      section: ListSection | 'cover';
      index: number;
      field: string;
      max: number;
      length: number;
    }
  | { code: 'tooManyItems'; section: ListSection; max: number; count: number }
  | { code: 'tooManyPhotos'; index: number; max: number; count: number }
  | { code: 'dueDateInvalid'; index: number };

/** Lights a unit must explain: the yellow, the red, and a value not reported in time. */
export const needsExplanation = (light: FactLight): boolean =>
  light === 'yellow' || light === 'red' || light === 'overdue';

const len = (s: string): number => [...s].length;
const blank = (s: string): boolean => s.trim() === '';

/**
 * Everything that stops a report from being submitted, in the order a reader meets it. Empty: it may
 * be submitted. The same rules run on every save, so the form shows them as the unit types.
 */
export function submissionProblems(
  content: ReportContent,
  required: readonly RequiredItem[],
  facts: readonly IndicatorFact[],
  limits: TemplateLimits,
): SubmissionProblem[] {
  const out: SubmissionProblem[] = [];
  const text = (section: ListSection | 'cover', index: number, field: string, value: string, max: number) => {
    if (blank(value)) out.push({ code: 'missingField', section, index, field });
    else if (len(value) > max) out.push({ code: 'tooLong', section, index, field, max, length: len(value) });
  };
  text('cover', 0, 'speaker', content.speaker, limits.maxTitleChars);

  const requiredIndicators = new Set(
    required.filter((r) => r.kind === 'indicator').map((r) => r.indicatorId),
  );
  for (const f of facts) {
    if (!requiredIndicators.has(f.indicatorId) || !needsExplanation(f.light)) continue;
    const explained = content.shortfalls.some(
      (s) => s.indicatorId === f.indicatorId && !blank(s.cause) && !blank(s.measure),
    );
    if (!explained) out.push({ code: 'unexplainedShortfall', indicatorCode: f.code, light: f.light });
  }
  for (const r of required) {
    if (r.kind !== 'work') continue;
    const entry = content.workItems.find((w) => w.requiredItemId === r.id);
    if (!entry || blank(entry.text)) out.push({ code: 'missingRequiredItem', title: r.title });
  }

  const count = (section: ListSection, n: number, max: number) => {
    if (n > max) out.push({ code: 'tooManyItems', section, max, count: n });
  };
  count('highlights', content.highlights.length, limits.maxHighlights);
  count('shortfalls', content.shortfalls.length, limits.maxItemsPerSection);
  count('nextSteps', content.nextSteps.length, limits.maxItemsPerSection);
  content.highlights.forEach((h, i) => {
    text('highlights', i, 'title', h.title, limits.maxTitleChars);
    text('highlights', i, 'text', h.text, limits.maxCharsPerItem);
    h.figures.forEach((fig, j) => {
      text('highlights', i, `figures.${j}.label`, fig.label, limits.maxTitleChars);
      text('highlights', i, `figures.${j}.value`, fig.value, 12);
    });
    if (h.photoIds.length > limits.maxPhotosPerSlide)
      out.push({ code: 'tooManyPhotos', index: i, max: limits.maxPhotosPerSlide, count: h.photoIds.length });
  });
  content.shortfalls.forEach((s, i) => {
    text('shortfalls', i, 'title', s.title, limits.maxTitleChars);
    text('shortfalls', i, 'cause', s.cause, limits.maxCharsPerItem);
    text('shortfalls', i, 'measure', s.measure, limits.maxCharsPerItem);
  });
  content.nextSteps.forEach((n, i) => {
    text('nextSteps', i, 'commitment', n.commitment, limits.maxCharsPerItem);
    text('nextSteps', i, 'owner', n.owner, limits.maxTitleChars);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(n.due) || Number.isNaN(Date.parse(`${n.due}T00:00:00Z`)))
      out.push({ code: 'dueDateInvalid', index: i });
  });
  content.workItems.forEach((w, i) => {
    if (!blank(w.text) && len(w.text) > limits.maxCharsPerItem)
      out.push({
        code: 'tooLong',
        section: 'workItems',
        index: i,
        field: 'text',
        max: limits.maxCharsPerItem,
        length: len(w.text),
      });
  });
  return out;
}

/**
 * Whether a report's deadline (YYYY-MM-DD, the whole day counts) has passed at `nowMs`, the day read where
 * the event is held (UTC+8 by default, as the indicators' due dates).
 */
export function deadlinePassed(deadline: string | null, nowMs: number, utcOffsetMinutes = 480): boolean {
  if (!deadline) return false;
  const dayStartUtc = Date.parse(`${deadline}T00:00:00Z`);
  if (!Number.isFinite(dayStartUtc)) return false;
  return nowMs >= dayStartUtc + 86_400_000 - utcOffsetMinutes * 60_000;
}
