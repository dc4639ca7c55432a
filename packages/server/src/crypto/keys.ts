import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { EncryptionKeys, keyIdOf, type EncryptionKey } from './key-ring.ts';

/**
 * The keys the server derives from its one secret (read at start by config/master-key.ts). Each use
 * gets its own subkey (HKDF-SHA256 with a label), so a key used for PIN hashes never encrypts data.
 */
export interface Keys {
  /** AES-256-GCM keys for PII and shared media at rest: the current one and any still being rotated away from. */
  pii: EncryptionKeys;
  /** HMAC key for case PINs (stored only as this keyed hash). */
  pin: Buffer;
  /** HMAC key for the notifier fingerprint (reputation without keeping the contact in clear). */
  notifier: Buffer;
  /** HMAC key for staff session tokens and cookie signatures. */
  session: Buffer;
  /** Seed of the Ed25519 key that signs this deployment's exchange feed (crypto/feed-signing.ts). */
  exchangeSigning: Buffer;
}

/** How a master key is written down; the configuration check and the key loader say the same. */
export const MASTER_KEY_FORMAT = '32 random bytes as 64 hex characters or base64 (e.g. `openssl rand -base64 32`)';

/** The 32 key bytes of a hex or base64 text, or undefined when it does not hold exactly 32 bytes. */
export function decodeMasterKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  return key.length === 32 ? key : undefined;
}

function derive(master: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `takedown ${label} v1`, 32));
}

/** The keys that outlive a rotation (keyed hashes of PINs, contacts, sessions; the feed's signing seed): see KeySet. */
export type HashKeys = Pick<Keys, 'pin' | 'notifier' | 'session' | 'exchangeSigning'>;

/**
 * What a key file (or TAKEDOWN_SECRET_KEY) holds: master keys, the current one first, and the keyed-hash keys.
 * PIN hashes, notifier fingerprints and session tokens are one-way: they cannot be re-keyed without the PINs and
 * contacts, which are never kept, and followers trust the exchange feed's signing key. So a rotation keeps these
 * keys, written down as `hash-keys:` (derived once from the first master key), and only the encryption keys change.
 */
export interface KeySet {
  masters: Buffer[];
  /** Absent in a deployment that never rotated: derived from its oldest (only) master key. */
  hashKeys?: HashKeys;
}

const HASH_KEYS_PREFIX = 'hash-keys:';

/** How a key list is written down, for the error that names a bad one. */
export const KEY_LIST_FORMAT = `one or more master keys (${MASTER_KEY_FORMAT}), the current one first, separated by newlines or commas, and at most one \`${HASH_KEYS_PREFIX}\` entry`;

/** Reads a key list (the key file's text or TAKEDOWN_SECRET_KEY); undefined when any entry is not well formed. */
export function parseKeySet(text: string): KeySet | undefined {
  const entries = text.split(/[\n,]/).map((e) => e.trim()).filter((e) => e !== '' && !e.startsWith('#'));
  const masters: Buffer[] = [];
  let hashKeys: HashKeys | undefined;
  for (const entry of entries) {
    if (entry.startsWith(HASH_KEYS_PREFIX)) {
      const bytes = Buffer.from(entry.slice(HASH_KEYS_PREFIX.length), 'base64');
      if (bytes.length !== 128 || hashKeys) return undefined;
      hashKeys = { pin: bytes.subarray(0, 32), notifier: bytes.subarray(32, 64), session: bytes.subarray(64, 96), exchangeSigning: bytes.subarray(96, 128) };
      continue;
    }
    const key = decodeMasterKey(entry);
    if (!key) return undefined;
    masters.push(key);
  }
  return masters.length > 0 ? { masters, ...(hashKeys && { hashKeys }) } : undefined;
}

/** The text of a key list: the masters in order (base64, one per line), then the hash keys when set. */
export function formatKeySet(set: KeySet): string {
  const lines = set.masters.map((m) => m.toString('base64'));
  if (set.hashKeys) lines.push(HASH_KEYS_PREFIX + Buffer.concat([set.hashKeys.pin, set.hashKeys.notifier, set.hashKeys.session, set.hashKeys.exchangeSigning]).toString('base64'));
  return lines.join('\n') + '\n';
}

/** The keyed-hash keys of a key set: as written down, else derived from its oldest master key. */
export function hashKeysOf(set: KeySet): HashKeys {
  if (set.hashKeys) return set.hashKeys;
  const oldest = set.masters[set.masters.length - 1]!;
  return { pin: derive(oldest, 'pin'), notifier: derive(oldest, 'notifier'), session: derive(oldest, 'session'), exchangeSigning: derive(oldest, 'exchange signing') };
}

/** The encryption keys of a key set, with their ids, the current one first. */
export function encryptionKeysOf(set: KeySet): EncryptionKey[] {
  return set.masters.map((master) => ({ id: keyIdOf(master), key: derive(master, 'pii') }));
}

/**
 * The keys the server works with. A single master key (the common case, and tests) or a whole key set;
 * `reload` (given by the edge that read the set) is asked for a fresh one when a ciphertext names an unknown key.
 */
export function deriveKeys(source: Buffer | KeySet, reload?: () => KeySet | undefined): Keys {
  const set = Buffer.isBuffer(source) ? { masters: [source] } : source;
  const fresh = reload && (() => {
    const next = reload();
    return next && encryptionKeysOf(next);
  });
  return { pii: new EncryptionKeys(encryptionKeysOf(set), fresh), ...hashKeysOf(set) };
}

/** Hex HMAC-SHA256; used for the PIN hash, the notifier fingerprint and session token hashes. */
export function hmacHex(key: Buffer, ...parts: string[]): string {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part).update('\u0000');
  return mac.digest('hex');
}

/** The key set after a rotation: a new random master key first, the older ones kept readable, the hash keys kept. */
export function withNewKey(set: KeySet): KeySet {
  return { masters: [randomBytes(32), ...set.masters], hashKeys: hashKeysOf(set) };
}

/** The key set without its older master keys (once nothing is encrypted with them): the current one and the hash keys. */
export function withoutOlderKeys(set: KeySet): KeySet {
  return { masters: set.masters.slice(0, 1), hashKeys: hashKeysOf(set) };
}

/** The key set as one line, for TAKEDOWN_SECRET_KEY. */
export function keySetAsVariable(set: KeySet): string {
  return formatKeySet(set).trim().split('\n').join(',');
}

/** The id of the keyed-hash keys (as keyIdOf for a master key): a backup records it, a restore compares it. */
export function hashKeysIdOf(keys: HashKeys): string {
  return keyIdOf(Buffer.concat([keys.pin, keys.notifier, keys.session, keys.exchangeSigning]));
}
