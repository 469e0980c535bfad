// GET /api/live: registers the WebSocket plugin and hands each upgraded socket to the hub (hub.ts).
import fastifyWebsocket from '@fastify/websocket';
import type { App } from '../../../platform/http/app.ts';
import { getHostState } from '../host.ts';
import { getScreenState } from '../screen.ts';
import { LIVE_CLOSE, type LiveBuilders } from './audiences.ts';
import { createLiveHub, type LiveHub, type LiveHubOptions } from './hub.ts';
import type { LiveSocket } from './sending.ts';

/** Incoming frames larger than this close the socket (1009): clients only send tiny pings. */
export const LIVE_MAX_CLIENT_MESSAGE_BYTES = 1024;

export interface LiveRouteOptions extends Omit<LiveHubOptions, 'log' | 'builders'> {
  /** Defaults to the host console and big-screen use cases. */
  builders?: LiveBuilders | undefined;
  sessionCookie: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The live-update hub of this app (stats for tests and benchmarks). */
    live: LiveHub;
  }
}

/**
 * Browsers send the session cookie with a WebSocket handshake whatever page opened it, and the
 * same-site rule ignores ports (another service on the hall server's address is "same site"): a page
 * of another origin must not read the live feed with the organizer's cookie. Non-browser clients
 * send no Origin.
 */
export function sameOrigin(origin: string | undefined, host: string, publicHost: string | null): boolean {
  if (origin === undefined) return true;
  let from: string;
  try {
    from = new URL(origin).host;
  } catch {
    return false;
  }
  return from === host || from === publicHost;
}

/**
 * Registers @fastify/websocket and GET /api/live. Call before any other route is added: the plugin
 * hooks route registration. The hub closes (sockets get 1001) when the app closes.
 */
export async function registerLive(app: App, options: LiveRouteOptions): Promise<LiveHub> {
  const hub = createLiveHub({
    ...options,
    builders: options.builders ?? { host: getHostState, screen: getScreenState },
    log: app.log,
  });
  await app.register(fastifyWebsocket, {
    options: { maxPayload: LIVE_MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false },
    preClose: async function (this: { websocketServer: { close(): void } }) {
      await hub.close();
      this.websocketServer.close();
    },
  });
  app.decorate('live', hub);
  const publicHost = options.publicUrl ? new URL(options.publicUrl).host : null;
  app.get('/api/live', { websocket: true, schema: { hide: true } }, (socket: LiveSocket, request) => {
    if (!sameOrigin(request.headers.origin, request.host, publicHost)) {
      socket.on('error', () => undefined);
      socket.close(LIVE_CLOSE.forbidden, 'origin');
      return;
    }
    hub.accept(socket, {
      actor: request.actor,
      sessionToken: request.cookies[options.sessionCookie],
      eventId: (request.query as Record<string, unknown> | undefined)?.eventId,
    });
  });
  return hub;
}
