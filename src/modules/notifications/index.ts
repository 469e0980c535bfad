// The door of notifications: other modules queue notices through `enqueueNotice` inside the
// transaction of the change that causes them; the worker delivers them to the groups' robots.
import type { BackgroundDeps, ProductModule } from '../../platform/module.ts';
import { startBackgroundLoop } from '../../platform/scheduled.ts';
import { deliverDue } from './delivery.ts';
import { sendDigests } from './digest.ts';
import * as init from './migrations/20261203100100_init.ts';
import { registerNotificationRoutes } from './routes.ts';

function startDeliveryWorker(deps: BackgroundDeps) {
  const linkKey = deps.linkKey;
  if (!linkKey) return { stop: async () => {} };
  return startBackgroundLoop(deps, 'notification delivery', async (ctx) => {
    await sendDigests(ctx);
    await deliverDue({
      db: deps.db,
      dbKind: deps.dbKind,
      now: deps.clock,
      linkKey,
      fetch: deps.fetch,
      publicUrl: deps.publicUrl,
      ...(deps.leaseMs ? { leaseMs: deps.leaseMs } : {}),
    });
  });
}

export const notificationsModule: ProductModule = {
  name: 'notifications',
  migrations: { '20261203100100_notifications_init': init },
  registerRoutes: registerNotificationRoutes,
  startBackground: startDeliveryWorker,
};

export { configureRobotHosts } from './channels.ts';
export { type DeliveryDeps, type DeliveryPass, deliverDue } from './delivery.ts';
export { sendDigests } from './digest.ts';
export { enqueueNotice, type Notice } from './outbox.ts';
