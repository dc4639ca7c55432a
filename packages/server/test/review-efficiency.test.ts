import { randomBytes } from 'node:crypto';
import { ManualClock, MINUTE_MS, type RemovalRequestInput } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { submitRequest } from '../src/services/intake.ts';
import { addItems, withdrawCase } from '../src/services/requester-case.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { pinAttempt, testSharedCopies, validRequest } from './helpers/fixtures.ts';
import { platformTestConfig } from './platform-helpers.ts';

const PASSWORD = 'correct horse battery staple';
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

// Issue 17, item 4: bulk decisions on a case, decide-and-next, markers, and repeats linked instead of penalised.
describe.each(backends)('reviewer efficiency on $name', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let keys: ReturnType<typeof platformTestConfig>['keys'];
  const clock = new ManualClock(new Date('2026-09-01T08:00:00Z'));
  let riley: Record<string, string>;
  let sam: Record<string, string>;

  async function signIn(username: string): Promise<Record<string, string>> {
    const response = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username, password: PASSWORD } });
    expect(response.statusCode).toBe(200);
    const cookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    return { cookie, 'x-csrf-token': response.json().csrfToken };
  }

  beforeAll(async () => {
    db = await backend.create();
    const test = platformTestConfig(db.dataDir, { intakeRateLimit: { max: 1000, windowMs: 60_000 } });
    keys = test.keys;
    app = await buildApp(test.config, { database: db.database, keys, clock });
    await createStaffUser(db.database, clock, { username: 'riley', role: 'reviewer', password: PASSWORD }, 'test');
    await createStaffUser(db.database, clock, { username: 'sam', role: 'senior', password: PASSWORD }, 'test');
    riley = await signIn('riley');
    sam = await signIn('sam');
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  /** A request filed a minute after the previous one (so deadlines order the queue). */
  async function file(overrides: Partial<RemovalRequestInput>) {
    clock.advance(MINUTE_MS);
    return submitRequest(db.database, keys, clock, validRequest(clock, overrides));
  }
  const item = async (id: string, who = sam) => (await app.inject({ method: 'GET', url: `/v1/review/items/${id}`, headers: who })).json().item;
  const queue = async (who: Record<string, string>, query = '') => (await app.inject({ method: 'GET', url: `/v1/review/queue?${query}`, headers: who })).json().items as { itemId: string; caseNumber: string; queue: string; markers: string[]; repeatOf?: { kind: string; caseNumber: string } }[];

  it('links three identical requests from one person as duplicates of the first, without sending them to senior review', async () => {
    const email = `same.${hex(3)}@example.org`;
    const content = { url: `https://pics.example/p/${hex(4)}`, hashes: { sha256: hex(32) } };
    const first = await file({ contact: { email }, items: [content] });
    // The same picture by its hash only, then by its address (written differently) only: both the same content.
    const second = await file({ contact: { email }, items: [{ hashes: content.hashes }] });
    const third = await file({ contact: { email: email.toUpperCase() }, items: [{ url: content.url.replace('https://pics', 'https://PICS') + '#x' }] });
    const other = await file({ contact: { email: `other.${email}` }, items: [content] });
    const listed = await queue(riley, 'queue=standard&limit=999');
    const byId = new Map(listed.map((e) => [e.itemId, e]));
    expect(byId.get(first.items[0].id)?.repeatOf).toBeUndefined();
    for (const repeat of [second, third]) {
      expect(byId.get(repeat.items[0].id)).toMatchObject({ queue: 'standard', markers: ['duplicate'], repeatOf: { kind: 'duplicate', caseNumber: first.caseNumber, itemId: first.items[0].id, position: 0 } });
    }
    // Another person's request for the same content is theirs: not linked.
    expect(byId.get(other.items[0].id)?.repeatOf).toBeUndefined();
    // Nothing in the clear: only keyed hashes of 64 hex digits.
    const stored = await db.database.db.selectFrom('item_repeat_keys').select(['key']).where('item_id', '=', first.items[0].id).execute();
    expect(stored).toHaveLength(2);
    for (const row of stored) expect(row.key.trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes a request asked again after a decline or a withdrawal into the standard queue, linked to the earlier case', async () => {
    const email = `again.${hex(3)}@example.org`;
    const pdq = { pdq: 'a5'.repeat(32) };
    const declined = await file({ contact: { email }, items: [{ hashes: pdq }] });
    const decline = await app.inject({ method: 'POST', url: `/v1/review/items/${declined.items[0].id}/decision`, headers: riley, payload: { decision: 'decline', reason: 'insufficient_information' } });
    expect(decline.statusCode).toBe(200);
    expect(decline.json().caseState).toBe('rejected');

    const again = await file({ contact: { email }, items: [{ hashes: pdq }] });
    expect(await item(again.items[0].id)).toMatchObject({ queue: 'standard', markers: ['resubmission'], repeatOf: { kind: 'resubmission', caseNumber: declined.caseNumber } });
    const route = await db.database.db.selectFrom('audit_events').select(['data']).where('action', '=', 'case.routed').where('case_id', '=', (await db.database.db.selectFrom('cases').select('id').where('case_number', '=', again.caseNumber).executeTakeFirstOrThrow()).id).executeTakeFirstOrThrow();
    expect(route.data).toMatchObject({ queue: 'standard', reasons: [] });
    // Something new from the same person still meets the safeguard: a past rejection sends it to senior review.
    const fresh = await file({ contact: { email }, items: [{ url: `https://pics.example/new/${hex(4)}` }] });
    expect(await item(fresh.items[0].id)).toMatchObject({ queue: 'senior', routeReasons: ['past_rejections'] });
    // The same picture added later to that case is linked too.
    const ctxFresh = { database: db.database, keys, clock, sharedCopies: testSharedCopies(db.dataDir, keys) };
    const grown = await addItems(ctxFresh, pinAttempt(fresh.caseNumber, fresh.pin), { items: [{ hashes: pdq }] });
    if (grown.kind !== 'ok') throw new Error(JSON.stringify(grown));
    const addedId = (await db.database.db.selectFrom('items').innerJoin('cases', 'cases.id', 'items.case_id').select('items.id').where('cases.case_number', '=', fresh.caseNumber).where('items.position', '=', 1).executeTakeFirstOrThrow()).id;
    expect((await item(addedId)).repeatOf).toMatchObject({ kind: 'duplicate', caseNumber: again.caseNumber });

    // Withdrawn (personal data erased at once): asked again by hash, still linked; the keyed address is gone.
    const url = `https://pics.example/w/${hex(4)}`;
    const withdrawn = await file({ contact: { email: `w.${email}` }, items: [{ url, hashes: { md5: hex(16) } }] });
    const ctx = { database: db.database, keys, clock, sharedCopies: testSharedCopies(db.dataDir, keys) };
    expect((await withdrawCase(ctx, pinAttempt(withdrawn.caseNumber, withdrawn.pin))).kind).toBe('ok');
    expect(await db.database.db.selectFrom('item_repeat_keys').select('from_url').where('item_id', '=', withdrawn.items[0].id).execute()).toEqual([{ from_url: false }]);
    const md5 = (await db.database.db.selectFrom('items').select('signals').where('id', '=', withdrawn.items[0].id).executeTakeFirstOrThrow()).signals;
    const back = await file({ contact: { email: `w.${email}` }, items: [{ hashes: { md5: JSON.parse(md5).md5 } }] });
    expect(await item(back.items[0].id)).toMatchObject({ queue: 'standard', repeatOf: { kind: 'resubmission', caseNumber: withdrawn.caseNumber } });
  });

  it('marks a shared copy, a video and a minor in the queue and on the item', async () => {
    const shared = await file({ shareMedia: true, items: [{ hashes: { sha256: hex(32) }, mediaType: 'video' }] });
    expect((await item(shared.items[0].id)).markers).toEqual(['shared_copy', 'video']);
    const minor = await file({ shareMedia: true, under18WhenMade: true, items: [{ hashes: { sha256: hex(32) } }] });
    const senior = await queue(sam, 'queue=senior');
    expect(senior.find((e) => e.itemId === minor.items[0].id)?.markers).toEqual(['minor']);
  });

  it('decides every item of a case at once, each audited, all or none, and names the next item', async () => {
    const three = await file({ items: [1, 2, 3].map((n) => ({ url: `https://pics.example/bulk/${n}/${hex(3)}` })) });
    const ids = three.items.map((i) => i.id);
    const url = `/v1/review/cases/${three.caseNumber}/decision`;
    // One of them decided since the reviewer loaded the case: nothing is decided.
    expect((await app.inject({ method: 'POST', url: `/v1/review/items/${ids[2]}/decision`, headers: riley, payload: { decision: 'confirm' } })).statusCode).toBe(200);
    const stale = await app.inject({ method: 'POST', url, headers: riley, payload: { decision: 'decline', reason: 'duplicate', itemIds: ids } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('items_changed');
    expect((await item(ids[0])).state).toBe('pending');
    // Bad input says what to fix.
    const noReason = await app.inject({ method: 'POST', url, headers: riley, payload: { decision: 'decline', itemIds: ids.slice(0, 2) } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');
    const foreign = await app.inject({ method: 'POST', url, headers: riley, payload: { decision: 'confirm', itemIds: [ids[0], randomUUIDLike()] } });
    expect(foreign.statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/v1/review/cases/TD-0000-0000/decision', headers: riley, payload: { decision: 'confirm', itemIds: ids } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/v1/review/cases/nonsense/decision', headers: riley, payload: { decision: 'confirm', itemIds: ids } })).statusCode).toBe(404);

    const done = await app.inject({ method: 'POST', url, headers: riley, payload: { decision: 'decline', reason: 'not_on_platform', note: 'Gone when checked.', itemIds: ids.slice(0, 2) } });
    expect(done.statusCode).toBe(200);
    const body = done.json();
    expect(body.decided).toEqual([{ itemId: ids[0], itemState: 'declined' }, { itemId: ids[1], itemState: 'declined' }]);
    const caseId = (await db.database.db.selectFrom('cases').select('id').where('case_number', '=', three.caseNumber).executeTakeFirstOrThrow()).id;
    const audit = await db.database.db.selectFrom('audit_events').select(['action', 'item_id', 'reason', 'actor']).where('case_id', '=', caseId).where('action', 'in', ['item.declined', 'case.bulk_decision']).orderBy('seq').execute();
    expect(audit).toEqual([
      { action: 'item.declined', item_id: ids[0], reason: expect.stringContaining('Gone when checked.'), actor: 'staff:riley' },
      { action: 'item.declined', item_id: ids[1], reason: expect.stringContaining('Gone when checked.'), actor: 'staff:riley' },
      { action: 'case.bulk_decision', item_id: null, reason: 'not_on_platform', actor: 'staff:riley' },
    ]);
    // Decide-and-next: the next item is the top of the standard queue's undecided items.
    const top = (await queue(riley, 'queue=standard&state=pending'))[0];
    expect(body.next).toEqual({ itemId: top.itemId, caseNumber: top.caseNumber });
    const single = await app.inject({ method: 'POST', url: `/v1/review/items/${top.itemId}/decision`, headers: riley, payload: { decision: 'confirm' } });
    const following = (await queue(riley, 'queue=standard&state=pending'))[0];
    expect(single.json().next).toEqual(following ? { itemId: following.itemId, caseNumber: following.caseNumber } : null);
    expect(single.json().next?.itemId).not.toBe(top.itemId);
  });
});

function randomUUIDLike(): string {
  const h = hex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
