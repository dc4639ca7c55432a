import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EncryptionKeys } from './key-ring.ts';

/**
 * PII and shared media at rest (names, contacts, statements, pictures): AES-256-GCM with a fresh 96-bit nonce
 * per value. Layout: version 2 | key id (4) | nonce (12) | tag (16) | ciphertext. The key id says which key of
 * the ring sealed it, so a rotation knows what is left to re-encrypt and both keys read during it. Version 1
 * (before key ids: 1 | nonce | tag | ciphertext) is still read, with each key of the ring in turn. The `context`
 * (e.g. the case id) is bound as additional authenticated data, so a ciphertext copied onto another row or file
 * does not decrypt.
 */
const VERSION = 2;
const LEGACY_VERSION = 1;
const HEADER_BYTES = 5;

export function encryptBytes(keys: EncryptionKeys, plain: Buffer, context: string): Buffer {
  const { id, key } = keys.current;
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), Buffer.from(id, 'hex'), nonce, cipher.getAuthTag(), body]);
}

/** The id of the key that sealed this value, or undefined for a value from before key ids. */
export function sealedKeyId(sealed: Uint8Array): string | undefined {
  return sealed[0] === VERSION ? Buffer.from(sealed.subarray(1, HEADER_BYTES)).toString('hex') : undefined;
}

/** The first bytes of every value sealed with this key (what the store compares to find values to re-encrypt). */
export function sealedPrefixOf(keyId: string): Buffer {
  return Buffer.concat([Buffer.from([VERSION]), Buffer.from(keyId, 'hex')]);
}

function open(key: Buffer, data: Buffer, context: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(data.subarray(12, 28));
  return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]);
}

export function decryptBytes(keys: EncryptionKeys, sealed: Uint8Array, context: string): Buffer {
  const data = Buffer.from(sealed);
  if (data[0] === VERSION) {
    const id = sealedKeyId(data)!;
    const key = keys.byId(id);
    if (!key) throw new Error(`This value is encrypted with key ${id}, which is not among the server's keys.`);
    return open(key, data.subarray(HEADER_BYTES), context);
  }
  if (data[0] !== LEGACY_VERSION) throw new Error(`Unknown encryption version ${data[0]}.`);
  // Before key ids: the authentication tag tells which key of the ring sealed it.
  for (const { key } of keys.all) {
    try {
      return open(key, data.subarray(1), context);
    } catch {
      // not this key
    }
  }
  throw new Error('This value does not decrypt with any of the server\'s keys.');
}

/** The same value sealed again under the current key (what a rotation does to each value and file). */
export function reencryptBytes(keys: EncryptionKeys, sealed: Uint8Array, context: string): Buffer {
  return encryptBytes(keys, decryptBytes(keys, sealed, context), context);
}

export function encryptJson(keys: EncryptionKeys, value: unknown, context: string): Buffer {
  return encryptBytes(keys, Buffer.from(JSON.stringify(value), 'utf8'), context);
}

export function decryptJson<T>(keys: EncryptionKeys, sealed: Uint8Array, context: string): T {
  return JSON.parse(decryptBytes(keys, sealed, context).toString('utf8')) as T;
}
