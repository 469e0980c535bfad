// The platform's locale resources (errors, common words, Excel and print texts), shared by the server
// and the web apps; each module adds its own namespaces (its locales/index.ts). zh-CN is the default.

import enCommon from '../locales/en-US/common.json' with { type: 'json' };
import enErrors from '../locales/en-US/errors.json' with { type: 'json' };
import enExcel from '../locales/en-US/excel.json' with { type: 'json' };
import enPrint from '../locales/en-US/print.json' with { type: 'json' };
import zhCommon from '../locales/zh-CN/common.json' with { type: 'json' };
import zhErrors from '../locales/zh-CN/errors.json' with { type: 'json' };
import zhExcel from '../locales/zh-CN/excel.json' with { type: 'json' };
import zhPrint from '../locales/zh-CN/print.json' with { type: 'json' };

export const locales = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'zh-CN';

export const baseResources = {
  'zh-CN': {
    errors: zhErrors,
    common: zhCommon,
    excel: zhExcel,
    print: zhPrint,
  },
  'en-US': {
    errors: enErrors,
    common: enCommon,
    excel: enExcel,
    print: enPrint,
  },
} as const;

/** Picks the best supported locale from an Accept-Language header or a stored preference. */
export function pickLocale(header: string | undefined | null): Locale {
  if (!header) return defaultLocale;
  const wanted = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((x) => x.tag && !Number.isNaN(x.q))
    .sort((a, b) => b.q - a.q);
  for (const { tag } of wanted) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en-US';
  }
  return defaultLocale;
}
