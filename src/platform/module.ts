// What a part of the product hands the server: its migrations and its routes. Each module's index.ts
// exports one of these; src/server/modules.ts lists them.
import type { Migration } from 'kysely';
import type { App, RouteDeps } from './http/app.ts';

export interface ProductModule {
  name: string;
  /** `<UTC timestamp>_<module>_<what>` → migration; forward-only (src/platform/db/migrate.ts). */
  migrations: Readonly<Record<string, Migration>>;
  /** Registers the module's HTTP routes. Each route: validate (Zod) → one use case → reply. */
  registerRoutes(app: App, deps: RouteDeps): void;
}
