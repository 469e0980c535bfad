// The edge where domain errors become HTTP: status chosen here, message localized here.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, type ErrorCode } from '../../kernel/errors.ts';
import { shownBound } from '../../kernel/schemas.ts';
import { notXlsx } from '../excel.ts';
import { type Locale, pickLocale } from '../i18n/locales.ts';
import { translator } from '../i18n/translator.ts';
import { isXlsxUploadRoute } from './files.ts';

const statusOf: Record<ErrorCode, number> = {
  validation_failed: 400,
  score_invalid: 400,
  reopen_reason_required: 400,
  weak_password: 400,
  slot_wrong_event: 400,
  import_failed: 400,
  file_type_invalid: 415,
  file_too_large: 413,
  workbook_too_large: 413,
  unauthenticated: 401,
  invalid_credentials: 401,
  invite_invalid: 401,
  forbidden: 403,
  cross_site_request: 403,
  password_change_required: 403,
  judge_recused: 403,
  not_found: 404,
  conflict: 409,
  already_taken: 409,
  in_use: 409,
  event_locked: 409,
  event_not_active: 409,
  slot_not_open: 409,
  slot_not_on_stage: 409,
  too_many_photos: 409,
  report_deadline_passed: 409,
  task_state_conflict: 409,
  reason_required: 400,
  extension_date_invalid: 400,
  subtasks_open: 409,
  webhook_invalid: 400,
  photo_not_yours: 403,
  slot_closed: 409,
  scoring_in_progress: 409,
  submission_conflict: 409,
  slot_already_closed: 409,
  rubric_locked: 409,
  results_not_final: 409,
  publication_withdrawal_required: 409,
  reveal_incomplete: 409,
  below_quorum: 409,
  quorum_reason_required: 409,
  results_already_published: 409,
  results_invalid: 409,
  sign_in_throttled: 429,
  rate_limited: 429,
  migration_history_diverged: 500,
  timer_invalid: 409,
  screen_token_invalid: 401,
  screen_track_not_revealed: 409,
  period_locked: 409,
  actual_verified: 409,
  actual_not_submitted: 409,
  actual_unusual: 409,
  reports_locked: 409,
  report_verified: 409,
  report_incomplete: 409,
  return_reason_required: 400,
  internal: 500,
};

export function sendError(request: FastifyRequest, reply: FastifyReply, err: AppError): FastifyReply {
  const t = translator(pickLocale(request.headers['accept-language']));
  const params = { ...err.params };
  if (typeof params.what === 'string')
    params.what = t(`common:entities.${params.what}`, { defaultValue: params.what });
  if (typeof params.uses === 'string')
    params.uses = t(`common:uses.${params.uses}`, { defaultValue: params.uses });
  if (typeof params.field === 'string')
    params.field = t(`common:fields.${params.field}`, { defaultValue: params.field });
  return reply.status(statusOf[err.code]).send({
    code: err.code,
    message: t(err.code, params),
    ...(err.details === undefined ? {} : { details: err.details }),
  });
}

const zodLocales = { 'zh-CN': z.locales.zhCN(), 'en-US': z.locales.en() } as const;

/**
 * The product's own words for a number out of its bounds (kernel/schemas.ts boundedNumber): Zod's say
 * "期望 number <=1000", half in English. Undefined for any other issue.
 */
function numberIssueText(locale: Locale, code: string, params: Record<string, unknown>): string | undefined {
  const t = translator(locale);
  const custom = params.params as { bound?: unknown; maxDecimals?: unknown } | undefined;
  if (code === 'custom' && custom?.bound === 'maxDecimals')
    return t('validation.maxDecimals', { max: custom.maxDecimals });
  if (code === 'invalid_type' && params.expected === 'int') return t('validation.integer');
  if (params.origin !== 'number' && params.origin !== 'int') return undefined;
  const exclusive = params.inclusive === false;
  if (code === 'too_big' && typeof params.maximum === 'number')
    return t(exclusive ? 'validation.below' : 'validation.atMost', {
      max: shownBound(params.maximum, locale),
    });
  if (code === 'too_small' && typeof params.minimum === 'number')
    return t(exclusive ? 'validation.above' : 'validation.atLeast', {
      min: shownBound(params.minimum, locale),
    });
  return undefined;
}

/**
 * A 415 comes from the framework, before any route runs: the body's content type is one it does not
 * parse. An Excel import says how to get an .xlsx (an .xls sent as application/vnd.ms-excel gets the
 * sentence for old workbooks); every other route takes JSON.
 */
function unsupportedMediaType(request: FastifyRequest): AppError {
  if (!isXlsxUploadRoute(request.routeOptions))
    return new AppError('file_type_invalid', { expected: 'JSON' });
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  return notXlsx(type !== undefined && LEGACY_EXCEL_TYPES.has(type) ? 'xls' : 'other');
}

/** The content types browsers and mail clients give an Excel 97–2003 workbook (.xls). */
const LEGACY_EXCEL_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.ms-excel',
  'application/msexcel',
  'application/x-msexcel',
  'application/x-ms-excel',
  'application/x-excel',
  'application/x-dos_ms_excel',
  'application/xls',
  'application/x-xls',
]);

/** Zod's own translations of its issue texts, in the caller's language. */
function localizeZodIssue(locale: Locale, code: string, params: Record<string, unknown>): string | undefined {
  const issue = { ...params, code } as unknown as Parameters<
    NonNullable<z.core.$ZodConfig['localeError']>
  >[0];
  const out = zodLocales[locale].localeError?.(issue);
  return typeof out === 'string' ? out : out?.message;
}

export function errorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof AppError) return sendError(request, reply, error);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const locale = pickLocale(request.headers['accept-language']);
    const issues = error.validation.map((v) => ({
      path: v.instancePath || '',
      message:
        numberIssueText(locale, v.keyword, v.params) ??
        localizeZodIssue(locale, v.keyword, v.params) ??
        v.message ??
        '',
    }));
    const detail = issues
      .map((i) => `${i.path.replace(/^\//, '').replaceAll('/', '.') || error.validationContext} ${i.message}`)
      .join('; ');
    return sendError(request, reply, new AppError('validation_failed', { detail }, { issues }));
  }
  if (error.statusCode === 429) {
    const seconds = Math.max(1, Math.ceil(Number(reply.getHeader('retry-after') ?? 60)));
    return sendError(request, reply, new AppError('rate_limited', { seconds }));
  }
  if (error.statusCode === 413)
    return sendError(request, reply, new AppError('file_too_large', { maxMb: 10 }));
  if (error.statusCode === 415) return sendError(request, reply, unsupportedMediaType(request));
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return sendError(request, reply, new AppError('validation_failed', { detail: error.message }));
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendError(request, reply, new AppError('internal'));
}
