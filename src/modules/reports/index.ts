// The door of showcase reports: the only file other modules, the server and the scripts import from
// this module, besides schemas.ts, domain/ and locales/.
import './locales/index.ts';
import type { ProductModule } from '../../platform/module.ts';
import * as init from './migrations/20261202170000_init.ts';
import { registerReportRoutes } from './routes.ts';

export const reportsModule: ProductModule = {
  name: 'reports',
  migrations: { '20261202170000_reports_init': init },
  registerRoutes: registerReportRoutes,
};
