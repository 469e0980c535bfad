import { z } from 'zod';
import { okBody } from '../../../kernel/schemas.ts';
import type { RouteDeps } from '../../../platform/http/app.ts';
import { type App, SESSION_COOKIE } from '../../../platform/http/app.ts';
import { limitFailures } from '../../../platform/http/failure-limit.ts';
import { judgeSessionBody } from '../../event/schemas.ts';
import {
  changePassword,
  JUDGE_SESSION_TTL_MS,
  judgeSignIn,
  login,
  logout,
  me,
  SESSION_TTL_MS,
} from '../auth.ts';
import { changePasswordBody, loginBody, meView, userView } from '../schemas.ts';

const DEVICE_COOKIE = 'sp_device';
const DEVICE_TTL_MS = 365 * 24 * 60 * 60 * 1000;

export function authRoutes(app: App, deps: RouteDeps): void {
  const cookieOpts = (maxAgeMs: number) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.cookie.secure,
    maxAge: Math.floor(maxAgeMs / 1000),
  });
  const limited = { rateLimit: { max: deps.loginRateLimit, timeWindow: '1 minute' } };

  app.post(
    '/api/auth/login',
    {
      config: limited,
      schema: { tags: ['auth'], body: loginBody, response: { 200: z.object({ user: userView }) } },
    },
    async (req, reply) => {
      const { token, deviceToken, user } = await login(req.ctx(), req.body.username, req.body.password, {
        address: req.ip,
        deviceToken: req.cookies[DEVICE_COOKIE],
      });
      reply.setCookie(SESSION_COOKIE, token, cookieOpts(SESSION_TTL_MS));
      // Only the sign-in route reads it: it marks this browser as a device the account has used.
      reply.setCookie(DEVICE_COOKIE, deviceToken, { ...cookieOpts(DEVICE_TTL_MS), path: '/api/auth/login' });
      return { user };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], response: { 200: okBody } } },
    async (req, reply) => {
      await logout(req.ctx(), req.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get('/api/auth/me', { schema: { tags: ['auth'], response: { 200: meView } } }, async (req) =>
    me(req.ctx()),
  );

  app.post(
    '/api/auth/password',
    {
      config: limited,
      schema: { tags: ['auth'], body: changePasswordBody, response: { 200: z.object({ user: userView }) } },
    },
    async (req) => ({
      user: await changePassword(
        req.ctx(),
        req.body.oldPassword,
        req.body.newPassword,
        req.cookies[SESSION_COOKIE],
      ),
    }),
  );

  app.post(
    '/api/judge/session',
    {
      schema: {
        tags: ['judge'],
        body: judgeSessionBody,
        response: { 200: z.object({ judgeId: z.string(), eventId: z.string() }) },
      },
    },
    async (req, reply) => {
      const s = await limitFailures(deps.tokenSignInFailures, req.ip, ['invite_invalid'], () =>
        judgeSignIn(req.ctx(), req.body.token),
      );
      reply.setCookie(SESSION_COOKIE, s.token, cookieOpts(JUDGE_SESSION_TTL_MS));
      return { judgeId: s.judgeId, eventId: s.eventId };
    },
  );
}
