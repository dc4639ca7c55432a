import { randomBytes } from 'node:crypto';
import { systemClock } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { changePlatformHosts } from '../src/services/platform-hosts.ts';
import { acknowledgeRemoval } from '../src/services/removal-acknowledgement.ts';
import { withdrawCase } from '../src/services/requester-case.ts';
import { queuePlatformEvents } from '../src/store/platform-events.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { testKeys, testSharedCopies, pinAttempt } from './helpers/fixtures.ts';
import { confirmItem, fileRequest } from './platform-helpers.ts';

// POST /v1/items/:id/removed is this service: the platform's word that stops the legal clock (§3(a)(3)(A)).
describe.each(backends)('a platform acknowledges a removal on $name', (backend) => {
  let db: TestDatabase;
  const keys = testKeys();
  beforeAll(async () => {
    db = await backend.create();
  });
  afterAll(async () => {
    await db?.drop();
  });

  /**
   * A request for one URL on a host the platform declares, confirmed by a reviewer, and the removal
   * instruction the platform was sent for it.
   */
  async function instructedItem(platformId: string) {
    const host = `h${randomBytes(6).toString('hex')}.pics.example`;
    expect(await changePlatformHosts(db.database, systemClock, platformId, { add: [host] }, 'test')).toMatchObject({ kind: 'ok' });
    const submitted = await fileRequest(db.database, keys, [{ url: `https://${host}/p/1` }]);
    const itemId = submitted.items[0].id;
    await confirmItem(db.database, itemId);
    await db.database.transaction((tx) => queuePlatformEvents(tx, new Date(), [{ platformId, type: 'item.remove', itemId, caseId: submitted.caseId, data: { itemId } }]));
    return { submitted, itemId };
  }

  const undelivered = (platformId: string, itemId: string) =>
    db.database.db.selectFrom('platform_events').select('id').where('platform_id', '=', platformId).where('item_id', '=', itemId).where('delivered_at', 'is', null).execute();
  const removals = (itemId: string) => db.database.db.selectFrom('audit_events').select('actor').where('action', '=', 'item.removed').where('item_id', '=', itemId).execute();
  const itemState = async (itemId: string) => (await db.database.db.selectFrom('items').select('state').where('id', '=', itemId).executeTakeFirstOrThrow()).state;

  it('stops the clock and settles the instruction together; a second acknowledgement changes nothing', async () => {
    const told = await addPlatformKey(db.database, systemClock, { name: `told${backend.name}` }, 'test');
    const { itemId } = await instructedItem(told.platformId);
    const first = await acknowledgeRemoval(db.database, systemClock, told, itemId, new Date());
    // The first one stopped the clock: it says for how long it ran (for the time-to-removal metric).
    expect(first).toEqual({ kind: 'ok', value: { itemState: 'removed', caseState: 'resolved', alreadyRemoved: false }, clock: { jurisdiction: 'US', seconds: expect.any(Number) } });
    expect(await undelivered(told.platformId, itemId)).toEqual([]);
    expect(await removals(itemId)).toEqual([{ actor: `platform:${told.keyId}` }]);

    const again = await acknowledgeRemoval(db.database, systemClock, told, itemId, new Date());
    expect(again).toEqual({ kind: 'ok', value: { itemState: 'removed', caseState: 'resolved', alreadyRemoved: true } });
    expect(await removals(itemId)).toHaveLength(1);
  });

  it('is refused to a platform that does not host the item, which learns nothing about it', async () => {
    const told = await addPlatformKey(db.database, systemClock, { name: `owner${backend.name}` }, 'test');
    const other = await addPlatformKey(db.database, systemClock, { name: `other${backend.name}` }, 'test');
    const { itemId } = await instructedItem(told.platformId);
    expect(await acknowledgeRemoval(db.database, systemClock, other, itemId, new Date())).toEqual({ kind: 'not_hosted' });
    expect(await acknowledgeRemoval(db.database, systemClock, other, '00000000-0000-4000-8000-000000000000', new Date())).toEqual({ kind: 'not_hosted' });
    expect(await itemState(itemId)).toBe('confirmed');
    expect(await removals(itemId)).toEqual([]);
    expect(await undelivered(told.platformId, itemId)).toHaveLength(1);
  });

  it('leaves a withdrawn item, and its instruction, as they were', async () => {
    const told = await addPlatformKey(db.database, systemClock, { name: `late${backend.name}` }, 'test');
    const { submitted, itemId } = await instructedItem(told.platformId);
    const ctx = { database: db.database, keys, clock: systemClock, sharedCopies: testSharedCopies(db.dataDir, keys) };
    expect((await withdrawCase(ctx, pinAttempt(submitted.caseNumber, submitted.pin))).kind).toBe('ok');
    // The withdrawal erased the item's address, and with it the route to the platform: nothing to acknowledge.
    const result = await acknowledgeRemoval(db.database, systemClock, told, itemId, new Date());
    expect(result).toEqual({ kind: 'not_hosted' });
    expect(await itemState(itemId)).toBe('withdrawn');
    expect(await removals(itemId)).toEqual([]);
    expect(await undelivered(told.platformId, itemId)).toHaveLength(1);
  });
});
