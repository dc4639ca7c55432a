import type { EncryptionKeys } from '../crypto/key-ring.ts';
import { reencryptBytes, sealedPrefixOf } from '../crypto/pii.ts';
import type { SharedCopies } from '../media/shared-copies.ts';
import type { OpenDatabase, Tx } from '../store/database.ts';
import { deleteFinishedRuns } from '../store/job-queue.ts';
import { countSealedValuesByKey, LEGACY_KEY_ID, lockCopyOwner, lockValuesToReseal, SEALED_COLUMNS, writeResealedValue } from '../store/sealed-values.ts';

/** The job that re-encrypts, one batch per run, what older keys sealed (runs in the server while it serves). */
export const REENCRYPT_JOB = 'keys.reencrypt';

/** What one batch did: values and shared copies sealed again under the current key. */
export interface ResealBatch {
  values: number;
  files: number;
}

/** How many values and shared copies each key seals (the key ids, and `legacy` for values from before key ids). */
export interface KeyUsage {
  values: Record<string, number>;
  files: Record<string, number>;
}

/**
 * Seals again under the current key up to `batchSize` database values and `batchSize` shared copies that an
 * older key sealed, inside the caller's transaction. Each copy is rewritten under its case's row lock, the
 * lock that sharing and erasing a copy take, so a withdrawal never sees its copy come back and a new copy is
 * never overwritten by an old one. Safe to run from several processes at once and to stop at any point: what
 * is left is found again by its key id.
 */
export async function resealBatch(tx: Tx, keys: EncryptionKeys, copies: SharedCopies, batchSize: number): Promise<ResealBatch> {
  const prefix = sealedPrefixOf(keys.current.id);
  let values = 0;
  for (const target of SEALED_COLUMNS) {
    const rows = await lockValuesToReseal(tx, target, prefix, batchSize - values);
    for (const row of rows) await writeResealedValue(tx, target, row.id, reencryptBytes(keys, row.sealed, target.context(row.id)));
    values += rows.length;
    if (values >= batchSize) break;
  }
  let files = 0;
  for (const itemId of await copies.itemIds()) {
    if (files >= batchSize) break;
    if ((await copies.keyIdOf(itemId)) === keys.current.id) continue;
    // A copy whose case was erased is left to the erasure (it deletes the file); never rewritten.
    if (!(await lockCopyOwner(tx, itemId))) continue;
    if (await copies.reseal(itemId)) files += 1;
  }
  return { values, files };
}

/**
 * One run of the rotation job: forgets the job's earlier runs (it runs every second or so), then re-encrypts a
 * batch when older keys are still held, or does nothing more (no scan) when only the current key is or when
 * the same key list was already found done.
 */
export async function runReencryptJob(
  tx: Tx,
  jobId: number,
  ring: { keys: EncryptionKeys; /** this key list was already found done */ finished: boolean },
  copies: SharedCopies,
  batchSize: number,
): Promise<ResealBatch | undefined> {
  await deleteFinishedRuns(tx, REENCRYPT_JOB, jobId);
  if (ring.finished || ring.keys.previousIds.length === 0) return undefined;
  return resealBatch(tx, ring.keys, copies, batchSize);
}

/** Which keys the stored values and shared copies need, read in one transaction. */
export async function keyUsage(database: OpenDatabase, copies: SharedCopies): Promise<KeyUsage> {
  const values = await database.transaction((tx) => countSealedValuesByKey(tx));
  const files: Record<string, number> = {};
  for (const itemId of await copies.itemIds()) {
    const id = await copies.keyIdOf(itemId);
    if (id === null) continue;
    const name = id ?? LEGACY_KEY_ID;
    files[name] = (files[name] ?? 0) + 1;
  }
  return { values, files };
}

/** How many values and copies are sealed with anything but the current key. */
export function leftToReseal(usage: KeyUsage, currentId: string): number {
  const count = (byKey: Record<string, number>) => Object.entries(byKey).reduce((sum, [id, n]) => sum + (id === currentId ? 0 : n), 0);
  return count(usage.values) + count(usage.files);
}

/**
 * Re-encrypts everything older keys sealed, batch after batch (each its own transaction), and reports after
 * each batch. For `takedown keys rotate` when it can open the store; the server does the same as a job.
 */
export async function resealAll(
  database: OpenDatabase,
  keys: EncryptionKeys,
  copies: SharedCopies,
  options: { batchSize: number; onProgress: (done: ResealBatch, left: number) => void },
): Promise<ResealBatch> {
  const done: ResealBatch = { values: 0, files: 0 };
  // Counted once: a count per batch would scan every table again each time.
  const before = leftToReseal(await keyUsage(database, copies), keys.current.id);
  for (;;) {
    const batch = await database.transaction((tx) => resealBatch(tx, keys, copies, options.batchSize));
    done.values += batch.values;
    done.files += batch.files;
    options.onProgress(done, Math.max(0, before - done.values - done.files));
    if (batch.values === 0 && batch.files === 0) return done;
  }
}
