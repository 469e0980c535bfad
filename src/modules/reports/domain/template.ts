// The one template every unit's showcase report is laid out in, set per event by the organizer: the
// sections in order, the limits that keep a deck comparable, and the look. Pure data and its checks.

export const sectionKinds = ['cover', 'indicators', 'highlights', 'shortfalls', 'nextSteps'] as const;
export type SectionKind = (typeof sectionKinds)[number];

export interface TemplateLimits {
  /** Slides of one unit's deck, cover included. */
  maxSlides: number;
  /** Characters of an item's text (a highlight's text, a shortfall's cause or measure, a commitment). */
  maxCharsPerItem: number;
  /** Characters of an item's title. */
  maxTitleChars: number;
  /** Highlights a unit may show (特色亮点 is limited; shortfalls and next steps are not capped below this). */
  maxHighlights: number;
  /** Items of any other list section. */
  maxItemsPerSection: number;
  /** Photos on one highlight's slide. */
  maxPhotosPerSlide: number;
}

export type ScreenTheme = 'red' | 'neutral';

export interface TemplateLook {
  /** Shown on every slide's footer and on the cover. */
  eventTitle: string;
  /** #rrggbb: title bars, the cover. */
  primaryColor: string;
  /** #rrggbb: figures, chart series. */
  accentColor: string;
  theme: ScreenTheme;
}

export interface ReportTemplate {
  sections: SectionKind[];
  limits: TemplateLimits;
  look: TemplateLook;
}

export const defaultLimits: TemplateLimits = {
  maxSlides: 12,
  maxCharsPerItem: 150,
  maxTitleChars: 24,
  maxHighlights: 3,
  maxItemsPerSection: 8,
  maxPhotosPerSlide: 2,
};

/** Party red and gold, as the hall's screen theme. */
export const themeColors: Record<ScreenTheme, { primaryColor: string; accentColor: string }> = {
  red: { primaryColor: '#C8161D', accentColor: '#D4A017' },
  neutral: { primaryColor: '#1F3A5F', accentColor: '#2F7FC1' },
};

export function defaultTemplate(eventTitle: string, theme: ScreenTheme = 'red'): ReportTemplate {
  return {
    sections: [...sectionKinds],
    limits: { ...defaultLimits },
    look: { eventTitle, theme, ...themeColors[theme] },
  };
}

export type TemplateProblem =
  | { code: 'sectionsInvalid' }
  | { code: 'limitOutOfRange'; limit: keyof TemplateLimits; min: number; max: number }
  | { code: 'colorInvalid'; field: 'primaryColor' | 'accentColor' };

/** Bounds that keep every deck layable: below them a required section cannot fit at all. */
export const limitBounds: Record<keyof TemplateLimits, { min: number; max: number }> = {
  maxSlides: { min: 3, max: 40 },
  maxCharsPerItem: { min: 20, max: 400 },
  maxTitleChars: { min: 6, max: 40 },
  maxHighlights: { min: 1, max: 10 },
  maxItemsPerSection: { min: 1, max: 20 },
  maxPhotosPerSlide: { min: 0, max: 4 },
};

export function templateProblems(t: ReportTemplate): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const seen = new Set(t.sections);
  // The cover opens, the indicators and the shortfalls are never left out: that is the point.
  if (
    seen.size !== t.sections.length ||
    t.sections[0] !== 'cover' ||
    !seen.has('indicators') ||
    !seen.has('shortfalls')
  )
    problems.push({ code: 'sectionsInvalid' });
  for (const [limit, b] of Object.entries(limitBounds) as [
    keyof TemplateLimits,
    { min: number; max: number },
  ][]) {
    const v = t.limits[limit];
    if (!Number.isInteger(v) || v < b.min || v > b.max)
      problems.push({ code: 'limitOutOfRange', limit, ...b });
  }
  for (const field of ['primaryColor', 'accentColor'] as const)
    if (!/^#[0-9a-fA-F]{6}$/.test(t.look[field])) problems.push({ code: 'colorInvalid', field });
  return problems;
}
