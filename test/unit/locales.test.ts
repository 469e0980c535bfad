// Every text has both languages: each zh-CN locale file has an en-US twin with the same keys, and the
// reverse, so no page or message falls back to a raw key in either language.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function zhFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : zhFiles(path);
    return path.includes(`${join('locales', 'zh-CN')}`) && e.name.endsWith('.json') ? [path] : [];
  });
}

function keys(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    keys(v, prefix ? `${prefix}.${k}` : k),
  );
}

describe('locale files', () => {
  const files = zhFiles(join(ROOT, 'src'));
  it('are found (the scan itself works)', () => {
    expect(files.length).toBeGreaterThan(10);
  });
  for (const zh of files) {
    const en = zh.replace(join('locales', 'zh-CN'), join('locales', 'en-US'));
    it(`${relative(ROOT, zh)} and its en-US twin have the same keys`, () => {
      const zhKeys = keys(JSON.parse(readFileSync(zh, 'utf8'))).sort();
      const enKeys = keys(JSON.parse(readFileSync(en, 'utf8'))).sort();
      expect(
        enKeys.filter((k) => !zhKeys.includes(k)),
        'only in en-US',
      ).toEqual([]);
      expect(
        zhKeys.filter((k) => !enKeys.includes(k)),
        'only in zh-CN',
      ).toEqual([]);
    });
  }
});
