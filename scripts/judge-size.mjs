#!/usr/bin/env node
// The judge page's size budget: every JavaScript and CSS file its entry loads (its chunk, the chunks
// it imports, transitively, their CSS) plus its service worker, gzipped at level 9, must stay within
// 150 KB (1 KB = 1000 bytes), so the page opens on weak hall Wi-Fi. Reads Vite's manifest of a build
// (dist/web/.vite/manifest.json), prints the figure, exits 1 over budget or when there is no build.
//
//   node scripts/judge-size.mjs [distDir]     (run by `npm run build:web` after `vite build`)
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const JUDGE_BUDGET_BYTES = 150_000;
export const JUDGE_ENTRY = 'judge.html';
export const JUDGE_SERVICE_WORKER = 'judge-sw.js';

/**
 * @typedef {{ file: string; bytes: number; gzipBytes: number }} SizedFile
 * @typedef {{ files: SizedFile[]; gzipBytes: number; budgetBytes: number; withinBudget: boolean }} JudgeSize
 * @typedef {{ file: string; imports?: string[]; dynamicImports?: string[]; css?: string[] }} ManifestChunk
 */

/** Every JS and CSS file the entry loads, its own chunk first, each once (lazy chunks included). */
export function entryFiles(/** @type {Record<string, ManifestChunk>} */ manifest, entryKey = JUDGE_ENTRY) {
  const entry = manifest[entryKey];
  if (!entry) throw new Error(`the Vite manifest has no entry "${entryKey}"`);
  /** @type {string[]} */
  const files = [];
  const seenKeys = new Set();
  const add = (/** @type {string} */ f) => {
    if (!files.includes(f)) files.push(f);
  };
  const visit = (/** @type {string} */ key) => {
    if (seenKeys.has(key)) return;
    seenKeys.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the Vite manifest lists "${key}" as an import but has no such chunk`);
    add(chunk.file);
    for (const css of chunk.css ?? []) add(css);
    for (const next of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) visit(next);
  };
  visit(entryKey);
  return files.filter((f) => /\.(m?js|css)$/.test(f));
}

/** Sizes the judge entry of the build in `distDir`. Throws when there is no (complete) build. */
export function judgeEntrySize(distDir, budgetBytes = JUDGE_BUDGET_BYTES) {
  const manifestPath = join(distDir, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`${manifestPath} is missing: build the web apps first (npx vite build)`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const names = entryFiles(manifest);
  // The worker is fetched by every phone too; it counts, when the build has one.
  if (existsSync(join(distDir, JUDGE_SERVICE_WORKER))) names.push(JUDGE_SERVICE_WORKER);
  /** @type {SizedFile[]} */
  const files = names.map((file) => {
    const path = join(distDir, file);
    if (!existsSync(path)) throw new Error(`${path} is listed in the manifest but missing`);
    const content = readFileSync(path);
    return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  });
  const gzipBytes = files.reduce((sum, f) => sum + f.gzipBytes, 0);
  return { files, gzipBytes, budgetBytes, withinBudget: gzipBytes <= budgetBytes };
}

const kb = (/** @type {number} */ bytes) => `${(bytes / 1000).toFixed(1)} KB`;

/** The one-line figure the build prints. */
export function describe(/** @type {JudgeSize} */ size) {
  return `judge entry: ${kb(size.gzipBytes)} gzipped (budget ${size.budgetBytes / 1000} KB)`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const distDir = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'dist', 'web'));
  try {
    const size = judgeEntrySize(distDir);
    for (const f of size.files) console.log(`  ${f.file}  ${kb(f.bytes)} → ${kb(f.gzipBytes)} gzipped`);
    console.log(describe(size));
    if (!size.withinBudget) {
      console.error(`the judge page is over its budget by ${kb(size.gzipBytes - size.budgetBytes)}`);
      process.exit(1);
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
