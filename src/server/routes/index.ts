import type { App } from '../app.ts';
import { authRoutes } from './auth.ts';
import { eventDayRoutes } from './event-day.ts';
import { eventRoutes } from './events.ts';
import { indicatorExcelRoutes } from './indicator-excel.ts';
import { indicatorRoutes } from './indicators.ts';
import { resultsRoutes } from './results.ts';
import { scoringRoutes } from './scoring.ts';
import { unitRoutes } from './units.ts';
import { userRoutes } from './users.ts';

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
