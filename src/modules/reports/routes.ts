// Showcase reports over HTTP: each route validates, calls one use case, replies.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { idParams, importResult, okBody } from '../../kernel/schemas.ts';
import { MAX_UPLOAD_BYTES } from '../../platform/excel.ts';
import type { App } from '../../platform/http/app.ts';
import { sendFile, xlsxUpload } from '../../platform/http/files.ts';
import { printPageHeaders } from '../../platform/http/print.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { deleteLogo, listPhotos, readLogo, readPhoto, uploadLogo, uploadPhoto } from './photos.ts';
import { reportPrintPage } from './print.ts';
import {
  compareReportRevisions,
  eventPptx,
  getReport,
  getRequired,
  getTemplate,
  listReports,
  listRevisions,
  reportOutline,
  reportPptx,
  reportSlides,
  reviewReport,
  saveReport,
  saveTemplate,
  setRequired,
  submitReport,
} from './reports.ts';
import { importRequired } from './required-import.ts';
import {
  changeView,
  compareQuery,
  photoParams,
  photoView,
  reportOutline as reportOutlineView,
  reportSummaryView,
  reportView,
  requiredBody,
  requiredItemView,
  reviewReportBody,
  revisionView,
  saveReportBody,
  templateBody,
  templateView,
  unitParams,
} from './schemas.ts';

const tags = ['reports'];
const PPTX_MIME = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

/** A stored photo or logo: re-encoded by us, so nosniff keeps a browser from guessing another type. */
const sendImage = (reply: FastifyReply, image: { data: Buffer; mime: string }) =>
  reply.header('content-type', image.mime).header('x-content-type-options', 'nosniff').send(image.data);

export function registerReportRoutes(app: App): void {
  // Static paths before the parametric ones under the same prefix.
  app.get(
    '/api/events/:id/reports/template',
    { schema: { tags, params: idParams, response: { 200: templateView } } },
    async (req) => getTemplate(req.ctx(), req.params.id),
  );
  app.put(
    '/api/events/:id/reports/template',
    { schema: { tags, params: idParams, body: templateBody, response: { 200: templateView } } },
    async (req) => saveTemplate(req.ctx(), req.params.id, req.body),
  );
  app.put(
    '/api/events/:id/reports/template/logo',
    { bodyLimit: MAX_UPLOAD_BYTES, schema: { tags, params: idParams, response: { 200: okBody } } },
    async (req) => uploadLogo(req.ctx(), req.params.id, req.body),
  );
  app.delete(
    '/api/events/:id/reports/template/logo',
    { schema: { tags, params: idParams, response: { 200: okBody } } },
    async (req) => deleteLogo(req.ctx(), req.params.id),
  );
  app.get(
    '/api/events/:id/reports/template/logo',
    { schema: { tags, params: idParams } },
    async (req, reply) => sendImage(reply, await readLogo(req.ctx(), req.params.id)),
  );
  app.get('/api/events/:id/reports/deck.pptx', { schema: { tags, params: idParams } }, async (req, reply) => {
    const ctx = req.ctx();
    const { file, title } = await eventPptx(ctx, req.params.id);
    return sendFile(
      reply,
      file,
      PPTX_MIME,
      `${translator(ctx.locale)('reports:files.eventDeck', { event: title })}.pptx`,
    );
  });
  app.post(
    '/api/events/:id/reports/required-import',
    { ...xlsxUpload, schema: { tags, params: idParams, response: { 200: importResult } } },
    async (req) => importRequired(req.ctx(), req.params.id, req.body as Buffer),
  );
  app.get(
    '/api/events/:id/reports',
    { schema: { tags, params: idParams, response: { 200: z.array(reportSummaryView) } } },
    async (req) => listReports(req.ctx(), req.params.id),
  );
  app.get(
    '/api/events/:id/reports/:unitId',
    { schema: { tags, params: unitParams, response: { 200: reportView } } },
    async (req) => getReport(req.ctx(), req.params.id, req.params.unitId),
  );
  app.put(
    '/api/events/:id/reports/:unitId',
    { schema: { tags, params: unitParams, body: saveReportBody, response: { 200: reportView } } },
    async (req) => saveReport(req.ctx(), req.params.id, req.params.unitId, req.body.content),
  );
  app.post(
    '/api/events/:id/reports/:unitId/submit',
    { schema: { tags, params: unitParams, response: { 200: reportView } } },
    async (req) => submitReport(req.ctx(), req.params.id, req.params.unitId),
  );
  app.post(
    '/api/events/:id/reports/:unitId/review',
    { schema: { tags, params: unitParams, body: reviewReportBody, response: { 200: reportView } } },
    async (req) => reviewReport(req.ctx(), req.params.id, req.params.unitId, req.body),
  );
  app.get(
    '/api/events/:id/reports/:unitId/required',
    { schema: { tags, params: unitParams, response: { 200: z.array(requiredItemView) } } },
    async (req) => getRequired(req.ctx(), req.params.id, req.params.unitId),
  );
  app.put(
    '/api/events/:id/reports/:unitId/required',
    {
      schema: { tags, params: unitParams, body: requiredBody, response: { 200: z.array(requiredItemView) } },
    },
    async (req) => setRequired(req.ctx(), req.params.id, req.params.unitId, req.body.items),
  );
  app.get(
    '/api/events/:id/reports/:unitId/revisions',
    { schema: { tags, params: unitParams, response: { 200: z.array(revisionView) } } },
    async (req) => listRevisions(req.ctx(), req.params.id, req.params.unitId),
  );
  app.get(
    '/api/events/:id/reports/:unitId/compare',
    {
      schema: { tags, params: unitParams, querystring: compareQuery, response: { 200: z.array(changeView) } },
    },
    async (req) =>
      compareReportRevisions(req.ctx(), req.params.id, req.params.unitId, req.query.from, req.query.to),
  );
  app.get('/api/events/:id/reports/:unitId/slides', { schema: { tags, params: unitParams } }, async (req) =>
    reportSlides(req.ctx(), req.params.id, req.params.unitId),
  );
  app.post(
    '/api/events/:id/reports/:unitId/photos',
    { bodyLimit: MAX_UPLOAD_BYTES, schema: { tags, params: unitParams, response: { 200: photoView } } },
    async (req) => uploadPhoto(req.ctx(), req.params.id, req.params.unitId, req.body),
  );
  app.get(
    '/api/events/:id/reports/:unitId/photos',
    { schema: { tags, params: unitParams, response: { 200: z.array(photoView) } } },
    async (req) => listPhotos(req.ctx(), req.params.id, req.params.unitId),
  );
  app.get(
    '/api/events/:id/reports/:unitId/photos/:photoId',
    { schema: { tags, params: photoParams } },
    // A photo id never names other bytes: it may be cached; the logo (one URL, replaceable) is not.
    async (req, reply) =>
      sendImage(
        reply.header('cache-control', 'private, max-age=3600'),
        await readPhoto(req.ctx(), req.params.id, req.params.unitId, req.params.photoId),
      ),
  );
  app.get(
    '/api/events/:id/reports/:unitId/print',
    { schema: { tags, params: unitParams } },
    async (req, reply) =>
      reply
        .headers(printPageHeaders)
        .send(await reportPrintPage(req.ctx(), req.params.id, req.params.unitId)),
  );
  app.get(
    '/api/events/:id/reports/:unitId/outline',
    { schema: { tags, params: unitParams, response: { 200: reportOutlineView } } },
    async (req) => reportOutline(req.ctx(), req.params.id, req.params.unitId),
  );
  app.get(
    '/api/events/:id/reports/:unitId/deck.pptx',
    { schema: { tags, params: unitParams } },
    async (req, reply) => {
      const ctx = req.ctx();
      const { file, unitName } = await reportPptx(ctx, req.params.id, req.params.unitId);
      return sendFile(
        reply,
        file,
        PPTX_MIME,
        `${translator(ctx.locale)('reports:files.unitDeck', { unit: unitName })}.pptx`,
      );
    },
  );
}
