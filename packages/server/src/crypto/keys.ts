import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/config.ts';

/**
 * The keys the server derives from its one secret (TAKEDOWN_SECRET_KEY or the generated key file). Each use
 * gets its own subkey (HKDF-SHA256 with a label), so a key used for PIN hashes never encrypts data.
 */
export interface Keys {
  /** AES-256-GCM key for PII at rest. */
  pii: Buffer;
  /** HMAC key for case PINs (stored only as this keyed hash). */
  pin: Buffer;
  /** HMAC key for the notifier fingerprint (reputation without keeping the contact in clear). */
  notifier: Buffer;
  /** HMAC key for staff session tokens and cookie signatures. */
  session: Buffer;
}

export const KEY_FILE_NAME = 'secret.key';

function parseKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(`${source} must hold 32 random bytes as 64 hex characters or base64 (e.g. \`openssl rand -base64 32\`).`);
  }
  return key;
}

/**
 * Finds the master key: TAKEDOWN_SECRET_KEY when set, else `<dataDir>/secret.key`, created on first start
 * with mode 0600. Losing this key makes the encrypted PII unreadable: back it up with the database.
 */
export function loadMasterKey(options: { secretKey?: string; dataDir: string }): Buffer {
  if (options.secretKey) return parseKey(options.secretKey, 'TAKEDOWN_SECRET_KEY');
  mkdirSync(options.dataDir, { recursive: true });
  const path = join(options.dataDir, KEY_FILE_NAME);
  try {
    return parseKey(readFileSync(path, 'utf8'), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  // 'wx': never overwrite a key another process created a moment ago.
  try {
    writeFileSync(path, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return parseKey(readFileSync(path, 'utf8'), path);
    throw error;
  }
}

function derive(master: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `takedown ${label} v1`, 32));
}

export function deriveKeys(master: Buffer): Keys {
  return {
    pii: derive(master, 'pii'),
    pin: derive(master, 'pin'),
    notifier: derive(master, 'notifier'),
    session: derive(master, 'session'),
  };
}

/** Hex HMAC-SHA256; used for the PIN hash, the notifier fingerprint and session token hashes. */
export function hmacHex(key: Buffer, ...parts: string[]): string {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part).update('\u0000');
  return mac.digest('hex');
}
