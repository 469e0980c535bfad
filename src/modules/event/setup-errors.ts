// The refusals of the event setup use cases (events, criteria and panels, judges): a stable code with a
// readable detail from the print messages, so the console can show why in the organizer's language.
import { AppError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { translator } from '../../platform/i18n/translator.ts';

export const invalid = (ctx: Ctx, key: string, params: Record<string, unknown> = {}): AppError =>
  new AppError('validation_failed', { detail: translator(ctx.locale)(`print:messages.${key}`, params) });

export const conflict = (ctx: Ctx, key: string, params: Record<string, unknown> = {}): AppError =>
  new AppError('conflict', { detail: translator(ctx.locale)(`print:messages.${key}`, params) });
