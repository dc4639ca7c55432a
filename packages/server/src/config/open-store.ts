import { deriveKeys, type Keys } from '../crypto/keys.ts';
import { loadMasterKey } from './master-key.ts';
import { migrate, openDatabase, type OpenDatabase } from '../store/database.ts';
import type { ServerConfig } from './config.ts';

/**
 * For CLI commands: the database and keys the server would use with `config`, migrated. With the embedded
 * database, stop the server first: PGlite is one process's database. Throws ConfigError (a bad key file),
 * DatabaseUnavailableError or DatabaseInUseError, which the CLI prints as one line each.
 */
export async function openStore(config: ServerConfig): Promise<{ database: OpenDatabase; keys: Keys }> {
  const keys = deriveKeys(loadMasterKey(config));
  const database = await openDatabase(config);
  try {
    await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return { database, keys };
}
