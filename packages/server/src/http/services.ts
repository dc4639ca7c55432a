import type { Clock } from '@takedown/core';
import type { ServerConfig } from '../config/config.ts';
import type { Keys } from '../crypto/keys.ts';
import type { OpenDatabase } from '../store/database.ts';

/** What every route plugin can use, as `app.services` (decorated once in app.ts). */
export interface Services {
  config: ServerConfig;
  database: OpenDatabase;
  keys: Keys;
  clock: Clock;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}
