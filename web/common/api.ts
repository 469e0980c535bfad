// The web apps' HTTP client: JSON in and out, the session cookie, the UI language as Accept-Language,
// and the server's `{ code, message, details }` surfaced as an ApiError the UI can act on.
import type { ErrorBody } from '../../src/kernel/schemas.ts';
import { currentLocale } from './i18n.ts';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, body: ErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.details = body.details;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

interface ClientConfig {
  /** Message shown when the server cannot be reached (the app supplies it from its locale files). */
  networkMessage: () => string;
  /** Called when a request answers 401 (session expired or signed out elsewhere). */
  onUnauthenticated: (() => void) | null;
}

const config: ClientConfig = { networkMessage: () => 'network_error', onUnauthenticated: null };

export function configureApi(patch: Partial<ClientConfig>): void {
  Object.assign(config, patch);
}

async function send(method: string, path: string, body?: BodyInit, contentType?: string): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': currentLocale() };
  if (contentType) headers['content-type'] = contentType;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body ?? null, credentials: 'include' });
  } catch {
    throw new ApiError(0, { code: 'network_error', message: config.networkMessage() });
  }
  if (res.ok) return res;
  let err: ErrorBody;
  try {
    const parsed = (await res.json()) as Partial<ErrorBody>;
    err = {
      code: String(parsed.code ?? 'internal'),
      message: String(parsed.message ?? res.statusText),
      details: parsed.details,
    };
  } catch {
    err = { code: res.status >= 500 ? 'internal' : 'http_error', message: `${res.status} ${res.statusText}` };
  }
  const isAuthCall = path.startsWith('/api/auth/');
  if (res.status === 401 && !isAuthCall && config.onUnauthenticated) config.onUnauthenticated();
  throw new ApiError(res.status, err);
}

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await send(
    method,
    path,
    body === undefined ? undefined : JSON.stringify(body),
    body === undefined ? undefined : 'application/json',
  );
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string) => json<T>('GET', path),
  post: <T>(path: string, body?: unknown) => json<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => json<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => json<T>('PUT', path, body),
  delete: <T>(path: string) => json<T>('DELETE', path),
  /** Uploads one .xlsx file as the raw request body (the server checks size and type). */
  uploadXlsx: async <T>(path: string, file: Blob): Promise<T> => {
    const res = await send('POST', path, file, XLSX_MIME);
    return (await res.json()) as T;
  },
};

function fileNameOf(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // Malformed encoding: try the plain name.
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain?.[1] ?? fallback;
}

/** Downloads a file from the API with the session (errors surface as ApiError, not a broken page). */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await send('GET', path);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileNameOf(res, fallbackName);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Copies text; falls back to a hidden textarea where the Clipboard API is unavailable (plain http). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Fall through to the legacy path.
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}
