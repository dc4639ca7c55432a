import { ConfigError, loadConfig, type ServerConfig } from './config.ts';
import { deriveKeys, loadMasterKey, type Keys } from '../crypto/keys.ts';
import { DatabaseInUseError, migrate, openDatabase, type OpenDatabase } from '../store/database.ts';

/**
 * For CLI commands: the database and keys the server would use, migrated. With the embedded database, stop
 * the server first: PGlite is one process's database.
 */
export async function openStoreFromEnvironment(env: Record<string, string | undefined> = process.env): Promise<{ config: ServerConfig; database: OpenDatabase; keys: Keys }> {
  const config = loadConfig(env);
  const keys = deriveKeys(loadMasterKey(config));
  const database = await openDatabase(config).catch((error: unknown) => {
    // Something the user can fix (stop the server): exit code 2 with the message, not a stack trace.
    throw error instanceof DatabaseInUseError ? new ConfigError(error.message) : error;
  });
  await migrate(database);
  return { config, database, keys };
}

export { ConfigError };
