// The supervision module's server-side texts: the robots' messages, the lists' and bulletin's headers.
import { registerNamespaces } from '../../../platform/i18n/translator.ts';
import en from './en-US/supervision.json' with { type: 'json' };
import zh from './zh-CN/supervision.json' with { type: 'json' };

registerNamespaces({ 'zh-CN': { supervision: zh }, 'en-US': { supervision: en } });
