// An installed server upgrades: a database made before the modules had their own migrations (names
// 0001_init … 0004_indicator_indexes) is rewritten to the module migrations once, keeps its data and
// ends with the same tables, columns and indexes as a new one.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/platform/db/database.ts';
import { migrateToLatest as runMigrations } from '../../src/platform/db/migrate.ts';
import type { DB } from '../../src/platform/db/schema.ts';
import { tokenDigest } from '../../src/platform/link-tokens.ts';
import { buildApp } from '../../src/server/app.ts';
import { collectMigrations, migrateToLatest, migrationPlan } from '../../src/server/migrations.ts';
import { createTestDatabase, dbKinds, itOnDialect } from '../support/db.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

/** The four releases as main recorded them, each running the module migrations that now hold its statements. */
function releasedMigrations(): Record<string, Migration> {
  const all = migrationPlan.migrations;
  const released: Record<string, Migration> = {};
  for (const [old, names] of Object.entries(migrationPlan.renamed)) {
    released[old] = {
      up: async (db) => {
        for (const n of names) await all[n]!.up(db);
      },
    };
  }
  return released;
}

/** The migrations written after the first releases: an upgraded database applies exactly these. */
function newerThanTheReleases(): string[] {
  const released = new Set(Object.values(migrationPlan.renamed).flat());
  return Object.keys(migrationPlan.migrations)
    .filter((n) => !released.has(n))
    .sort();
}

async function schemaOf(db: Kysely<DB>, kind: 'sqlite' | 'postgres'): Promise<string[]> {
  if (kind === 'sqlite') {
    const rows = await sql<{ type: string; name: string; sql: string | null }>`
      select type, name, sql from sqlite_master where name not like 'sqlite_%' and name not like 'kysely_%'`.execute(
      db,
    );
    return rows.rows.map((r) => `${r.type} ${r.name} ${r.sql ?? ''}`).sort();
  }
  const columns = await sql<{ t: string; c: string; d: string; n: string; def: string | null }>`
    select table_name as t, column_name as c, data_type as d, is_nullable as n, column_default as def
    from information_schema.columns where table_schema = 'public' and table_name not like 'kysely_%'`.execute(
    db,
  );
  const indexes = await sql<{ i: string; def: string }>`
    select indexname as i, indexdef as def from pg_indexes where schemaname = 'public' and tablename not like 'kysely_%'`.execute(
    db,
  );
  return [
    ...columns.rows.map((r) => `column ${r.t}.${r.c} ${r.d} ${r.n} ${r.def ?? ''}`),
    ...indexes.rows.map((r) => `index ${r.i} ${r.def}`),
  ].sort();
}

describe.each(dbKinds)('upgrading a database of the first releases on %s', (kind) => {
  it('renames the released migrations once, applies nothing twice and ends with the schema of a new database', async () => {
    const old = await createTestDatabase(kind);
    const fresh = await createTestDatabase(kind);
    try {
      // createTestDatabase migrated it with today's names: start over as the releases did.
      await sql`drop table kysely_migration`.execute(old.db);
      await sql`drop table kysely_migration_lock`.execute(old.db);
      for (const table of (await old.db.introspection.getTables()).map((t) => t.name)) {
        await sql`drop table ${sql.table(table)}${sql.raw(kind === 'postgres' ? ' cascade' : '')}`.execute(
          old.db,
        );
      }
      const migrator = new Migrator({
        db: old.db,
        provider: { getMigrations: async () => releasedMigrations() },
      });
      const released = await migrator.migrateToLatest();
      expect(released.error).toBeUndefined();
      await old.db
        .insertInto('tracks')
        .values({ id: 't-kept', name_zh: '镇街组', name_en: 'Towns', sort: 1 })
        .execute();

      expect(await migrateToLatest(old.db)).toEqual(newerThanTheReleases());
      const names = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        old.db,
      );
      expect(names.rows.map((r) => r.name)).toEqual(Object.keys(migrationPlan.migrations).sort());
      expect(await schemaOf(old.db, kind)).toEqual(await schemaOf(fresh.db, kind));
      const kept = await old.db.selectFrom('tracks').select('name_zh').where('id', '=', 't-kept').execute();
      expect(kept).toEqual([{ name_zh: '镇街组' }]);
      // A second start changes nothing.
      expect(await migrateToLatest(old.db)).toEqual([]);
      const again = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        old.db,
      );
      expect(again.rows).toEqual(names.rows);
    } finally {
      await old.drop();
      await fresh.drop();
    }
  });

  it('runs a pending migration that sorts before one already applied (features merged in either order)', async () => {
    const d = await createTestDatabase(kind);
    try {
      const ran: string[] = [];
      const plan = {
        renamed: {},
        migrations: {
          ...migrationPlan.migrations,
          '29990101000000_b_later': { up: async () => void ran.push('b') },
        },
      };
      expect(await runMigrations(d.db, plan)).toEqual(['29990101000000_b_later']);
      const merged = {
        ...plan.migrations,
        '29980101000000_a_merged_after': { up: async () => void ran.push('a') },
      };
      expect(await runMigrations(d.db, { renamed: {}, migrations: merged })).toEqual([
        '29980101000000_a_merged_after',
      ]);
      expect(ran).toEqual(['b', 'a']);
    } finally {
      await d.drop();
    }
  });
});

describe('migration names', () => {
  it('every name is `<14-digit UTC timestamp>_<module>_<what>` and no two modules claim one', () => {
    for (const name of Object.keys(migrationPlan.migrations))
      expect(name).toMatch(/^\d{14}_[a-z]+_[a-z0-9_]+$/);
    const m: Migration = { up: async () => {} };
    expect(() =>
      collectMigrations([
        { name: 'reports', migrations: { '20270101000000_x_init': m } },
        { name: 'supervision', migrations: { '20270101000000_x_init': m } },
      ]),
    ).toThrow(/claimed by both reports and supervision/);
  });
});

/** Drops what is stamped at read time (results carry computedAt), keeping everything read from the data. */
function withoutClock(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutClock);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'computedAt')
      .map(([k, v]) => [k, withoutClock(v)]),
  );
}

describe('a database file written by the release of 2026-11-27', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shaipin-upgrade-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  itOnDialect('sqlite')(
    'upgrades in place and serves the same events, results, units, indicators and audit',
    async () => {
      const file = join(dir, 'shaipin.db');
      writeFileSync(file, gunzipSync(readFileSync(join(fixtures, 'main-2026-11-27.sqlite.gz'))));
      const expected = JSON.parse(
        readFileSync(join(fixtures, 'main-2026-11-27.expected.json'), 'utf8'),
      ) as Record<string, unknown>;
      const database = openDatabase({ sqliteFile: file });
      try {
        // That release stored invite tokens as printed; they are digests now and keep signing in.
        const printed = await sql<{
          token: string;
        }>`select token from invites where revoked_at is null limit 1`.execute(database.db);
        const oldToken = printed.rows[0]!.token;
        expect(await migrateToLatest(database.db)).toEqual(newerThanTheReleases());
        const stored = await database.db.selectFrom('invites').select('token_hash').execute();
        expect(stored.map((r) => r.token_hash)).toContain(tokenDigest(oldToken));
        expect(stored.some((r) => r.token_hash === oldToken)).toBe(false);
        const app = await buildApp({ database, logger: false, publicUrl: 'http://shaipin.test' });
        try {
          const judge = await app.inject({
            method: 'POST',
            url: '/api/judge/session',
            payload: { token: oldToken },
          });
          expect(judge.statusCode).toBe(200);
          const login = await app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username: 'admin', password: 'shaipin-admin' },
          });
          expect(login.statusCode).toBe(200);
          const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
          for (const [url, body] of Object.entries(expected)) {
            const res = await app.inject({ method: 'GET', url, headers: { cookie } });
            expect(res.statusCode, url).toBe(200);
            // The same data; fields added to the API since then may come along.
            expect(withoutClock(res.json()), url).toMatchObject(withoutClock(body) as object);
          }
        } finally {
          await app.close();
        }
      } finally {
        await database.close();
      }
    },
  );
});
