// The parts of the product this server runs, in the order their routes are registered. A new module
// is added here (and nowhere else in src/server): its migrations and routes come with it.
import { accountsModule } from '../modules/accounts/index.ts';
import { eventModule } from '../modules/event/index.ts';
import { indicatorsModule } from '../modules/indicators/index.ts';
import { notificationsModule } from '../modules/notifications/index.ts';
import { reportsModule } from '../modules/reports/index.ts';
import { supervisionModule } from '../modules/supervision/index.ts';
import type { ProductModule } from '../platform/module.ts';

export const productModules: readonly ProductModule[] = [
  accountsModule,
  eventModule,
  indicatorsModule,
  reportsModule,
  notificationsModule,
  supervisionModule,
];
