// What every module's routes stand on: the app's type, the request's actor and use-case context, the
// session cookie's name and the options the routes are given. The app itself is assembled in
// src/server/app.ts; keeping these here lets routes and the live hub depend on the platform only.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Actor } from '../../kernel/actor.ts';
import type { Ctx } from '../context.ts';
import type { FailureLimiter } from './failure-limit.ts';

export const SESSION_COOKIE = 'sp_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    /** The use-case context of this request. */
    ctx(): Ctx;
  }
}

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  ZodTypeProvider
>;

/** Options every module's routes are registered with. */
export interface RouteDeps {
  cookie: { secure: boolean };
  /** Password sign-ins per minute per address. */
  loginRateLimit: number;
  /** Failed token sign-ins (judge invites, screen links) per address; successes are not counted. */
  tokenSignInFailures: FailureLimiter;
}
