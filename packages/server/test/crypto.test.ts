import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/config-error.ts';
import { KEY_FILE_NAME, loadMasterKey } from '../src/config/master-key.ts';
import { deriveKeys } from '../src/crypto/keys.ts';
import { decryptJson, encryptJson } from '../src/crypto/pii.ts';

describe('PII encryption and keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'takedown-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a 0600 key file on first start and reads the same key afterwards', () => {
    const first = loadMasterKey({ dataDir: dir });
    const path = join(dir, KEY_FILE_NAME);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadMasterKey({ dataDir: dir }).equals(first)).toBe(true);
    expect(readFileSync(path, 'utf8')).not.toContain(first.toString('hex'));
  });

  it('takes TAKEDOWN_SECRET_KEY as base64 or hex, and refuses a short one', () => {
    const key = randomBytes(32);
    expect(loadMasterKey({ dataDir: dir, secretKey: key.toString('base64') }).equals(key)).toBe(true);
    expect(loadMasterKey({ dataDir: dir, secretKey: key.toString('hex') }).equals(key)).toBe(true);
    expect(() => loadMasterKey({ dataDir: dir, secretKey: 'short' })).toThrow(ConfigError);
  });

  it('round-trips with AES-256-GCM, binds the ciphertext to its row, and detects tampering', () => {
    const keys = deriveKeys(randomBytes(32));
    expect(keys.pii.current.key.equals(keys.pin)).toBe(false);
    const value = { name: 'Someone', statement: 'private' };
    const sealed = encryptJson(keys.pii, value, 'case:1');
    expect(sealed.toString('latin1')).not.toContain('private');
    expect(decryptJson(keys.pii, sealed, 'case:1')).toEqual(value);
    expect(() => decryptJson(keys.pii, sealed, 'case:2')).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1] ^= 1;
    expect(() => decryptJson(keys.pii, flipped, 'case:1')).toThrow();
    expect(encryptJson(keys.pii, value, 'case:1').equals(sealed)).toBe(false); // fresh nonce each time
  });
});
