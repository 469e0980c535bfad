import i18next, { type TFunction } from 'i18next';
import { baseResources, defaultLocale, type Locale } from './locales.ts';

const instance = i18next.createInstance();
await instance.init({
  resources: baseResources,
  lng: defaultLocale,
  fallbackLng: 'en-US',
  ns: ['errors', 'common', 'excel', 'indicator-excel', 'indicators', 'print', 'results'],
  defaultNS: 'errors',
  interpolation: { escapeValue: false },
  initImmediate: false,
  showSupportNotice: false,
});

export function translator(locale: Locale): TFunction {
  return instance.getFixedT(locale);
}
