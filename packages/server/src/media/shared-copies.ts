import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decryptBytes, encryptBytes } from '../crypto/pii.ts';

/**
 * The copies people chose to share with reviewers, one file per item in `<dataDir>/media/`, encrypted with
 * the PII key and bound to the item id (crypto/pii.ts). Nothing else is written from them: previews are made
 * in memory for each request. Erasing an item's copy removes its file and any half-written temporary file, so
 * withdrawal and retention leave nothing of the picture on disk.
 * @example
 * const copies = new SharedCopies(join(dataDir, 'media'), keys.pii);
 * await copies.save(itemId, bytes);
 * const plain = await copies.open(itemId); // undefined when none was shared (or it was erased)
 * await copies.erase([itemId]);
 */
export class SharedCopies {
  readonly #dir: string;
  readonly #key: Buffer;

  constructor(dir: string, key: Buffer) {
    this.#dir = dir;
    this.#key = key;
  }

  #fileOf(itemId: string): string {
    return join(this.#dir, `${itemId}.bin`);
  }

  /** Stores the bytes encrypted (0600, in a 0700 folder); written whole, then renamed into place. */
  async save(itemId: string, bytes: Buffer): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const temporary = `${this.#fileOf(itemId)}.${process.pid}.tmp`;
    await writeFile(temporary, encryptBytes(this.#key, bytes, contextOf(itemId)), { mode: 0o600 });
    await rename(temporary, this.#fileOf(itemId));
  }

  /** The shared bytes in clear, or undefined when there is no copy for this item. */
  async open(itemId: string): Promise<Buffer | undefined> {
    let sealed: Buffer;
    try {
      sealed = await readFile(this.#fileOf(itemId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return decryptBytes(this.#key, sealed, contextOf(itemId));
  }

  /** Deletes the copies of these items (and leftover temporary files); returns how many files went. */
  async erase(itemIds: string[]): Promise<number> {
    if (itemIds.length === 0) return 0;
    let names: string[];
    try {
      names = await readdir(this.#dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    const prefixes = itemIds.map((id) => `${id}.bin`);
    const doomed = names.filter((name) => prefixes.some((prefix) => name === prefix || name.startsWith(`${prefix}.`)));
    for (const name of doomed) await rm(join(this.#dir, name), { force: true });
    return doomed.length;
  }
}

const contextOf = (itemId: string) => `media:${itemId}`;
