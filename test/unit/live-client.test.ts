// The browser's live client against a scripted socket and a fake clock: newest version wins,
// the clock offset comes from the shortest round trip, reconnects back off with jitter, a dead link
// is noticed, and refusals are final.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveServerMessage } from '../../src/modules/event/schemas.ts';
import {
  connectLive,
  type LiveClient,
  type LiveStatus,
  type WebSocketLike,
} from '../../web/common/live-client.ts';

class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: { type: string; t0: number }[] = [];
  closedWith: number | undefined | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  // ---- the server's side ----
  accept(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  push(msg: LiveServerMessage): void {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  hello(serverNow = Date.now()): void {
    this.accept();
    this.push({ type: 'hello', audience: 'screen', serverNow });
  }
  serverClose(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

const last = (): FakeSocket => FakeSocket.all.at(-1) as FakeSocket;
const snapshot = (version: number, title = `v${version}`): LiveServerMessage =>
  ({ type: 'snapshot', version, serverNow: Date.now(), screen: { event: { title } } }) as LiveServerMessage;

describe('live client', () => {
  let client: LiveClient;
  let statuses: LiveStatus[];
  const start = (opts: Partial<Parameters<typeof connectLive>[0]> = {}) => {
    client = connectLive({
      eventId: 'ev-1',
      baseUrl: 'ws://hall.test',
      WebSocket: FakeSocket,
      random: () => 0.5,
      ...opts,
    });
    statuses = [];
    client.onStatus((s) => statuses.push(s));
    return client;
  };

  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => {
    client?.close();
    vi.useRealTimers();
  });

  it('connects to /api/live for the event and reports connecting, then connected on hello', () => {
    start();
    expect(last().url).toBe('ws://hall.test/api/live?eventId=ev-1');
    expect(statuses).toEqual(['connecting']);
    last().hello();
    expect(statuses).toEqual(['connecting', 'connected']);
    expect(client.audience()).toBe('screen');
  });

  it('keeps only the newest snapshot, and starts counting again on a new connection', () => {
    start();
    const seen: number[] = [];
    client.onSnapshot((s) => seen.push(s.version));
    last().hello();
    last().push(snapshot(10));
    last().push(snapshot(9));
    last().push(snapshot(10));
    last().push(snapshot(12));
    expect(seen).toEqual([10, 12]);
    expect(client.latest()?.version).toBe(12);
    // Another process behind the balancer counts from its own clock.
    last().serverClose(1001);
    vi.advanceTimersByTime(1000);
    last().hello();
    last().push(snapshot(5));
    expect(seen).toEqual([10, 12, 5]);
    // A late subscriber gets the latest at once.
    const late: number[] = [];
    client.onSnapshot((s) => late.push(s.version));
    expect(late).toEqual([5]);
  });

  it('passes refreshes on, newest first, for the judge page to refetch', () => {
    start();
    const refreshes: number[] = [];
    client.onRefresh((r) => refreshes.push(r.version));
    last().hello();
    last().push({ type: 'refresh', version: 3, serverNow: 0 });
    last().push({ type: 'refresh', version: 2, serverNow: 0 });
    last().push({ type: 'refresh', version: 4, serverNow: 0 });
    expect(refreshes).toEqual([3, 4]);
  });

  it('measures the clock offset from the ping with the shortest round trip among the last N', () => {
    start({ samples: 3 });
    const socket = last();
    const offsets: number[] = [];
    socket.hello(Date.now() + 5000);
    client.onOffset((o) => offsets.push(Math.round(o)));
    /** Answers the latest ping now, the server's clock 5 s ahead plus `skew` (an asymmetric path). */
    const answer = (skew: number) => {
      const { t0 } = socket.sent.at(-1) as { t0: number };
      socket.push({ type: 'pong', t0, serverNow: (t0 + Date.now()) / 2 + 5000 + skew });
    };
    vi.advanceTimersByTime(0); // ping at hello
    vi.advanceTimersByTime(200);
    answer(150); // round trip 200 ms
    expect(Math.round(client.offsetMs() ?? 0)).toBe(5150);
    vi.advanceTimersByTime(60); // ping at +250
    answer(0); // round trip 10 ms: the best
    vi.advanceTimersByTime(400); // ping at +600
    answer(30); // 60 ms
    vi.advanceTimersByTime(600); // ping at +1200
    answer(-20); // 60 ms
    expect(Math.round(client.offsetMs() ?? 0)).toBe(5000);
    // The 10 ms sample leaves the window of 3 with the next ping (every 10 s).
    vi.advanceTimersByTime(10_000 - 1260);
    vi.advanceTimersByTime(20);
    answer(5); // 20 ms, now the best of the last 3
    expect(Math.round(client.offsetMs() ?? 0)).toBe(5005);
    expect(offsets).toEqual([5000, 5150, 5000, 5005]);
    expect(Math.round(client.serverNow() - Date.now())).toBe(5005);
    expect(socket.sent.every((m) => m.type === 'ping')).toBe(true);
  });

  it('reconnects with jittered exponential backoff, capped, and resets it once greeted', () => {
    start({ minRetryMs: 200, maxRetryMs: 1000 });
    last().hello();
    last().serverClose(1006);
    expect(statuses.at(-1)).toBe('connecting');
    // random() = 0.5: three quarters of the ceiling (200, 400, 800, 1000, 1000 ms).
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const count = FakeSocket.all.length;
      let waited = 0;
      while (FakeSocket.all.length === count) {
        vi.advanceTimersByTime(10);
        waited += 10;
      }
      waits.push(waited);
      last().serverClose(1006); // the server is still down
    }
    expect(waits).toEqual([150, 300, 600, 750, 750]);
    expect(statuses.at(-1)).toBe('offline');
    vi.advanceTimersByTime(750);
    last().hello();
    expect(statuses.at(-1)).toBe('connected');
    last().serverClose(1001);
    const count = FakeSocket.all.length;
    vi.advanceTimersByTime(150);
    expect(FakeSocket.all.length).toBe(count + 1);
  });

  it('spreads the retries of many clients between half and all of the ceiling', () => {
    for (const [r, expected] of [
      [0, 500],
      [0.999, 999],
    ] as const) {
      FakeSocket.all = [];
      start({ minRetryMs: 1000, maxRetryMs: 1000, random: () => r });
      last().serverClose(1006);
      vi.advanceTimersByTime(expected - 1);
      expect(FakeSocket.all).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(FakeSocket.all).toHaveLength(2);
      client.close();
    }
  });

  it('gives up a link that answers no ping and connects again', () => {
    start({ pongTimeoutMs: 5000 });
    const first = last();
    first.hello();
    vi.advanceTimersByTime(4999);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(first.closedWith).toBe(1000);
    expect(statuses.at(-1)).toBe('connecting');
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.all).toHaveLength(2);
    // Events from the abandoned socket change nothing.
    first.push(snapshot(99));
    expect(client.latest()).toBeNull();
  });

  it('gives up a handshake that hangs', () => {
    start({ pongTimeoutMs: 5000 });
    vi.advanceTimersByTime(10_000);
    expect(last().closedWith).toBe(1000);
    expect(statuses).toEqual(['connecting', 'offline']);
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('stops for good when the server refuses the session', () => {
    start();
    const refused: number[] = [];
    client.onRefused((code) => refused.push(code));
    last().accept();
    last().serverClose(4403);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(refused).toEqual([4403]);
    expect(client.status()).toBe('offline');
    client.reconnectNow();
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('closes cleanly: no more sockets, status offline', () => {
    start();
    last().hello();
    client.close();
    expect(last().closedWith).toBe(1000);
    expect(client.status()).toBe('offline');
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});
