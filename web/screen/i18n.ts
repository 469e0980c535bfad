// A tiny t() over the screen namespace instead of i18next: one namespace, {{name}} interpolation only.
// The hall screen is Chinese unless the organizer asks otherwise (?lang=en-US, remembered): the
// display computer's own language says nothing about the audience in the hall.
import en from '../../src/modules/event/locales/en-US/screen.json' with { type: 'json' };
import zh from '../../src/modules/event/locales/zh-CN/screen.json' with { type: 'json' };

export type ScreenLocale = 'zh-CN' | 'en-US';
const resources: Record<ScreenLocale, unknown> = { 'zh-CN': zh, 'en-US': en };
const LOCALE_KEY = 'shaipin.screen.locale';

export type T = (key: string, vars?: Record<string, string | number>) => string;

function lookup(tree: unknown, key: string): string | undefined {
  let node = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export function translator(locale: ScreenLocale): T {
  return (key, vars) => {
    const text = lookup(resources[locale], key) ?? lookup(resources['zh-CN'], key) ?? key;
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(vars?.[name] ?? ''));
  };
}

const isLocale = (v: string | null | undefined): v is ScreenLocale => v === 'zh-CN' || v === 'en-US';

/** ?lang= (remembered on this computer), else the remembered choice, else Chinese. */
export function screenLocale(
  search: string,
  storage: Pick<Storage, 'getItem' | 'setItem'> | null,
): ScreenLocale {
  const asked = new URLSearchParams(search).get('lang');
  try {
    if (isLocale(asked)) {
      storage?.setItem(LOCALE_KEY, asked);
      return asked;
    }
    const stored = storage?.getItem(LOCALE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // Storage may be blocked: the URL parameter still applies to this page.
    if (isLocale(asked)) return asked;
  }
  return 'zh-CN';
}
