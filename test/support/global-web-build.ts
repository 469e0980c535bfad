// Global setup of the browser project: build the two web apps once into dist/web, so every browser
// test file serves the same production bundle (what users get), not a dev server.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TestProject } from 'vitest/node';
import './context.ts';

const root = join(import.meta.dirname, '..', '..');

export default async function setup(project: TestProject): Promise<void> {
  // vite.config.ts builds the three entries; without them there is nothing to build (and the smoke
  // test fails, saying so).
  const entries = ['index.html', 'judge.html', 'screen.html'].map((f) => join(root, 'web', f));
  if (!entries.every((f) => existsSync(f))) {
    console.log('web/index.html, web/judge.html or web/screen.html is missing: skipping the web build');
    project.provide('webBuilt', false);
    project.provide('webBuildError', null);
    return;
  }
  const started = Date.now();
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('npx', ['vite', 'build', '--logLevel', 'warn'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    child.stdout.on('data', (c: Buffer) => output.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    const error = `npx vite build failed (exit ${code}):\n${output.join('')}`;
    console.error(error);
    project.provide('webBuilt', false);
    project.provide('webBuildError', error);
    return;
  }
  // As `npm run build:web` does: the compressed copies the server sends (scripts/precompress.mjs).
  const { precompress } = (await import(pathToFileURL(join(root, 'scripts', 'precompress.mjs')).href)) as {
    precompress(dir: string): { files: number };
  };
  precompress(join(root, 'dist', 'web'));
  console.log(`web apps built into dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('webBuilt', true);
  project.provide('webBuildError', null);
}
