import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decryptBytes, encryptBytes, reencryptBytes, sealedKeyId } from '../crypto/pii.ts';
import type { EncryptionKeys } from '../crypto/key-ring.ts';

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
  readonly #key: EncryptionKeys;

  constructor(dir: string, key: EncryptionKeys) {
    this.#dir = dir;
    this.#key = key;
  }

  #fileOf(itemId: string): string {
    return join(this.#dir, `${itemId}.bin`);
  }

  /** Stores the bytes encrypted (0600, in a 0700 folder); written whole, then renamed into place. */
  async save(itemId: string, bytes: Buffer): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    await this.#writeSealed(itemId, encryptBytes(this.#key, bytes, contextOf(itemId)));
  }

  async #writeSealed(itemId: string, sealed: Buffer): Promise<void> {
    const temporary = `${this.#fileOf(itemId)}.${process.pid}.tmp`;
    await writeFile(temporary, sealed, { mode: 0o600 });
    await rename(temporary, this.#fileOf(itemId));
  }

  /** The ids of the items that have a copy (whole files only, not temporary ones). */
  async itemIds(): Promise<string[]> {
    return (await this.#names()).filter((name) => /^[^.]+\.bin$/.test(name)).map((name) => name.slice(0, -'.bin'.length));
  }

  /** The id of the key a copy is sealed with; undefined for a copy from before key ids, null when there is none. */
  async keyIdOf(itemId: string): Promise<string | undefined | null> {
    let file;
    try {
      file = await open(this.#fileOf(itemId), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const header = Buffer.alloc(5);
      const { bytesRead } = await file.read(header, 0, 5, 0);
      return sealedKeyId(header.subarray(0, bytesRead));
    } finally {
      await file.close();
    }
  }

  /** Seals a copy again under the current key (a rotation); false when there is no copy. */
  async reseal(itemId: string): Promise<boolean> {
    const sealed = await this.#read(itemId);
    if (!sealed) return false;
    await this.#writeSealed(itemId, reencryptBytes(this.#key, sealed, contextOf(itemId)));
    return true;
  }

  /** Puts back a copy as a backup stored it (still encrypted, bound to its item id). */
  async restoreSealed(itemId: string, sealed: Buffer): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    await this.#writeSealed(itemId, sealed);
  }

  /** The sealed bytes of a copy as stored (a backup copies them as they are), or undefined when there is none. */
  async readSealed(itemId: string): Promise<Buffer | undefined> {
    return this.#read(itemId);
  }

  async #read(itemId: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.#fileOf(itemId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async #names(): Promise<string[]> {
    try {
      return await readdir(this.#dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /** The shared bytes in clear, or undefined when there is no copy for this item. */
  async open(itemId: string): Promise<Buffer | undefined> {
    const sealed = await this.#read(itemId);
    return sealed && decryptBytes(this.#key, sealed, contextOf(itemId));
  }

  /** Deletes the copies of these items (and leftover temporary files); returns how many files went. */
  async erase(itemIds: string[]): Promise<number> {
    if (itemIds.length === 0) return 0;
    const names = await this.#names();
    const prefixes = itemIds.map((id) => `${id}.bin`);
    const doomed = names.filter((name) => prefixes.some((prefix) => name === prefix || name.startsWith(`${prefix}.`)));
    for (const name of doomed) await rm(join(this.#dir, name), { force: true });
    return doomed.length;
  }
}

const contextOf = (itemId: string) => `media:${itemId}`;
