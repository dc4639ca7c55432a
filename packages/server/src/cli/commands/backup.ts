import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checksumOf, DamagedArchiveError, packArchive, unpackArchive } from '../../backup/archive.ts';
import { keyMismatch } from '../../backup/key-check.ts';
import { copyFile, KEY_FILE_IN_ARCHIVE, MANIFEST_FILE, tableFile, type BackupManifest } from '../../backup/manifest.ts';
import { loadConfig, type ServerConfig } from '../../config/config.ts';
import { keyFileOf, loadKeySet, writeKeyFile } from '../../config/master-key.ts';
import { sharedCopiesOf } from '../../config/shared-copies.ts';
import type { SharedCopies } from '../../media/shared-copies.ts';
import { deriveKeys, formatKeySet, hashKeysIdOf, parseKeySet, type KeySet } from '../../crypto/keys.ts';
import { formatAuditHead, verifyAuditChain } from '../../services/audit-verify.ts';
import { writeBackup } from '../../services/backup.ts';
import { clearDatabase, restoreCopies, restoreTables } from '../../services/restore.ts';
import { describeStore, embeddedDatabaseExists, hasTakedownSchema, knownMigrations, migrate, openDatabase, type OpenDatabase } from '../../store/database.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { withStore } from '../with-store.ts';

const backupHelp = `Usage: takedown backup <file> [--include-key]

Writes one archive (a gzipped tar) of the server's store: every table as of one moment (one REPEATABLE READ
snapshot, on PGlite and PostgreSQL alike), the shared copies that snapshot counts on (still encrypted), and a
manifest with the schema version, the audit log's head, the ids of the keys the data needs and a SHA-256 of
every file. Progress on stderr. It refuses a <file> that exists. With the embedded database, stop the server
first (PGlite is one process's database); PostgreSQL is backed up while the server runs.

The key is NOT in the archive unless --include-key: PII and copies in the archive are encrypted, so an archive
kept off-site or on a shared backup system reveals nothing on its own. Back the key up separately (a password
manager, a sealed envelope; see docs/backup-and-keys.md). --include-key puts it in, for a single file that
restores alone; such an archive must then be kept as secret as the key itself.`;

const restoreHelp = `Usage: takedown restore <file> [--force]

Restores an archive written by \`takedown backup\` into the configured store (TAKEDOWN_DATA_DIR, or
DATABASE_URL): the tables in one transaction, then the shared copies; then checks the audit log against the head
recorded in the backup. A backup of PGlite restores into PostgreSQL and the other way round.

The archive is checked whole first (every file's SHA-256): a damaged one is refused before anything is written.
The key: TAKEDOWN_SECRET_KEY, or the key file already in the data dir, or the one in the archive
(--include-key); it must be the one the data was encrypted with, else nothing is restored.
It restores only into an empty store (no embedded database in the data dir, no takedown tables in the
PostgreSQL database, no shared copies): --force deletes what is there first (every table and function of the
PostgreSQL schema; the data dir's database and copies, never its key).
Exit codes: 0 restored, 1 usage or settings, 2 the archive, key or target cannot be used (nothing changed).`;

const say = (message: string) => console.error(message);

/** A folder for the archive's files, private to this user, removed by `finally` in the caller. */
function privateFolder(near: string, prefix: string): string {
  mkdirSync(near, { recursive: true, mode: 0o700 });
  return mkdtempSync(join(near, prefix));
}

function keyText(config: ServerConfig): string {
  return formatKeySet(loadKeySet(config, { create: false }));
}

export const backupCommand: CliCommand = {
  help: backupHelp,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'include-key': { type: 'boolean', default: false } } });
    if (positionals.length !== 1) throw new UsageError('give the archive file to write, e.g. takedown backup takedown-2026-12-06.tar.gz');
    const file = resolve(positionals[0]!);
    if (existsSync(file)) {
      console.error(`takedown backup: ${file} already exists: give a new file name (a backup never overwrites one).`);
      return 2;
    }
    return withStore(async ({ config, database, keys }) => {
      const staging = privateFolder(dirname(file), '.takedown-backup-');
      try {
        const contents = await writeBackup(database, sharedCopiesOf(config, keys), staging, (message) => say(`backup: ${message}`));
        const names = [...contents.tables.map((t) => tableFile(t.name)), ...contents.copies.map(copyFile)];
        if (values['include-key']) {
          writeFileSync(join(staging, KEY_FILE_IN_ARCHIVE), keyText(config), { mode: 0o600 });
          names.push(KEY_FILE_IN_ARCHIVE);
        }
        const files: BackupManifest['files'] = {};
        for (const name of names) files[name] = await checksumOf(join(staging, name));
        const manifest: BackupManifest = {
          format: 'takedown-backup',
          version: 1,
          createdAt: new Date().toISOString(),
          source: database.kind,
          migrations: contents.migrations,
          tables: contents.tables,
          copies: contents.copies.length,
          keys: { needed: contents.keyIds, hashKeys: hashKeysIdOf(keys), included: values['include-key'] },
          auditHead: contents.auditHead,
          files,
        };
        writeFileSync(join(staging, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
        const partial = `${file}.partial`;
        await packArchive(staging, partial, manifest);
        chmodSync(partial, 0o600);
        renameSync(partial, file);
        const rows = contents.tables.reduce((sum, t) => sum + t.rows, 0);
        console.log(`Backup written to ${file}: ${contents.tables.length} tables, ${rows} rows, ${contents.copies.length} shared copies.`);
        if (contents.erasedMeanwhile > 0) console.log(`${contents.erasedMeanwhile} shared copies were erased (withdrawn) while the backup ran: they stay erased.`);
        if (contents.auditHead) console.log(`Audit head at the snapshot: ${formatAuditHead(contents.auditHead)}`);
        console.log(
          values['include-key']
            ? 'The key IS in this archive: keep the archive as secret as the key itself.'
            : `The key is NOT in this archive (keys needed: ${contents.keyIds.join(', ') || 'none'}). Keep a copy of ${config.secretKey ? 'TAKEDOWN_SECRET_KEY' : keyFileOf(config.dataDir)} somewhere else: without it the personal data in the backup cannot be read.`,
        );
        return 0;
      } finally {
        rmSync(staging, { recursive: true, force: true });
        rmSync(`${file}.partial`, { force: true });
      }
    });
  },
};

/** The keys to restore with, and whether they come from the archive (then they are written into the data dir). */
async function restoreKeys(config: ServerConfig, staging: string, manifest: BackupManifest): Promise<{ set: KeySet; fromArchive: boolean } | string> {
  if (config.secretKey || existsSync(keyFileOf(config.dataDir))) return { set: loadKeySet(config, { create: false }), fromArchive: false };
  if (!manifest.keys.included) {
    return `this backup holds no key (the default) and there is none in ${config.dataDir}: copy the secret.key kept with the backup into ${config.dataDir} (mode 0600), or set TAKEDOWN_SECRET_KEY, and restore again`;
  }
  const set = parseKeySet(await readFile(join(staging, KEY_FILE_IN_ARCHIVE), 'utf8'));
  return set ? { set, fromArchive: true } : 'the key in the archive cannot be read';
}

/** What is in the way of a restore into this store (an open database, or none when the data dir has none). */
async function occupied(config: ServerConfig, database: OpenDatabase | undefined, copies: SharedCopies): Promise<string | undefined> {
  if (database && (await hasTakedownSchema(database))) return `${describeStore(config)} already holds a takedown database`;
  const held = (await copies.itemIds()).length;
  if (held > 0) return `${join(config.dataDir, 'media')} already holds ${held} shared copies`;
  return undefined;
}

export const restoreCommand: CliCommand = {
  help: restoreHelp,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean', default: false } } });
    if (positionals.length !== 1) throw new UsageError('give the archive file to restore, as written by takedown backup.');
    const file = resolve(positionals[0]!);
    if (!existsSync(file)) {
      console.error(`takedown restore: ${file} does not exist.`);
      return 2;
    }
    const config = loadConfig(process.env);
    const refuse = (message: string) => {
      console.error(`takedown restore: ${message.replace(/\.$/, '')}. Nothing was changed.`);
      return 2;
    };
    const staging = privateFolder(config.dataDir, '.restore-');
    let database: OpenDatabase | undefined;
    try {
      say(`restore: checking ${file}`);
      const manifest = await unpackArchive(file, staging);
      const unknown = manifest.migrations.filter((name) => !knownMigrations.includes(name));
      if (unknown.length > 0) return refuse(`the backup was made by a newer takedown (schema ${unknown.join(', ')}): restore it with that version or a later one`);
      const keys = await restoreKeys(config, staging, manifest);
      if (typeof keys === 'string') return refuse(keys);
      const mismatch = keyMismatch(manifest, keys.set);
      if (mismatch) return refuse(`wrong key: ${mismatch}`);
      const copies = sharedCopiesOf(config, deriveKeys(keys.set));
      // Opened first (PGlite: when there is one) so that a server using it stops the restore before anything goes.
      if (config.databaseUrl || embeddedDatabaseExists(config.dataDir)) database = await openDatabase(config);
      const inTheWay = await occupied(config, database, copies);
      if (inTheWay && !values.force) return refuse(`${inTheWay}: restore into an empty one, or add --force to delete it first`);
      say(`restore: into ${describeStore(config)}`);
      if (inTheWay) {
        if (database) await clearDatabase(database);
        rmSync(join(config.dataDir, 'media'), { recursive: true, force: true });
      }
      if (keys.fromArchive) writeKeyFile(config.dataDir, keys.set);
      database ??= await openDatabase(config);
      try {
        await migrate(database, manifest.migrations);
        await restoreTables(database, staging, manifest, (message) => say(`restore: ${message}`));
        await migrate(database);
      } catch (error) {
        // Back to empty, as it was: a failed restore leaves nothing half-done.
        await clearDatabase(database).catch(() => undefined);
        throw error;
      }
      const itemIds = Object.keys(manifest.files).filter((name) => name.startsWith('media/')).map((name) => name.slice('media/'.length, -'.bin'.length));
      await restoreCopies(copies, staging, itemIds, (message) => say(`restore: ${message}`));
      const audit = await verifyAuditChain(database, manifest.auditHead ?? undefined);
      const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
      console.log(`Restored ${file} (taken ${manifest.createdAt} from ${manifest.source}): ${manifest.tables.length} tables, ${rows} rows, ${itemIds.length} shared copies.`);
      if (!audit.ok) {
        console.error(`The restored audit log does not check out: ${audit.problem!.message}`);
        return 2;
      }
      console.log(`Audit chain intact: ${audit.rows} events${audit.head ? `, head ${formatAuditHead(audit.head)} as recorded in the backup` : ''}.`);
      return 0;
    } catch (error) {
      if (error instanceof DamagedArchiveError) return refuse(error.message);
      throw error;
    } finally {
      await database?.close();
      rmSync(staging, { recursive: true, force: true });
    }
  },
};
