// The door of livelihood projects and supervision: projects and their updates, visits, follow-up
// tasks, the inbox, the dashboard and the bulletin, and the time rules run in the background.
import './locales/index.ts';
import type { ProductModule } from '../../platform/module.ts';
import { startBackgroundLoop } from '../../platform/scheduled.ts';
import * as init from './migrations/20261203100000_init.ts';
import { registerSupervisionRoutes } from './routes.ts';
import { tickTimeRules } from './time-rules.ts';

export const supervisionModule: ProductModule = {
  name: 'supervision',
  migrations: { '20261203100000_supervision_init': init },
  registerRoutes: registerSupervisionRoutes,
  startBackground: (deps) => startBackgroundLoop(deps, 'supervision time rules', tickTimeRules),
};

export { reviewUpdate, saveProject, submitUpdate } from './projects.ts';
// For the demo and scripts: the same use cases the routes call.
export { createTask, stepTask, uploadTaskPhoto } from './tasks.ts';
export { applyTimeRules, tickTimeRules } from './time-rules.ts';
export { createVisit } from './visits.ts';
