import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBoundaries, clockReads, importsOf, type SourceFile } from '../support/boundaries.ts';

const root = join(import.meta.dirname, '..', '..');

function tree(): SourceFile[] {
  const listed = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', 'src', 'web'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return listed
    .split('\n')
    .filter((p) => /\.(ts|tsx)$/.test(p))
    .flatMap((path) => {
      try {
        return [{ path, text: readFileSync(join(root, path), 'utf8') }];
      } catch {
        return []; // deleted in the work tree, not yet in the index
      }
    });
}

describe('boundaries between the rooms of the code', () => {
  const files = tree();

  it('reads the tree (every module and the web are there)', () => {
    for (const prefix of [
      'src/kernel/',
      'src/platform/',
      'src/modules/event/domain/',
      'src/modules/indicators/',
      'web/console/',
    ])
      expect(
        files.some((f) => f.path.startsWith(prefix)),
        prefix,
      ).toBe(true);
  });

  it('holds in src/ and web/: pure rules import no I/O, modules meet at their doors, the web sees contracts only', () => {
    const found = checkBoundaries(files).map((v) => `${v.file} imports ${v.import}: ${v.rule}`);
    expect(found).toEqual([]);
  });

  it('pure rules read no clock', () => {
    expect(clockReads(files).map((v) => v.file)).toEqual([]);
  });

  it('catches a domain file that imports a use case, and the other breaches', () => {
    const planted: SourceFile[] = [
      { path: 'src/modules/event/domain/bad.ts', text: "import { submitScore } from '../scoring.ts';\n" },
      { path: 'src/modules/event/domain/sql.ts', text: "import type { Kysely } from 'kysely';\n" },
      { path: 'src/kernel/bad.ts', text: "export { audit } from '../platform/audit.ts';\n" },
      { path: 'src/modules/indicators/bad.ts', text: "import { openSlot } from '../event/scoring.ts';\n" },
      { path: 'src/platform/bad.ts', text: "const m = await import('../modules/event/index.ts');\n" },
      { path: 'web/console/bad.tsx', text: "import { buildApp } from '../../src/server/app.ts';\n" },
      { path: 'src/modules/event/domain/clock.ts', text: 'export const now = () => Date.now();\n' },
      // Allowed: these must not be reported.
      {
        path: 'src/modules/indicators/ok.ts',
        text: "import { openSlot } from '../event/index.ts';\nimport type { SlotView } from '../event/schemas.ts';\n",
      },
      {
        path: 'src/modules/event/domain/ok.ts',
        text: "import { z } from 'zod';\nimport { AppError } from '../../../kernel/errors.ts';\n// import { x } from '../scoring.ts';\n",
      },
      {
        path: 'web/console/ok.tsx',
        text: "import type { SlotView } from '../../src/modules/event/schemas.ts';\nimport { lightSeverity } from '../../src/modules/indicators/domain/lights.ts';\n",
      },
    ];
    const found = checkBoundaries(planted).map((v) => `${v.file} ${v.import}`);
    expect(found).toEqual([
      'src/modules/event/domain/bad.ts ../scoring.ts',
      'src/modules/event/domain/sql.ts kysely',
      'src/kernel/bad.ts ../platform/audit.ts',
      'src/modules/indicators/bad.ts ../event/scoring.ts',
      'src/platform/bad.ts ../modules/event/index.ts',
      'web/console/bad.tsx ../../src/server/app.ts',
    ]);
    expect(clockReads(planted).map((v) => v.file)).toEqual(['src/modules/event/domain/clock.ts']);
  });

  it('sees every form of import: type-only, re-export, side effect, dynamic, multi-line', () => {
    const text = [
      "import type { A } from './a.ts';",
      "export { b } from './b.ts';",
      "import './c.css';",
      "const d = await import('./d.ts');",
      'import {\n  e,\n  f,\n} from "./e.ts";',
    ].join('\n');
    expect(importsOf(text)).toEqual(['./a.ts', './b.ts', './c.css', './d.ts', './e.ts']);
  });
});
