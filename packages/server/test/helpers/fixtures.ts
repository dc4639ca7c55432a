import { randomBytes } from 'node:crypto';
import { deriveKeys, type Keys } from '../../src/crypto/keys.ts';

export { PII, requestBody, validRequest } from '@takedown/testing/requests';

export function testKeys(): Keys {
  return deriveKeys(randomBytes(32));
}
