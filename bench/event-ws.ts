// The `ws` package for the bench's viewers and its bare broadcast server. It is installed (through
// @fastify/websocket) but ships no type declarations and this repository has no @types/ws: the few
// members the bench uses are typed here, locally, instead of declaring the module for everyone.
import { createRequire } from 'node:module';

export interface WsClient {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'open', listener: () => void): this;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'unexpected-response', listener: (req: unknown, res: { statusCode?: number }) => void): this;
}

export interface WsModule {
  WebSocket: new (
    url: string,
    options?: { headers?: Record<string, string>; perMessageDeflate?: boolean; handshakeTimeout?: number },
  ) => WsClient;
  WebSocketServer: new (options: {
    server: import('node:http').Server;
    path?: string;
  }) => { clients: Set<WsClient>; close(): void };
}

export function loadWs(): WsModule {
  return createRequire(import.meta.url)('ws') as WsModule;
}
