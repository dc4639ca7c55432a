import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * PII and shared media at rest (names, contacts, statements, pictures): AES-256-GCM with a fresh 96-bit nonce
 * per value. Layout: version byte (1) | nonce (12) | tag (16) | ciphertext. The `context` (e.g. the case id)
 * is bound as additional authenticated data, so a ciphertext copied onto another row or file does not decrypt.
 */
const VERSION = 1;

export function encryptBytes(key: Buffer, plain: Buffer, context: string): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), body]);
}

export function decryptBytes(key: Buffer, sealed: Uint8Array, context: string): Buffer {
  const data = Buffer.from(sealed);
  if (data[0] !== VERSION) throw new Error(`Unknown encryption version ${data[0]}.`);
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(1, 13));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(data.subarray(13, 29));
  return Buffer.concat([decipher.update(data.subarray(29)), decipher.final()]);
}

export function encryptJson(key: Buffer, value: unknown, context: string): Buffer {
  return encryptBytes(key, Buffer.from(JSON.stringify(value), 'utf8'), context);
}

export function decryptJson<T>(key: Buffer, sealed: Uint8Array, context: string): T {
  return JSON.parse(decryptBytes(key, sealed, context).toString('utf8')) as T;
}
