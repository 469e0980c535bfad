// The indicator pages' strings (namespace `indicators-web`), registered when the console loads so the
// side menu can name the pages before any of them is opened.
import en from '../../../src/modules/indicators/locales/en-US/indicators-web.json' with { type: 'json' };
import zh from '../../../src/modules/indicators/locales/zh-CN/indicators-web.json' with { type: 'json' };
import { registerNamespace } from '../../common/i18n.ts';

registerNamespace('indicators-web', { 'zh-CN': zh, 'en-US': en });
