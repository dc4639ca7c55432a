import type { PinAttempt } from '../../src/services/requester-case.ts';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { deriveKeys, type Keys } from '../../src/crypto/keys.ts';
import { SharedCopies } from '../../src/media/shared-copies.ts';

export { PII, requestBody, validRequest } from '@takedown/testing/requests';

export function testKeys(): Keys {
  return deriveKeys(randomBytes(32));
}

/** The shared copies of a test's data dir, where the server keeps them (`<dataDir>/media`). */
export function testSharedCopies(dataDir: string, keys: Keys): SharedCopies {
  return new SharedCopies(join(dataDir, 'media'), keys.pii);
}

/** A requester's try at a case, from one address (guesses are counted per client network). */
export function pinAttempt(caseNumber: string, pin: string, client = '192.0.2.10'): PinAttempt {
  return { caseNumber, pin, client };
}
