import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * PII at rest (names, contacts, statements): AES-256-GCM with a fresh 96-bit nonce per value.
 * Layout: version byte (1) | nonce (12) | tag (16) | ciphertext. The `context` (e.g. the case id) is bound as
 * additional authenticated data, so a ciphertext copied onto another row does not decrypt.
 */
const VERSION = 1;

export function encryptJson(key: Buffer, value: unknown, context: string): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), body]);
}

export function decryptJson<T>(key: Buffer, sealed: Uint8Array, context: string): T {
  const data = Buffer.from(sealed);
  if (data[0] !== VERSION) throw new Error(`Unknown PII encryption version ${data[0]}.`);
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(1, 13));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(data.subarray(13, 29));
  const text = Buffer.concat([decipher.update(data.subarray(29)), decipher.final()]).toString('utf8');
  return JSON.parse(text) as T;
}
