// What the request log may carry. Invite and screen links sign a phone or a display in with a token in
// the query (`/judge/?t=…`); a log line is read by more people than the organizer (operators, log
// shippers), so tokens, cookies and passwords never reach it.
import type { FastifyRequest } from 'fastify';

/** Query parameters that carry a credential, by name. */
const SECRET_PARAMS = /([?&](?:t|token|invite|key)=)[^&#]*/gi;

export const redactUrl = (url: string): string => url.replace(SECRET_PARAMS, '$1[redacted]');

export const logRedaction = {
  redact: ['req.headers.cookie', 'req.headers.authorization', 'body.password', 'body.token'],
  serializers: {
    // Fastify's own request serializer, with the URL's credentials taken out.
    req: (req: FastifyRequest) => ({
      method: req.method,
      url: redactUrl(req.url),
      host: req.host,
      remoteAddress: req.ip,
      remotePort: req.socket?.remotePort,
    }),
  },
};
