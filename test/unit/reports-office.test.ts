// The generated PPTX opened by an office suite: LibreOffice (headless) converts it to PDF, one page per
// slide, and the required indicators' texts are in the PDF's text.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderPptx } from '../../src/modules/reports/pptx.ts';
import { layoutAsDongcheng } from '../support/report-fixtures.ts';

describe('the PPTX in LibreOffice', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shaipin-pptx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('converts to a PDF of one page per slide that carries the indicators’ texts', {
    timeout: 120_000,
  }, async () => {
    const r = layoutAsDongcheng();
    const file = join(dir, 'deck.pptx');
    writeFileSync(file, await renderPptx([{ kind: 'deck', deck: r.deck }]));
    // A profile of its own: a second LibreOffice (a developer's) must not take the conversion over.
    execFileSync(
      'soffice',
      [
        `-env:UserInstallation=file://${join(dir, 'profile')}`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        file,
      ],
      { stdio: 'ignore', timeout: 110_000 },
    );
    const pdf = join(dir, 'deck.pdf');
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBe(r.deck.slides.length);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    // pdftotext sets a space between Chinese and Latin runs ("38 个"): compare without spaces.
    for (const s of [
      '东城街道',
      '低效工业用地整治',
      '双随机监管全省排名',
      '38个重点项目开工率',
      '89 → 32',
      '重点项目开工滞后',
    ])
      expect(text.replace(/\s+/g, ''), s).toContain(s.replace(/\s+/g, ''));
  });
});
