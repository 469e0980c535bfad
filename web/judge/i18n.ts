// The judge page's texts (the judge namespace) through the hall pages' tiny t() (web/common/hall-i18n.ts).
import en from '../../src/modules/event/locales/en-US/judge.json' with { type: 'json' };
import zh from '../../src/modules/event/locales/zh-CN/judge.json' with { type: 'json' };
import { type HallLocale, hallTranslator, isHallLocale, type T } from '../common/hall-i18n.ts';

export type { T };
export type JudgeLocale = HallLocale;
const resources: Record<JudgeLocale, unknown> = { 'zh-CN': zh, 'en-US': en };
const LOCALE_KEY = 'shaipin.judge.locale';

export const translator = (locale: JudgeLocale): T => hallTranslator(resources, locale);

/** A stored choice first, then the browser's language; Chinese unless the phone asks for English. */
export function initialLocale(
  storage: Pick<Storage, 'getItem'> | null,
  languages: readonly string[],
): JudgeLocale {
  try {
    const stored = storage?.getItem(LOCALE_KEY);
    if (isHallLocale(stored)) return stored;
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
