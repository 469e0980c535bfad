// i18next for the web apps. Each app passes its own namespace(s) so the judge page never bundles the
// console's strings; the shared namespaces (common, errors) come from src/shared/locales.
import i18next, { type i18n as I18n, type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import {
  baseResources,
  defaultLocale,
  type Locale,
  locales,
  pickLocale,
} from '../../src/platform/i18n/locales.ts';

const STORAGE_KEY = 'shaipin.locale';

// Namespaces an app registers at module load (before initI18n runs), e.g. the console's indicator pages
// bring `indicators-web` without the entry point having to know about every area.
const registered: Record<Locale, Record<string, object>> = { 'zh-CN': {}, 'en-US': {} };

/** Adds a namespace in every locale; usable before or after initI18n. */
export function registerNamespace(ns: string, perLocale: Record<Locale, object>): void {
  for (const l of locales) {
    registered[l][ns] = perLocale[l];
    if (i18next.isInitialized) i18next.addResourceBundle(l, ns, perLocale[l], true, true);
  }
}

/** The stored choice, else the browser's languages, else zh-CN. */
export function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored && (locales as readonly string[]).includes(stored)) return stored as Locale;
  } catch {
    // Storage can be disabled (private mode, embedded browsers): fall through to the browser's choice.
  }
  const langs = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  return langs.length > 0 ? pickLocale(langs.join(',')) : defaultLocale;
}

/**
 * Initializes the shared i18next instance. `extra` holds the app's own namespaces per locale, e.g.
 * `{ 'zh-CN': { console: zh }, 'en-US': { console: en } }`; `defaultNS` is the app's namespace.
 */
export async function initI18n(
  extra: Record<Locale, Record<string, object>>,
  defaultNS: string,
): Promise<I18n> {
  const resources: Resource = {};
  for (const l of locales) {
    resources[l] = {
      ...(baseResources[l] as unknown as Record<string, object>),
      ...registered[l],
      ...extra[l],
    } as Resource[string];
  }
  const lng = initialLocale();
  await i18next.use(initReactI18next).init({
    resources,
    lng,
    fallbackLng: defaultLocale,
    supportedLngs: [...locales],
    ns: ['common', 'errors', ...Object.keys(registered[defaultLocale]), ...Object.keys(extra[defaultLocale])],
    defaultNS,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = lng;
  return i18next;
}

export function currentLocale(): Locale {
  const l = i18next.language;
  return (locales as readonly string[]).includes(l) ? (l as Locale) : defaultLocale;
}

/** Switches the language and remembers the choice on this browser. */
export async function setLocale(l: Locale): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    // Not remembered; the switch still applies to this page.
  }
  await i18next.changeLanguage(l);
  document.documentElement.lang = l;
}

export { type Locale, locales };
