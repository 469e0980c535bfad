// The migration runner. Each module owns its migrations (src/modules/<module>/migrations/), named
// `<UTC timestamp>_<module>_<what>` so that two parts of the product written in parallel never claim
// the same name; src/server/migrations.ts lists them all. Forward-only: a database that records a
// migration this build does not know (a diverged history) is refused, since running on it could
// corrupt data. Pending migrations run in name order, also when one sorts before an applied one
// (a feature merged after another that was deployed first).
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { AppError } from '../../kernel/errors.ts';
import type { DB } from './schema.ts';

export interface MigrationPlan {
  migrations: Readonly<Record<string, Migration>>;
  /**
   * Names released before the modules had their own migrations, each with the module migrations
   * that now hold exactly its statements. A database that recorded an old name is rewritten to the
   * new names, once, before migrating.
   */
  renamed: Readonly<Record<string, readonly string[]>>;
}

/** Applies pending migrations; answers the names applied now. */
export async function migrateToLatest(db: Kysely<DB>, plan: MigrationPlan): Promise<string[]> {
  await renameReleased(db, plan.renamed);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...plan.migrations }) },
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    throw new AppError('migration_history_diverged', {
      detail: error instanceof Error ? error.message : String(error),
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

async function renameReleased(db: Kysely<DB>, renamed: MigrationPlan['renamed']): Promise<void> {
  const old = Object.keys(renamed);
  if (old.length === 0) return;
  let recorded: { name: string; timestamp: string }[];
  try {
    recorded = (
      await sql<{ name: string; timestamp: string }>`select name, timestamp from kysely_migration`.execute(db)
    ).rows.filter((r) => old.includes(r.name));
  } catch {
    return; // A new database: no migration table yet.
  }
  if (recorded.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const row of recorded) {
      // Several processes may start at once: only the one that deletes the old row writes the new ones.
      const deleted = await sql`delete from kysely_migration where name = ${row.name}`.execute(trx);
      if (Number(deleted.numAffectedRows ?? 0) === 0) continue;
      for (const name of renamed[row.name] ?? []) {
        await sql`insert into kysely_migration (name, timestamp) values (${name}, ${row.timestamp})`.execute(
          trx,
        );
      }
    }
  });
}
