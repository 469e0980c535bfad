// The screen's texts (the screen namespace) through the hall pages' tiny t() (web/common/hall-i18n.ts).
// The hall screen is Chinese unless the organizer asks otherwise (?lang=en-US, remembered): the
// display computer's own language says nothing about the audience in the hall.
import en from '../../src/modules/event/locales/en-US/screen.json' with { type: 'json' };
import zh from '../../src/modules/event/locales/zh-CN/screen.json' with { type: 'json' };
import { type HallLocale, hallTranslator, isHallLocale, type T } from '../common/hall-i18n.ts';

export type { T };
export type ScreenLocale = HallLocale;
const resources: Record<ScreenLocale, unknown> = { 'zh-CN': zh, 'en-US': en };
const LOCALE_KEY = 'shaipin.screen.locale';

export const translator = (locale: ScreenLocale): T => hallTranslator(resources, locale);

/** ?lang= (remembered on this computer), else the remembered choice, else Chinese. */
export function screenLocale(
  search: string,
  storage: Pick<Storage, 'getItem' | 'setItem'> | null,
): ScreenLocale {
  const asked = new URLSearchParams(search).get('lang');
  try {
    if (isHallLocale(asked)) {
      storage?.setItem(LOCALE_KEY, asked);
      return asked;
    }
    const stored = storage?.getItem(LOCALE_KEY);
    if (isHallLocale(stored)) return stored;
  } catch {
    // Storage may be blocked: the URL parameter still applies to this page.
    if (isHallLocale(asked)) return asked;
  }
  return 'zh-CN';
}
