// The start-up check behind listening on loopback only: which demo accounts still sign in with the
// password the README publishes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccountsWithPublishedPasswords, seedDemo } from '../../src/demo/seed.ts';
import { hashPassword } from '../../src/modules/accounts/index.ts';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db.ts';
import { TEST_LINK_KEY } from '../support/factory.ts';

describe.each(dbKinds)('demo accounts with published passwords on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database.drop());

  it('none on an empty database; all four after the demo is loaded; fewer as passwords are changed', async () => {
    expect(await demoAccountsWithPublishedPasswords(database.db)).toEqual([]);
    await seedDemo(database, TEST_LINK_KEY);
    expect(await demoAccountsWithPublishedPasswords(database.db)).toEqual([
      'admin',
      'dongcheng',
      'leader',
      'observer',
    ]);
    await database.db
      .updateTable('users')
      .set({ password_hash: await hashPassword('A-private-one-2023') })
      .where('username', '=', 'admin')
      .execute();
    await database.db.updateTable('users').set({ disabled: 1 }).where('username', '=', 'observer').execute();
    expect(await demoAccountsWithPublishedPasswords(database.db)).toEqual(['dongcheng', 'leader']);
  });
});
