import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { migrateToLatest } from '../../src/storage/db.ts';
import { migrations } from '../../src/storage/migrations/index.ts';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db.ts';

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
    expect(recorded.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
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
});
