import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase, testBackends, type TestDatabase as AnyTestDatabase } from '@takedown/testing/databases';
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

/** A database not yet migrated, and how to drop it: for tests of one migration over rows written before it. */
export interface UnmigratedStore {
  name: string;
  open(): Promise<{ database: OpenDatabase; drop(): Promise<void> }>;
}

/** PGlite and PostgreSQL, each opened empty (no migration run, no shared template). */
export const unmigratedStores: UnmigratedStore[] = [
  {
    name: 'pglite',
    async open() {
      const dataDir = mkdtempSync(join(tmpdir(), 'takedown-migration-'));
      const database = await openDatabase({ dataDir });
      return { database, drop: async () => { await database.close(); rmSync(dataDir, { recursive: true, force: true }); } };
    },
  },
  {
    name: 'postgres',
    async open() {
      const created = await createPostgresDatabase();
      const dataDir = mkdtempSync(join(tmpdir(), 'takedown-migration-'));
      const database = await openDatabase({ databaseUrl: created.url, dataDir });
      return { database, drop: async () => { await database.close(); await created.drop(); rmSync(dataDir, { recursive: true, force: true }); } };
    },
  },
];
