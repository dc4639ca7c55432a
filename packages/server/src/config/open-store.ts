import type { Keys } from '../crypto/keys.ts';
import { loadKeys } from './master-key.ts';
import { describeStore, embeddedDatabaseExists, hasTakedownSchema, migrate, openDatabase, type OpenDatabase } from '../store/database.ts';
import { ConfigError } from './config-error.ts';
import type { ServerConfig } from './config.ts';

/**
 * For CLI commands: the existing database and keys the server uses with `config`, migrated. It never creates
 * a store: an empty data dir, a PostgreSQL database without takedown's tables or a missing key file is a
 * ConfigError saying what to set (a check run on a new, empty store would report on nothing). `reading` is
 * told which store is read, before anything else. With the embedded database, stop the server first: PGlite is
 * one process's database. Also throws DatabaseUnavailableError or DatabaseInUseError; the CLI prints each as one line.
 */
export async function openStore(config: ServerConfig, reading: (store: string) => void = () => undefined): Promise<{ database: OpenDatabase; keys: Keys }> {
  const store = describeStore(config);
  reading(store);
  if (!config.databaseUrl && !embeddedDatabaseExists(config.dataDir)) {
    throw new ConfigError([
      {
        setting: 'TAKEDOWN_DATA_DIR',
        message: `There is no takedown database in ${config.dataDir} (TAKEDOWN_DATA_DIR): set TAKEDOWN_DATA_DIR to the server's data folder, or DATABASE_URL to its PostgreSQL; \`takedown serve\` creates a new one.`,
      },
    ]);
  }
  const keys = loadKeys(config, { create: false });
  const database = await openDatabase(config);
  try {
    if (!(await hasTakedownSchema(database))) {
      throw new ConfigError([{ setting: 'DATABASE_URL', message: `${store} holds no takedown tables: set DATABASE_URL to the server's database; \`takedown serve\` sets up a new one.` }]);
    }
    await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return { database, keys };
}
