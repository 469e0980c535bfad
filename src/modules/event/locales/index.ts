// The event's server-side texts (results, exports, the command line). Registered when the module's
// door (index.ts) is opened; the web apps load judge.json and screen.json themselves.
import { registerNamespaces } from '../../../platform/i18n/translator.ts';
import enResults from './en-US/results.json' with { type: 'json' };
import zhResults from './zh-CN/results.json' with { type: 'json' };

registerNamespaces({ 'zh-CN': { results: zhResults }, 'en-US': { results: enResults } });
