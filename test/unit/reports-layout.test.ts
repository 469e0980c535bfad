// The layout of a showcase deck: what goes on which slide, lists split within the limits, text that
// cannot fit refused, and never a line wider or a box taller than its place (property tests).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Deck,
  INSET,
  LOGO_PHOTO_ID,
  layoutDeck,
  linesHeight,
  SLIDE_H,
  SLIDE_W,
} from '../../src/modules/reports/domain/layout.ts';
import type { ReportContent } from '../../src/modules/reports/domain/report.ts';
import { defaultTemplate } from '../../src/modules/reports/domain/template.ts';
import { textWidthEm } from '../../src/modules/reports/domain/text-measure.ts';
import {
  demoTemplate,
  dongchengReport,
  fact,
  layoutAsDongcheng,
  zhLabels,
} from '../support/report-fixtures.ts';

const template = defaultTemplate('永康市2023年上半年“大晒拼”');
const layout = (content: ReportContent) => layoutAsDongcheng({ ...dongchengReport(), content }, template);
const roomy = { ...template, limits: { ...template.limits, maxSlides: 40 } };

/** Every element inside the slide, every text line within its box, every text's lines within its height. */
function expectFits(deck: Deck) {
  for (const slide of deck.slides) {
    for (const el of slide.elements) {
      const { x, y, w, h } = el.box;
      expect(
        x >= -1e-9 && y >= -1e-9 && x + w <= SLIDE_W + 1e-9 && y + h <= SLIDE_H + 1e-9,
        slide.title,
      ).toBe(true);
      if (el.kind === 'text') {
        expect(linesHeight(el.lines.length, el.fontSize)).toBeLessThanOrEqual(h + 1e-9);
        for (const line of el.lines)
          expect((textWidthEm(line) * el.fontSize) / 72).toBeLessThanOrEqual(w - 2 * INSET + 1e-9);
      }
      if (el.kind === 'table') {
        const total = el.headerHeight + el.rows.reduce((a, r) => a + r.height, 0);
        expect(total).toBeLessThanOrEqual(h + 1e-9);
        for (const r of el.rows)
          r.cells.forEach((lines, c) => {
            expect(linesHeight(lines.length, el.fontSize)).toBeLessThanOrEqual(r.height + 1e-9);
            for (const line of lines)
              expect((textWidthEm(line) * el.fontSize) / 72).toBeLessThanOrEqual(
                el.columnWidths[c]! - 2 * INSET + 1e-9,
              );
          });
      }
    }
  }
}

const allText = (deck: Deck): string =>
  deck.slides
    .flatMap((s) =>
      s.elements.flatMap((e) =>
        e.kind === 'text' ? e.lines : e.kind === 'table' ? e.rows.flatMap((r) => r.cells.flat()) : [],
      ),
    )
    .join('')
    .replace(/\s/g, '');

describe('laying out a showcase deck', () => {
  it('the 东城街道 report: cover, indicators with a chart, work item, highlight, shortfalls, next steps', () => {
    const { content } = dongchengReport();
    const r = layout(content);
    expect(r.ok).toBe(true);
    expect(r.deck.slides.map((s) => s.title)).toEqual([
      '东城街道',
      '核心指标',
      '必晒工作',
      '特色亮点：“一网通办”跃居全省第一',
      '短板不足',
      '下步举措',
    ]);
    const indicators = r.deck.slides[1]!;
    const table = indicators.elements.find((e) => e.kind === 'table')!;
    expect(table.kind === 'table' && table.rows.map((x) => x.cells[6]!.join(''))).toEqual([
      '—',
      '89 → 32',
      '—',
    ]);
    expect(indicators.elements.some((e) => e.kind === 'chart')).toBe(true);
    // The shortfalls of required indicators come in the indicators' order: 双随机 (DC-02) before 项目 (DC-03).
    const text = allText({ ...r.deck, slides: [r.deck.slides[4]!] });
    expect(text.indexOf('双随机监管仍需提升')).toBeLessThan(text.indexOf('重点项目开工滞后'));
    expect(allText(r.deck)).toContain('2/6');
    expectFits(r.deck);
  });

  it('splits a long indicator table and a long list across slides, numbered', () => {
    const { content, required } = dongchengReport();
    const facts = Array.from({ length: 14 }, (_, i) =>
      fact({
        indicatorId: `i${i}`,
        code: `K-${i}`,
        name: `第${i + 1}项重点指标：规上工业增加值与固定资产投资增速`,
      }),
    );
    content.shortfalls = Array.from({ length: 8 }, (_, i) => ({
      indicatorId: null,
      title: `短板${i + 1}`,
      cause: '原因说明'.repeat(30),
      measure: '整改举措'.repeat(30),
    }));
    const r = layoutAsDongcheng({ content, required, facts }, roomy);
    expect(r.ok).toBe(true);
    const titles = r.deck.slides.map((s) => s.title);
    expect(titles.filter((t) => t.startsWith('核心指标')).length).toBeGreaterThan(1);
    expect(titles).toContain('核心指标（1/3）');
    expect(titles.filter((t) => t.startsWith('短板不足')).length).toBeGreaterThan(1);
    const rows = r.deck.slides.flatMap((s) => s.elements.flatMap((e) => (e.kind === 'table' ? e.rows : [])));
    expect(rows.map((x) => x.indicatorId)).toEqual(facts.map((f) => f.indicatorId));
    expectFits(r.deck);
  });

  it('refuses a highlight whose text cannot fit even at the smallest size, and too many slides', () => {
    const { content } = dongchengReport();
    content.highlights[0]!.text = '晒'.repeat(2000);
    const r = layout(content);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual([{ code: 'doesNotFit', section: 'highlights', index: 0 }]);
    const many = dongchengReport().content;
    many.nextSteps = Array.from({ length: 60 }, (_, i) => ({
      commitment: `举措${i}`.repeat(20),
      owner: '办公室',
      due: '2023-12-31',
    }));
    const r2 = layout(many);
    expect(!r2.ok && r2.problems.map((p) => p.code)).toEqual(['tooManySlides']);
  });

  it('random reports never overflow a box and never drop what fits', () => {
    const chars = fc.constantFrom(...'晒拼比学赶超创先争优，。、（）「」“”ABCmw 0123456789%.'.split(''));
    const text = (max: number) => fc.array(chars, { minLength: 1, maxLength: max }).map((a) => a.join(''));
    const content = fc.record({
      speaker: text(20),
      highlights: fc.array(
        fc.record({
          title: text(24),
          text: text(400),
          figures: fc.array(fc.record({ label: text(12), value: text(8) }), { maxLength: 4 }),
          photoIds: fc.array(fc.constantFrom('p1', 'p2'), { maxLength: 2 }),
        }),
        { maxLength: 3 },
      ),
      shortfalls: fc.array(
        fc.record({ indicatorId: fc.constant(null), title: text(24), cause: text(150), measure: text(150) }),
        {
          maxLength: 8,
        },
      ),
      nextSteps: fc.array(
        fc.record({ commitment: text(150), owner: text(12), due: fc.constant('2023-12-31') }),
        { maxLength: 8 },
      ),
      workItems: fc.constant([] as ReportContent['workItems']),
    });
    const names = fc.array(text(40), { minLength: 0, maxLength: 12 });
    fc.assert(
      fc.property(content, names, (c, ns) => {
        const facts = ns.map((name, i) => fact({ indicatorId: `i${i}`, code: `K${i}`, name }));
        const r = layoutAsDongcheng({ content: c, required: [], facts }, roomy);
        expectFits(r.deck);
        // Everything that was not refused is on some slide, in order.
        const refused = new Set(
          r.ok ? [] : r.problems.map((p) => (p.code === 'doesNotFit' ? `${p.section}:${p.index}` : '')),
        );
        const shown = allText(r.deck);
        c.shortfalls.forEach((s, i) => {
          if (!refused.has(`shortfalls:${i}`)) expect(shown).toContain(s.cause.replace(/\s/g, ''));
        });
        expect(
          r.deck.slides.flatMap((s) => s.elements.flatMap((e) => (e.kind === 'table' ? e.rows : []))).length,
        ).toBe(facts.length);
      }),
      { numRuns: 150 },
    );
  });
});

describe('the event logo', () => {
  it('sits on the cover above the event title, and only on the cover, when the event has one', () => {
    const report = dongchengReport();
    const without = layoutDeck({
      template: demoTemplate(),
      unitName: '东城街道',
      dateText: '2023年8月3日',
      ...report,
      labels: zhLabels,
    });
    const withLogo = layoutDeck({
      template: demoTemplate(),
      unitName: '东城街道',
      dateText: '2023年8月3日',
      ...report,
      labels: zhLabels,
      logo: true,
    });
    if (!without.ok || !withLogo.ok) throw new Error('the fixture does not lay out');
    const logos = (r: typeof withLogo) =>
      r.deck.slides.flatMap((s, i) =>
        s.elements.filter((e) => e.kind === 'photo' && e.photoId === LOGO_PHOTO_ID).map((e) => ({ i, e })),
      );
    expect(logos(without)).toEqual([]);
    const [only, ...more] = logos(withLogo);
    expect(more).toEqual([]);
    expect(only!.i).toBe(0);
    const title = withLogo.deck.slides[0]!.elements.find((e) => e.kind === 'text' && e.role === 'subtitle')!;
    expect(only!.e.box.y + only!.e.box.h).toBeLessThanOrEqual(title.box.y);
    expect(withLogo.deck.slides.length).toBe(without.deck.slides.length);
  });
});

describe('the look', () => {
  it('colours the completion series of every chart with the template’s primary colour', () => {
    const template = { ...demoTemplate(), look: { ...demoTemplate().look, primaryColor: '#1D4ED8' } };
    const r = layoutAsDongcheng(dongchengReport(), template);
    if (!r.ok) throw new Error('the fixture does not lay out');
    const charts = r.deck.slides.flatMap((s) => s.elements).filter((e) => e.kind === 'chart');
    expect(charts.length).toBeGreaterThan(0);
    for (const c of charts) expect(c.kind === 'chart' && c.colors).toEqual(['#1D4ED8', '#A6A6A6']);
  });
});
