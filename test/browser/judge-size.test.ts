// The judge page's size budget on the real build: the browser project's global setup has just built
// dist/web from the current sources, so the figure is this tree's, never a stale build's. (Kept in
// the browser project for that reason: the unit project may run before any build exists.)
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { WEB_ROOT } from '../support/browser.ts';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'judge-size.mjs');
interface JudgeSize {
  files: { file: string; bytes: number; gzipBytes: number }[];
  gzipBytes: number;
  budgetBytes: number;
  withinBudget: boolean;
}
interface JudgeSizeModule {
  judgeEntrySize(distDir: string): JudgeSize;
  describe(size: JudgeSize): string;
}

describe('judge page size', () => {
  it('the judge entry (JS + CSS + service worker, gzipped) stays within 150 KB', async () => {
    const buildError = inject('webBuildError');
    if (buildError) throw new Error(buildError);
    if (!inject('webBuilt'))
      throw new Error('dist/web was not built: web/index.html or web/judge.html is missing');
    const m = (await import(pathToFileURL(SCRIPT).href)) as JudgeSizeModule;
    const size = m.judgeEntrySize(WEB_ROOT);
    console.log(m.describe(size));
    const names = size.files.map((f) => f.file);
    // The build really is the judge page with its worker, not an empty or partial one.
    expect(names.some((f) => /^assets\/judge-.*\.js$/.test(f))).toBe(true);
    expect(names.some((f) => /^assets\/judge-.*\.css$/.test(f))).toBe(true);
    expect(names).toContain('judge-sw.js');
    // …and nothing of the console's Ant Design or charts.
    expect(names.filter((f) => /antd|echarts|console-/i.test(f))).toEqual([]);
    expect(size.budgetBytes).toBe(150_000);
    expect(size.gzipBytes).toBeLessThanOrEqual(size.budgetBytes);
  });
});
