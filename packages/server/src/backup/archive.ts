import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { MANIFEST_FILE, parseManifest, type BackupManifest } from './manifest.ts';

/**
 * A backup is one gzipped tar file (readable with `tar -tzf`): manifest.json first, then the files it lists.
 * Packing and unpacking go through a private folder (0700) next to the archive or in the data dir.
 */

/** Thrown for an archive that cannot be used: damaged, not a backup, or not complete. */
export class DamagedArchiveError extends Error {}

/** SHA-256 (hex) and size of a file, read as a stream. */
export async function checksumOf(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return { bytes: (await stat(path)).size, sha256: hash.digest('hex') };
}

/** Writes the archive of `dir`: the manifest first, then each file it lists. */
export async function packArchive(dir: string, file: string, manifest: BackupManifest): Promise<void> {
  await tar.create({ gzip: true, file, cwd: dir, portable: true }, [MANIFEST_FILE, ...Object.keys(manifest.files)]);
}

/**
 * Unpacks an archive into `dir` and checks it whole before anything uses it: the manifest, and every file it
 * lists with its size and SHA-256. Throws DamagedArchiveError saying what is wrong.
 */
export async function unpackArchive(file: string, dir: string): Promise<BackupManifest> {
  try {
    // Only plain files and folders; names are kept inside `dir` (tar drops leading `/` and `..`).
    await tar.extract({ file, cwd: dir, strict: true, filter: (_path, entry) => 'type' in entry && (entry.type === 'File' || entry.type === 'Directory') });
  } catch (error) {
    throw new DamagedArchiveError(`${file} cannot be read as a backup archive (${(error as Error).message}): it is damaged or not a takedown backup.`);
  }
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new DamagedArchiveError(`${file} has no ${MANIFEST_FILE}: it is not a takedown backup, or it was cut short.`);
  }
  const manifest = parseManifest(text);
  if (typeof manifest === 'string') throw new DamagedArchiveError(`${file} cannot be restored: ${manifest}.`);
  for (const [name, expected] of Object.entries(manifest.files)) {
    let actual;
    try {
      actual = await checksumOf(join(dir, name));
    } catch {
      throw new DamagedArchiveError(`${file} is damaged: ${name} is missing from it.`);
    }
    if (actual.bytes !== expected.bytes || actual.sha256 !== expected.sha256) {
      throw new DamagedArchiveError(`${file} is damaged: the checksum of ${name} does not match the one recorded when the backup was made.`);
    }
  }
  return manifest;
}
