// What a part of the product hands the server: its migrations, its routes, and the work it does in
// the background (delivery, time rules). Each module's index.ts exports one of these;
// src/server/modules.ts lists them.
import type { Kysely, Migration } from 'kysely';
import type { DbKind } from './db/database.ts';
import type { DB } from './db/schema.ts';
import type { App, RouteDeps } from './http/app.ts';

/** What background work runs with: the database, the clock, and the server's keys and address. */
export interface BackgroundDeps {
  db: Kysely<DB>;
  dbKind: DbKind;
  clock: () => Date;
  linkKey: Buffer | undefined;
  publicUrl: string;
  /** Outgoing HTTP (robots); tests pass their own. */
  fetch: typeof fetch;
  /** How often each background loop looks for work. */
  intervalMs: number;
  /** How long a claimed piece of work is held before another process may take it over. */
  leaseMs?: number | undefined;
  logError: (what: string, e: unknown) => void;
}

export interface BackgroundJob {
  stop(): Promise<void>;
}

export interface ProductModule {
  name: string;
  /** `<UTC timestamp>_<module>_<what>` → migration; forward-only (src/platform/db/migrate.ts). */
  migrations: Readonly<Record<string, Migration>>;
  /** Registers the module's HTTP routes. Each route: validate (Zod) → one use case → reply. */
  registerRoutes(app: App, deps: RouteDeps): void;
  /** Starts the module's background loops, stopped when the server closes. */
  startBackground?(deps: BackgroundDeps): BackgroundJob;
}
