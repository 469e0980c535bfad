// Printable A4 pages (QR sheets, results): one self-contained HTML document with inline CSS and no
// external asset, so it prints the same on an intranet without internet. Printouts get stamped and
// filed, hence the title, the date line and the signature lines on every one of them.

import type { Locale } from '../i18n/locales.ts';
import { translator } from '../i18n/translator.ts';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and attribute values. Every dynamic text goes through it. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

// Events run in China; a server container often runs in UTC, which would print yesterday's date on an
// early morning. An explicit TZ still wins.
const printTimeZone = process.env.TZ || 'Asia/Shanghai';

/** 2023年8月3日 in zh-CN, August 3, 2023 in en-US. */
export function formatPrintDate(date: Date, lang: Locale): string {
  return new Intl.DateTimeFormat(lang, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: printTimeZone,
  }).format(date);
}

export interface A4PageInput {
  title: string;
  subtitle?: string | undefined;
  /** Trusted HTML: build it with escapeHtml around every dynamic text. */
  bodyHtml: string;
  /** Labels of the signature lines at the end, e.g. ['经办人', '审核人']. */
  signatureLines?: readonly string[] | undefined;
  lang: Locale;
  /** The date printed on the page; defaults to now. */
  printedAt?: Date | undefined;
  /** Page-specific CSS appended to the shared sheet. */
  extraCss?: string | undefined;
}

/**
 * Shared CSS. Classes available to bodyHtml: `table.grid` (bordered table), `.num` (right-aligned
 * tabular digits), `.page-break` (forces a new page after the element), `.muted`, `.small`.
 */
const baseCss = `
@page { size: A4 portrait; margin: 14mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #000; font-size: 11pt; line-height: 1.5;
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "Songti SC", "Noto Sans CJK SC", serif; }
.doc { width: 186mm; margin: 0 auto; }
.doc-header { text-align: center; margin-bottom: 4mm; }
.doc-title { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "SimHei", "Heiti SC", sans-serif;
  font-size: 20pt; font-weight: 700; margin: 0 0 2mm; letter-spacing: 0.05em; }
.doc-subtitle { font-size: 13pt; margin: 0 0 2mm; }
.doc-date { font-size: 10.5pt; margin: 0; }
.signatures { margin-top: 8mm; display: flex; flex-wrap: wrap; gap: 8mm 12mm; break-inside: avoid; }
.signature { flex: 1 1 80mm; display: flex; align-items: flex-end; gap: 2mm; font-size: 11pt; white-space: nowrap; }
.signature .line { flex: 1; border-bottom: 1px solid #000; min-width: 30mm; height: 8mm; }
.signature .date-line { flex: 0 0 28mm; border-bottom: 1px solid #000; height: 8mm; }
table.grid { width: 100%; border-collapse: collapse; font-size: 10.5pt; }
table.grid th, table.grid td { border: 1px solid #000; padding: 1.5mm 2mm; vertical-align: middle; }
table.grid th { background: #f0f0f0; font-weight: 700; text-align: center; }
table.grid thead { display: table-header-group; }
table.grid tr { break-inside: avoid; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.muted { color: #555; }
.small { font-size: 8.5pt; }
.page-break { break-after: page; }
@media screen {
  body { background: #e8e8e8; padding: 8mm 0; }
  .doc { background: #fff; padding: 14mm 12mm; width: 210mm; box-shadow: 0 0 4mm rgba(0, 0, 0, 0.15); }
}
`;

/** A complete HTML document for an A4 printout: header, body, then signature lines. */
export function renderA4Page(input: A4PageInput): string {
  const t = translator(input.lang);
  const printed = formatPrintDate(input.printedAt ?? new Date(), input.lang);
  const signatures = (input.signatureLines ?? [])
    .map(
      (label) =>
        `<div class="signature"><span>${escapeHtml(t('print:page.signature', { label }))}</span><span class="line"></span>` +
        `<span>${escapeHtml(t('print:page.signatureDate'))}</span><span class="date-line"></span></div>`,
    )
    .join('');
  return `<!doctype html>
<html lang="${escapeHtml(input.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${baseCss}${input.extraCss ?? ''}</style>
</head>
<body>
<main class="doc">
<header class="doc-header">
<h1 class="doc-title">${escapeHtml(input.title)}</h1>
${input.subtitle ? `<p class="doc-subtitle">${escapeHtml(input.subtitle)}</p>` : ''}
<p class="doc-date">${escapeHtml(t('print:page.printedOn', { date: printed }))}</p>
</header>
${input.bodyHtml}
${signatures ? `<footer class="signatures">${signatures}</footer>` : ''}
</main>
</body>
</html>
`;
}

/** Headers for a printable page: no script, no external load, nothing cached. */
export const printPageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
  'cache-control': 'no-store',
} as const;
