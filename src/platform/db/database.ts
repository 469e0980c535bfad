// The one place where storage is chosen: PostgreSQL when a URL is given, else embedded SQLite.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely';
import pg from 'pg';
import { type LiveBus, localBus, postgresBus } from '../live-bus.ts';
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
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      Client: NamedStatementClient,
    });
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
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
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

/** How many distinct SQL texts keep a prepared statement (per SQLite handle / per process on PostgreSQL). */
export const STATEMENT_CACHE_SIZE = 1000;

/**
 * Kysely prepares every query anew; on the scoring hot path that was ~15% of the server's CPU
 * (docs/performance.md). This hands Kysely a view of the better-sqlite3 handle whose `prepare`
 * reuses statements by SQL text (least recently used dropped beyond STATEMENT_CACHE_SIZE). SQLite
 * re-prepares a reused statement by itself when the schema changed. Iteration gets a fresh
 * statement: a better-sqlite3 statement being iterated cannot run anything else meanwhile.
 */
export function cachingStatements(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  const statementFor = (sql: string): SQLite.Statement => {
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql);
    } else {
      statement = sqlite.prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
    }
    cache.set(sql, statement);
    return statement;
  };
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (sql: string): SqliteStatement => {
      const statement = statementFor(sql);
      return {
        reader: statement.reader,
        all: (parameters) => statement.all(...parameters),
        run: (parameters) => statement.run(...parameters),
        iterate: (parameters) => sqlite.prepare(sql).iterate(...parameters),
      };
    },
  };
}

const statementNames = new Map<string, string>();
const NAMED_STATEMENT = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * The PostgreSQL name of a query's statement, or undefined to send it unnamed. Kysely sends every
 * query unnamed, so PostgreSQL parses and plans it again each time; naming the data statements lets
 * each connection do that once (pg remembers per connection which names it has prepared). Only data
 * statements with parameters are named, and at most STATEMENT_CACHE_SIZE distinct texts per process
 * (texts vary with the length of IN lists and multi-row inserts); the rest stay unnamed.
 * A prepared plan outlives a change of the tables it reads ("cached plan must not change result
 * type"): after a schema migration every server process is restarted, as any upgrade does anyway.
 */
export function statementName(sql: string): string | undefined {
  const known = statementNames.get(sql);
  if (known !== undefined) return known;
  if (statementNames.size >= STATEMENT_CACHE_SIZE || !NAMED_STATEMENT.test(sql)) return undefined;
  const name = `shaipin_${statementNames.size + 1}`;
  statementNames.set(sql, name);
  return name;
}

/** A pg client that sends Kysely's parameterized data statements as named prepared statements. */
class NamedStatementClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() is heavily overloaded; this forwards it.
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const name = statementName(config);
      if (name !== undefined) return super.query({ name, text: config, values }, callback);
    }
    return super.query(config, values, callback);
  }
}

/**
 * Whether the database locks rows for a worker (SELECT … FOR UPDATE SKIP LOCKED). PostgreSQL does,
 * and several processes share it; SQLite serializes every write transaction of its one process.
 */
export const locksRows = (kind: DbKind): boolean => kind === 'postgres';
