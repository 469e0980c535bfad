// One error type for the whole product. Each code is stable (clients and tests match on it) and has a
// message in every locale file under errors.<code>. The HTTP status is chosen once, at the edge.
export const errorCodes = [
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'cross_site_request',
  'not_found',
  'conflict',
  'already_taken',
  'in_use',
  'rate_limited',
  'invalid_credentials',
  'sign_in_throttled',
  'password_change_required',
  'weak_password',
  'invite_invalid',
  'event_locked',
  'event_not_active',
  'slot_not_open',
  'slot_not_on_stage',
  'too_many_photos',
  'report_deadline_passed',
  'slot_closed',
  'slot_already_closed',
  'slot_wrong_event',
  'scoring_in_progress',
  'submission_conflict',
  'judge_recused',
  'score_invalid',
  'reopen_reason_required',
  'rubric_locked',
  'import_failed',
  'file_too_large',
  'workbook_too_large',
  'file_type_invalid',
  'results_not_final',
  'results_already_published',
  'publication_withdrawal_required',
  'reveal_incomplete',
  'below_quorum',
  'quorum_reason_required',
  'results_invalid',
  'migration_history_diverged',
  'timer_invalid',
  'screen_token_invalid',
  'screen_track_not_revealed',
  'period_locked',
  'actual_verified',
  'actual_not_submitted',
  'actual_unusual',
  'reports_locked',
  'report_verified',
  'report_incomplete',
  'return_reason_required',
  'task_state_conflict',
  'reason_required',
  'extension_date_invalid',
  'subtasks_open',
  'webhook_invalid',
  'photo_not_yours',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Interpolated into the localized message; never contains secrets. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Machine-readable extras, e.g. per-field issues or per-row import errors. */
  readonly details: unknown;

  constructor(code: ErrorCode, params: Record<string, unknown> = {}, details?: unknown) {
    super(code);
    this.name = 'AppError';
    this.code = code;
    this.params = params;
    this.details = details;
  }
}

/**
 * A value that must be unique is taken: the message names the field and the value, and `details.field`
 * (the request body's field name) lets a form show it on that field.
 */
export const alreadyTaken = (field: string, value: string): AppError =>
  new AppError('already_taken', { field, value }, { field });

/** A record that others still refer to cannot be deleted: `uses` says by what, in the caller's words. */
export const inUse = (name: string, uses: string): AppError => new AppError('in_use', { name, uses });

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
