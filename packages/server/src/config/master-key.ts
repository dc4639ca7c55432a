import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMasterKey, MASTER_KEY_FORMAT } from '../crypto/keys.ts';
import { ConfigError } from './config-error.ts';

// Reading the secret is reading configuration (environment or a file in the data dir): it happens at the edge,
// at start, and only the derived keys (crypto/keys.ts) are passed down.

export const KEY_FILE_NAME = 'secret.key';

function parseKey(text: string, source: string): Buffer {
  const key = decodeMasterKey(text);
  if (!key) throw new ConfigError([{ setting: source, message: `${source} must hold ${MASTER_KEY_FORMAT}.` }]);
  return key;
}

/**
 * Finds the master key: TAKEDOWN_SECRET_KEY when set, else `<dataDir>/secret.key`, created on first start
 * with mode 0600. Losing this key makes the encrypted PII unreadable: back it up with the database.
 */
export function loadMasterKey(options: { secretKey?: string; dataDir: string }, { create = true }: { create?: boolean } = {}): Buffer {
  if (options.secretKey) return parseKey(options.secretKey, 'TAKEDOWN_SECRET_KEY');
  const path = join(options.dataDir, KEY_FILE_NAME);
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

function readOrCreateKeyFile(dataDir: string, path: string): Buffer {
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
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return parseKey(readFileSync(path, 'utf8'), path);
    throw error;
  }
}
