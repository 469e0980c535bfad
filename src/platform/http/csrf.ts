// Cross-site request forgery: a page on another site can make the browser send a form or a
// body-less POST with the user's cookie (text/plain needs no CORS preflight). Every state-changing
// request must therefore come from our own pages. Browsers say where a request comes from:
// Sec-Fetch-Site (all current browsers) and Origin (every cross-origin request, and same-origin
// POSTs). A request carrying neither is not from a browser page (curl, scripts, tests) and cannot
// ride on a victim's cookie, so it passes.
import type { FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CsrfOptions {
  /** Origins besides the request's own that may send state-changing requests (PUBLIC_URL's). */
  trustedOrigins: readonly string[];
}

/** Null when the request may proceed; otherwise why it is refused (for the log, never shown raw). */
export function crossSiteRefusal(request: FastifyRequest, options: CsrfOptions): string | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const site = header(request, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `sec-fetch-site ${site}`;
  const origin = header(request, 'origin');
  if (origin === undefined) return null;
  const own = `${request.protocol}://${request.host}`;
  if (origin === own || options.trustedOrigins.includes(origin)) return null;
  return `origin ${origin}`;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
