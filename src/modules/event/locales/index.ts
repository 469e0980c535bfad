// The event's server-side texts (results, exports, the command line). Registered when the module's
// door (index.ts) is opened; the web apps load judge.json and screen.json themselves.
import { registerNamespaces } from '../../../platform/i18n/translator.ts';
import enFiles from './en-US/files.json' with { type: 'json' };
import enResults from './en-US/results.json' with { type: 'json' };
import enSetup from './en-US/setup.json' with { type: 'json' };
import zhFiles from './zh-CN/files.json' with { type: 'json' };
import zhResults from './zh-CN/results.json' with { type: 'json' };
import zhSetup from './zh-CN/setup.json' with { type: 'json' };

// results: results, exports, the command line; event-setup: refusals of the setup use cases that the
// shared print messages do not cover; event-files: the names of the files the event's downloads carry.
registerNamespaces({
  'zh-CN': { results: zhResults, 'event-setup': zhSetup, 'event-files': zhFiles },
  'en-US': { results: enResults, 'event-setup': enSetup, 'event-files': enFiles },
});
