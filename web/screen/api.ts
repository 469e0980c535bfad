// The screen's few HTTP calls. Every request has a timeout: on a hall network a request can hang for
// minutes instead of failing, and the screen must move on to its next attempt.
import type { MeView, ScreenState } from '../../src/shared/api.ts';

const REQUEST_TIMEOUT_MS = 5000;

export type ApiOutcome<T> =
  | { kind: 'ok'; body: T }
  | { kind: 'error'; status: number; code: string | null; message: string | null }
  | { kind: 'network' };

async function request<T>(method: 'GET' | 'POST', url: string, locale: string, body?: unknown) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': locale };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: controller.signal,
      credentials: 'same-origin',
      cache: 'no-store',
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (res.ok) {
      return (parsed === null ? { kind: 'network' } : { kind: 'ok', body: parsed as T }) as ApiOutcome<T>;
    }
    // A proxy's 502/503 while the server restarts is the network, not an answer from our server.
    if (res.status >= 502 && res.status <= 504) return { kind: 'network' } as ApiOutcome<T>;
    const e = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
    return {
      kind: 'error',
      status: res.status,
      code: typeof e.code === 'string' ? e.code : null,
      message: typeof e.message === 'string' ? e.message : null,
    } as ApiOutcome<T>;
  } catch {
    return { kind: 'network' } as ApiOutcome<T>;
  } finally {
    clearTimeout(timer);
  }
}

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
