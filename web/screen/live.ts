// The screen's WebSocket: GET /api/live?eventId=…, complete versioned snapshots, and the clock offset
// measured with pings (offset = serverNow − midpoint of the round trip, best round trip wins).
// Reconnects start fast (a server restart or a Wi-Fi blip should cost well under a second) and back
// off to a few seconds; the refusals 4400/4401/4403/4404 are final.
import type { LiveServerMessage, ScreenState } from '../../src/shared/api.ts';

export interface ScreenLiveHandlers {
  onSnapshot(state: ScreenState): void;
  /** true once the server has greeted us on a fresh socket; false when the socket is lost. */
  onStatus(up: boolean): void;
  /** Server clock minus ours, in ms, each time a better measurement arrives. */
  onOffset(offsetMs: number): void;
  /** The server refused this session (revoked link, other event): reconnecting would not help. */
  onRefused(code: number): void;
}

const FINAL_CLOSE_CODES = new Set([4400, 4401, 4403, 4404]);
const FIRST_RETRY_MS = 150;
const MAX_RETRY_MS = 4000;
const PING_EVERY_MS = 10_000;
/** No pong for this long: the socket is dead even if the browser has not noticed (lost Wi-Fi). */
const PONG_TIMEOUT_MS = 6000;

export function connectScreenLive(eventId: string, h: ScreenLiveHandlers): { close(): void } {
  let socket: WebSocket | null = null;
  let stopped = false;
  let attempt = 0;
  let up = false;
  let lastVersion = -1;
  let bestRtt = Number.POSITIVE_INFINITY;
  let retryTimer: number | undefined;
  let pingTimer: number | undefined;
  let lastPongAt = 0;
  const burst: number[] = [];

  const setUp = (value: boolean) => {
    if (up === value) return;
    up = value;
    h.onStatus(value);
  };

  const clearTimers = () => {
    window.clearTimeout(retryTimer);
    window.clearInterval(pingTimer);
    for (const t of burst.splice(0)) window.clearTimeout(t);
  };

  const ping = (ws: WebSocket) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'ping', t0: Date.now() }));
  };

  const scheduleReconnect = () => {
    if (stopped) return;
    window.clearTimeout(retryTimer);
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt) * (0.75 + Math.random() * 0.5);
    attempt++;
    retryTimer = window.setTimeout(open, delay);
  };

  function open(): void {
    if (stopped) return;
    clearTimers();
    const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(
      `${proto}//${window.location.host}/api/live?eventId=${encodeURIComponent(eventId)}`,
    );
    socket = ws;
    ws.onmessage = (e) => {
      let msg: LiveServerMessage;
      try {
        msg = JSON.parse(String(e.data)) as LiveServerMessage;
      } catch {
        return;
      }
      if (msg.type === 'hello') {
        attempt = 0;
        lastVersion = -1;
        lastPongAt = Date.now();
        setUp(true);
        // A few pings at once for a good first offset, then one now and then as a liveness check.
        for (const ms of [0, 300, 700, 1200]) burst.push(window.setTimeout(() => ping(ws), ms));
        pingTimer = window.setInterval(() => {
          if (Date.now() - lastPongAt > PING_EVERY_MS + PONG_TIMEOUT_MS) {
            ws.close();
            return;
          }
          ping(ws);
        }, PING_EVERY_MS);
      } else if (msg.type === 'pong') {
        const now = Date.now();
        lastPongAt = now;
        const rtt = now - msg.t0;
        if (rtt >= 0 && rtt <= bestRtt) {
          bestRtt = rtt;
          h.onOffset(msg.serverNow - (msg.t0 + now) / 2);
        }
      } else if (msg.type === 'snapshot' && msg.screen && msg.version > lastVersion) {
        lastVersion = msg.version;
        h.onSnapshot(msg.screen);
      }
    };
    ws.onclose = (e) => {
      if (socket !== ws) return;
      socket = null;
      clearTimers();
      setUp(false);
      if (FINAL_CLOSE_CODES.has(e.code)) {
        stopped = true;
        h.onRefused(e.code);
        return;
      }
      scheduleReconnect();
    };
  }

  // The network is back: try now instead of waiting out the backoff.
  const onOnline = () => {
    if (!stopped && !socket) {
      attempt = 0;
      open();
    }
  };
  window.addEventListener('online', onOnline);
  open();

  return {
    close: () => {
      stopped = true;
      clearTimers();
      window.removeEventListener('online', onOnline);
      const ws = socket;
      socket = null;
      ws?.close(1000);
    },
  };
}
