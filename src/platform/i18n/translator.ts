import i18next, { type TFunction } from 'i18next';
import { baseResources, defaultLocale, type Locale, locales } from './locales.ts';

const instance = i18next.createInstance();
await instance.init({
  resources: baseResources,
  lng: defaultLocale,
  fallbackLng: 'en-US',
  ns: Object.keys(baseResources[defaultLocale]),
  defaultNS: 'errors',
  interpolation: { escapeValue: false },
  initImmediate: false,
  showSupportNotice: false,
});

export function translator(locale: Locale): TFunction {
  return instance.getFixedT(locale);
}

/** Adds a module's namespaces (`{ 'zh-CN': { results: {...} }, 'en-US': {...} }`) to the server's texts. */
export function registerNamespaces(
  resources: Readonly<Record<Locale, Readonly<Record<string, object>>>>,
): void {
  for (const locale of locales) {
    for (const [ns, texts] of Object.entries(resources[locale])) {
      if (!instance.hasResourceBundle(locale, ns)) instance.addResourceBundle(locale, ns, texts);
    }
  }
}
