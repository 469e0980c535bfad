// Renderer 2: a laid-out deck (domain/layout.ts) as a PowerPoint file, with native text boxes, tables
// and charts, so a unit can still correct a figure in WPS or PowerPoint. Every run declares the
// Chinese font as its East-Asian typeface and zh-CN as its language: without both, WPS and PowerPoint
// set Chinese in a fallback font whose widths the layout did not measure. Boxes, sizes, margins and line
// spacing are the layout's, the lines are its lines: nothing is wrapped again here.
import PptxModule from 'pptxgenjs';
import type { Deck, SlideElement, TextElement } from './domain/layout.ts';
import { INSET, LIGHT_COLUMN, LIGHT_FILL, LINE_HEIGHT } from './domain/layout.ts';

/** Declared on every run (latin, ea and cs): present on Chinese Windows and WPS; LibreOffice maps it. */
export const DECK_FONT = 'Microsoft YaHei';
const LANG = 'zh-CN';
const PT_PER_IN = 72;

// The package's types are read as CommonJS (no "type": "module"), its ESM entry exports the class as
// default: take the class from whichever shape arrives.
export const PptxGenJS = ((PptxModule as unknown as { default?: unknown }).default ??
  PptxModule) as typeof PptxModule.default;
type Pptx = InstanceType<typeof PptxGenJS>;
type PptxSlide = ReturnType<Pptx['addSlide']>;

const hex = (color: string): string => color.replace(/^#/, '').toUpperCase();

export type DeckPart =
  | { kind: 'divider'; title: string; subtitle: string; color: string }
  | { kind: 'deck'; deck: Deck };

/** Photo bytes by id, or null when the photo is gone (a grey frame is drawn in its place). */
export type PhotoSource = (photoId: string) => { data: Buffer; mime: string } | null;

function addText(slide: PptxSlide, el: TextElement) {
  const runs = el.lines.map((line, i) => ({
    text: line,
    options: { breakLine: i < el.lines.length - 1 },
  }));
  slide.addText(runs.length > 0 ? runs : [{ text: '', options: {} }], {
    ...el.box,
    fontFace: DECK_FONT,
    fontSize: el.fontSize,
    bold: el.bold,
    color: hex(el.color),
    align: el.align,
    valign: el.role === 'title' ? 'middle' : 'top',
    margin: INSET * PT_PER_IN,
    lineSpacingMultiple: LINE_HEIGHT,
    lang: LANG,
    fit: 'none',
    ...(el.fill ? { fill: { color: hex(el.fill) } } : {}),
  });
}

function addElement(pptx: Pptx, slide: PptxSlide, el: SlideElement, photos: PhotoSource) {
  if (el.kind === 'text') addText(slide, el);
  else if (el.kind === 'table') {
    const cell = (lines: string[], fill: string | null, bold = false) => ({
      text: lines.join('\n'),
      options: {
        fontFace: DECK_FONT,
        fontSize: el.fontSize,
        lang: LANG,
        bold,
        valign: 'middle' as const,
        margin: INSET * PT_PER_IN,
        ...(fill ? { fill: { color: fill } } : {}),
      },
    });
    const rows = [
      el.header.map((h) => cell([h], 'F2F2F2', true)),
      ...el.rows.map((r) =>
        r.cells.map((c, i) => cell(c, i === LIGHT_COLUMN ? hex(LIGHT_FILL[r.light]) : null)),
      ),
    ];
    slide.addTable(rows, {
      x: el.box.x,
      y: el.box.y,
      w: el.box.w,
      colW: el.columnWidths,
      rowH: [el.headerHeight, ...el.rows.map((r) => r.height)],
      border: { type: 'solid', pt: 0.75, color: 'BFBFBF' },
      fontFace: DECK_FONT,
      fontSize: el.fontSize,
      autoPage: false,
    });
  } else if (el.kind === 'chart') {
    slide.addChart(
      pptx.ChartType.bar,
      el.series.map((s) => ({ name: s.name, labels: el.categories, values: s.values })),
      {
        ...el.box,
        barDir: 'col',
        barGrouping: 'clustered',
        chartColors: el.colors.map((c) => c.replace('#', '')),
        showLegend: true,
        legendPos: 'b',
        legendFontFace: DECK_FONT,
        legendFontSize: 12,
        catAxisLabelFontFace: DECK_FONT,
        catAxisLabelFontSize: 11,
        valAxisLabelFontFace: DECK_FONT,
        valAxisLabelFontSize: 11,
        valAxisMinVal: 0,
        valAxisMaxVal: 150,
        showValue: true,
        dataLabelFontSize: 10,
        lang: LANG,
      },
    );
  } else {
    const photo = photos(el.photoId);
    if (photo)
      slide.addImage({
        data: `${photo.mime};base64,${photo.data.toString('base64')}`,
        ...el.box,
        sizing: { type: 'contain', w: el.box.w, h: el.box.h },
      });
    else
      slide.addShape(pptx.ShapeType.rect, {
        ...el.box,
        fill: { color: 'EEEEEE' },
        line: { color: 'BFBFBF' },
      });
  }
}

/** One or many units' decks (with a divider before each track) as one .pptx file. */
export async function renderPptx(
  parts: readonly DeckPart[],
  photos: PhotoSource = () => null,
): Promise<Buffer> {
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.theme = { headFontFace: DECK_FONT, bodyFontFace: DECK_FONT };
  for (const part of parts) {
    if (part.kind === 'divider') {
      const slide = pptx.addSlide();
      slide.background = { color: hex(part.color) };
      addText(slide, {
        kind: 'text',
        role: 'title',
        box: { x: 0.6, y: 2.6, w: 12.133, h: 1.4 },
        fontSize: 44,
        bold: true,
        color: '#FFFFFF',
        align: 'center',
        fill: null,
        lines: [part.title],
      });
      addText(slide, {
        kind: 'text',
        role: 'subtitle',
        box: { x: 0.6, y: 4.1, w: 12.133, h: 0.8 },
        fontSize: 24,
        bold: false,
        color: '#FFFFFF',
        align: 'center',
        fill: null,
        lines: [part.subtitle],
      });
      continue;
    }
    for (const s of part.deck.slides) {
      const slide = pptx.addSlide();
      slide.background = { color: 'FFFFFF' };
      for (const el of s.elements) addElement(pptx, slide, el, photos);
    }
  }
  return (await pptx.write({ outputType: 'nodebuffer' })) as Buffer;
}
