import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { copyFile, tableFile, type BackupManifest } from '../backup/manifest.ts';
import type { SharedCopies } from '../media/shared-copies.ts';
import type { OpenDatabase } from '../store/database.ts';
import { dropSchemaContents, emptyTables, importTableRows, resetSequences } from '../store/table-export.ts';

/** Rows inserted per statement while restoring. */
const INSERT_ROWS = 500;

/**
 * Fills a database that has the backup's schema (and nothing else: the rows migrations seed are removed) with the
 * backup's rows, in one transaction: a restore that fails half-way leaves no rows behind. Then the sequences move
 * past the restored ids. Reports progress per table.
 */
export async function restoreTables(database: OpenDatabase, dir: string, manifest: Pick<BackupManifest, 'tables'>, onProgress: (message: string) => void): Promise<void> {
  await database.transaction(async (tx) => {
    await emptyTables(tx, manifest.tables.map((t) => t.name));
    for (const { name, rows } of manifest.tables) {
      let batch: string[] = [];
      let done = 0;
      const lines = createInterface({ input: createReadStream(join(dir, tableFile(name))), crlfDelay: Infinity });
      for await (const line of lines) {
        if (line === '') continue;
        batch.push(line);
        if (batch.length === INSERT_ROWS) {
          await importTableRows(tx, name, batch);
          done += batch.length;
          batch = [];
          if (done % 10_000 === 0) onProgress(`table ${name}: ${done} of ${rows} rows`);
        }
      }
      await importTableRows(tx, name, batch);
      onProgress(`table ${name}: ${rows} rows`);
    }
    await resetSequences(tx);
  });
}

/** Puts the backup's shared copies back (encrypted as they were), reporting every 100. */
export async function restoreCopies(copies: SharedCopies, dir: string, itemIds: string[], onProgress: (message: string) => void): Promise<void> {
  let done = 0;
  for (const itemId of itemIds) {
    await copies.restoreSealed(itemId, await readFile(join(dir, copyFile(itemId))));
    done += 1;
    if (done % 100 === 0 || done === itemIds.length) onProgress(`shared copies: ${done} of ${itemIds.length}`);
  }
}

/** Removes every table and function of the database's schema: a forced restore, or one that failed, starts over. */
export async function clearDatabase(database: OpenDatabase): Promise<void> {
  await database.transaction((tx) => dropSchemaContents(tx));
}
