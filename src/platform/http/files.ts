// File transport: uploads arrive as the raw request body (no multipart parsing), downloads carry a
// UTF-8 file name so Chinese names survive every browser.
import type { FastifyReply } from 'fastify';
import { MAX_UPLOAD_BYTES } from '../excel.ts';

/** What Windows refuses in a file name (the strictest of the users' systems), and control characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const NOT_IN_FILE_NAMES = /[\\/:*?"<>|\u0000-\u001f\u007f]/g;

/**
 * A name every browser saves as it is: characters a file system refuses (an event titled "A/B" names
 * its export) become "_", without leading or trailing dots and spaces. Chinese stays Chinese.
 */
export function safeFileName(name: string): string {
  return name.replace(NOT_IN_FILE_NAMES, '_').replace(/^[\s.]+|[\s.]+$/g, '') || 'download';
}

/** RFC 5987 value: percent-encoded UTF-8, including the few characters encodeURIComponent leaves. */
const rfc5987 = (s: string): string =>
  encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Sends a download. `fileName` is the name in the caller's language (zh-CN names in Chinese): browsers
 * read it from filename* (UTF-8); the plain filename is an ASCII stand-in for very old clients.
 */
export function sendFile(
  reply: FastifyReply,
  body: Buffer | string,
  mime: string,
  fileName: string,
): FastifyReply {
  const name = safeFileName(fileName);
  return reply
    .header('content-type', mime)
    .header(
      'content-disposition',
      `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${rfc5987(name)}`,
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
  // Report photos may also be WebP.
  'image/webp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
];
