import { z } from 'zod';
import { idParams, idSchema, okBody } from '../../../kernel/schemas.ts';
import type { RouteDeps } from '../../../platform/http/app.ts';
import { type App, SESSION_COOKIE } from '../../../platform/http/app.ts';
import { limitFailures } from '../../../platform/http/failure-limit.ts';
import { SCREEN_SESSION_TTL_MS, screenSignIn } from '../../accounts/index.ts';
import { getHostState, setCurrentSlot, setScreenSlide, updateScreenSettings } from '../host.ts';
import {
  currentSlotBody,
  eventSlotParams,
  hostState,
  screenSessionBody,
  screenSettingsBody,
  screenSlideBody,
  screenState,
  screenTokenBody,
  screenTokenView,
  timerActionBody,
  timerView,
} from '../schemas.ts';
import {
  createScreenToken,
  getOwnScreenState,
  getScreenState,
  listScreenTokens,
  revokeScreenToken,
  screenTokenQrSvg,
} from '../screen.ts';
import { timerAction } from '../timer.ts';

const tokenParams = z.object({ id: idSchema, tokenId: idSchema });
const timeView = z.object({ serverNow: z.number() });

export function eventDayRoutes(app: App, deps: RouteDeps): void {
  const tags = ['event-day'];

  // ---------- host console (organizer) ----------
  app.post(
    '/api/events/:id/slots/:slotId/timer',
    { schema: { tags, params: eventSlotParams, body: timerActionBody, response: { 200: timerView } } },
    async (req) => timerAction(req.ctx(), req.params.id, req.params.slotId, req.body),
  );
  app.post(
    '/api/events/:id/current',
    { schema: { tags, params: idParams, body: currentSlotBody, response: { 200: hostState } } },
    async (req) => setCurrentSlot(req.ctx(), req.params.id, req.body.slotId),
  );
  app.patch(
    '/api/events/:id/screen',
    { schema: { tags, params: idParams, body: screenSettingsBody, response: { 200: hostState } } },
    async (req) => updateScreenSettings(req.ctx(), req.params.id, req.body),
  );
  app.put(
    '/api/events/:id/screen/slide',
    { schema: { tags, params: idParams, body: screenSlideBody, response: { 200: hostState } } },
    async (req) => setScreenSlide(req.ctx(), req.params.id, req.body),
  );
  app.get(
    '/api/events/:id/host',
    { schema: { tags, params: idParams, response: { 200: hostState } } },
    async (req) => getHostState(req.ctx(), req.params.id),
  );

  // ---------- the big screen ----------
  app.get(
    '/api/events/:id/screen-state',
    { schema: { tags, params: idParams, response: { 200: screenState } } },
    async (req) => getScreenState(req.ctx(), req.params.id),
  );
  app.get('/api/screen/state', { schema: { tags, response: { 200: screenState } } }, async (req) =>
    getOwnScreenState(req.ctx()),
  );
  app.get(
    '/api/events/:id/screen-tokens',
    { schema: { tags, params: idParams, response: { 200: z.array(screenTokenView) } } },
    async (req) => listScreenTokens(req.ctx(), req.params.id),
  );
  app.post(
    '/api/events/:id/screen-tokens',
    { schema: { tags, params: idParams, body: screenTokenBody, response: { 200: screenTokenView } } },
    async (req) => createScreenToken(req.ctx(), req.params.id, req.body),
  );
  app.delete(
    '/api/events/:id/screen-tokens/:tokenId',
    { schema: { tags, params: tokenParams, response: { 200: okBody } } },
    async (req) => {
      await revokeScreenToken(req.ctx(), req.params.id, req.params.tokenId);
      return { ok: true as const };
    },
  );
  app.get(
    '/api/events/:id/screen-tokens/:tokenId/qr.svg',
    { schema: { tags, params: tokenParams } },
    async (req, reply) =>
      reply
        .header('content-type', 'image/svg+xml; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(await screenTokenQrSvg(req.ctx(), req.params.id, req.params.tokenId)),
  );

  // Same cookie as the other sign-ins (accounts' routes), same limit on failed tokens per address.
  app.post(
    '/api/screen/session',
    {
      schema: { tags, body: screenSessionBody, response: { 200: z.object({ eventId: z.string() }) } },
    },
    async (req, reply) => {
      const s = await limitFailures(deps.tokenSignInFailures, req.ip, ['screen_token_invalid'], () =>
        screenSignIn(req.ctx(), req.body.token),
      );
      reply.setCookie(SESSION_COOKIE, s.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.cookie.secure,
        maxAge: Math.floor(SCREEN_SESSION_TTL_MS / 1000),
      });
      return { eventId: s.eventId };
    },
  );

  // The server's clock, for clients that cannot measure their offset over the WebSocket.
  app.get('/api/time', { schema: { tags, response: { 200: timeView } } }, async (req) => ({
    serverNow: req.ctx().now.getTime(),
  }));
}
