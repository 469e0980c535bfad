// The indicators' server-side texts (validation sentences, Excel sheets). Registered when the module's
// door (index.ts) is opened; the console loads indicators-web.json itself.
import { registerNamespaces } from '../../../platform/i18n/translator.ts';
import enIndicatorExcel from './en-US/indicator-excel.json' with { type: 'json' };
import enIndicators from './en-US/indicators.json' with { type: 'json' };
import zhIndicatorExcel from './zh-CN/indicator-excel.json' with { type: 'json' };
import zhIndicators from './zh-CN/indicators.json' with { type: 'json' };

registerNamespaces({
  'zh-CN': { indicators: zhIndicators, 'indicator-excel': zhIndicatorExcel },
  'en-US': { indicators: enIndicators, 'indicator-excel': enIndicatorExcel },
});
