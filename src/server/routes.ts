import { authRoutes } from '../modules/accounts/routes/auth.ts';
import { unitRoutes } from '../modules/accounts/routes/units.ts';
import { userRoutes } from '../modules/accounts/routes/users.ts';
import { eventDayRoutes } from '../modules/event/routes/event-day.ts';
import { eventRoutes } from '../modules/event/routes/events.ts';
import { resultsRoutes } from '../modules/event/routes/results.ts';
import { scoringRoutes } from '../modules/event/routes/scoring.ts';
import { indicatorExcelRoutes } from '../modules/indicators/routes/excel.ts';
import { indicatorRoutes } from '../modules/indicators/routes/indicators.ts';
import type { App } from './app.ts';

export interface RouteDeps {
  cookie: { secure: boolean };
  loginRateLimit: number;
}

/** Every route group of the API. Each route: validate (Zod) → one use case (which authorizes) → reply. */
export function registerRoutes(app: App, deps: RouteDeps): void {
  authRoutes(app, deps);
  userRoutes(app);
  unitRoutes(app);
  eventRoutes(app);
  resultsRoutes(app);
  scoringRoutes(app);
  eventDayRoutes(app, deps);
  indicatorExcelRoutes(app);
  indicatorRoutes(app);
}
