import { testBackends, type TestDatabase as AnyTestDatabase } from '@takedown/testing/databases';
import { migrate, openDatabase, type OpenDatabase } from '../../src/store/database.ts';

export type TestDatabase = AnyTestDatabase<OpenDatabase>;

/**
 * PGlite and PostgreSQL, each opened and migrated as the server does at start (in a test run, a copy of one
 * migrated at the run's start: migrate then finds every migration applied).
 */
export const backends = testBackends(async (options) => {
  const database = await openDatabase(options);
  await migrate(database);
  return database;
}, 'migrated');
