import { z } from 'zod';
import { idParams } from '../../../kernel/schemas.ts';
import { XLSX_MIME } from '../../../platform/excel.ts';
import type { App } from '../../../platform/http/app.ts';
import { sendFile } from '../../../platform/http/files.ts';
import { escapeHtml, printPageHeaders, renderA4Page } from '../../../platform/http/print.ts';
import { translator } from '../../../platform/i18n/translator.ts';
import { listEventAudit } from '../audit-view.ts';
import {
  exportEventJson,
  exportResultsXlsx,
  loadResultsPrint,
  type ResultsPrintData,
  rankingColumns,
} from '../exports.ts';
import { computeEventResults, publishResults, revealTrack } from '../results.ts';
import { auditEntryView, publishBody, type ResultsView, resultsView, revealBody } from '../schemas.ts';

export function resultsRoutes(app: App): void {
  const tags = ['results'];
  app.get(
    '/api/events/:id/results',
    { schema: { tags, params: idParams, response: { 200: resultsView } } },
    async (req) => computeEventResults(req.ctx(), req.params.id),
  );
  app.post(
    '/api/events/:id/reveal',
    { schema: { tags, params: idParams, body: revealBody, response: { 200: resultsView } } },
    async (req) => revealTrack(req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/events/:id/publish',
    { schema: { tags, params: idParams, body: publishBody, response: { 200: resultsView } } },
    async (req) =>
      publishResults(req.ctx(), req.params.id, { quorumReason: req.body?.quorumReason ?? undefined }),
  );
  app.get('/api/events/:id/export.xlsx', { schema: { tags, params: idParams } }, async (req, reply) => {
    const ctx = req.ctx();
    const { file, title } = await exportResultsXlsx(ctx, req.params.id);
    return sendFile(
      reply,
      file,
      XLSX_MIME,
      `${translator(ctx.locale)('event-files:results', { event: title })}.xlsx`,
    );
  });
  app.get('/api/events/:id/export.json', { schema: { tags, params: idParams } }, async (req, reply) => {
    const ctx = req.ctx();
    const file = await exportEventJson(ctx, req.params.id);
    // Indented: the file is meant to be read and re-checked by people, not only by `shaipin verify`.
    return sendFile(
      reply,
      `${JSON.stringify(file, null, 2)}\n`,
      'application/json; charset=utf-8',
      `${translator(ctx.locale)('event-files:resultsData', { event: file.event.title })}.json`,
    );
  });
  app.get('/api/events/:id/results/print', { schema: { tags, params: idParams } }, async (req, reply) => {
    const ctx = req.ctx();
    const html = renderResultsPrint(await loadResultsPrint(ctx, req.params.id), ctx.now);
    return reply.headers(printPageHeaders).send(html);
  });
  app.get(
    '/api/events/:id/audit',
    { schema: { tags, params: idParams, response: { 200: z.array(auditEntryView) } } },
    async (req) => listEventAudit(req.ctx(), req.params.id),
  );
}

// ---------- the A4 results sheet (zh-CN: it is stamped and filed) ----------

const LANG = 'zh-CN' as const;
const printTimeZone = process.env.TZ || 'Asia/Shanghai';

function formatDay(iso: string): string {
  const t = translator(LANG);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return t('results:print.date', { year: m[1], month: Number(m[2]), day: Number(m[3]) });
}

function formatMoment(iso: string): string {
  return new Intl.DateTimeFormat(LANG, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: printTimeZone,
  }).format(new Date(iso));
}

const num = (n: number | null): string => (n === null ? '—' : String(n));
// The figures are already rounded by the rule; toFixed only pads them (92.9 → 92.90).
const fixed = (n: number | null, decimals: number): string => (n === null ? '—' : n.toFixed(decimals));

function trackTable(track: ResultsView['tracks'][number], data: ResultsPrintData): string {
  const t = translator(LANG);
  const head = rankingColumns(t, data.panels);
  const rows = track.rows.map((r) => {
    const cells = [
      `<td class="num">${escapeHtml(num(r.rank))}</td>`,
      `<td>${escapeHtml(r.quorumMet ? r.unitName : `${r.unitName}${t('results:print.belowQuorumMark')}`)}</td>`,
      `<td class="num"><strong>${escapeHtml(fixed(r.score, data.decimals))}</strong></td>`,
      ...data.panels.map(
        (p) =>
          `<td class="num">${escapeHtml(fixed(r.panels.find((x) => x.panelId === p.id)?.score ?? null, data.decimals))}</td>`,
      ),
      `<td class="num">${escapeHtml(r.penalty === 0 ? '' : String(r.penalty))}</td>`,
      `<td>${escapeHtml(r.grade?.labelZh ?? '')}</td>`,
    ];
    return `<tr>${cells.join('')}</tr>`;
  });
  const body =
    rows.length === 0
      ? `<p class="muted">${escapeHtml(t('results:print.noRows'))}</p>`
      : `<table class="grid"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>` +
        `<tbody>${rows.join('')}</tbody></table>`;
  return (
    `<section class="track"><h2>${escapeHtml(t('results:print.trackHeading', { track: track.trackName, count: track.rows.length }))}</h2>` +
    `${body}</section>`
  );
}

/** The printable results page: per track table, date, state, ledger head (the anchor of `verify`). */
export function renderResultsPrint(data: ResultsPrintData, now: Date): string {
  const t = translator(LANG);
  const { event, results } = data;
  const date =
    event.endDate && event.endDate !== event.startDate
      ? t('results:print.dateRange', { from: formatDay(event.startDate), to: formatDay(event.endDate) })
      : formatDay(event.startDate);
  const state = results.publishedAt
    ? t('results:print.published', { at: formatMoment(results.publishedAt), version: results.version ?? 1 })
    : t('results:print.notPublished');
  const bodyHtml =
    `<p class="state${results.published ? '' : ' draft'}">${escapeHtml(state)}</p>` +
    results.tracks.map((track) => trackTable(track, data)).join('') +
    (results.quorumReason
      ? `<p class="quorum">${escapeHtml(t('results:print.quorumReason', { reason: results.quorumReason }))}</p>`
      : '') +
    `<p class="muted small ledger">${escapeHtml(
      t('results:print.ledgerHead', { length: results.ledgerLength, head: results.ledgerHead }),
    )}<br>${escapeHtml(t('results:print.verifyHint'))}</p>`;
  return renderA4Page({
    title: t('results:print.title', { event: event.title }),
    subtitle: [date, event.venue].filter(Boolean).join(' · '),
    bodyHtml,
    signatureLines: [
      t('results:print.signatures.preparedBy'),
      t('results:print.signatures.reviewedBy'),
      t('results:print.signatures.supervisedBy'),
    ],
    lang: LANG,
    printedAt: now,
    extraCss: `
.state { text-align: center; margin: 0 0 4mm; }
.state.draft { font-weight: 700; }
.track { margin-bottom: 6mm; }
.track h2 { font-size: 13pt; margin: 0 0 2mm; }
.ledger { margin-top: 6mm; word-break: break-all; }
.signature { flex-basis: 100%; }
.signature > span { white-space: nowrap; }
`,
  });
}
