// The reports pages' strings (`reports-web`) and the deck's words and problems (`reports`, the same file
// the server speaks from, so the live preview says what the server will).
import enDeck from '../../../src/modules/reports/locales/en-US/reports.json' with { type: 'json' };
import enWeb from '../../../src/modules/reports/locales/en-US/reports-web.json' with { type: 'json' };
import zhDeck from '../../../src/modules/reports/locales/zh-CN/reports.json' with { type: 'json' };
import zhWeb from '../../../src/modules/reports/locales/zh-CN/reports-web.json' with { type: 'json' };
import { registerNamespace } from '../../common/i18n.ts';

registerNamespace('reports-web', { 'zh-CN': zhWeb, 'en-US': enWeb });
registerNamespace('reports', { 'zh-CN': zhDeck, 'en-US': enDeck });
