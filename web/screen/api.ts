// The screen's few HTTP calls. Every request has a timeout: on a hall network a request can hang for
// minutes instead of failing, and the screen must move on to its next attempt.
import type { MeView } from '../../src/modules/accounts/schemas.ts';
import type { ScreenState } from '../../src/modules/event/schemas.ts';
import type { Deck } from '../../src/modules/reports/domain/layout.ts';
import { requestOutcome } from '../common/outcome.ts';

const REQUEST_TIMEOUT_MS = 5000;

const request = <T>(method: 'GET' | 'POST', url: string, locale: string, body?: unknown) =>
  requestOutcome<T>(method, url, locale, { body, timeoutMs: REQUEST_TIMEOUT_MS });

export const openScreenSession = (token: string, locale: string) =>
  request<unknown>('POST', '/api/screen/session', locale, { token });

export const fetchMe = (locale: string) => request<MeView>('GET', '/api/auth/me', locale);

export const fetchScreenState = (locale: string) => request<ScreenState>('GET', '/api/screen/state', locale);

/**
 * The server's clock from one HTTP round trip (offset = server − midpoint of the request), used until
 * the WebSocket measures a better one.
 */
export async function measureOffset(locale: string): Promise<{ offsetMs: number; rttMs: number } | null> {
  const t0 = Date.now();
  const res = await request<{ serverNow: number }>('GET', '/api/time', locale);
  const t1 = Date.now();
  if (res.kind !== 'ok' || typeof res.body.serverNow !== 'number') return null;
  return { offsetMs: res.body.serverNow - (t0 + t1) / 2, rttMs: t1 - t0 };
}

/** The approved showcase deck of a unit (404 when it has none: the screen shows the speaker instead). */
export const fetchDeck = (eventId: string, unitId: string, locale: string) =>
  request<Deck>(
    'GET',
    `/api/events/${encodeURIComponent(eventId)}/reports/${encodeURIComponent(unitId)}/slides`,
    locale,
  );
