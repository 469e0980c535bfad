import type { App, RouteDeps } from '../../platform/http/app.ts';
import { eventDayRoutes } from './routes/event-day.ts';
import { eventRoutes } from './routes/events.ts';
import { resultsRoutes } from './routes/results.ts';
import { scoringRoutes } from './routes/scoring.ts';

export function registerEventRoutes(app: App, deps: RouteDeps): void {
  eventRoutes(app);
  resultsRoutes(app);
  scoringRoutes(app);
  eventDayRoutes(app, deps);
}
