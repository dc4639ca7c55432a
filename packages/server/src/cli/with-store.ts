import { loadConfig, type ServerConfig } from '../config/config.ts';
import { openStore } from '../config/open-store.ts';
import type { Keys } from '../crypto/keys.ts';
import type { OpenDatabase } from '../store/database.ts';

/** What a maintenance command works on: the server's settings, its database (migrated) and its keys. */
export interface CliStore {
  config: ServerConfig;
  database: OpenDatabase;
  keys: Keys;
}

/**
 * Reads the configuration (once, here at the edge), opens the existing store the server uses (saying which on
 * stderr; never a new one), runs `work` and
 * always closes the database. Bad settings and an unreachable database are thrown as they are: the CLI's
 * entry point prints them as one line each and exits 1.
 */
export async function withStore<T>(work: (store: CliStore) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  // On stderr, so that --json output stays clean.
  const { database, keys } = await openStore(config, (store) => console.error(`Reading ${store}.`));
  try {
    return await work({ config, database, keys });
  } finally {
    await database.close();
  }
}
