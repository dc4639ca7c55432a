import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { copyFile, tableFile } from '../backup/manifest.ts';
import { sealedKeyId } from '../crypto/pii.ts';
import type { SharedCopies } from '../media/shared-copies.ts';
import type { OpenDatabase } from '../store/database.ts';
import { countSealedValuesByKey, LEGACY_KEY_ID } from '../store/sealed-values.ts';
import { appliedMigrations, exportTableRows, itemsThatMayHaveCopies, newestAuditRow, readOneSnapshot, tablesInInsertOrder } from '../store/table-export.ts';

/** What a backup wrote into its folder (the edge adds checksums and the key and packs the archive). */
export interface BackupContents {
  migrations: string[];
  tables: { name: string; rows: number }[];
  /** Item ids of the shared copies written. */
  copies: string[];
  /** Copies the snapshot counted on that were erased while the backup ran (withdrawals): they stay erased. */
  erasedMeanwhile: number;
  /** Ids of the keys the values and copies written are encrypted with. */
  keyIds: string[];
  auditHead: { seq: number; hash: string } | null;
}

/**
 * Writes every table of one snapshot (one REPEATABLE READ, read-only transaction: all tables as of the same
 * moment) into `dir/tables/`, then the shared copies that snapshot counts on into `dir/media/`, still encrypted.
 * Copies are read inside the same transaction; a copy erased after the snapshot was taken is left out and
 * counted. Reports progress per table and every 100 copies.
 */
export async function writeBackup(database: OpenDatabase, copies: SharedCopies, dir: string, onProgress: (message: string) => void): Promise<BackupContents> {
  await mkdir(join(dir, 'tables'), { recursive: true, mode: 0o700 });
  await mkdir(join(dir, 'media'), { recursive: true, mode: 0o700 });
  return database.transaction(async (tx) => {
    await readOneSnapshot(tx);
    const migrations = await appliedMigrations(tx);
    const tables: BackupContents['tables'] = [];
    for (const name of await tablesInInsertOrder(tx)) {
      const out = createWriteStream(join(dir, tableFile(name)), { mode: 0o600 });
      const rows = await exportTableRows(tx, name, async (lines) => {
        if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
      });
      out.end();
      await once(out, 'close');
      tables.push({ name, rows });
      onProgress(`table ${name}: ${rows} rows`);
    }
    const keyIds = new Set(Object.keys(await countSealedValuesByKey(tx)));
    const wanted = await itemsThatMayHaveCopies(tx);
    const written: string[] = [];
    let erasedMeanwhile = 0;
    for (const itemId of await copies.itemIds()) {
      if (!wanted.has(itemId)) continue;
      const sealed = await copies.readSealed(itemId);
      if (!sealed) {
        erasedMeanwhile += 1;
        continue;
      }
      await writeFile(join(dir, copyFile(itemId)), sealed, { mode: 0o600 });
      keyIds.add(sealedKeyId(sealed) ?? LEGACY_KEY_ID);
      written.push(itemId);
      if (written.length % 100 === 0) onProgress(`shared copies: ${written.length}`);
    }
    onProgress(`shared copies: ${written.length}`);
    return { migrations, tables, copies: written, erasedMeanwhile, keyIds: [...keyIds].sort(), auditHead: await newestAuditRow(tx) };
  });
}
