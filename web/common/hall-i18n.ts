// A tiny t() for the hall pages (judge phone, big screen) instead of i18next: each has one namespace
// and only {{name}} interpolation, and every kilobyte counts on hall Wi-Fi.

export type HallLocale = 'zh-CN' | 'en-US';

export type T = (key: string, vars?: Record<string, string | number>) => string;

export const isHallLocale = (v: string | null | undefined): v is HallLocale => v === 'zh-CN' || v === 'en-US';

function lookup(tree: unknown, key: string): string | undefined {
  let node = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** t() over one namespace's texts; a text missing in the locale falls back to Chinese, then to the key. */
export function hallTranslator(resources: Record<HallLocale, unknown>, locale: HallLocale): T {
  return (key, vars) => {
    const text = lookup(resources[locale], key) ?? lookup(resources['zh-CN'], key) ?? key;
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(vars?.[name] ?? ''));
  };
}
