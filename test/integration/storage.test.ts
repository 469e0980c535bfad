import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/kernel/errors.ts';
import {
  cachingStatements,
  openDatabase,
  STATEMENT_CACHE_SIZE,
  statementName,
} from '../../src/platform/db/database.ts';
import { migrateToLatest, migrationPlan } from '../../src/server/migrations.ts';
import { createTestDatabase, dbKinds, itOnDialect, type TestDatabase } from '../support/db.ts';

describe.each(dbKinds)('storage on %s', (kind) => {
  const opened: TestDatabase[] = [];
  const fresh = async () => {
    const d = await createTestDatabase(kind);
    opened.push(d);
    return d;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((d) => d.drop()));
  });

  it('applies every migration once; running them again changes nothing', async () => {
    const d = await fresh();
    const recorded = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      d.db,
    );
    expect(recorded.rows.map((r) => r.name)).toEqual(Object.keys(migrationPlan.migrations).sort());
    expect(await migrateToLatest(d.db)).toEqual([]);
    expect(await migrateToLatest(d.db)).toEqual([]);
    const again = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(d.db);
    expect(again.rows).toEqual(recorded.rows);
  });

  it('refuses to migrate a database whose history has a migration this build does not know', async () => {
    const d = await fresh();
    await sql`insert into kysely_migration (name, timestamp) values (${'9999_from_a_newer_build'}, ${new Date().toISOString()})`.execute(
      d.db,
    );
    const err = await migrateToLatest(d.db).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('migration_history_diverged');
  });

  it('a committed write survives closing and reopening the database', async () => {
    const d = await fresh();
    const id = 'track-durable';
    await d.db.transaction().execute(async (trx) => {
      await trx.insertInto('tracks').values({ id, name_zh: '镇街组', name_en: 'Towns', sort: 1 }).execute();
    });
    await d.close();
    const again = d.reopen();
    try {
      expect(await migrateToLatest(again.db)).toEqual([]);
      const row = await again.db.selectFrom('tracks').selectAll().where('id', '=', id).executeTakeFirst();
      expect(row).toEqual({ id, name_zh: '镇街组', name_en: 'Towns', sort: 1 });
    } finally {
      await again.close();
    }
  });

  it('a transaction that fails leaves nothing behind', async () => {
    const d = await fresh();
    await expect(
      d.db.transaction().execute(async (trx) => {
        await trx.insertInto('tracks').values({ id: 'a', name_zh: '甲', name_en: '', sort: 0 }).execute();
        // Same unique name: the second insert fails and the whole transaction rolls back.
        await trx.insertInto('tracks').values({ id: 'b', name_zh: '甲', name_en: '', sort: 0 }).execute();
      }),
    ).rejects.toThrow();
    expect(await d.db.selectFrom('tracks').selectAll().execute()).toEqual([]);
  });

  it('reused statements give fresh results for new parameters, new rows and in transactions', async () => {
    const d = await fresh();
    for (let i = 0; i < 30; i++) {
      await d.db
        .insertInto('tracks')
        .values({ id: `t${i}`, name_zh: `组${i}`, name_en: '', sort: i })
        .execute();
      const count = await d.db
        .selectFrom('tracks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('sort', '<=', i)
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(i + 1);
    }
    await d.db.transaction().execute(async (trx) => {
      await trx.updateTable('tracks').set({ sort: 100 }).where('id', '=', 't0').execute();
      const row = await trx
        .selectFrom('tracks')
        .select('sort')
        .where('id', '=', 't0')
        .executeTakeFirstOrThrow();
      expect(row.sort).toBe(100);
    });
    const rows = await d.db.selectFrom('tracks').select('id').where('sort', '<=', 29).execute();
    expect(rows).toHaveLength(29);
  });
});

describe('statement reuse', () => {
  it('SQLite: one prepare per SQL text, least recently used dropped beyond the bound', () => {
    const raw = new SQLite(':memory:');
    const prepared: string[] = [];
    const prepare = raw.prepare.bind(raw);
    raw.prepare = ((text: string) => {
      prepared.push(text);
      return prepare(text);
    }) as typeof raw.prepare;
    const db = cachingStatements(raw);
    const first = 'select ? as v';
    expect(db.prepare(first).all([1])).toEqual([{ v: 1 }]);
    expect(db.prepare(first).all([2])).toEqual([{ v: 2 }]);
    expect(prepared.filter((t) => t === first)).toHaveLength(1);
    // Iterating uses its own statement, so the cached one can run while an iteration is open.
    const iterator = db.prepare(first).iterate([3]);
    expect(db.prepare(first).all([4])).toEqual([{ v: 4 }]);
    expect([...iterator]).toEqual([{ v: 3 }]);
    for (let i = 0; i < STATEMENT_CACHE_SIZE; i++) db.prepare(`select ${i} as v`).all([]);
    const before = prepared.filter((t) => t === first).length;
    db.prepare(first).all([5]);
    expect(prepared.filter((t) => t === first).length).toBe(before + 1);
    db.close();
  });

  it('PostgreSQL names only data statements, one name per text', () => {
    const select = `select 1 from tracks where id = $1 /* ${Math.random()} */`;
    const name = statementName(select);
    expect(name).toMatch(/^shaipin_\d+$/);
    expect(statementName(select)).toBe(name);
    expect(statementName(`${select} and 1 = 1`)).not.toBe(name);
    expect(statementName('create table x (id int)')).toBeUndefined();
  });

  itOnDialect('postgres')(
    'PostgreSQL: a connection prepares a data statement once and reuses it',
    async () => {
      const d = await createTestDatabase('postgres');
      const single = openDatabase({ databaseUrl: d.location, poolSize: 1 });
      try {
        for (const id of ['a', 'b', 'c']) {
          await single.db.selectFrom('tracks').select('id').where('id', '=', id).execute();
        }
        const prepared = await sql<{ name: string; statement: string }>`
        select name, statement from pg_prepared_statements`.execute(single.db);
        const ours = prepared.rows.filter((r) => r.statement.includes('from "tracks"'));
        expect(ours).toHaveLength(1);
        expect(ours[0]?.name).toMatch(/^shaipin_\d+$/);
      } finally {
        await single.close();
        await d.drop();
      }
    },
  );
});
