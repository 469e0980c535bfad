// Fresh, migrated databases for tests: one per call, on either storage. Every storage-touching test
// runs on both (`describe.each(dbKinds)`), so a dialect difference shows up as a failing test.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, inject, it } from 'vitest';
import { type Database, type DbKind, openDatabase } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/server/migrations.ts';
import './context.ts';

export type { DbKind } from '../../src/platform/db/database.ts';

/**
 * The databases this run covers: both by default (`npm test`); `DIALECTS=sqlite` (or `postgres`)
 * narrows a quick local run to one. Tests that need a particular database use `onDialect`.
 */
export const dbKinds: DbKind[] = selectedDialects(process.env.DIALECTS);

export function selectedDialects(value: string | undefined): DbKind[] {
  const all: DbKind[] = ['sqlite', 'postgres'];
  if (!value?.trim()) return all;
  const asked = value.split(',').map((v) => v.trim().toLowerCase());
  const unknown = asked.filter((v) => !all.includes(v as DbKind));
  if (unknown.length > 0)
    throw new Error(`DIALECTS: unknown ${unknown.join(', ')} (use sqlite, postgres or both)`);
  return all.filter((k) => asked.includes(k));
}

/**
 * `describe` for a suite that only makes sense on one database (two processes on PostgreSQL, SQLite
 * statement caching). Left out of a DIALECTS run without that database, saying so once.
 */
export function onDialect(kind: DbKind): typeof describe | typeof describe.skip {
  if (dbKinds.includes(kind)) return describe;
  announceSkip(kind);
  return describe.skip;
}

/** `it` for one test that only makes sense on one database; see onDialect. */
export function itOnDialect(kind: DbKind): typeof it | typeof it.skip {
  if (dbKinds.includes(kind)) return it;
  announceSkip(kind);
  return it.skip;
}

const announced = new Set<DbKind>();
function announceSkip(kind: DbKind): void {
  if (announced.has(kind)) return;
  announced.add(kind);
  console.log(`DIALECTS=${process.env.DIALECTS}: ${kind}-only suites of this file are skipped`);
}

export interface TestDatabase extends Database {
  /** Closes this handle and deletes the database. */
  drop(): Promise<void>;
  /** Opens a second, independent handle on the same database (the caller closes it). */
  reopen(): Database;
  /** postgres://… of this database, or the SQLite file. */
  location: string;
}

/** The PostgreSQL superuser URL given by the integration project's global setup. */
export function pgAdminUrl(): string {
  let url: string | null | undefined;
  let error: string | null | undefined;
  try {
    url = inject('pgAdminUrl');
    error = inject('pgError');
  } catch {
    url = undefined;
  }
  if (error) throw new Error(error);
  url ||= process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'No PostgreSQL for this test: run it in the "integration" project (its global setup starts one) ' +
        'or set TEST_DATABASE_URL.',
    );
  }
  return url;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgAdminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Drops a test database once its connections are gone. A closed pool's sockets can outlive the
 * close() promise by a moment; terminating them (WITH FORCE) would surface as an uncaught error in
 * that pool, so FORCE is only the last resort, for handles a test forgot to close.
 */
async function dropPgDatabase(name: string): Promise<void> {
  await withAdmin(async (c) => {
    const deadline = Date.now() + 5_000;
    for (;;) {
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
        return;
      } catch (e) {
        // 55006: "database is being accessed by other users".
        if ((e as { code?: string }).code !== '55006') throw e;
        if (Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}

export async function createTestDatabase(kind: DbKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'shaipin-test-'));
    const file = join(dir, 'test.db');
    const open = () => openDatabase({ sqliteFile: file });
    const database = open();
    await migrateToLatest(database.db);
    const close = once(database.close);
    return {
      ...database,
      location: file,
      close,
      reopen: open,
      drop: once(async () => {
        await close();
        rmSync(dir, { recursive: true, force: true });
      }),
    };
  }

  const name = `t_${randomBytes(8).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(pgAdminUrl());
  url.pathname = `/${name}`;
  const location = url.toString();
  // A small pool: many test databases live at once across the workers.
  const open = () => openDatabase({ databaseUrl: location, poolSize: 5 });
  const database = open();
  const close = once(database.close);
  try {
    await migrateToLatest(database.db);
  } catch (e) {
    await close();
    await dropPgDatabase(name);
    throw e;
  }
  return {
    ...database,
    location,
    close,
    reopen: open,
    drop: once(async () => {
      await close();
      await dropPgDatabase(name);
    }),
  };
}
