// The supervision pages' strings (`supervision-web`), kept beside the server's texts of the module.
import en from '../../../src/modules/supervision/locales/en-US/supervision-web.json' with { type: 'json' };
import zh from '../../../src/modules/supervision/locales/zh-CN/supervision-web.json' with { type: 'json' };
import { registerNamespace } from '../../common/i18n.ts';

registerNamespace('supervision-web', { 'zh-CN': zh, 'en-US': en });
