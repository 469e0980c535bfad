// The door of showcase reports: the only file other modules, the server and the scripts import from
// this module, besides schemas.ts, domain/ and locales/.
import './locales/index.ts';
import type { ProductModule } from '../../platform/module.ts';
import * as init from './migrations/20261202170000_init.ts';
import * as photos from './migrations/20261203080000_photos.ts';
import * as logo from './migrations/20261203090000_logo.ts';
import { registerReportRoutes } from './routes.ts';

export const reportsModule: ProductModule = {
  name: 'reports',
  migrations: {
    '20261202170000_reports_init': init,
    '20261203080000_reports_photos': photos,
    '20261203090000_reports_logo': logo,
  },
  registerRoutes: registerReportRoutes,
};

export type { ReportContent } from './domain/report.ts';
// For the demo and scripts: the same use cases the routes call.
export {
  eventPptx,
  getReport,
  getTemplate,
  returnedReportsOf,
  reviewReport,
  saveReport,
  saveTemplate,
  setRequired,
  submitReport,
} from './reports.ts';
