import type { App } from '../../platform/http/app.ts';
import { indicatorExcelRoutes } from './routes/excel.ts';
import { indicatorRoutes } from './routes/indicators.ts';

export function registerIndicatorRoutes(app: App): void {
  // The Excel routes first: their static paths must not be shadowed by parametric ones.
  indicatorExcelRoutes(app);
  indicatorRoutes(app);
}
