// The reports module's server-side texts: the deck's words and the reasons a report cannot be submitted.
import { registerNamespaces } from '../../../platform/i18n/translator.ts';
import en from './en-US/reports.json' with { type: 'json' };
import zh from './zh-CN/reports.json' with { type: 'json' };

registerNamespaces({ 'zh-CN': { reports: zh }, 'en-US': { reports: en } });
