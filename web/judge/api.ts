// The two reads/writes of the judge page besides score submission (queue.ts).
import type { JudgeState } from '../../src/modules/event/schemas.ts';
import type { ReportOutline } from '../../src/modules/reports/schemas.ts';
import { requestOutcome } from '../common/outcome.ts';
import { REQUEST_TIMEOUT_MS } from './queue.ts';

export function openJudgeSession(token: string, locale: string) {
  return requestOutcome<{ judgeId: string; eventId: string }>('POST', '/api/judge/session', locale, {
    body: { token },
    timeoutMs: REQUEST_TIMEOUT_MS,
  });
}

export function fetchJudgeState(locale: string) {
  return requestOutcome<JudgeState>('GET', '/api/judge/state', locale, { timeoutMs: REQUEST_TIMEOUT_MS });
}

/** The approved showcase report's slide titles and required indicators of a unit (404: none approved). */
export function fetchOutline(eventId: string, unitId: string, locale: string) {
  return requestOutcome<ReportOutline>(
    'GET',
    `/api/events/${encodeURIComponent(eventId)}/reports/${encodeURIComponent(unitId)}/outline`,
    locale,
    { timeoutMs: REQUEST_TIMEOUT_MS },
  );
}
