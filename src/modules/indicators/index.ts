// The door of indicators: the only file other modules, the server and the scripts import from this
// module, besides schemas.ts, domain/ and locales/.
import './locales/index.ts';
import type { ProductModule } from '../../platform/module.ts';
import { startBackgroundLoop } from '../../platform/scheduled.ts';
import * as init from './migrations/20261126172448_init.ts';
import * as indexes from './migrations/20261127001748_indexes.ts';
import { tickActualsReminders } from './reminders.ts';
import { registerIndicatorRoutes } from './routes.ts';

export { type ReportedStatus, reportedStatuses } from './dashboard/reported-statuses.ts';
export { periodRow } from './periods.ts';

export const indicatorsModule: ProductModule = {
  name: 'indicators',
  migrations: {
    '20261126172448_indicators_init': init,
    '20261127001748_indicators_indexes': indexes,
  },
  registerRoutes: registerIndicatorRoutes,
  startBackground: (deps) => startBackgroundLoop(deps, 'indicator reminders', tickActualsReminders),
};

export { applyActualsReminders } from './reminders.ts';
