import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, unwatchFile, watchFile, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveKeys, encryptionKeysOf, formatKeySet, KEY_LIST_FORMAT, parseKeySet, type Keys, type KeySet } from '../crypto/keys.ts';
import { ConfigError } from './config-error.ts';

// Reading the secret is reading configuration (environment or a file in the data dir): it happens at the edge,
// at start, and only the derived keys (crypto/keys.ts) are passed down.

export const KEY_FILE_NAME = 'secret.key';

function parseKey(text: string, source: string): KeySet {
  const set = parseKeySet(text);
  if (!set) throw new ConfigError([{ setting: source, message: `${source} must hold ${KEY_LIST_FORMAT}.` }]);
  return set;
}

type KeySource = { secretKey?: string; dataDir: string };

/** The key file of a data dir (used when TAKEDOWN_SECRET_KEY is not set). */
export function keyFileOf(dataDir: string): string {
  return join(dataDir, KEY_FILE_NAME);
}

/**
 * Finds the server's keys: TAKEDOWN_SECRET_KEY when set, else `<dataDir>/secret.key`, created on first start
 * with mode 0600 (one new master key). Either holds the current master key first, then older ones still being
 * rotated away from (docs/backup-and-keys.md). Losing the key makes the encrypted PII unreadable: back it up.
 */
export function loadKeySet(options: KeySource, { create = true }: { create?: boolean } = {}): KeySet {
  if (options.secretKey) return parseKey(options.secretKey, 'TAKEDOWN_SECRET_KEY');
  const path = keyFileOf(options.dataDir);
  // Maintenance commands read an existing deployment: a new key would make its data unreadable, never help.
  if (!create && !existsSync(path)) {
    throw new ConfigError([
      { setting: 'TAKEDOWN_SECRET_KEY', message: `There is no key file ${path} and TAKEDOWN_SECRET_KEY is not set: set TAKEDOWN_SECRET_KEY to the server's key, or TAKEDOWN_DATA_DIR to the server's data folder.` },
    ]);
  }
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

/** The current master key (the first of the set). */
export function loadMasterKey(options: KeySource, flags: { create?: boolean } = {}): Buffer {
  return loadKeySet(options, flags).masters[0]!;
}

/**
 * The keys the server works with. From a key file, a ciphertext naming a key the server does not hold makes it
 * read the file again (another process rotated a moment ago); TAKEDOWN_SECRET_KEY is read once.
 */
export function loadKeys(options: KeySource, flags: { create?: boolean } = {}): Keys {
  const set = loadKeySet(options, flags);
  return deriveKeys(set, options.secretKey ? undefined : () => rereadKeySet(options));
}

/** The key file read again, or undefined when it cannot be read or parsed now (the keys held stay). */
export function rereadKeySet(options: KeySource): KeySet | undefined {
  try {
    return parseKeySet(readFileSync(keyFileOf(options.dataDir), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Keeps a running server's keys in step with its key file: when `takedown keys rotate` adds a key, the server
 * encrypts with it within `intervalMs` (and reads what it seals at once, see loadKeys). Returns the stop function.
 * TAKEDOWN_SECRET_KEY is not followed: it changes with a restart.
 */
export function followKeyFile(options: KeySource, keys: Keys, onChange: (currentId: string) => void, intervalMs = 1_000): () => void {
  if (options.secretKey) return () => undefined;
  const path = keyFileOf(options.dataDir);
  const listener = () => {
    const set = rereadKeySet(options);
    if (!set) return;
    const before = keys.pii.current.id;
    keys.pii.replace(encryptionKeysOf(set));
    if (keys.pii.current.id !== before) onChange(keys.pii.current.id);
  };
  watchFile(path, { interval: intervalMs }, listener);
  return () => unwatchFile(path, listener);
}

/** Replaces the key file with this key set: written whole to a 0600 file, then renamed over the old one. */
export function writeKeyFile(dataDir: string, set: KeySet): void {
  const path = keyFileOf(dataDir);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, formatKeySet(set), { mode: 0o600 });
  renameSync(temporary, path);
}

function readOrCreateKeyFile(dataDir: string, path: string): KeySet {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
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
    return { masters: [key] };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return parseKey(readFileSync(path, 'utf8'), path);
    throw error;
  }
}
