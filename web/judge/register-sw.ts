// Registers the judge page's service worker (web/judge/sw.ts, built to /judge-sw.js) so the page
// reloads from cache when the hall network is down. Browsers allow service workers only in a secure
// context (HTTPS, or localhost): on plain-HTTP intranets this does nothing, and the outbox in
// localStorage still keeps every score (docs/https.md).
export const SERVICE_WORKER_URL = '/judge-sw.js';
/** /judge, not /judge/: covers /judge, /judge/ and /judge/?t=…, and never the organizer console. */
export const SERVICE_WORKER_SCOPE = '/judge';

export function registerServiceWorker(): void {
  if (!window.isSecureContext || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: SERVICE_WORKER_SCOPE }).catch(() => {
      // No worker (e.g. blocked by the browser): the page still works online, the outbox still holds.
    });
  };
  // After the page's own requests (state, sign-in): the precache must not compete with them.
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
