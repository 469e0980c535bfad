// The PPTX renderer, read back as PowerPoint would read it: the slides, the indicators' texts and
// numbers in native tables, native chart parts, and the Chinese font and language on every run.
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { DECK_FONT, renderPptx } from '../../src/modules/reports/pptx.ts';
import { layoutAsDongcheng } from '../support/report-fixtures.ts';

async function dongchengPptx(): Promise<JSZip> {
  const r = layoutAsDongcheng();
  expect(r.ok).toBe(true);
  const file = await renderPptx([
    { kind: 'divider', title: '镇街区组', subtitle: '永康市2023年上半年“大晒拼”', color: '#C8161D' },
    { kind: 'deck', deck: r.deck },
  ]);
  return JSZip.loadAsync(file);
}

const slideNames = (zip: JSZip) =>
  Object.keys(zip.files)
    .filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
    .sort((a, b) => Number(/(\d+)\.xml/.exec(a)![1]) - Number(/(\d+)\.xml/.exec(b)![1]));

describe('the PPTX of a showcase deck', () => {
  it('has the divider and the six slides, the indicators in a native table, and a native chart', async () => {
    const zip = await dongchengPptx();
    const slides = slideNames(zip);
    expect(slides).toHaveLength(7);
    const indicators = await zip.file(slides[2]!)!.async('string');
    expect(indicators).toContain('<a:tbl>');
    for (const text of [
      '低效工业用地整治',
      '双随机监管全省排名',
      '89 → 32',
      '38个重点项目开工率',
      '42%',
      '红灯',
      '黄灯',
    ])
      expect(indicators, text).toContain(text);
    // The chart is a chart part with its own data, not a picture.
    const charts = Object.keys(zip.files).filter((n) => /^ppt\/charts\/chart\d+\.xml$/.test(n));
    expect(charts).toHaveLength(1);
    const chart = await zip.file(charts[0]!)!.async('string');
    expect(chart).toContain('<c:barChart>');
    expect(chart).toContain('DC-03');
    expect(Object.keys(zip.files).some((n) => n.startsWith('ppt/media/') && !zip.files[n]!.dir)).toBe(false);
  });

  it('declares the Chinese font as the East-Asian typeface and zh-CN on every run', async () => {
    const zip = await dongchengPptx();
    let runs = 0;
    for (const name of slideNames(zip)) {
      const xml = await zip.file(name)!.async('string');
      const props = xml.match(/<a:rPr\b[^>]*>[\s\S]*?<\/a:rPr>|<a:rPr\b[^>]*\/>/g) ?? [];
      for (const p of props) {
        runs++;
        expect(p, name).toContain('lang="zh-CN"');
        expect(p, name).toContain(`<a:ea typeface="${DECK_FONT}"`);
      }
    }
    expect(runs).toBeGreaterThan(40);
  });
});
