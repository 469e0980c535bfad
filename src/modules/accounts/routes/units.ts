import { z } from 'zod';
import { idParams, importResult, okBody } from '../../../kernel/schemas.ts';
import { XLSX_MIME } from '../../../platform/excel.ts';
import type { App } from '../../../platform/http/app.ts';
import { sendFile, xlsxUpload } from '../../../platform/http/files.ts';
import { translator } from '../../../platform/i18n/translator.ts';
import { trackBody, trackPatch, trackView, unitBody, unitPatch, unitView } from '../schemas.ts';
import {
  createTrack,
  createUnit,
  deleteUnit,
  exportUnits,
  importUnits,
  listTracks,
  listUnits,
  updateTrack,
  updateUnit,
} from '../units.ts';

export function unitRoutes(app: App): void {
  app.get(
    '/api/tracks',
    { schema: { tags: ['units'], response: { 200: z.array(trackView) } } },
    async (req) => listTracks(req.ctx()),
  );
  app.post(
    '/api/tracks',
    { schema: { tags: ['units'], body: trackBody, response: { 200: trackView } } },
    async (req) => createTrack(req.ctx(), req.body),
  );
  app.patch(
    '/api/tracks/:id',
    { schema: { tags: ['units'], params: idParams, body: trackPatch, response: { 200: trackView } } },
    async (req) => updateTrack(req.ctx(), req.params.id, req.body),
  );

  app.get('/api/units', { schema: { tags: ['units'], response: { 200: z.array(unitView) } } }, async (req) =>
    listUnits(req.ctx()),
  );
  app.post(
    '/api/units',
    { schema: { tags: ['units'], body: unitBody, response: { 200: unitView } } },
    async (req) => createUnit(req.ctx(), req.body),
  );
  app.patch(
    '/api/units/:id',
    { schema: { tags: ['units'], params: idParams, body: unitPatch, response: { 200: unitView } } },
    async (req) => updateUnit(req.ctx(), req.params.id, req.body),
  );
  app.delete(
    '/api/units/:id',
    { schema: { tags: ['units'], params: idParams, response: { 200: okBody } } },
    async (req) => {
      await deleteUnit(req.ctx(), req.params.id);
      return { ok: true as const };
    },
  );
  app.get('/api/units/export.xlsx', { schema: { tags: ['units'] } }, async (req, reply) => {
    const ctx = req.ctx();
    // Named like its sheet, in the caller's language (单位.xlsx, Units.xlsx).
    return sendFile(
      reply,
      await exportUnits(ctx),
      XLSX_MIME,
      `${translator(ctx.locale)('excel:units.sheet')}.xlsx`,
    );
  });
  app.post(
    '/api/units/import',
    { ...xlsxUpload, schema: { tags: ['units'], response: { 200: importResult } } },
    async (req) => importUnits(req.ctx(), req.body as Buffer),
  );
}
