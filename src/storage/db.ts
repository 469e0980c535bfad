// The one place where storage is chosen: PostgreSQL when a URL is given, else embedded SQLite.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { AppError } from '../domain/errors.ts';
import { type LiveBus, localBus, postgresBus } from './live-bus.ts';
import { migrations } from './migrations/index.ts';
import type { DB } from './schema.ts';

export type DbKind = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  kind: DbKind;
  /** Change notifications for live updates, shared by every process on the same database. */
  bus: LiveBus;
  /** Closes the pool or file handle. */
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… selects PostgreSQL. */
  databaseUrl?: string | undefined;
  /** SQLite file used when no databaseUrl is given. */
  sqliteFile?: string | undefined;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

export function openDatabase(options: DatabaseOptions): Database {
  if (options.databaseUrl) {
    // Return BIGINT (count(*)) as numbers: our counts are far below 2^53.
    pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const bus = postgresBus(options.databaseUrl, pool);
    return {
      db,
      kind: 'postgres',
      bus,
      close: async () => {
        await bus.close();
        await db.destroy();
      },
    };
  }
  const file = options.sqliteFile ?? 'data/shaipin.db';
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL makes a committed transaction durable before we acknowledge it, even on power loss.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  const bus = localBus();
  return {
    db,
    kind: 'sqlite',
    bus,
    close: async () => {
      await bus.close();
      await db.destroy();
    },
  };
}

/**
 * Applies pending migrations. Refuses to run when the database has a migration this build does not
 * know (a diverged history): running on it could corrupt data.
 */
export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    throw new AppError('migration_history_diverged', {
      detail: error instanceof Error ? error.message : String(error),
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
