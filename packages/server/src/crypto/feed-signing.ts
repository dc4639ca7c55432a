import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** PKCS #8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410): this prefix, then the seed. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** SubjectPublicKeyInfo wrapping of a raw 32-byte Ed25519 public key (RFC 8410). */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * This deployment's feed identity: an Ed25519 key pair derived from the master key (so it survives restarts
 * and needs no file of its own), the public key as base64url of its 32 raw bytes, and the feed id, a short
 * digest of the public key that every signed page names.
 */
export interface FeedSigner {
  feedId: string;
  publicKey: string;
  sign(bytes: Buffer): string;
}

export function feedIdOf(publicKey: string): string {
  return `tdf_${createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest().subarray(0, 16).toString('base64url')}`;
}

export function feedSigner(seed: Buffer): FeedSigner {
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = spki.subarray(ED25519_SPKI_PREFIX.length).toString('base64url');
  return { feedId: feedIdOf(publicKey), publicKey, sign: (bytes) => sign(null, bytes, privateKey).toString('base64url') };
}

/** A follower's copy of a source's public key; undefined when the text is not a raw Ed25519 public key. */
export function feedVerifier(publicKey: string): { feedId: string; verify(bytes: Buffer, signature: string): boolean } | undefined {
  const raw = /^[A-Za-z0-9_-]{43}$/.test(publicKey) ? Buffer.from(publicKey, 'base64url') : undefined;
  if (!raw || raw.length !== 32) return undefined;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
  return {
    feedId: feedIdOf(publicKey),
    verify: (bytes, signature) => /^[A-Za-z0-9_-]{86}$/.test(signature) && verify(null, bytes, key, Buffer.from(signature, 'base64url')),
  };
}
