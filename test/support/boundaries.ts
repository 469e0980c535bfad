// The import rules between the rooms of the code (docs/ARCHITECTURE.md, "Boundaries"), as a checker
// over file texts so that a test can run it on the tree and on made-up files alike.
import { dirname, join, normalize } from 'node:path';

export interface SourceFile {
  /** Repository-relative, with forward slashes: src/modules/event/scoring.ts */
  path: string;
  text: string;
}

export interface Violation {
  file: string;
  import: string;
  rule: string;
}

/** Libraries pure rules may use: they compute, they do no I/O. */
const PURE_PACKAGES = new Set(['zod', 'fraction.js', 'node:crypto']);

// Static imports and re-exports (also `import type`), side-effect imports, and dynamic import().
const IMPORT_RE =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,]+?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(text: string): string[] {
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found: string[] = [];
  for (const m of withoutComments.matchAll(IMPORT_RE)) found.push((m[1] ?? m[2])!);
  return found;
}

const moduleOf = (path: string): string | null => /^src\/modules\/([^/]+)\//.exec(path)?.[1] ?? null;
const isPure = (path: string): boolean =>
  path.startsWith('src/kernel/') || /^src\/modules\/[^/]+\/domain\//.test(path);
/** What another module (or the server, the scripts) may open of a module. */
const isDoor = (path: string): boolean =>
  /^src\/modules\/[^/]+\/(index\.ts|schemas\.ts|domain\/.+|locales\/.+)$/.test(path);
/** What the web may import from src/: contracts, pure rules and texts. */
const isWebVisible = (path: string): boolean =>
  isPure(path) ||
  /(^|\/)schemas\.ts$/.test(path) ||
  /\/locales\/.+\.json$/.test(path) ||
  path === 'src/platform/i18n/locales.ts';

export function checkBoundaries(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    for (const spec of importsOf(file.text)) {
      const relative = spec.startsWith('.');
      const target = relative
        ? normalize(join(dirname(file.path), spec))
            .split('\\')
            .join('/')
        : null;
      const flag = (rule: string) => violations.push({ file: file.path, import: spec, rule });

      if (isPure(file.path)) {
        if (target === null) {
          if (!PURE_PACKAGES.has(spec)) flag('pure rules (kernel/, domain/) use no I/O library');
        } else if (!isPure(target) && !/(^|\/)schemas\.ts$/.test(target)) {
          flag('pure rules (kernel/, domain/) import only pure rules and schemas');
        }
        continue;
      }
      if (target === null) continue;

      if (file.path.startsWith('web/')) {
        if (target.startsWith('src/') && !isWebVisible(target))
          flag('web imports only schemas, domain rules and locales of src/');
        continue;
      }
      if (file.path.startsWith('src/platform/') && target.startsWith('src/modules/')) {
        flag('the platform knows no module');
        continue;
      }
      const from = moduleOf(file.path);
      const to = moduleOf(target);
      if (to !== null && to !== from && !isDoor(target)) {
        flag(`another module is reached through its index.ts (or schemas.ts, domain/, locales/): ${to}`);
      }
    }
  }
  return violations;
}

/** Pure rules read no clock: time comes in as an argument. */
export function clockReads(files: readonly SourceFile[]): Violation[] {
  return files
    .filter((f) => isPure(f.path))
    .flatMap((f) =>
      /Date\.now\(\)|new Date\(\)|performance\.now\(\)/.test(f.text)
        ? [{ file: f.path, import: '(clock)', rule: 'pure rules read no clock' }]
        : [],
    );
}
