// A small HTTP helper for the hall pages (judge phone, big screen): never throws, always ends (a
// timeout: on hall Wi-Fi a request can hang for minutes instead of failing) and tells an answer from
// our server apart from a network that is down. Free of Ant Design and i18next: the judge page must
// stay small.

export type ApiOutcome<T> =
  | { kind: 'ok'; body: T }
  | { kind: 'error'; status: number; code: string | null; message: string | null }
  | { kind: 'network' };

export async function requestOutcome<T>(
  method: 'GET' | 'POST',
  url: string,
  locale: string,
  options: { body?: unknown; timeoutMs: number },
): Promise<ApiOutcome<T>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': locale };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
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
    // A proxy's 502/503/504 while the server restarts is the network, not an answer from our server.
    if (res.status >= 502 && res.status <= 504) return { kind: 'network' };
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
