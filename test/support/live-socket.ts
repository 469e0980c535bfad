// A WebSocket client for tests of /api/live: the `ws` package (installed with @fastify/websocket),
// typed here because it ships no declarations, plus a recorder that waits for messages and the close.
import { createRequire } from 'node:module';
import type { LiveServerMessage } from '../../src/modules/event/schemas.ts';

/** The part of `ws`'s client the tests use. */
export interface WsClient {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'open', listener: () => void): this;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'ping', listener: () => void): this;
}

export interface WsClientOptions {
  headers?: Record<string, string>;
  /** false: do not answer the server's pings (a peer that vanished). */
  autoPong?: boolean;
}

type WsConstructor = new (url: string, options?: WsClientOptions) => WsClient;

/** How long next() waits by default before giving up. */
const NEXT_GIVE_UP_MS = 20_000;

export const WebSocket = createRequire(import.meta.url)('ws') as WsConstructor;

export interface Received {
  /** The frame as sent, to assert on what never appears in it. */
  raw: string;
  msg: LiveServerMessage;
  at: number;
}

export interface LiveConnection {
  ws: WsClient;
  /** Every message so far, in order. */
  received: Received[];
  /**
   * Resolves with the first message at index ≥ `from` that matches, or rejects after `timeoutMs`
   * (20 s by default: a give-up for a message that never comes, not a speed requirement).
   */
  next(
    match: (m: LiveServerMessage) => boolean,
    opts?: { from?: number; timeoutMs?: number },
  ): Promise<Received>;
  /** Resolves when the server closed the socket (or it failed). */
  closed: Promise<{ code: number; reason: string }>;
  snapshots(): Extract<LiveServerMessage, { type: 'snapshot' }>[];
  close(): Promise<void>;
}

/** Opens /api/live on a listening app; resolves once the socket is open (before any message). */
export function openLive(
  baseUrl: string,
  eventId: string,
  cookie: string | null,
  options: WsClientOptions = {},
): Promise<LiveConnection> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/api/live?eventId=${encodeURIComponent(eventId)}`;
  const ws = new WebSocket(url, {
    ...options,
    headers: { ...options.headers, ...(cookie ? { cookie } : {}) },
  });
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  let closeInfo: { code: number; reason: string } | null = null;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => {
      closeInfo = { code, reason: reason.toString() };
      resolve(closeInfo);
      for (const w of waiters) w();
    });
  });
  ws.on('message', (data) => {
    const raw = data.toString();
    received.push({ raw, msg: JSON.parse(raw) as LiveServerMessage, at: Date.now() });
    for (const w of waiters) w();
  });
  const conn: LiveConnection = {
    ws,
    received,
    closed,
    snapshots: () =>
      received
        .map((r) => r.msg)
        .filter((m): m is Extract<LiveServerMessage, { type: 'snapshot' }> => m.type === 'snapshot'),
    next: (match, opts = {}) =>
      new Promise((resolve, reject) => {
        const from = opts.from ?? 0;
        const check = () => {
          for (let i = from; i < received.length; i++) {
            const r = received[i] as Received;
            if (match(r.msg)) {
              done();
              resolve(r);
              return;
            }
          }
          if (closeInfo) {
            done();
            reject(
              new Error(`socket closed (${closeInfo.code} ${closeInfo.reason}) before the message came`),
            );
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no matching message within ${opts.timeoutMs ?? NEXT_GIVE_UP_MS} ms`));
        }, opts.timeoutMs ?? NEXT_GIVE_UP_MS);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    close: async () => {
      if (!closeInfo) {
        ws.close();
        await closed;
      }
    },
  };
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve(conn));
    ws.on('error', reject);
  });
}
