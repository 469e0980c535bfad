// e. Showcase reports: the whole event's deck (60 units × 6 slides with a chart each, photos on the
// highlights) laid out and written as one PPTX, beside a bare pptxgenjs file with as many slides of one
// text box each; and the preview's re-layout of one report on an edit, beside a JSON round trip of the
// same report (the least a preview must do to see a change). Time and peak RSS. Alone:
// `npx tsx bench/reports.ts`.
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import type { Deck } from '../src/modules/reports/domain/layout.ts';
import { defaultTemplate } from '../src/modules/reports/domain/template.ts';
import { type DeckPart, PptxGenJS, renderPptx } from '../src/modules/reports/pptx.ts';
import { normalizePhoto } from '../src/platform/images.ts';
import { dongchengReport, layoutAsDongcheng } from '../test/support/report-fixtures.ts';

/**
 * A camera photo as the server stores it: a 3000 × 2000 JPEG (noise, lightly blurred, so it compresses
 * like a real scene) through the upload's own normalizePhoto — upright, 1280 px, about 150 KB.
 */
async function storedPhoto(): Promise<{ data: Buffer; uploadMs: number }> {
  const camera = await sharp({
    create: {
      width: 3000,
      height: 2000,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .blur(2)
    .jpeg({ quality: 92 })
    .toBuffer();
  const u0 = performance.now();
  const photo = await normalizePhoto(camera);
  const uploadMs = performance.now() - u0;
  if (!photo) throw new Error('the bench photo does not decode');
  return { data: photo.data, uploadMs };
}

export interface ReportsBench {
  units: number;
  slides: number;
  photoBytes: number;
  /** One 3000 × 2000 upload checked, turned and scaled (sharp). */
  photoUploadMs: number;
  deckMs: number;
  deckBytes: number;
  deckPeakRssMb: number;
  bareMs: number;
  bareBytes: number;
  previewP50Ms: number;
  previewP95Ms: number;
  bareP50Ms: number;
  bareP95Ms: number;
}

const template = defaultTemplate('永康市2023年上半年“大晒拼”');

function unitDeck(i: number): Deck {
  const { content, required, facts } = dongchengReport();
  content.highlights[0]!.photoIds = ['p1', 'p2'];
  content.highlights[0]!.title = `亮点${i}：“一网通办”跃居全省第一`;
  const r = layoutAsDongcheng({ content, required, facts }, template, `单位${i + 1}`);
  if (!r.ok) throw new Error(`bench deck ${i} does not lay out: ${JSON.stringify(r.problems)}`);
  return r.deck;
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

export async function runReportsBench(units = 60, edits = 500): Promise<ReportsBench> {
  const photo = await storedPhoto();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const t0 = performance.now();
  const parts: DeckPart[] = [];
  for (let i = 0; i < units; i++) {
    if (i % 20 === 0)
      parts.push({
        kind: 'divider',
        title: `第${i / 20 + 1}组`,
        subtitle: template.look.eventTitle,
        color: '#C8161D',
      });
    parts.push({ kind: 'deck', deck: unitDeck(i) });
  }
  const file = await renderPptx(parts, () => ({ data: photo.data, mime: 'image/jpeg' }));
  const deckMs = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const slides = parts.reduce((n, p) => n + (p.kind === 'deck' ? p.deck.slides.length : 1), 0);

  const b0 = performance.now();
  const bare = new PptxGenJS();
  bare.layout = 'LAYOUT_WIDE';
  for (let i = 0; i < slides; i++) bare.addSlide().addText(`第${i + 1}页`, { x: 1, y: 1, w: 8, h: 1 });
  const bareFile = (await bare.write({ outputType: 'nodebuffer' })) as Buffer;
  const bareMs = performance.now() - b0;

  // The preview: one report re-laid out per keystroke (its text grows by one character).
  const { content, required, facts } = dongchengReport();
  const preview: number[] = [];
  const round: number[] = [];
  for (let i = 0; i < edits; i++) {
    content.shortfalls[0]!.cause = `${'3个项目政策处理未完成。'.repeat(3)}${'晒'.repeat(i % 40)}`;
    const p0 = performance.now();
    layoutAsDongcheng({ content, required, facts }, template);
    preview.push(performance.now() - p0);
    const r0 = performance.now();
    JSON.parse(JSON.stringify({ content, facts }));
    round.push(performance.now() - r0);
  }
  return {
    units,
    slides,
    photoBytes: photo.data.length,
    photoUploadMs: photo.uploadMs,
    deckMs,
    deckBytes: file.length,
    deckPeakRssMb: peak / 1024 / 1024,
    bareMs,
    bareBytes: bareFile.length,
    previewP50Ms: quantile(preview, 0.5),
    previewP95Ms: quantile(preview, 0.95),
    bareP50Ms: quantile(round, 0.5),
    bareP95Ms: quantile(round, 0.95),
  };
}

export function printReportsBench(r: ReportsBench): void {
  const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 0)} ms`;
  console.log(
    `\ne. showcase reports: ${r.units} units, ${r.slides} slides (tables, charts, 2 photos of ${(r.photoBytes / 1024).toFixed(0)} KB a highlight)`,
  );
  console.log(`   one 3000 × 2000 photo upload checked, turned and scaled: ${ms(r.photoUploadMs)}`);
  console.log(
    `   whole-event deck: ${ms(r.deckMs)}, ${(r.deckBytes / 1024 / 1024).toFixed(1)} MB, peak RSS ${r.deckPeakRssMb.toFixed(0)} MB (goal < 3,000 ms, < 500 MB)`,
  );
  console.log(
    `   bare pptxgenjs, same slide count, one text box each: ${ms(r.bareMs)}, ${(r.bareBytes / 1024).toFixed(0)} KB — ratio ${(r.deckMs / r.bareMs).toFixed(1)}×`,
  );
  console.log(
    `   preview re-layout on an edit: p50 ${ms(r.previewP50Ms)}, p95 ${ms(r.previewP95Ms)} (goal p95 < 50 ms); JSON round trip p50 ${ms(r.bareP50Ms)}, p95 ${ms(r.bareP95Ms)}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) printReportsBench(await runReportsBench());
