import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/config-error.ts';

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

/** How a master key is written down; the configuration check and the key loader say the same. */
export const MASTER_KEY_FORMAT = '32 random bytes as 64 hex characters or base64 (e.g. `openssl rand -base64 32`)';

/** The 32 key bytes of a hex or base64 text, or undefined when it does not hold exactly 32 bytes. */
export function decodeMasterKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  return key.length === 32 ? key : undefined;
}

function parseKey(text: string, source: string): Buffer {
  const key = decodeMasterKey(text);
  if (!key) throw new ConfigError([{ setting: source, message: `${source} must hold ${MASTER_KEY_FORMAT}.` }]);
  return key;
}

/**
 * Finds the master key: TAKEDOWN_SECRET_KEY when set, else `<dataDir>/secret.key`, created on first start
 * with mode 0600. Losing this key makes the encrypted PII unreadable: back it up with the database.
 */
export function loadMasterKey(options: { secretKey?: string; dataDir: string }): Buffer {
  if (options.secretKey) return parseKey(options.secretKey, 'TAKEDOWN_SECRET_KEY');
  const path = join(options.dataDir, KEY_FILE_NAME);
  try {
    return readOrCreateKeyFile(options.dataDir, path);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    // A folder that cannot be used is a setting to fix, not a crash: say which and what to check.
    const { code, message } = error as NodeJS.ErrnoException;
    throw new ConfigError([
      {
        setting: 'TAKEDOWN_DATA_DIR',
        message: `The key file ${path} cannot be read or created (${code ?? message}). Check that TAKEDOWN_DATA_DIR (${options.dataDir}) is a folder this user can write, or set TAKEDOWN_SECRET_KEY.`,
      },
    ]);
  }
}

function readOrCreateKeyFile(dataDir: string, path: string): Buffer {
  mkdirSync(dataDir, { recursive: true });
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
