// A tiny t() over the judge namespace instead of i18next: the judge page has one namespace and only
// {{name}} interpolation, and every kilobyte counts on hall Wi-Fi.
import en from '../../src/modules/event/locales/en-US/judge.json' with { type: 'json' };
import zh from '../../src/modules/event/locales/zh-CN/judge.json' with { type: 'json' };

export type JudgeLocale = 'zh-CN' | 'en-US';
const resources: Record<JudgeLocale, unknown> = { 'zh-CN': zh, 'en-US': en };
const LOCALE_KEY = 'shaipin.judge.locale';

export type T = (key: string, vars?: Record<string, string | number>) => string;

function lookup(tree: unknown, key: string): string | undefined {
  let node = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export function translator(locale: JudgeLocale): T {
  return (key, vars) => {
    const text = lookup(resources[locale], key) ?? lookup(resources['zh-CN'], key) ?? key;
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(vars?.[name] ?? ''));
  };
}

/** A stored choice first, then the browser's language; Chinese unless the phone asks for English. */
export function initialLocale(
  storage: Pick<Storage, 'getItem'> | null,
  languages: readonly string[],
): JudgeLocale {
  try {
    const stored = storage?.getItem(LOCALE_KEY);
    if (stored === 'zh-CN' || stored === 'en-US') return stored;
  } catch {
    // Storage may be blocked; fall through to the browser's language.
  }
  for (const lang of languages) {
    const l = lang.toLowerCase();
    if (l.startsWith('zh')) return 'zh-CN';
    if (l.startsWith('en')) return 'en-US';
  }
  return 'zh-CN';
}

export function storeLocale(storage: Pick<Storage, 'setItem'> | null, locale: JudgeLocale): void {
  try {
    storage?.setItem(LOCALE_KEY, locale);
  } catch {
    // Not worth bothering the judge about.
  }
}
