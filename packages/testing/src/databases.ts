import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { builtOnce, postgresTemplateName, testRun } from './run-templates.ts';

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

/**
 * Creates a PostgreSQL database with a unique name, empty or a copy of `template` (a database nobody is
 * connected to); throws with a clear message when PostgreSQL is down.
 */
export async function createPostgresDatabase(template?: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `takedown_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = await connectAdmin();
  try {
    await admin.query(template ? `create database ${name} template ${template}` : `create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = postgresUrl(name);
  return {
    url,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

async function connectAdmin(): Promise<pg.Client> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is required for these tests and is not reachable at ${POSTGRES_ADMIN_URL}: ${(error as Error).message}`, { cause: error });
  }
  return admin;
}

function postgresUrl(database: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** What a backend needs to open one: the server's openDatabase + migrate (kept out, so this package needs no server). */
export type OpenTestDatabase<D> = (options: { databaseUrl?: string; dataDir: string }) => Promise<D>;

/**
 * The two databases every store test runs on: embedded PGlite in a temporary data dir, and a fresh PostgreSQL
 * database. `open` opens and migrates one; `drop` closes it and deletes everything.
 *
 * `template` names what `open` makes (the same name for the same schema): within a test run, it is made once on
 * each backend, and each `create` copies it (the PGlite data dir; `create database … template` on PostgreSQL)
 * before `open` opens the copy and finds nothing left to migrate. Without a name, or outside a run, each `create`
 * starts from an empty database.
 */
export function testBackends<D extends { close(): Promise<void> }>(open: OpenTestDatabase<D>, template?: string): TestBackend<D>[] {
  if (template !== undefined && !/^[a-z0-9_]{1,20}$/.test(template)) throw new Error(`A template's name is lower-case letters, digits and _ (at most 20): ${template}`);
  return [
    {
      name: 'pglite',
      async create() {
        const dataDir = mkdtempSync(join(tmpdir(), 'takedown-test-'));
        if (template) await copyPgliteTemplate(template, open, dataDir);
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
        const created = await createPostgresDatabase(template ? await postgresTemplate(template, open) : undefined);
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

/**
 * Copies the run's PGlite data dir made by `open` under `template` into `dataDir` (as its `pglite` folder, where
 * the server keeps it); false outside a test run (nothing copied).
 */
export async function copyPgliteTemplate<D extends { close(): Promise<void> }>(template: string, open: OpenTestDatabase<D>, dataDir: string): Promise<boolean> {
  const folder = await builtOnce(`pglite-${template}`, async (into) => {
    const database = await open({ dataDir: into });
    // Closed cleanly: a copy starts without recovery.
    await database.close();
    rmSync(join(into, 'pglite.lock'), { force: true });
  });
  if (!folder) return false;
  cpSync(join(folder, 'pglite'), join(dataDir, 'pglite'), { recursive: true });
  return true;
}

/** The run's PostgreSQL template database made by `open` under `template`; undefined outside a test run. */
async function postgresTemplate<D extends { close(): Promise<void> }>(template: string, open: OpenTestDatabase<D>): Promise<string | undefined> {
  const run = testRun();
  if (!run) return undefined;
  const name = postgresTemplateName(run, template);
  // The folder only marks that the database is made; the lock around building it is the folder's.
  await builtOnce(`postgres-${template}`, async (into) => {
    const admin = await connectAdmin();
    try {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
      const database = await open({ databaseUrl: postgresUrl(name), dataDir: into });
      await database.close();
      // No connection may stay open on a template while it is copied.
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
    } finally {
      await admin.end();
    }
  });
  return name;
}
