/**
 * Key rotation in the store: every ciphertext names its key, both keys read while a rotation runs, batches
 * stop and resume anywhere, and afterwards nothing is left under the old key (values and shared copies).
 */
import { randomBytes } from 'node:crypto';
import { ManualClock } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf } from '../src/crypto/key-ring.ts';
import { deriveKeys, formatKeySet, hashKeysOf, parseKeySet, withNewKey, withoutOlderKeys, type KeySet } from '../src/crypto/keys.ts';
import { decryptJson, encryptJson, sealedKeyId } from '../src/crypto/pii.ts';
import { submitRequest } from '../src/services/intake.ts';
import { keyUsage, leftToReseal, resealAll, resealBatch } from '../src/services/key-rotation.ts';
import { addPlatformKey, setWebhook } from '../src/services/platform-accounts.ts';
import { reviewItem } from '../src/services/review.ts';
import { viewCase } from '../src/services/requester-case.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { testSharedCopies, validRequest } from './helpers/fixtures.ts';

describe('key lists and key ids', () => {
  it('writes the key id into every ciphertext and still reads values from before key ids', () => {
    const master = randomBytes(32);
    const keys = deriveKeys(master);
    const sealed = encryptJson(keys.pii, { a: 1 }, 'case:x');
    expect(sealedKeyId(sealed)).toBe(keyIdOf(master));
    // A version-1 value (no key id) as earlier releases wrote it: version byte 1, then nonce, tag, ciphertext.
    const legacy = Buffer.concat([Buffer.from([1]), sealed.subarray(5)]);
    expect(decryptJson(keys.pii, legacy, 'case:x')).toEqual({ a: 1 });
  });

  it('keeps the keyed-hash keys across a rotation and a retirement, and round-trips the key file', () => {
    const first: KeySet = { masters: [randomBytes(32)] };
    const rotated = withNewKey(first);
    expect(rotated.masters).toHaveLength(2);
    expect(hashKeysOf(rotated)).toEqual(hashKeysOf(first));
    const retired = withoutOlderKeys(rotated);
    expect(retired.masters).toEqual([rotated.masters[0]]);
    expect(hashKeysOf(retired)).toEqual(hashKeysOf(first));
    expect(parseKeySet(formatKeySet(retired))).toEqual(retired);
    // TAKEDOWN_SECRET_KEY takes the same list with commas; anything malformed is refused as a whole.
    expect(parseKeySet(formatKeySet(rotated).trim().replaceAll('\n', ','))).toEqual(rotated);
    expect(parseKeySet(`${rotated.masters[0]!.toString('base64')},short`)).toBeUndefined();
    expect(parseKeySet('hash-keys:AAAA')).toBeUndefined();
  });
});

describe.each(backends)('key rotation on $name', (backend) => {
  let db: TestDatabase;
  const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
  const before: KeySet = { masters: [randomBytes(32)] };
  const after = withNewKey(before);
  const oldKeys = deriveKeys(before);
  const bothKeys = deriveKeys(after);
  const newKeys = deriveKeys(withoutOlderKeys(after));
  const cases: { caseNumber: string; pin: string; itemId: string }[] = [];
  let platformId: string;

  beforeAll(async () => {
    db = await backend.create();
    const copies = testSharedCopies(db.dataDir, oldKeys);
    for (let i = 0; i < 12; i += 1) {
      const submitted = await submitRequest(db.database, oldKeys, clock, validRequest(clock));
      cases.push({ caseNumber: submitted.caseNumber, pin: submitted.pin, itemId: submitted.items[0]!.id });
      if (i < 5) await copies.save(submitted.items[0]!.id, Buffer.from(`picture ${i}`));
    }
    platformId = (await addPlatformKey(db.database, clock, { name: `host-${backend.name}` }, 'test')).platformId;
    await setWebhook(db.database, oldKeys, clock, platformId, 'https://hooks.example.org/takedown', 'test');
  });
  afterAll(async () => {
    await db?.drop();
  });

  const reviewer = { userId: '00000000-0000-4000-8000-000000000001', actor: 'staff:sam', seesSenior: true };

  it('re-encrypts in batches that can stop anywhere; both keys read meanwhile; nothing is left under the old key', async () => {
    const oldId = keyIdOf(before.masters[0]!);
    const newId = keyIdOf(after.masters[0]!);
    const copies = testSharedCopies(db.dataDir, bothKeys);
    expect(await keyUsage(db.database, copies)).toEqual({ values: { [oldId]: 13 }, files: { [oldId]: 5 } });

    // One batch of 4, then the process "stops": a mix of keys, every value still readable with both keys.
    const first = await db.database.transaction((tx) => resealBatch(tx, bothKeys.pii, copies, 4));
    expect(first).toEqual({ values: 4, files: 4 });
    const mixed = await keyUsage(db.database, copies);
    expect(mixed.values).toEqual({ [oldId]: 9, [newId]: 4 });
    expect(mixed.files).toEqual({ [oldId]: 1, [newId]: 4 });
    const ctx = { database: db.database, keys: bothKeys, clock, sharedCopies: copies };
    for (const c of cases) expect((await viewCase(ctx, { caseNumber: c.caseNumber, pin: c.pin, client: '127.0.0.1' })).kind).toBe('ok');
    expect((await reviewItem(db.database, bothKeys, clock, reviewer, cases[0]!.itemId)).kind).toBe('ok');

    // Resumed: the rest, with progress after each batch.
    const progress: number[] = [];
    const rest = await resealAll(db.database, bothKeys.pii, copies, { batchSize: 4, onProgress: (_done, left) => progress.push(left) });
    expect(rest).toEqual({ values: 9, files: 1 });
    expect(progress.at(-1)).toBe(0);
    const done = await keyUsage(db.database, copies);
    expect(done).toEqual({ values: { [newId]: 13 }, files: { [newId]: 5 } });
    expect(leftToReseal(done, newId)).toBe(0);

    // With the old key gone, everything still opens: PINs (same hash keys), statements, copies, the webhook secret.
    const newCopies = testSharedCopies(db.dataDir, newKeys);
    const newCtx = { database: db.database, keys: newKeys, clock, sharedCopies: newCopies };
    for (const c of cases) expect((await viewCase(newCtx, { caseNumber: c.caseNumber, pin: c.pin, client: '127.0.0.1' })).kind).toBe('ok');
    for (let i = 0; i < 5; i += 1) expect((await newCopies.open(cases[i]!.itemId))?.toString()).toBe(`picture ${i}`);
    expect((await reviewItem(db.database, newKeys, clock, reviewer, cases[0]!.itemId)).kind).toBe('ok');
  });
});
