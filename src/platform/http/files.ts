// File transport: uploads arrive as the raw request body (no multipart parsing), downloads carry a
// UTF-8 file name so Chinese names survive every browser.
import type { FastifyReply } from 'fastify';
import { MAX_UPLOAD_BYTES } from '../excel.ts';

export function sendFile(
  reply: FastifyReply,
  body: Buffer | string,
  mime: string,
  fileName: string,
): FastifyReply {
  return reply
    .header('content-type', mime)
    .header(
      'content-disposition',
      `attachment; filename="${fileName.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    )
    .header('cache-control', 'no-store')
    .send(body);
}

/**
 * Route options for an .xlsx upload sent as the raw body. The marker in `config` lets the error handler
 * word a 415 (raised before the route runs) as "save it as .xlsx" rather than "send JSON".
 */
export const xlsxUpload = { bodyLimit: MAX_UPLOAD_BYTES, config: { upload: 'xlsx' } } as const;

/** Whether a route takes an .xlsx as its raw body (see xlsxUpload). */
export const isXlsxUploadRoute = (route: { config?: unknown }): boolean =>
  (route.config as { upload?: unknown } | undefined)?.upload === 'xlsx';

export const binaryContentTypes = [
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
  // Evidence files of indicator actuals; their real type is checked from the bytes.
  'application/pdf',
  'image/jpeg',
  'image/png',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
];
