import { join } from 'node:path';
import type { Keys } from '../crypto/keys.ts';
import { SharedCopies } from '../media/shared-copies.ts';
import type { ServerConfig } from './config.ts';

/** Where the server keeps the copies people share with reviewers: `<dataDir>/media`, under the PII key. */
export function sharedCopiesOf(config: Pick<ServerConfig, 'dataDir'>, keys: Keys): SharedCopies {
  return new SharedCopies(join(config.dataDir, 'media'), keys.pii);
}
