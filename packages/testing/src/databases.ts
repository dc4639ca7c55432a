import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the tests use (TAKEDOWN_TEST_POSTGRES_URL). Unreachable → the tests fail (never skip). */
export const POSTGRES_ADMIN_URL = process.env.TAKEDOWN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestBackend<D> {
  name: 'pglite' | 'postgres';
  /** Creates a fresh, migrated database. */
  create(): Promise<TestDatabase<D>>;
}

export interface TestDatabase<D> {
  database: D;
  /** DATABASE_URL for PostgreSQL, or the data dir for PGlite (to start the CLI or server on the same data). */
  databaseUrl?: string;
  dataDir: string;
  /** Closes and deletes the database. */
  drop(): Promise<void>;
}

/** Creates an empty PostgreSQL database with a unique name; throws with a clear message when PostgreSQL is down. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `takedown_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is required for these tests and is not reachable at ${POSTGRES_ADMIN_URL}: ${(error as Error).message}`, { cause: error });
  }
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** What a backend needs to open one: the server's openDatabase + migrate (kept out, so this package needs no server). */
export type OpenTestDatabase<D> = (options: { databaseUrl?: string; dataDir: string }) => Promise<D>;

/**
 * The two databases every store test runs on: embedded PGlite in a temporary data dir, and a fresh PostgreSQL
 * database. `open` opens and migrates one; `drop` closes it and deletes everything.
 */
export function testBackends<D extends { close(): Promise<void> }>(open: OpenTestDatabase<D>): TestBackend<D>[] {
  return [
    {
      name: 'pglite',
      async create() {
        const dataDir = mkdtempSync(join(tmpdir(), 'takedown-test-'));
        const database = await open({ dataDir });
        return {
          database,
          dataDir,
          async drop() {
            await database.close().catch(() => undefined);
            rmSync(dataDir, { recursive: true, force: true });
          },
        };
      },
    },
    {
      name: 'postgres',
      async create() {
        const dataDir = mkdtempSync(join(tmpdir(), 'takedown-test-'));
        const created = await createPostgresDatabase();
        const database = await open({ databaseUrl: created.url, dataDir });
        return {
          database,
          databaseUrl: created.url,
          dataDir,
          async drop() {
            await database.close().catch(() => undefined);
            await created.drop();
            rmSync(dataDir, { recursive: true, force: true });
          },
        };
      },
    },
  ];
}
