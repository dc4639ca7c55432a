import { testBackends, type TestDatabase as AnyTestDatabase } from '@takedown/testing/databases';
import { migrate, openDatabase, type OpenDatabase } from '../../src/store/database.ts';

export type TestDatabase = AnyTestDatabase<OpenDatabase>;

/** PGlite and PostgreSQL, each opened and migrated as the server does at start. */
export const backends = testBackends(async (options) => {
  const database = await openDatabase(options);
  await migrate(database);
  return database;
});
