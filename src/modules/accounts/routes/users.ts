import { z } from 'zod';
import { idParams } from '../../../kernel/schemas.ts';
import type { App } from '../../../platform/http/app.ts';
import { createUser, listUsers, resetPassword, updateUser } from '../auth.ts';
import { createUserBody, oneTimePasswordView, updateUserBody, userView } from '../schemas.ts';

export function userRoutes(app: App): void {
  const tags = ['users'];
  app.get('/api/users', { schema: { tags, response: { 200: z.array(userView) } } }, async (req) =>
    listUsers(req.ctx()),
  );
  app.post(
    '/api/users',
    { schema: { tags, body: createUserBody, response: { 200: oneTimePasswordView } } },
    async (req) => createUser(req.ctx(), req.body),
  );
  app.patch(
    '/api/users/:id',
    { schema: { tags, params: idParams, body: updateUserBody, response: { 200: userView } } },
    async (req) => updateUser(req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/users/:id/reset-password',
    { schema: { tags, params: idParams, response: { 200: oneTimePasswordView } } },
    async (req) => resetPassword(req.ctx(), req.params.id),
  );
}
