import { z } from 'zod';
import { idParams, idSchema, importResult, okBody } from '../../../kernel/schemas.ts';
import { XLSX_MIME } from '../../../platform/excel.ts';
import type { App } from '../../../platform/http/app.ts';
import { sendFile, xlsxUpload } from '../../../platform/http/files.ts';
import { escapeHtml, printPageHeaders, renderA4Page } from '../../../platform/http/print.ts';
import type { Locale } from '../../../platform/i18n/locales.ts';
import { translator } from '../../../platform/i18n/translator.ts';
import { drawAgenda, patchSlot, replaceAgenda } from '../agenda.ts';
import { replaceCriteria, replacePanels } from '../criteria-panels.ts';
import { getEventRow } from '../event-view.ts';
import { createEvent, getEvent, listEvents, updateEvent } from '../events.ts';
import { inviteAddress } from '../invite-address.ts';
import {
  type InviteCard,
  inviteQrSvg,
  issueInvite,
  listInvites,
  loadInviteSheet,
  revokeInvite,
} from '../judge-invites.ts';
import { createJudge, deleteJudge, updateJudge } from '../judges.ts';
import { exportJudges, importJudges } from '../judges-excel.ts';
import {
  agendaBody,
  createEventBody,
  criterionView,
  drawBody,
  eventDetail,
  eventSummary,
  type InviteAddressView,
  inviteAddressView,
  inviteView,
  judgeBody,
  judgePatch,
  judgeView,
  panelView,
  replaceCriteriaBody,
  replacePanelsBody,
  slotPatch,
  slotView,
  updateEventBody,
} from '../schemas.ts';

const judgeParams = z.object({ id: idSchema, judgeId: idSchema });
const slotParams = z.object({ id: idSchema, slotId: idSchema });
const tags = ['events'];

export function eventRoutes(app: App): void {
  app.get('/api/events', { schema: { tags, response: { 200: z.array(eventSummary) } } }, async (req) =>
    listEvents(req.ctx()),
  );
  app.post(
    '/api/events',
    { schema: { tags, body: createEventBody, response: { 200: eventDetail } } },
    async (req) => createEvent(req.ctx(), req.body),
  );
  app.get(
    '/api/events/:id',
    { schema: { tags, params: idParams, response: { 200: eventDetail } } },
    async (req) => getEvent(req.ctx(), req.params.id),
  );
  app.patch(
    '/api/events/:id',
    { schema: { tags, params: idParams, body: updateEventBody, response: { 200: eventDetail } } },
    async (req) => updateEvent(req.ctx(), req.params.id, req.body),
  );
  app.put(
    '/api/events/:id/criteria',
    {
      schema: {
        tags,
        params: idParams,
        body: replaceCriteriaBody,
        response: { 200: z.array(criterionView) },
      },
    },
    async (req) => replaceCriteria(req.ctx(), req.params.id, req.body),
  );
  app.put(
    '/api/events/:id/panels',
    { schema: { tags, params: idParams, body: replacePanelsBody, response: { 200: z.array(panelView) } } },
    async (req) => replacePanels(req.ctx(), req.params.id, req.body),
  );

  // ---------- judges ----------
  app.post(
    '/api/events/:id/judges',
    { schema: { tags, params: idParams, body: judgeBody, response: { 200: judgeView } } },
    async (req) => createJudge(req.ctx(), req.params.id, req.body),
  );
  app.patch(
    '/api/events/:id/judges/:judgeId',
    { schema: { tags, params: judgeParams, body: judgePatch, response: { 200: judgeView } } },
    async (req) => updateJudge(req.ctx(), req.params.id, req.params.judgeId, req.body),
  );
  app.delete(
    '/api/events/:id/judges/:judgeId',
    { schema: { tags, params: judgeParams, response: { 200: okBody } } },
    async (req) => {
      await deleteJudge(req.ctx(), req.params.id, req.params.judgeId);
      return { ok: true as const };
    },
  );
  app.get(
    '/api/events/:id/judges/export.xlsx',
    { schema: { tags, params: idParams } },
    async (req, reply) => {
      const ctx = req.ctx();
      const file = await exportJudges(ctx, req.params.id);
      // Named after the event, in the caller's language (read after exportJudges has checked the role).
      const { title } = await getEventRow(ctx, req.params.id);
      return sendFile(
        reply,
        file,
        XLSX_MIME,
        `${translator(ctx.locale)('event-files:judges', { event: title })}.xlsx`,
      );
    },
  );
  app.post(
    '/api/events/:id/judges/import',
    { ...xlsxUpload, schema: { tags, params: idParams, response: { 200: importResult } } },
    async (req) => importJudges(req.ctx(), req.params.id, req.body as Buffer),
  );

  // ---------- invites ----------
  app.get(
    '/api/events/:id/invites',
    { schema: { tags, params: idParams, response: { 200: z.array(inviteView) } } },
    async (req) => listInvites(req.ctx(), req.params.id),
  );
  app.post(
    '/api/events/:id/judges/:judgeId/invite',
    { schema: { tags, params: judgeParams, response: { 200: inviteView } } },
    async (req) => issueInvite(req.ctx(), req.params.id, req.params.judgeId),
  );
  app.delete(
    '/api/events/:id/judges/:judgeId/invite',
    { schema: { tags, params: judgeParams, response: { 200: okBody } } },
    async (req) => {
      await revokeInvite(req.ctx(), req.params.id, req.params.judgeId);
      return { ok: true as const };
    },
  );
  app.get(
    '/api/events/:id/invites/:judgeId/qr.svg',
    { schema: { tags, params: judgeParams } },
    async (req, reply) =>
      reply
        .header('content-type', 'image/svg+xml; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(await inviteQrSvg(req.ctx(), req.params.id, req.params.judgeId)),
  );
  app.get(
    '/api/events/:id/invite-address',
    { schema: { tags, params: idParams, response: { 200: inviteAddressView } } },
    async (req) => inviteAddress(req.ctx(), req.params.id),
  );
  app.get('/api/events/:id/invites/print', { schema: { tags, params: idParams } }, async (req, reply) => {
    const ctx = req.ctx();
    const sheet = await loadInviteSheet(ctx, req.params.id);
    const address = await inviteAddress(ctx, req.params.id);
    // Printed sheets are handed out in the hall, where the working language is Chinese.
    const html = renderInviteSheets({ ...sheet, address }, 'zh-CN', ctx.now);
    return reply.headers(printPageHeaders).send(html);
  });

  // ---------- agenda ----------
  app.put(
    '/api/events/:id/agenda',
    { schema: { tags, params: idParams, body: agendaBody, response: { 200: z.array(slotView) } } },
    async (req) => replaceAgenda(req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/events/:id/agenda/draw',
    { schema: { tags, params: idParams, body: drawBody.nullish(), response: { 200: z.array(slotView) } } },
    async (req) => drawAgenda(req.ctx(), req.params.id, req.body ?? {}),
  );
  app.patch(
    '/api/events/:id/slots/:slotId',
    { schema: { tags, params: slotParams, body: slotPatch, response: { 200: slotView } } },
    async (req) => patchSlot(req.ctx(), req.params.id, req.params.slotId, req.body),
  );
}

const CARDS_PER_PAGE = 6;

const inviteCss = `
.cards { display: grid; grid-template-columns: 1fr 1fr; grid-auto-rows: 64mm; gap: 4mm; }
.card { border: 1px dashed #777; padding: 3mm; display: grid; grid-template-columns: 42mm 1fr;
  grid-template-rows: 1fr auto; column-gap: 3mm; break-inside: avoid; overflow: hidden; }
.card .qr { grid-row: 1; width: 42mm; height: 42mm; align-self: center; }
.card .qr svg { display: block; width: 42mm; height: 42mm; }
.card .qr.none { border: 1px solid #999; display: flex; align-items: center; justify-content: center;
  text-align: center; font-size: 9pt; padding: 2mm; }
.card .info { grid-row: 1; display: flex; flex-direction: column; gap: 1mm; min-width: 0; }
.card .event { font-size: 8.5pt; color: #333; }
.card .name { font-family: "Noto Sans CJK SC", "SimHei", sans-serif; font-size: 18pt; font-weight: 700; line-height: 1.2; }
.card .title, .card .panel { font-size: 10pt; }
.card .instruction { font-size: 8.5pt; line-height: 1.4; margin: 1mm 0 0; }
.address { font-size: 9pt; margin: 0 0 3mm; }
.address.local-only { color: #b00; font-weight: 700; font-size: 11pt; border: 1.5pt solid #b00; padding: 2mm; }
.card .url { grid-column: 1 / span 2; font-size: 6.5pt; color: #444; word-break: break-all; margin: 1mm 0 0; }
`;

/** QR cards, six per A4 page, to be cut apart and handed to each judge. */
export function renderInviteSheets(
  sheet: { eventTitle: string; cards: InviteCard[]; address?: InviteAddressView },
  lang: Locale,
  printedAt: Date,
): string {
  const t = translator(lang);
  const card = (c: InviteCard): string =>
    `<article class="card">` +
    (c.qrSvg
      ? `<div class="qr">${c.qrSvg}</div>`
      : `<div class="qr none">${escapeHtml(t(c.reissueNeeded ? 'print:invites.reissue' : 'print:invites.revoked'))}</div>`) +
    `<div class="info"><div class="event">${escapeHtml(sheet.eventTitle)}</div>` +
    `<div class="name">${escapeHtml(c.judgeName)}</div>` +
    (c.judgeTitle ? `<div class="title">${escapeHtml(c.judgeTitle)}</div>` : '') +
    `<div class="panel">${escapeHtml(t('print:invites.panel', { panel: c.panelName }))}</div>` +
    `<p class="instruction">${escapeHtml(t('print:invites.instruction'))}</p></div>` +
    (c.url ? `<p class="url">${escapeHtml(t('print:invites.fallback'))}${escapeHtml(c.url)}</p>` : '') +
    `</article>`;
  const pages: string[] = [];
  for (let i = 0; i < sheet.cards.length; i += CARDS_PER_PAGE) {
    const last = i + CARDS_PER_PAGE >= sheet.cards.length;
    pages.push(
      `<section class="cards${last ? '' : ' page-break'}">${sheet.cards
        .slice(i, i + CARDS_PER_PAGE)
        .map(card)
        .join('')}</section>`,
    );
  }
  // The address every code carries, and a warning no one can miss when no phone can open it.
  const address = sheet.address
    ? `<p class="address${sheet.address.localOnly ? ' local-only' : ''}">${escapeHtml(
        sheet.address.localOnly
          ? t('print:invites.localOnly', { base: sheet.address.base })
          : t('print:invites.address', { base: sheet.address.base }),
      )}</p>`
    : '';
  return renderA4Page({
    title: t('print:invites.title', { event: sheet.eventTitle }),
    subtitle: t('print:invites.subtitle', { count: sheet.cards.length }),
    bodyHtml: address + pages.join('\n'),
    signatureLines: [t('print:invites.signatures.preparedBy'), t('print:invites.signatures.checkedBy')],
    lang,
    printedAt,
    extraCss: inviteCss,
  });
}
