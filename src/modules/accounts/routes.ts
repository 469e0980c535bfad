import type { App, RouteDeps } from '../../platform/http/app.ts';
import { authRoutes } from './routes/auth.ts';
import { unitRoutes } from './routes/units.ts';
import { userRoutes } from './routes/users.ts';

export function registerAccountRoutes(app: App, deps: RouteDeps): void {
  authRoutes(app, deps);
  userRoutes(app);
  unitRoutes(app);
}
