// The judge page's service worker: after one online visit the page itself reloads from cache when
// the hall Wi-Fi drops, so a judge who refreshes (or whose phone killed the tab) still sees the
// rubric and can queue scores. It caches the page shell only, never an API answer: scores, states
// and sessions always go to the server (and the outbox in localStorage covers the offline case).
//
// Compiled by web/judge/sw-plugin.ts into dist/web/judge-sw.js, which prepends the two constants
// below: the build's file list and a version that changes with every build, so a new build installs
// a new worker and its activation drops the old cache.
//
// Served at /judge-sw.js and registered with scope /judge (the page lives at /judge/?t=…): it never
// sees the organizer console's navigations.

declare const __JUDGE_PRECACHE__: string[];
declare const __JUDGE_SW_VERSION__: string;

// The DOM lib (shared with the pages) has no worker types: the few used here, declared locally.
interface SwExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface SwFetchEvent extends SwExtendableEvent {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
interface SwScope {
  readonly location: Location;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: SwExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: SwFetchEvent) => void): void;
}

const sw = self as unknown as SwScope;
const CACHE_PREFIX = 'shaipin-judge-';
const CACHE = `${CACHE_PREFIX}${__JUDGE_SW_VERSION__}`;
/** Every address of the page (/judge, /judge/, /judge/?t=…) is one HTML, kept under this key only. */
const SHELL_URL = '/judge/';
/** On hall Wi-Fi a request can hang rather than fail: past this, the cached page is shown. */
const NAVIGATION_TIMEOUT_MS = 4000;

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // The shell is revalidated (cache: 'no-cache'), so a stale HTTP cache can never put an old shell
      // into a new version. The other files are named by their content hash: the copies the page has
      // just loaded are the right ones, so they come from the HTTP cache instead of a second download.
      await cache.addAll([
        new Request(SHELL_URL, { cache: 'no-cache' }),
        ...__JUDGE_PRECACHE__.map((url) => new Request(url)),
      ]);
      // The shell references only hashed files that the new cache holds, so taking over at once is
      // safe, and it makes the very first visit's worker usable without a second visit.
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  // Never cache the API: a cached state or score answer would be a lie about the server.
  if (url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(shellNetworkFirst(event, request));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(assetCacheFirst(request));
  }
});

/** The HTML: the network's copy when it answers in time (a new build shows at once), else the cache. */
async function shellNetworkFirst(event: SwFetchEvent, request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then(async (response) => {
    const html = response.headers.get('content-type')?.includes('text/html') ?? false;
    if (response.ok && html && !response.redirected) await cache.put(SHELL_URL, response.clone());
    return response;
  });
  // The network copy still refreshes the cache when it arrives after the timeout.
  event.waitUntil(network.catch(() => undefined));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), NAVIGATION_TIMEOUT_MS);
  });
  try {
    const response = await Promise.race([network, timeout]);
    if (response && response.status < 500) return response;
  } catch {
    // Offline: fall through to the cached shell.
  } finally {
    clearTimeout(timer);
  }
  const cached = await cache.match(SHELL_URL);
  return cached ?? network;
}

/** Hashed file names never change content: the cache answers, the network fills what it lacks. */
async function assetCacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}
