// The judge page's size budget (scripts/judge-size.mjs) on small synthetic builds: which files count
// (the entry's chunk, its imports transitively, their CSS, the service worker), how they are
// measured (gzip level 9), and that a build over budget or a missing build fails loudly. The real
// build is measured by test/browser/judge-size.test.ts, after the browser project has built it.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';

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
// A plain .mjs (node runs it after `vite build`): its API is typed here.
const loadJudgeSize = () => import(pathToFileURL(SCRIPT).href) as Promise<JudgeSizeModule>;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fakeBuild(files: Record<string, string | Buffer>, manifest: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'judge-size-'));
  dirs.push(dir);
  mkdirSync(join(dir, '.vite'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, '.vite', 'manifest.json'), JSON.stringify(manifest));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const gz = (s: string | Buffer) => gzipSync(s, { level: 9 }).length;

describe('judge page size budget', () => {
  it('counts the entry chunk, its imports transitively, their CSS and the worker, each once', async () => {
    const m = await loadJudgeSize();
    const files = {
      'assets/judge-1.js': 'import "./react-1.js"; console.log("judge judge judge");',
      'assets/judge-1.css': '.a{color:red}.b{color:blue}',
      'assets/react-1.js': 'export const react = "react".repeat(50);',
      'assets/shared-1.js': 'export const shared = 1;',
      'assets/shared-1.css': '.s{margin:0}',
      'assets/lazy-1.js': 'export const lazy = 2;',
      'assets/console-1.js': 'console.log("the console is not the judge page");',
      'judge-sw.js': 'self.addEventListener("fetch", () => {});',
    };
    const dir = fakeBuild(files, {
      'judge.html': {
        file: 'assets/judge-1.js',
        isEntry: true,
        imports: ['_react-1.js', '_shared-1.js'],
        dynamicImports: ['lazy.ts'],
        css: ['assets/judge-1.css'],
      },
      '_react-1.js': { file: 'assets/react-1.js', imports: ['_shared-1.js'] },
      '_shared-1.js': { file: 'assets/shared-1.js', css: ['assets/shared-1.css'], imports: ['_react-1.js'] },
      'lazy.ts': { file: 'assets/lazy-1.js', isDynamicEntry: true },
      'index.html': { file: 'assets/console-1.js', isEntry: true, imports: ['_react-1.js'] },
    });
    const size = m.judgeEntrySize(dir);
    expect(size.files.map((f) => f.file)).toEqual([
      'assets/judge-1.js',
      'assets/judge-1.css',
      'assets/react-1.js',
      'assets/shared-1.js',
      'assets/shared-1.css',
      'assets/lazy-1.js',
      'judge-sw.js',
    ]);
    const expected = size.files.reduce((sum, f) => sum + gz(files[f.file as keyof typeof files]), 0);
    expect(size.gzipBytes).toBe(expected);
    expect(size.budgetBytes).toBe(150_000);
    expect(size.withinBudget).toBe(true);
    expect(m.describe(size)).toBe(`judge entry: ${(expected / 1000).toFixed(1)} KB gzipped (budget 150 KB)`);
  });

  it('a build over budget is reported, and the script exits 1', async () => {
    const m = await loadJudgeSize();
    // Random bytes do not compress: 160 KB of them is over 150 KB gzipped.
    const dir = fakeBuild(
      { 'assets/judge-1.js': randomBytes(160_000), 'assets/judge-1.css': '.a{}' },
      { 'judge.html': { file: 'assets/judge-1.js', isEntry: true, css: ['assets/judge-1.css'] } },
    );
    const size = m.judgeEntrySize(dir);
    expect(size.gzipBytes).toBeGreaterThan(150_000);
    expect(size.withinBudget).toBe(false);

    const run = spawnSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/judge entry: \d+\.\d KB gzipped \(budget 150 KB\)/);
    expect(run.stderr).toContain('over its budget');
  });

  it('within budget the script prints the figure and exits 0', () => {
    const dir = fakeBuild(
      { 'assets/judge-1.js': 'console.log(1)' },
      { 'judge.html': { file: 'assets/judge-1.js', isEntry: true } },
    );
    const run = spawnSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('judge entry: 0.0 KB gzipped (budget 150 KB)');
  });

  it('a missing build, or a manifest without the judge entry, fails with the reason', async () => {
    const m = await loadJudgeSize();
    const empty = mkdtempSync(join(tmpdir(), 'judge-size-'));
    dirs.push(empty);
    expect(() => m.judgeEntrySize(empty)).toThrow(/manifest\.json is missing: build the web apps first/);
    const run = spawnSync(process.execPath, [SCRIPT, empty], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('is missing');

    const noJudge = fakeBuild(
      { 'assets/console-1.js': 'x' },
      { 'index.html': { file: 'assets/console-1.js', isEntry: true } },
    );
    expect(() => m.judgeEntrySize(noJudge)).toThrow('the Vite manifest has no entry "judge.html"');
    const missingFile = fakeBuild({}, { 'judge.html': { file: 'assets/judge-1.js', isEntry: true } });
    expect(() => m.judgeEntrySize(missingFile)).toThrow(/judge-1\.js is listed in the manifest but missing/);
  });
});
