// A report as a printable A4 document (统一模板晒拼报告): what the deck shows, as a paper record to file
// with the event — the required indicators with their frozen numbers and source, the required work
// items, highlights, shortfalls and next steps — with its review state and the signature lines.
// Printed in Chinese, like the event's other printouts; every dynamic text is escaped.
import { AppError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { escapeHtml, formatPrintDate, renderA4Page } from '../../platform/http/print.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { factCells, factHeader } from './domain/layout.ts';
import type { IndicatorFact, ReportContent } from './domain/report.ts';
import { deckLabels } from './domain/words.ts';
import { readableReport } from './reports.ts';

const LANG = 'zh-CN' as const;

/** A deck label without its trailing colon ("责任人："), for a table header. */
const bare = (label: string): string => label.replace(/[：:]\s*$/, '');

export async function reportPrintPage(ctx: Ctx, eventId: string, unitId: string): Promise<string> {
  const { l, hall } = await readableReport(ctx, eventId, unitId);
  // The hall reads slides, not filing copies.
  if (hall) throw new AppError('forbidden');
  const t = translator(LANG);
  const labels = deckLabels(t);
  const content: ReportContent = l.row
    ? (JSON.parse(l.row.content) as ReportContent)
    : { speaker: '', highlights: [], shortfalls: [], nextSteps: [], workItems: [] };
  const facts: IndicatorFact[] = l.row?.facts ? (JSON.parse(l.row.facts) as IndicatorFact[]) : [];
  const e = escapeHtml;
  const p = (key: string, o?: Record<string, unknown>) => t(`reports:print.${key}`, o);
  const status = l.row?.status ?? 'none';

  const indicatorRows = facts
    .map((f) => {
      const cells = factCells(f, labels);
      const source = f.source.verifiedBy
        ? p('source', {
            period: f.source.periodKey,
            who: f.source.verifiedBy,
            when: (f.source.verifiedAt ?? '').slice(0, 10),
          })
        : p('sourceUnverified', { period: f.source.periodKey });
      return `<tr class="light-${e(f.light)}">${cells
        .map((c, i) => `<td${i > 0 && i < 5 ? ' class="num"' : ''}>${e(c)}</td>`)
        .join('')}<td class="small">${e(source)}</td></tr>`;
    })
    .join('');
  const header = [...factHeader(labels), p('sourceColumn')];
  const section = (title: string, body: string) => `<section><h2>${e(title)}</h2>${body}</section>`;
  const none = `<p class="muted">${e(p('none'))}</p>`;
  const work = l.required
    .filter((r) => r.kind === 'work')
    .map((r) => {
      const text = content.workItems.find((w) => w.requiredItemId === r.id)?.text ?? '';
      return `<div class="item"><h3>${e(r.title)}</h3><p>${e(text) || e(p('unanswered'))}</p></div>`;
    })
    .join('');
  const highlights = content.highlights
    .map(
      (h, i) =>
        `<div class="item"><h3>${i + 1}. ${e(h.title)}</h3>${
          h.figures.length
            ? `<p class="figures">${h.figures.map((f) => `<span><b>${e(f.value)}</b> ${e(f.label)}</span>`).join('')}</p>`
            : ''
        }<p>${e(h.text)}</p>${h.photoIds.length ? `<p class="muted small">${e(p('photos', { count: h.photoIds.length }))}</p>` : ''}</div>`,
    )
    .join('');
  const nameOf = new Map(facts.map((f) => [f.indicatorId, f.name]));
  const shortfalls = content.shortfalls
    .map(
      (s, i) =>
        `<div class="item"><h3>${i + 1}. ${e(s.title)}${
          s.indicatorId
            ? ` <span class="muted small">（${e(p('explains', { name: nameOf.get(s.indicatorId) ?? '' }))}）</span>`
            : ''
        }</h3><p><b>${e(labels.cause)}</b>${e(s.cause)}</p><p><b>${e(labels.measure)}</b>${e(s.measure)}</p></div>`,
    )
    .join('');
  const steps = content.nextSteps.length
    ? `<table class="grid"><thead><tr><th>${e(p('commitment'))}</th><th>${e(bare(labels.owner))}</th><th>${e(bare(labels.due))}</th></tr></thead><tbody>${content.nextSteps
        .map(
          (s) => `<tr><td>${e(s.commitment)}</td><td>${e(s.owner)}</td><td class="num">${e(s.due)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : none;

  const bodyHtml = [
    `<p class="state">${e(p(`state.${status}`, { version: l.row?.version ?? 0 }))}${
      content.speaker ? ` · ${e(labels.speaker)}${e(content.speaker)}` : ''
    }</p>`,
    section(
      labels.sections.indicators,
      facts.length
        ? `<table class="grid"><thead><tr>${header.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${indicatorRows}</tbody></table>`
        : `<p class="muted">${e(p('notFrozen'))}</p>`,
    ),
    work ? section(labels.workItems, work) : '',
    section(labels.sections.highlights, highlights || none),
    section(labels.sections.shortfalls, shortfalls || none),
    section(labels.sections.nextSteps, steps),
  ].join('');

  return renderA4Page({
    title: p('title', { unit: l.unitName }),
    subtitle: [
      l.stored.template.look.eventTitle,
      formatPrintDate(new Date(`${l.event.start_date}T12:00:00+08:00`), LANG),
    ]
      .filter(Boolean)
      .join(' · '),
    bodyHtml,
    signatureLines: [p('signatures.preparedBy'), p('signatures.reviewedBy')],
    lang: LANG,
    printedAt: ctx.now,
    extraCss: `
.state { text-align: center; margin: 0 0 4mm; }
section { margin-bottom: 5mm; }
section h2 { font-size: 13pt; margin: 0 0 2mm; border-left: 1.2mm solid #c8161d; padding-left: 2mm; }
.item { break-inside: avoid; margin-bottom: 2.5mm; }
.item h3 { font-size: 11.5pt; margin: 0 0 1mm; }
.item p { margin: 0 0 1mm; }
.figures span { margin-right: 6mm; }
tr.light-red td:nth-child(6), tr.light-overdue td:nth-child(6) { background: #ffd6d6; }
tr.light-yellow td:nth-child(6) { background: #fff1b8; }
table.grid th, table.grid td:nth-child(n + 2):nth-child(-n + 7) { white-space: nowrap; }
tr.light-green td:nth-child(6) { background: #d9f2d9; }
`,
  });
}
