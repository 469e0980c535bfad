#!/usr/bin/env node
// Makes sure the browser tests can run: Debian's Chromium at /usr/bin/chromium and CJK fonts (the UI
// is Chinese; without the fonts screenshots show boxes and text measurements are wrong). A fast
// no-op when both are present. Installs from Debian when running as root (CI containers), otherwise
// prints the one command to run and fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const PACKAGES = ['chromium', 'fonts-noto-cjk'];

function quiet(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return { ok: r.status === 0, out: r.stdout ?? '' };
}

function hasCjkFonts() {
  const fc = quiet('fc-list', [':lang=zh']);
  if (fc.ok && fc.out.trim() !== '') return true;
  const dpkg = quiet('dpkg', ['-s', 'fonts-noto-cjk']);
  return dpkg.ok && /Status: install ok installed/.test(dpkg.out);
}

function missing() {
  const m = [];
  if (!existsSync(CHROMIUM)) m.push('chromium');
  if (!hasCjkFonts()) m.push('fonts-noto-cjk');
  return m;
}

function run(cmd, args) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} exited with ${r.status}`);
}

const before = missing();
if (before.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(`Browser tests need ${before.join(' and ')} (missing).`);
  console.error(`Install them with:\n  sudo apt-get install -y ${PACKAGES.join(' ')}`);
  process.exit(1);
}

console.log(`Installing ${before.join(' and ')} from Debian (needed by the browser tests)…`);
try {
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', ...PACKAGES]);
} catch (e) {
  console.error(`Could not install ${PACKAGES.join(' ')}: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
const after = missing();
if (after.length > 0) {
  console.error(`Still missing after installation: ${after.join(', ')}`);
  process.exit(1);
}
console.log('Chromium and CJK fonts are installed.');
