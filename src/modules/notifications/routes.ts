// Notifications over HTTP: the robots (organizer), the delivery log, one's own @-handle and mutes.
import { z } from 'zod';
import { idParams, okBody } from '../../kernel/schemas.ts';
import type { App } from '../../platform/http/app.ts';
import {
  deleteChannel,
  getContact,
  listChannels,
  listDeliveries,
  retryDelivery,
  saveChannel,
  saveContact,
  testChannel,
} from './channels.ts';
import {
  channelBody,
  channelView,
  contactBody,
  contactView,
  deliveriesQuery,
  deliveryView,
} from './schemas.ts';

const tags = ['notifications'];
const idBody = z.object({ id: z.string() });

export function registerNotificationRoutes(app: App): void {
  app.get(
    '/api/notifications/channels',
    { schema: { tags, response: { 200: z.array(channelView) } } },
    async (req) => listChannels(req.ctx()),
  );
  app.post(
    '/api/notifications/channels',
    { schema: { tags, body: channelBody, response: { 200: idBody } } },
    async (req) => saveChannel(req.ctx(), null, req.body),
  );
  app.put(
    '/api/notifications/channels/:id',
    { schema: { tags, params: idParams, body: channelBody, response: { 200: idBody } } },
    async (req) => saveChannel(req.ctx(), req.params.id, req.body),
  );
  app.delete(
    '/api/notifications/channels/:id',
    { schema: { tags, params: idParams, response: { 200: okBody } } },
    async (req) => deleteChannel(req.ctx(), req.params.id),
  );
  app.post(
    '/api/notifications/channels/:id/test',
    { schema: { tags, params: idParams, response: { 200: okBody } } },
    async (req) => testChannel(req.ctx(), req.params.id),
  );
  app.get(
    '/api/notifications/deliveries',
    { schema: { tags, querystring: deliveriesQuery, response: { 200: z.array(deliveryView) } } },
    async (req) => listDeliveries(req.ctx(), req.query),
  );
  app.post(
    '/api/notifications/deliveries/:id/retry',
    { schema: { tags, params: idParams, response: { 200: okBody } } },
    async (req) => retryDelivery(req.ctx(), req.params.id),
  );
  app.get('/api/me/notify-contact', { schema: { tags, response: { 200: contactView } } }, async (req) =>
    getContact(req.ctx()),
  );
  app.put(
    '/api/me/notify-contact',
    { schema: { tags, body: contactBody, response: { 200: contactView } } },
    async (req) => saveContact(req.ctx(), req.body),
  );
}
