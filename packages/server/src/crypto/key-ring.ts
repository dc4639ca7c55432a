import { hkdfSync } from 'node:crypto';

/** One master key as the server holds it: its id (written into every ciphertext) and the PII subkey. */
export interface EncryptionKey {
  /** 8 hex characters derived from the key itself (never the key): the same key has the same id everywhere. */
  id: string;
  key: Buffer;
}

/** The id of a master key: 4 bytes of HKDF, so a ciphertext names its key without revealing anything of it. */
export function keyIdOf(master: Buffer): string {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'takedown key id v1', 4)).toString('hex');
}

/**
 * The keys PII and shared media are encrypted with: the current one (every new ciphertext) and the older ones
 * still readable while a rotation re-encrypts what they sealed. `replace` swaps in a new list (the server does
 * when the key file changes); `onUnknownKey` is asked once for a fresh list when a ciphertext names a key not
 * held, so a value another process re-encrypted a moment ago is read without waiting for the next reload.
 * @example
 * const ring = new EncryptionKeys([current, previous]);
 * ring.current.id;            // '3f9a0c12'
 * ring.byId('1b2c3d4e');      // the older key, until it is retired
 */
export class EncryptionKeys {
  #keys: EncryptionKey[];
  readonly #onUnknownKey: (() => EncryptionKey[] | undefined) | undefined;

  constructor(keys: EncryptionKey[], onUnknownKey?: () => EncryptionKey[] | undefined) {
    if (keys.length === 0) throw new Error('EncryptionKeys needs at least one key.');
    this.#keys = keys;
    this.#onUnknownKey = onUnknownKey;
  }

  get current(): EncryptionKey {
    return this.#keys[0]!;
  }

  /** Every key held, the current one first. */
  get all(): readonly EncryptionKey[] {
    return this.#keys;
  }

  /** The ids of the keys that are readable but no longer written: what a rotation re-encrypts away from. */
  get previousIds(): string[] {
    return this.#keys.slice(1).map((k) => k.id);
  }

  replace(keys: EncryptionKey[]): void {
    if (keys.length > 0) this.#keys = keys;
  }

  byId(id: string): Buffer | undefined {
    const found = this.#keys.find((k) => k.id === id);
    if (found || !this.#onUnknownKey) return found?.key;
    const fresh = this.#onUnknownKey();
    if (fresh) this.replace(fresh);
    return this.#keys.find((k) => k.id === id)?.key;
  }
}
