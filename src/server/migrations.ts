// Every migration of the product: the platform's and each module's, checked for clashing names.
import type { Kysely, Migration } from 'kysely';
import { type MigrationPlan, migrateToLatest as runMigrations } from '../platform/db/migrate.ts';
import { platformMigrations } from '../platform/db/migrations/index.ts';
import type { DB } from '../platform/db/schema.ts';
import type { ProductModule } from '../platform/module.ts';
import { productModules } from './modules.ts';

/** The names of the first releases, before each module had its own migrations. Never edit. */
const renamed: MigrationPlan['renamed'] = {
  '0001_init': [
    '20261126164815_accounts_init',
    '20261126164816_platform_audit_log',
    '20261126164817_event_init',
  ],
  '0002_event_day': ['20261126171223_event_day'],
  '0003_indicators': ['20261126172448_indicators_init'],
  '0004_indicator_indexes': ['20261127001748_indicators_indexes'],
};

/** Joins the migrations of the platform and the modules; two with one name are a programming error. */
export function collectMigrations(
  modules: readonly Pick<ProductModule, 'name' | 'migrations'>[],
): Record<string, Migration> {
  const all: Record<string, Migration> = {};
  const owner = new Map<string, string>();
  for (const m of [{ name: 'platform', migrations: platformMigrations }, ...modules]) {
    for (const [name, migration] of Object.entries(m.migrations)) {
      const other = owner.get(name);
      if (other) throw new Error(`migration ${name} is claimed by both ${other} and ${m.name}`);
      owner.set(name, m.name);
      all[name] = migration;
    }
  }
  return all;
}

export const migrationPlan: MigrationPlan = { migrations: collectMigrations(productModules), renamed };

/** Applies pending migrations of every module; refuses a diverged history. */
export function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  return runMigrations(db, migrationPlan);
}
