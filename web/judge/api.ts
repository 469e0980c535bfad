// The two reads/writes of the judge page besides score submission (queue.ts). Every request has a
// timeout: on hall Wi-Fi a request can hang for minutes instead of failing.
import type { JudgeState } from '../../src/shared/api.ts';
import { REQUEST_TIMEOUT_MS } from './queue.ts';

export type ApiOutcome<T> =
  | { kind: 'ok'; body: T }
  | { kind: 'error'; status: number; code: string | null; message: string | null }
  | { kind: 'network' };

async function request<T>(
  method: 'GET' | 'POST',
  url: string,
  locale: string,
  body?: unknown,
): Promise<ApiOutcome<T>> {
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
      // A captive portal may answer 200 with its own page: not an answer from our server.
      return parsed === null ? { kind: 'network' } : { kind: 'ok', body: parsed as T };
    }
    const e = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
    return {
      kind: 'error',
      status: res.status,
      code: typeof e.code === 'string' ? e.code : null,
      message: typeof e.message === 'string' ? e.message : null,
    };
  } catch {
    return { kind: 'network' };
  } finally {
    clearTimeout(timer);
  }
}

export function openJudgeSession(token: string, locale: string) {
  return request<{ judgeId: string; eventId: string }>('POST', '/api/judge/session', locale, { token });
}

export function fetchJudgeState(locale: string) {
  return request<JudgeState>('GET', '/api/judge/state', locale);
}
