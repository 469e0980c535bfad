#!/usr/bin/env node
// Makes sure the tests find the system programs they drive: Debian's Chromium at /usr/bin/chromium and
// CJK fonts for the browser tests (the UI is Chinese; without the fonts screenshots show boxes and text
// measurements are wrong), and LibreOffice (headless, without a desktop) with poppler's pdftotext for
// the test that opens a generated PPTX as an office suite would. A fast no-op when all are present.
// Installs from Debian when running as root (CI containers), otherwise prints the one command to run
// and fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const SOFFICE = '/usr/bin/soffice';
const PDFTOTEXT = '/usr/bin/pdftotext';
const BROWSER_PACKAGES = ['chromium', 'fonts-noto-cjk'];
// Without recommends: LibreOffice's would bring a desktop the headless conversion never uses.
const OFFICE_PACKAGES = ['libreoffice-impress-nogui', 'poppler-utils'];
const PACKAGES = [...BROWSER_PACKAGES, ...OFFICE_PACKAGES];

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
  if (!existsSync(SOFFICE)) m.push('libreoffice-impress-nogui');
  if (!existsSync(PDFTOTEXT)) m.push('poppler-utils');
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
  console.error(`The tests need ${before.join(', ')} (missing).`);
  console.error(
    `Install them with:\n  sudo apt-get install -y ${BROWSER_PACKAGES.join(' ')} && sudo apt-get install -y --no-install-recommends ${OFFICE_PACKAGES.join(' ')}`,
  );
  process.exit(1);
}

console.log(`Installing ${before.join(', ')} from Debian (needed by the browser and PPTX tests)…`);
try {
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', ...BROWSER_PACKAGES]);
  run('apt-get', ['install', '-y', '--no-install-recommends', ...OFFICE_PACKAGES]);
} catch (e) {
  console.error(`Could not install ${PACKAGES.join(' ')}: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
const after = missing();
if (after.length > 0) {
  console.error(`Still missing after installation: ${after.join(', ')}`);
  process.exit(1);
}
console.log('Chromium, CJK fonts, LibreOffice and pdftotext are installed.');
