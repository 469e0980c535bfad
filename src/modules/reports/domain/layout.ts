// Template + report → slides (16:9, in inches on a 13.333 × 7.5 canvas, font sizes in points). This is
// the one place that decides what goes on which slide: long lists are split across slides, a text is
// set smaller down to a floor and refused when it still does not fit, and every text box carries the
// lines it was measured in, so neither renderer (HTML on the screen, PPTX) has to wrap again. Pure.
import type { FactLight, IndicatorFact, ReportContent, RequiredItem } from './report.ts';
import type { ReportTemplate, SectionKind } from './template.ts';
import { wrapText } from './text-measure.ts';

export const SLIDE_W = 13.333;
export const SLIDE_H = 7.5;
/** Line height as a multiple of the font size; both renderers set it. */
export const LINE_HEIGHT = 1.3;
/** Inner margin of every text box and table cell, in inches; both renderers set it. */
export const INSET = 0.08;
const PT_PER_IN = 72;

/** The background of a light's cell in the indicators table, the same in both renderers. */
export const LIGHT_FILL: Record<FactLight, string> = {
  green: '#D9F2D9',
  yellow: '#FFF1B8',
  red: '#FFD6D6',
  grey: '#EEEEEE',
  overdue: '#FFC9A8',
};
/** The indicators table's column that shows the light. */
export const LIGHT_COLUMN = 5;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface TextElement {
  kind: 'text';
  role: 'title' | 'subtitle' | 'body' | 'heading' | 'figureValue' | 'figureLabel' | 'footer';
  box: Box;
  fontSize: number;
  bold: boolean;
  color: string;
  align: 'left' | 'center' | 'right';
  /** Background, for the title bar. */
  fill: string | null;
  lines: string[];
}

export interface TableRow {
  cells: string[][];
  /** Inches. */
  height: number;
  light: FactLight;
  /** Where the row's numbers came from (the preview's hover, the organizer's view). */
  indicatorId: string;
}

export interface TableElement {
  kind: 'table';
  box: Box;
  fontSize: number;
  header: string[];
  /** Inches per column. */
  columnWidths: number[];
  headerHeight: number;
  rows: TableRow[];
}

export interface ChartElement {
  kind: 'chart';
  box: Box;
  categories: string[];
  series: { name: string; values: number[] }[];
  /** #rrggbb per series: the template's primary colour for completion, grey for 序时进度. */
  colors: string[];
}

export interface PhotoElement {
  kind: 'photo';
  box: Box;
  photoId: string;
}

export type SlideElement = TextElement | TableElement | ChartElement | PhotoElement;

export interface Slide {
  section: SectionKind;
  title: string;
  elements: SlideElement[];
}

export interface Deck {
  slides: Slide[];
  /** Indicator id → fact, for the sources shown beside the numbers. */
  facts: Record<string, IndicatorFact>;
}

/** Every word the deck prints that is not the unit's: given by the caller in the audience's language. */
export interface DeckLabels {
  sections: Record<SectionKind, string>;
  workItems: string;
  /** "（{{n}}/{{of}}）" after a title split across slides. */
  part: (n: number, of: number) => string;
  columns: {
    indicator: string;
    target: string;
    actual: string;
    completion: string;
    expected: string;
    light: string;
    ranking: string;
  };
  lights: Record<FactLight, string>;
  series: { completion: string; expected: string };
  cause: string;
  measure: string;
  owner: string;
  due: string;
  speaker: string;
  noValue: string;
  /** "第 {{n}} / {{of}} 页" */
  page: (n: number, of: number) => string;
}

export interface LayoutInput {
  template: ReportTemplate;
  unitName: string;
  /** Shown on the cover, e.g. 2023年8月3日. */
  dateText: string;
  content: ReportContent;
  required: readonly RequiredItem[];
  /** The required indicators' facts, in the order the organizer required them. */
  facts: readonly IndicatorFact[];
  labels: DeckLabels;
  /** The event has a logo: the cover shows it (as the photo LOGO_PHOTO_ID) above the event title. */
  logo?: boolean;
}

/** The id a deck's photo element carries for the event's logo; renderers fetch it from the template. */
export const LOGO_PHOTO_ID = 'logo';

export type LayoutProblem =
  | { code: 'doesNotFit'; section: SectionKind; index: number }
  | { code: 'tooManySlides'; slides: number; max: number };

export type LayoutResult = { ok: true; deck: Deck } | { ok: false; problems: LayoutProblem[]; deck: Deck };

// ---------- geometry ----------

const MARGIN_X = 0.6;
const TITLE_BAR: Box = { x: 0, y: 0.3, w: SLIDE_W, h: 0.85 };
const FOOTER: Box = { x: MARGIN_X, y: SLIDE_H - 0.5, w: SLIDE_W - 2 * MARGIN_X, h: 0.42 };
/** Where a slide's content goes. */
export const CONTENT: Box = { x: MARGIN_X, y: 1.4, w: SLIDE_W - 2 * MARGIN_X, h: SLIDE_H - 1.4 - 0.65 };
const GAP = 0.2;

const lineHeightIn = (fontSize: number): number => (fontSize * LINE_HEIGHT) / PT_PER_IN;
/** Em per line for a box width at a font size. */
const emPerLine = (width: number, fontSize: number): number => ((width - 2 * INSET) * PT_PER_IN) / fontSize;
/** The height a number of lines takes in a box, margins included. */
export const linesHeight = (lines: number, fontSize: number): number =>
  lines * lineHeightIn(fontSize) + 2 * INSET;

/** The lines of a text in a box at a font size, or null when they do not fit its height. */
export function fitText(text: string, box: Box, fontSize: number): string[] | null {
  const lines = wrapText(text, Math.max(1, Math.floor(emPerLine(box.w, fontSize) * 100) / 100));
  return linesHeight(lines.length, fontSize) <= box.h + 1e-9 ? lines : null;
}

/** The largest size in `sizes` (descending) at which the text fits, with its lines. */
function fitAtLargest(
  text: string,
  box: Box,
  sizes: readonly number[],
): { fontSize: number; lines: string[] } | null {
  for (const fontSize of sizes) {
    const lines = fitText(text, box, fontSize);
    if (lines) return { fontSize, lines };
  }
  return null;
}

const textEl = (
  role: TextElement['role'],
  box: Box,
  fontSize: number,
  lines: string[],
  style: Partial<Pick<TextElement, 'bold' | 'color' | 'align' | 'fill'>> = {},
): TextElement => ({
  kind: 'text',
  role,
  box,
  fontSize,
  lines,
  bold: style.bold ?? false,
  color: style.color ?? '#1F1F1F',
  align: style.align ?? 'left',
  fill: style.fill ?? null,
});

// ---------- layout ----------

const TITLE_SIZES = [28, 24, 20] as const;
const BODY_SIZES = [20, 18, 16] as const;
const TABLE_SIZE = 14;
const BLOCK_SIZE = 18;

export function layoutDeck(input: LayoutInput): LayoutResult {
  const { template, labels } = input;
  const { primaryColor, accentColor } = template.look;
  const problems: LayoutProblem[] = [];
  const slides: Slide[] = [];

  const titleBar = (title: string): TextElement => {
    const box = { x: MARGIN_X, y: TITLE_BAR.y, w: TITLE_BAR.w - 2 * MARGIN_X, h: TITLE_BAR.h };
    const fit = fitAtLargest(title, box, TITLE_SIZES) ?? {
      fontSize: TITLE_SIZES[TITLE_SIZES.length - 1]!,
      lines: wrapText(title, emPerLine(box.w, 20)).slice(0, 1),
    };
    return textEl('title', box, fit.fontSize, fit.lines, {
      bold: true,
      color: '#FFFFFF',
      fill: primaryColor,
    });
  };
  /** Slides of a section split in parts get "（1/2）" after their title. */
  const addSection = (section: SectionKind, title: string, parts: SlideElement[][]) => {
    parts.forEach((elements, i) => {
      const full = parts.length > 1 ? `${title}${labels.part(i + 1, parts.length)}` : title;
      slides.push({ section, title: full, elements: [titleBar(full), ...elements] });
    });
  };

  const requiredFacts = input.facts;
  const shortfalls = orderedShortfalls(input.content, requiredFacts);

  for (const section of template.sections) {
    const title = labels.sections[section];
    if (section === 'cover') slides.push(coverSlide(input));
    else if (section === 'indicators') {
      if (requiredFacts.length > 0)
        addSection(section, title, indicatorParts(requiredFacts, labels, primaryColor));
      const work = input.required
        .filter((r) => r.kind === 'work')
        .map((r) => ({
          heading: r.title,
          body: [input.content.workItems.find((w) => w.requiredItemId === r.id)?.text ?? ''],
        }));
      if (work.length > 0) {
        const parts = flowBlocks(
          work,
          (i) => problems.push({ code: 'doesNotFit', section, index: i }),
          accentColor,
        );
        addSection(section, labels.workItems, parts);
      }
    } else if (section === 'highlights') {
      input.content.highlights.forEach((h, i) => {
        const elements = highlightElements(h, accentColor);
        if (!elements) problems.push({ code: 'doesNotFit', section, index: i });
        slides.push({
          section,
          title: `${title}：${h.title}`,
          elements: [titleBar(`${title}：${h.title}`), ...(elements ?? [])],
        });
      });
    } else if (section === 'shortfalls') {
      const blocks = shortfalls.map((s) => ({
        heading: s.title,
        body: [`${labels.cause}${s.cause}`, `${labels.measure}${s.measure}`],
      }));
      if (blocks.length > 0)
        addSection(
          section,
          title,
          flowBlocks(blocks, (i) => problems.push({ code: 'doesNotFit', section, index: i }), accentColor),
        );
    } else if (section === 'nextSteps') {
      const blocks = input.content.nextSteps.map((n) => ({
        heading: n.commitment,
        body: [`${labels.owner}${n.owner}　${labels.due}${n.due}`],
      }));
      if (blocks.length > 0)
        addSection(
          section,
          title,
          flowBlocks(blocks, (i) => problems.push({ code: 'doesNotFit', section, index: i }), accentColor),
        );
    }
  }

  // The footer on every slide but the cover: the event and the page, the same look for every unit.
  slides.forEach((s, i) => {
    if (s.section === 'cover') return;
    const left = fitText(template.look.eventTitle, { ...FOOTER, w: FOOTER.w * 0.7 }, 12) ?? [''];
    s.elements.push(
      textEl('footer', { ...FOOTER, w: FOOTER.w * 0.7 }, 12, left.slice(0, 1), { color: '#8C8C8C' }),
      textEl(
        'footer',
        { x: FOOTER.x + FOOTER.w * 0.7, y: FOOTER.y, w: FOOTER.w * 0.3, h: FOOTER.h },
        12,
        [labels.page(i + 1, slides.length)],
        { color: '#8C8C8C', align: 'right' },
      ),
    );
  });

  if (slides.length > template.limits.maxSlides)
    problems.push({ code: 'tooManySlides', slides: slides.length, max: template.limits.maxSlides });
  const deck: Deck = { slides, facts: Object.fromEntries(requiredFacts.map((f) => [f.indicatorId, f])) };
  return problems.length === 0 ? { ok: true, deck } : { ok: false, problems, deck };
}

/** The shortfalls of the required indicators first, in the indicators' order; then the unit's own. */
function orderedShortfalls(content: ReportContent, facts: readonly IndicatorFact[]) {
  const order = new Map(facts.map((f, i) => [f.indicatorId, i]));
  return [...content.shortfalls].sort((a, b) => {
    const ia =
      a.indicatorId === null
        ? Number.POSITIVE_INFINITY
        : (order.get(a.indicatorId) ?? Number.POSITIVE_INFINITY);
    const ib =
      b.indicatorId === null
        ? Number.POSITIVE_INFINITY
        : (order.get(b.indicatorId) ?? Number.POSITIVE_INFINITY);
    return ia - ib;
  });
}

function coverSlide(input: LayoutInput): Slide {
  const { look } = input.template;
  const w = SLIDE_W - 2 * MARGIN_X;
  const unit = fitAtLargest(input.unitName, { x: MARGIN_X, y: 2.2, w, h: 1.3 }, [48, 40, 32]) ?? {
    fontSize: 32,
    lines: [input.unitName],
  };
  const event = fitAtLargest(look.eventTitle, { x: MARGIN_X, y: 0.9, w, h: 1.1 }, [28, 24, 20]) ?? {
    fontSize: 20,
    lines: [look.eventTitle],
  };
  const who = `${input.labels.speaker}${input.content.speaker}`;
  const speaker = fitAtLargest(who, { x: MARGIN_X, y: 4.3, w, h: 0.7 }, [24, 20]) ?? {
    fontSize: 20,
    lines: [who],
  };
  const date = fitAtLargest(input.dateText, { x: MARGIN_X, y: 5.1, w, h: 0.6 }, [20, 18]) ?? {
    fontSize: 18,
    lines: [input.dateText],
  };
  const logo: SlideElement[] = input.logo
    ? [{ kind: 'photo', box: { x: MARGIN_X, y: 0.2, w: 2.0, h: 0.62 }, photoId: LOGO_PHOTO_ID }]
    : [];
  return {
    section: 'cover',
    title: input.unitName,
    elements: [
      ...logo,
      textEl('subtitle', { x: MARGIN_X, y: 0.9, w, h: 1.1 }, event.fontSize, event.lines, {
        align: 'center',
        color: look.primaryColor,
        bold: true,
      }),
      textEl('title', { x: MARGIN_X, y: 2.2, w, h: 1.3 }, unit.fontSize, unit.lines, {
        align: 'center',
        bold: true,
        color: '#FFFFFF',
        fill: look.primaryColor,
      }),
      textEl('body', { x: MARGIN_X, y: 4.3, w, h: 0.7 }, speaker.fontSize, speaker.lines, {
        align: 'center',
      }),
      textEl('body', { x: MARGIN_X, y: 5.1, w, h: 0.6 }, date.fontSize, date.lines, {
        align: 'center',
        color: '#595959',
      }),
    ],
  };
}

const fmt = (v: number | null, noValue: string): string =>
  v === null ? noValue : Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);

/** The header of factCells' columns. */
export const factHeader = (labels: DeckLabels): string[] => [
  labels.columns.indicator,
  labels.columns.target,
  labels.columns.actual,
  labels.columns.completion,
  labels.columns.expected,
  labels.columns.light,
  labels.columns.ranking,
];

/** An indicator's row as text: name, target, actual, completion, 序时进度, light, ranking (89 → 32). */
export function factCells(f: IndicatorFact, labels: DeckLabels): string[] {
  return [
    `${f.name}`,
    `${fmt(f.target, labels.noValue)}${f.measure}`,
    f.actual === null ? labels.noValue : `${fmt(f.actual, labels.noValue)}${f.measure}`,
    f.completionPct === null ? labels.noValue : `${fmt(f.completionPct, labels.noValue)}%`,
    `${fmt(f.expectedPct, labels.noValue)}%`,
    labels.lights[f.light],
    f.ranking ? (f.ranking.from === null ? `${f.ranking.to}` : `${f.ranking.from} → ${f.ranking.to}`) : '—',
  ];
}

/** The required indicators as table rows, split by height, each part beside a chart of its rows. */
function indicatorParts(
  facts: readonly IndicatorFact[],
  labels: DeckLabels,
  primaryColor: string,
): SlideElement[][] {
  const chartW = 3.7;
  const table: Box = { ...CONTENT, w: CONTENT.w - chartW - GAP };
  // Name, target, actual, completion, 序时, light, ranking: the name column takes what the others leave.
  const fixed = [1.15, 1.15, 0.95, 0.95, 0.75, 1.1];
  const columnWidths = [table.w - fixed.reduce((a, b) => a + b, 0), ...fixed];
  const header = factHeader(labels);
  const cellLines = (text: string, col: number) =>
    wrapText(text, Math.max(1, emPerLine(columnWidths[col]!, TABLE_SIZE)));
  const headerCells = header.map(cellLines);
  const headerHeight = linesHeight(Math.max(...headerCells.map((c) => c.length)), TABLE_SIZE);
  const rows: TableRow[] = facts.map((f) => {
    const cells = factCells(f, labels).map(cellLines);
    return {
      cells,
      height: linesHeight(Math.max(...cells.map((c) => c.length)), TABLE_SIZE),
      light: f.light,
      indicatorId: f.indicatorId,
    };
  });
  const parts: TableRow[][] = [];
  let current: TableRow[] = [];
  let used = headerHeight;
  for (const r of rows) {
    if (current.length > 0 && used + r.height > table.h) {
      parts.push(current);
      current = [];
      used = headerHeight;
    }
    current.push(r);
    used += r.height;
  }
  if (current.length > 0) parts.push(current);
  return parts.map((part) => {
    const height = headerHeight + part.reduce((a, r) => a + r.height, 0);
    const partFacts = part.map((r) => facts.find((f) => f.indicatorId === r.indicatorId)!);
    return [
      {
        kind: 'table',
        box: { ...table, h: height },
        fontSize: TABLE_SIZE,
        header,
        columnWidths,
        headerHeight: headerHeight,
        rows: part,
      },
      {
        kind: 'chart',
        box: { x: table.x + table.w + GAP, y: CONTENT.y, w: chartW, h: Math.min(CONTENT.h, 4.2) },
        categories: partFacts.map((f) => f.code),
        colors: [primaryColor, '#A6A6A6'],
        series: [
          {
            name: labels.series.completion,
            values: partFacts.map((f) => Math.max(0, Math.min(150, f.completionPct ?? 0))),
          },
          {
            name: labels.series.expected,
            values: partFacts.map((f) => Math.max(0, Math.min(150, f.expectedPct))),
          },
        ],
      },
    ] satisfies SlideElement[];
  });
}

interface Block {
  heading: string;
  body: string[];
}

/**
 * Blocks (a bold heading and its lines) flowed down the content area, a new slide when the next block
 * does not fit; a block taller than a whole slide is reported through `tooBig` and left out.
 */
function flowBlocks(
  blocks: readonly Block[],
  tooBig: (index: number) => void,
  accentColor: string,
): SlideElement[][] {
  const parts: SlideElement[][] = [];
  let current: SlideElement[] = [];
  let y = CONTENT.y;
  const bottom = CONTENT.y + CONTENT.h;
  blocks.forEach((b, i) => {
    const heading = wrapText(b.heading, emPerLine(CONTENT.w, BLOCK_SIZE));
    const body = b.body.flatMap((t) => wrapText(t, emPerLine(CONTENT.w - 0.3, BLOCK_SIZE - 2)));
    const hh = linesHeight(heading.length, BLOCK_SIZE);
    const bh = linesHeight(body.length, BLOCK_SIZE - 2);
    const total = hh + bh;
    if (total > CONTENT.h) {
      tooBig(i);
      return;
    }
    if (current.length > 0 && y + total > bottom) {
      parts.push(current);
      current = [];
      y = CONTENT.y;
    }
    current.push(
      textEl('heading', { x: CONTENT.x, y, w: CONTENT.w, h: hh }, BLOCK_SIZE, heading, {
        bold: true,
        color: accentColor,
      }),
      textEl('body', { x: CONTENT.x + 0.3, y: y + hh, w: CONTENT.w - 0.3, h: bh }, BLOCK_SIZE - 2, body),
    );
    y += total + 0.12;
  });
  if (current.length > 0) parts.push(current);
  return parts;
}

/** A highlight's slide: key figures on top, the text beside its photos; null when the text cannot fit. */
function highlightElements(
  h: ReportContent['highlights'][number],
  accentColor: string,
): SlideElement[] | null {
  const out: SlideElement[] = [];
  let top = CONTENT.y;
  const figures = h.figures.slice(0, 4);
  if (figures.length > 0) {
    const w = (CONTENT.w - GAP * (figures.length - 1)) / figures.length;
    for (const [i, f] of figures.entries()) {
      const x = CONTENT.x + i * (w + GAP);
      const value = fitAtLargest(f.value, { x, y: top, w, h: 0.75 }, [32, 28, 24]);
      const label = fitAtLargest(f.label, { x, y: top + 0.75, w, h: 0.45 }, [14, 12]);
      if (!value || !label) return null;
      out.push(
        textEl('figureValue', { x, y: top, w, h: 0.75 }, value.fontSize, value.lines, {
          bold: true,
          color: accentColor,
          align: 'center',
        }),
        textEl('figureLabel', { x, y: top + 0.75, w, h: 0.45 }, label.fontSize, label.lines, {
          color: '#595959',
          align: 'center',
        }),
      );
    }
    top += 1.2 + GAP;
  }
  const photos = h.photoIds;
  const photoW = photos.length > 0 ? 4.6 : 0;
  const textBox: Box = {
    x: CONTENT.x,
    y: top,
    w: CONTENT.w - (photoW > 0 ? photoW + GAP : 0),
    h: CONTENT.y + CONTENT.h - top,
  };
  const text = fitAtLargest(h.text, textBox, BODY_SIZES);
  if (!text) return null;
  out.push(textEl('body', textBox, text.fontSize, text.lines));
  if (photos.length > 0) {
    const ph = (CONTENT.y + CONTENT.h - top - GAP * (photos.length - 1)) / photos.length;
    for (const [i, photoId] of photos.entries())
      out.push({
        kind: 'photo',
        box: { x: textBox.x + textBox.w + GAP, y: top + i * (ph + GAP), w: photoW, h: ph },
        photoId,
      });
  }
  return out;
}
