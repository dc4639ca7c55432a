import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { DatabaseInUseError, DatabaseUnavailableError } from './database-errors.ts';
import type { Database } from './schema.ts';
import { SerialQueue } from './serial.ts';
import { migrations } from './migrations/index.ts';

export type Tx = Transaction<Database>;

/**
 * An open database: PGlite (embedded, default) or PostgreSQL (when a URL is given). This is the only place
 * that knows which one runs; everything else uses `transaction()`.
 */
export interface OpenDatabase {
  kind: 'pglite' | 'postgres';
  db: Kysely<Database>;
  /** Runs `work` in one transaction (committed if it resolves, rolled back if it throws). */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** The PGlite instance when embedded (for dumps). */
  pglite?: PGlite;
  /**
   * Calls `onNotify` for every notification on `channel` (sent with pg_notify, delivered at commit) until the
   * returned function is called. On PostgreSQL this holds a connection of its own, outside the pool; if it is
   * lost, `onLost` is told (once) and nothing more arrives: listen again (services/keep-listening.ts). On
   * PGlite the listen is in-process and is never lost.
   */
  listen(channel: string, onNotify: () => void, onLost?: (error: Error) => void): Promise<() => Promise<void>>;
  /**
   * Makes rows deleted or overwritten in these tables unreadable in the database's own files (dead row
   * versions, the write-ahead log), outside any transaction. Embedded only: PGlite's files are in the data dir
   * the server answers for. A PostgreSQL server's files are its operator's (docs/security.md), so there it does
   * nothing.
   */
  reclaimDeleted(tables: (keyof Database)[]): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent the embedded database in `dataDir/pglite` is used. */
  databaseUrl?: string;
  dataDir: string;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.maxConnections ?? 10 });
    // An idle connection that the server closes (restart, failover) is dropped from the pool and replaced on
    // the next query; without a listener its 'error' event would crash the process.
    pool.on('error', () => undefined);
    // Fail at start with a clear message instead of at the first request.
    await checkPostgres(options.databaseUrl).catch(async (error: unknown) => {
      await pool.end();
      throw error;
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      kind: 'postgres',
      db,
      transaction: (work) => db.transaction().execute(work),
      listen: async (channel, onNotify, onLost = () => undefined) => {
        const client = new pg.Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
        // Told once, whether the connection fails with an error or is closed by the server without one.
        let done = false;
        const lost = (error: Error) => {
          if (done) return;
          done = true;
          onLost(error);
        };
        client.on('error', lost);
        client.on('end', () => lost(new Error('the listening connection was closed')));
        client.on('notification', (message) => {
          if (message.channel === channel) onNotify();
        });
        try {
          await client.connect();
          await client.query(`listen ${client.escapeIdentifier(channel)}`);
        } catch (error) {
          done = true;
          await client.end().catch(() => undefined);
          throw error;
        }
        return () => {
          done = true;
          return client.end();
        };
      },
      reclaimDeleted: async () => undefined,
      close: () => db.destroy(),
    };
  }
  const unavailable = (error: unknown) =>
    new DatabaseUnavailableError(
      `Cannot open the embedded database in ${options.dataDir} (TAKEDOWN_DATA_DIR): ${reasonOf(error)}. ` +
        'Check that this user can create and write that folder, or set DATABASE_URL to use PostgreSQL.',
      { cause: error },
    );
  let releaseLock: () => void;
  try {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    keepPrivate(options.dataDir);
    releaseLock = lockDataDir(options.dataDir);
  } catch (error) {
    throw error instanceof DatabaseInUseError ? error : unavailable(error);
  }
  const pglite = new PGlite(join(options.dataDir, 'pglite'));
  await pglite.waitReady.catch((error: unknown) => {
    releaseLock();
    throw unavailable(error);
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  const queue = new SerialQueue();
  return {
    kind: 'pglite',
    db,
    pglite,
    transaction: (work) => queue.run(() => db.transaction().execute(work)),
    // In the queue: LISTEN run inside another caller's open transaction would end with it.
    listen: (channel, onNotify) => queue.run(() => pglite.listen(channel, () => onNotify())),
    reclaimDeleted: (tables) => queue.run(() => reclaimPgliteFiles(pglite, tables)),
    close: () => queue.run(() => db.destroy()).finally(releaseLock),
  };
}

export { DatabaseInUseError, DatabaseUnavailableError };

/**
 * VACUUM FULL writes each table afresh and deletes its old files (a plain VACUUM leaves old row bytes in the
 * pages); then the write-ahead log moves to a new, zero-filled segment and two checkpoints delete the old ones
 * (not recycled: a recycled segment keeps its old bytes until overwritten).
 */
async function reclaimPgliteFiles(pglite: PGlite, tables: string[]): Promise<void> {
  for (const table of tables) await pglite.exec(`vacuum full ${table}`);
  await pglite.exec('set wal_recycle = off');
  await pglite.query('select pg_switch_wal()');
  await pglite.exec('checkpoint');
  await pglite.exec('checkpoint');
}

/** How long the start-up check waits for PostgreSQL to answer (a dropped packet would otherwise wait forever). */
const CONNECT_TIMEOUT_MS = 10_000;

/** Connects once with a client of its own, so that a refusal is reported at start in one clear line. */
async function checkPostgres(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseUnavailableError(
      `Cannot connect to PostgreSQL at ${describePostgres(databaseUrl)} (DATABASE_URL): ${reasonOf(error)}. ` +
        'Check that PostgreSQL runs there and accepts this user, password and database, or unset DATABASE_URL to use the embedded database.',
      { cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Which store these options name, for a person: never the user or password. */
export function describeStore(options: DatabaseOptions): string {
  return options.databaseUrl ? `PostgreSQL at ${describePostgres(options.databaseUrl)}` : `the embedded database in ${resolve(options.dataDir)}`;
}

/** Whether an embedded database was ever created in this data dir (PostgreSQL writes PG_VERSION first). */
export function embeddedDatabaseExists(dataDir: string): boolean {
  return existsSync(join(dataDir, 'pglite', 'PG_VERSION'));
}

/** The names of the migrations this code knows, in order (a restore refuses a backup with others). */
export const knownMigrations: readonly string[] = migrations.map((m) => m.name);

/** Whether takedown's tables are in this database (a migration ran there once). */
export async function hasTakedownSchema(database: OpenDatabase): Promise<boolean> {
  const found = await database.transaction((tx) => sql<{ name: string | null }>`select to_regclass('schema_migrations')::text as name`.execute(tx));
  return found.rows[0]?.name != null;
}

/** Host, port and database of a connection string; never the user or password. */
function describePostgres(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname.length > 1 ? url.pathname : ''}`;
  } catch {
    return 'the given address';
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'no answer',
  EHOSTUNREACH: 'host unreachable',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ENOTDIR: 'a file is in the way of the folder',
};

/** The reason in a few words: Node's network errors may carry only a code (an AggregateError has no message). */
function reasonOf(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code && REASONS[code]) return REASONS[code];
  const text = (message ?? '').trim() || code || String(error);
  // pg reports a timeout as "Connection terminated due to connection timeout".
  return /timeout/i.test(text) ? 'no answer' : text.replace(/\.$/, '');
}

/**
 * PGlite is one process's database: two processes writing the same files corrupt it. A lock file with the
 * owner's pid keeps a second one out; a lock left by a process that died (kill -9) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new DatabaseInUseError(`The embedded database in ${dataDir} is in use by process ${owner}. Stop the server first, or set DATABASE_URL to use PostgreSQL.`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new DatabaseInUseError(`Could not lock the embedded database in ${dataDir}.`);
}

/**
 * The embedded database's files are for this user only: the data dir 0700, and everything PGlite writes 0600
 * (folders 0700), now and later. PGlite creates its files with the process's umask, so the umask is narrowed
 * to 077 (in a worker thread, where the umask cannot be set, the modes of existing files are still narrowed).
 */
function keepPrivate(dataDir: string): void {
  try {
    process.umask(0o077);
  } catch {
    // ERR_WORKER_UNSUPPORTED_OPERATION: only the main thread sets the umask.
  }
  const narrow = (path: string, mode: number) => {
    try {
      if ((statSync(path).mode & 0o777 & ~mode) !== 0) chmodSync(path, mode);
    } catch {
      // not ours to change (another owner): the operator's choice
    }
  };
  narrow(dataDir, 0o700);
  for (const entry of readdirSync(dataDir, { withFileTypes: true, recursive: true })) {
    narrow(join(entry.parentPath, entry.name), entry.isDirectory() ? 0o700 : 0o600);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Applies the migrations not applied yet, each in its own transaction, under a lock so two starts can't race.
 * `only` limits them to these names (a restore first builds the schema its backup was taken with).
 */
export async function migrate(database: OpenDatabase, only?: readonly string[]): Promise<string[]> {
  const applied: string[] = [];
  await database.transaction(async (tx) => {
    await sql`select pg_advisory_xact_lock(74657301)`.execute(tx);
    await sql`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null)`.execute(tx);
  });
  for (const migration of migrations) {
    if (only && !only.includes(migration.name)) continue;
    await database.transaction(async (tx) => {
      await sql`select pg_advisory_xact_lock(74657301)`.execute(tx);
      const done = await tx.selectFrom('schema_migrations').select('name').where('name', '=', migration.name).executeTakeFirst();
      if (done) return;
      // One statement per query: PGlite's extended protocol runs a single statement at a time.
      for (const statement of migration.statements) await sql.raw(statement).execute(tx);
      await tx.insertInto('schema_migrations').values({ name: migration.name, applied_at: new Date() }).execute();
      applied.push(migration.name);
    });
  }
  return applied;
}
