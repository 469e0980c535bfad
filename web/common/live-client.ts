// The browser side of /api/live (docs/live.md), shared by the judge page, the big screen and the
// console. No framework and no runtime imports: the judge page's size budget counts every byte.
//
// - One socket; reconnects with jittered exponential backoff capped at `maxRetryMs` (1 s by default,
//   so a screen is back within about a second of the server or the network returning), at once when
//   the browser comes back online or the page becomes visible again.
// - A socket that answers no ping within `pongTimeoutMs` is given up (a dead Wi-Fi link can look
//   open for minutes) and replaced.
// - Clock offset = serverNow − (t0 + t1) / 2, keeping the sample with the shortest round trip among
//   the last `samples`; measured afresh on every connection (another server process may be behind
//   the balancer), the previous value serving until then.
// - Newest version wins. Versions are per server process, so the count restarts with each 'hello'.
// - 4400/4401/4403/4404 are final: reconnecting would get the same answer (signed out, revoked
//   screen link, wrong event); `onRefused` tells the page, which decides what to show.
import type { LiveAudience, LiveServerMessage } from '../../src/modules/event/schemas.ts';

export type LiveStatus = 'connecting' | 'connected' | 'offline';
export type LiveSnapshot = Extract<LiveServerMessage, { type: 'snapshot' }>;
export type LiveRefresh = Extract<LiveServerMessage, { type: 'refresh' }>;

/** Close codes after which the client stops (see LIVE_CLOSE in src/modules/event/live/audiences.ts). */
export const LIVE_FINAL_CLOSE_CODES: readonly number[] = [4400, 4401, 4403, 4404];

/** The part of the browser's WebSocket this client uses (tests pass a fake). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface LiveClientOptions {
  eventId: string;
  /** ws://host or wss://host; defaults to the page's own origin. */
  baseUrl?: string;
  /** First retry delay (ms); doubles per failed attempt up to maxRetryMs, with jitter. */
  minRetryMs?: number;
  maxRetryMs?: number;
  /** A ping now and then, for the clock offset and to notice a dead link. */
  pingEveryMs?: number;
  pongTimeoutMs?: number;
  /** How many recent pings the offset is chosen from. */
  samples?: number;
  /** Seams for tests. */
  WebSocket?: new (
    url: string,
  ) => WebSocketLike;
  now?: () => number;
  random?: () => number;
}

export interface LiveClient {
  /** Called with every newer snapshot; at once with the latest one if there is one already. */
  onSnapshot(fn: (snapshot: LiveSnapshot) => void): () => void;
  /** Judges: something changed, refetch GET /api/judge/state. Also right after every connect. */
  onRefresh(fn: (refresh: LiveRefresh) => void): () => void;
  /** Called on every change, and at once with the current status. */
  onStatus(fn: (status: LiveStatus) => void): () => void;
  /** The server refused this session for good (code 4400/4401/4403/4404); no more retries. */
  onRefused(fn: (code: number) => void): () => void;
  /** Called when the measured offset changes. */
  onOffset(fn: (offsetMs: number) => void): () => void;
  status(): LiveStatus;
  /** What the server said we are, once greeted. */
  audience(): LiveAudience | null;
  /** Server clock minus ours (ms); null until measured. */
  offsetMs(): number | null;
  /** Our best estimate of the server's clock now. */
  serverNow(): number;
  latest(): LiveSnapshot | null;
  /** Try now (e.g. a "reconnect" button), resetting the backoff. */
  reconnectNow(): void;
  close(): void;
}

const OPEN = 1;
/** Quick pings right after connecting, for a good first offset. */
const FIRST_PINGS_MS = [0, 250, 600, 1200];

type Listeners<T> = Set<(value: T) => void>;

function emit<T>(set: Listeners<T>, value: T): void {
  for (const fn of [...set]) {
    try {
      fn(value);
    } catch (err) {
      // One broken listener must not stop the others or the socket.
      console.error(err);
    }
  }
}

export function connectLive(options: LiveClientOptions): LiveClient {
  const minRetry = options.minRetryMs ?? 200;
  const maxRetry = options.maxRetryMs ?? 1000;
  const pingEvery = options.pingEveryMs ?? 10_000;
  const pongTimeout = options.pongTimeoutMs ?? 5000;
  const sampleCount = options.samples ?? 8;
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? Math.random;
  const WS = options.WebSocket ?? (globalThis.WebSocket as unknown as new (url: string) => WebSocketLike);
  const base =
    options.baseUrl ??
    `${globalThis.location?.protocol === 'https:' ? 'wss:' : 'ws:'}//${globalThis.location?.host ?? ''}`;
  const url = `${base}/api/live?eventId=${encodeURIComponent(options.eventId)}`;

  const snapshotFns: Listeners<LiveSnapshot> = new Set();
  const refreshFns: Listeners<LiveRefresh> = new Set();
  const statusFns: Listeners<LiveStatus> = new Set();
  const refusedFns: Listeners<number> = new Set();
  const offsetFns: Listeners<number> = new Set();

  let socket: WebSocketLike | null = null;
  let greeted = false;
  let stopped = false;
  let attempt = 0;
  let status: LiveStatus = 'connecting';
  let audience: LiveAudience | null = null;
  let latest: LiveSnapshot | null = null;
  let snapshotVersion = -1;
  let refreshVersion = -1;
  let offset: number | null = null;
  let samples: { rtt: number; offset: number }[] = [];
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  const firstPings: ReturnType<typeof setTimeout>[] = [];

  const setStatus = (next: LiveStatus): void => {
    if (status === next) return;
    status = next;
    emit(statusFns, next);
  };

  const clearSocketTimers = (): void => {
    clearInterval(pingTimer);
    clearTimeout(pongTimer);
    pongTimer = undefined;
    for (const t of firstPings.splice(0)) clearTimeout(t);
  };

  const ping = (): void => {
    const ws = socket;
    if (!ws || ws.readyState !== OPEN) return;
    ws.send(JSON.stringify({ type: 'ping', t0: now() }));
    // Any message proves the link alive; none at all by the deadline means it is dead.
    pongTimer ??= setTimeout(() => drop(ws), pongTimeout);
  };

  const addSample = (t0: number, serverNow: number): void => {
    const t1 = now();
    const rtt = t1 - t0;
    if (!(rtt >= 0)) return; // Our clock jumped back mid-flight: no use.
    samples.push({ rtt, offset: serverNow - (t0 + t1) / 2 });
    if (samples.length > sampleCount) samples.shift();
    let best = samples[0] as { rtt: number; offset: number };
    for (const s of samples) if (s.rtt < best.rtt) best = s;
    if (best.offset !== offset) {
      offset = best.offset;
      emit(offsetFns, offset);
    }
  };

  const onMessage = (ws: WebSocketLike, data: unknown): void => {
    if (ws !== socket) return;
    clearTimeout(pongTimer);
    pongTimer = undefined;
    let msg: LiveServerMessage;
    try {
      msg = JSON.parse(String(data)) as LiveServerMessage;
    } catch {
      return;
    }
    switch (msg.type) {
      case 'hello':
        greeted = true;
        attempt = 0;
        audience = msg.audience;
        // Versions and clocks belong to the process we reached, which may not be the last one.
        snapshotVersion = -1;
        refreshVersion = -1;
        samples = [];
        if (offset === null) {
          // One-way estimate until the first round trip is measured.
          offset = msg.serverNow - now();
          emit(offsetFns, offset);
        }
        setStatus('connected');
        for (const ms of FIRST_PINGS_MS) firstPings.push(setTimeout(ping, ms));
        pingTimer = setInterval(ping, pingEvery);
        break;
      case 'pong':
        addSample(msg.t0, msg.serverNow);
        break;
      case 'snapshot':
        if (msg.version <= snapshotVersion) return;
        snapshotVersion = msg.version;
        latest = msg;
        emit(snapshotFns, msg);
        break;
      case 'refresh':
        if (msg.version <= refreshVersion) return;
        refreshVersion = msg.version;
        emit(refreshFns, msg);
        break;
    }
  };

  const scheduleRetry = (): void => {
    if (stopped) return;
    clearTimeout(retryTimer);
    // Equal jitter: half fixed, half random, so a hall of clients does not come back in one instant.
    const ceiling = Math.min(maxRetry, minRetry * 2 ** attempt);
    attempt++;
    retryTimer = setTimeout(open, ceiling / 2 + (random() * ceiling) / 2);
  };

  /** Forgets a socket (closed, refused or dead) and decides what comes next. */
  const drop = (ws: WebSocketLike, code?: number): void => {
    if (ws !== socket) return;
    socket = null;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    clearSocketTimers();
    if (ws.readyState <= OPEN) {
      try {
        ws.close(1000);
      } catch {
        // Closing a socket that never opened may throw in some browsers; it is gone either way.
      }
    }
    const wasUp = greeted;
    greeted = false;
    if (stopped) {
      setStatus('offline');
      return;
    }
    if (code !== undefined && LIVE_FINAL_CLOSE_CODES.includes(code)) {
      stopped = true;
      setStatus('offline');
      emit(refusedFns, code);
      return;
    }
    // A blip on a working connection shows as "connecting"; a failed attempt as "offline".
    setStatus(wasUp ? 'connecting' : 'offline');
    scheduleRetry();
  };

  function open(): void {
    if (stopped || socket) return;
    clearTimeout(retryTimer);
    let ws: WebSocketLike;
    try {
      ws = new WS(url);
    } catch {
      setStatus('offline');
      scheduleRetry();
      return;
    }
    socket = ws;
    // A handshake into a dead network can hang far longer than any backoff: give it up.
    pongTimer = setTimeout(() => drop(ws), 2 * pongTimeout);
    ws.onmessage = (ev) => onMessage(ws, ev.data);
    ws.onclose = (ev) => drop(ws, ev.code);
    // 'error' is always followed by 'close', which carries the code.
    ws.onerror = () => undefined;
  }

  const retryNow = (): void => {
    if (stopped) return;
    if (socket) {
      // Back from the background: check the link instead of trusting it.
      if (greeted) ping();
      return;
    }
    attempt = 0;
    open();
  };
  const onVisible = (): void => {
    if (globalThis.document?.visibilityState === 'visible') retryNow();
  };
  globalThis.addEventListener?.('online', retryNow);
  globalThis.document?.addEventListener?.('visibilitychange', onVisible);

  open();

  const subscribe =
    <T>(set: Listeners<T>, current?: () => T | null) =>
    (fn: (value: T) => void): (() => void) => {
      set.add(fn);
      const value = current?.();
      if (value !== null && value !== undefined) fn(value);
      return () => set.delete(fn);
    };

  return {
    onSnapshot: subscribe(snapshotFns, () => latest),
    onRefresh: subscribe(refreshFns),
    onStatus: subscribe(statusFns, () => status),
    onRefused: subscribe(refusedFns),
    onOffset: subscribe(offsetFns, () => offset),
    status: () => status,
    audience: () => audience,
    offsetMs: () => offset,
    serverNow: () => now() + (offset ?? 0),
    latest: () => latest,
    reconnectNow: () => {
      if (stopped) return;
      attempt = 0;
      if (!socket) open();
    },
    close: () => {
      stopped = true;
      clearTimeout(retryTimer);
      globalThis.removeEventListener?.('online', retryNow);
      globalThis.document?.removeEventListener?.('visibilitychange', onVisible);
      if (socket) drop(socket);
      setStatus('offline');
    },
  };
}
