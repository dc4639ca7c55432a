/**
 * The requester withdraws one item of their case (issue 17): that item stops, its link, the link in webhook
 * events and the picture they shared are deleted, and nothing of the other items is touched; platforms told to
 * remove it hear `item.restore`; the case follows its items (all withdrawn: the case is withdrawn and its
 * statements and contact go too). Refusals are clear 4xx: a wrong PIN, an unknown item, a second withdrawal,
 * an item already removed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { createWorker } from '../src/jobs/handlers.ts';
import type { ServerJobs } from '../src/jobs/server-jobs.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { upsertContent } from '../src/services/platform-content.ts';
import { acknowledgeRemoval } from '../src/services/removal-acknowledgement.ts';
import { DECISION_FOLLOW_JOB } from '../src/services/webhook-decisions.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { requestBody } from './helpers/fixtures.ts';
import { confirmItem, contentEntries, platformTestConfig } from './platform-helpers.ts';

describe.each(backends)('withdrawing one item on $name', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let worker: ServerJobs;
  let platformId: string;
  const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));

  beforeAll(async () => {
    db = await backend.create();
    const { config, keys } = platformTestConfig(db.dataDir, { intakeRateLimit: { max: 1000, windowMs: 60_000 } });
    app = await buildApp(config, { database: db.database, keys, clock });
    worker = createWorker({ config, database: db.database, clock, keys, platform: app.services.platform });
    platformId = (await addPlatformKey(db.database, clock, { name: `items${backend.name}` }, 'test')).platformId;
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const copiesOnDisk = (itemId: string) =>
    readdirSync(db.dataDir, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.includes(itemId))
      .map((entry) => join(entry.parentPath, entry.name));

  const withdraw = (caseNumber: string, pin: string, itemId: string) =>
    app.inject({ method: 'POST', url: `/v1/cases/${caseNumber}/items/${itemId}/withdraw`, headers: { 'takedown-case-pin': pin } });

  /** A picture the platform hosts (found by its bytes), with a marker in its bytes so its copy can be looked for. */
  async function hostedPicture(tag: string, colour: string) {
    const bytes = Buffer.concat([await sharp({ create: { width: 40, height: 40, channels: 3, background: colour } }).png().toBuffer(), Buffer.from(`MARKER-${tag}`)]);
    const md5 = createHash('md5').update(bytes).digest('hex');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await upsertContent(db.database, platformId, contentEntries([{ contentId: `post-${tag}`, url: `https://items.example.net/p/${tag}`, md5 }]), clock.now());
    return { bytes, hashes: { md5, sha256 } };
  }

  /** A case of three items: two links with a shared picture each (the first confirmed, the platform told), one link alone. */
  async function threeItems() {
    const tag = randomBytes(5).toString('hex');
    const first = await hostedPicture(`${tag}a`, '#a85');
    const second = await hostedPicture(`${tag}b`, '#58a');
    const urls = [`https://items.example.net/post/${tag}-one`, `https://items.example.net/post/${tag}-two`, `https://items.example.net/post/${tag}-three`];
    const submitted = await app.inject({
      method: 'POST',
      url: '/v1/requests',
      payload: requestBody({ items: [{ url: urls[0], hashes: first.hashes, mediaType: 'image' }, { url: urls[1], hashes: second.hashes, mediaType: 'image' }, { url: urls[2] }], shareMedia: true }, clock.now()) as object,
    });
    expect(submitted.statusCode).toBe(201);
    const { caseNumber, pin, items } = submitted.json() as { caseNumber: string; pin: string; items: { id: string }[] };
    const ids = items.map((item) => item.id);
    for (const [index, picture] of [first, second].entries()) {
      const shared = await app.inject({ method: 'POST', url: `/v1/cases/${caseNumber}/items/${ids[index]}/media`, headers: { 'content-type': 'image/png', 'takedown-case-pin': pin }, payload: picture.bytes });
      expect(shared.statusCode).toBe(201);
    }
    await confirmItem(db.database, ids[0], clock);
    await worker.drain();
    return { caseNumber, pin, ids, urls };
  }

  const eventsOf = (itemId: string) => db.database.transaction((tx) => tx.selectFrom('platform_events').select(['type', 'payload']).where('item_id', '=', itemId).orderBy('created_at').execute());

  it('deletes that item’s link and shared picture and nothing else; the platform hears item.restore; a wrong PIN and a second try are refused', async () => {
    const { caseNumber, pin, ids, urls } = await threeItems();
    expect((await eventsOf(ids[0])).map((e) => [e.type, (e.payload.data as { url?: string }).url])).toEqual([['item.remove', urls[0]]]);
    expect(copiesOnDisk(ids[0])).toHaveLength(1);

    // A wrong PIN changes nothing, and says only what a wrong PIN says.
    const wrong = await withdraw(caseNumber, pin === '000000' ? '111111' : '000000', ids[0]);
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().error.code).toBe('not_found');
    const noPin = await app.inject({ method: 'POST', url: `/v1/cases/${caseNumber}/items/${ids[0]}/withdraw` });
    expect(noPin.statusCode).toBe(400);
    expect(copiesOnDisk(ids[0])).toHaveLength(1);

    const done = await withdraw(caseNumber, pin, ids[0]);
    expect(done.statusCode).toBe(200);
    const status = done.json() as { state: string; items: { id: string; state: string; url?: string; mediaType?: string }[] };
    expect(status.state).toBe('in_review');
    expect(status.items.map((i) => [i.state, i.url, i.mediaType])).toEqual([
      ['withdrawn', undefined, 'image'],
      ['pending', urls[1], 'image'],
      ['pending', urls[2], undefined],
    ]);
    expect(done.body).not.toContain(urls[0]);

    // That item's personal data is gone; the other items' and the case's are kept.
    expect(copiesOnDisk(ids[0])).toEqual([]);
    expect(copiesOnDisk(ids[1])).toHaveLength(1);
    const rows = await db.database.transaction((tx) => tx.selectFrom('items').select(['id', 'url']).where('id', 'in', ids).execute());
    expect(Object.fromEntries(rows.map((r) => [r.id, r.url]))).toEqual({ [ids[0]]: null, [ids[1]]: urls[1], [ids[2]]: urls[2] });
    const caseRow = await db.database.transaction((tx) => tx.selectFrom('cases').select(['pii', 'pii_deleted_at', 'state']).where('case_number', '=', caseNumber).executeTakeFirstOrThrow());
    expect(caseRow.pii).not.toBeNull();
    expect(caseRow.pii_deleted_at).toBeNull();
    expect((await eventsOf(ids[0])).map((e) => (e.payload.data as { url?: string }).url)).toEqual([undefined]);
    const audit = await db.database.transaction((tx) => tx.selectFrom('audit_events').select(['action', 'actor', 'reason']).where('item_id', '=', ids[0]).where('action', 'in', ['item.withdrawn', 'pii.deleted']).orderBy('seq').execute());
    expect(audit).toEqual([
      { action: 'item.withdrawn', actor: 'requester', reason: null },
      { action: 'pii.deleted', actor: 'system', reason: 'the requester withdrew this item' },
    ]);

    // The platform told to remove it is told to put it back, as for each item of a withdrawn case.
    await db.database.transaction((tx) => tx.updateTable('jobs').set({ run_at: clock.now() }).where('kind', '=', DECISION_FOLLOW_JOB).where('done_at', 'is', null).execute());
    await worker.drain();
    expect((await eventsOf(ids[0])).map((e) => [e.type, (e.payload.data as { reason?: string }).reason])).toEqual([
      ['item.remove', undefined],
      ['item.restore', 'withdrawn by the requester'],
    ]);
    expect(await eventsOf(ids[1])).toEqual([]);

    // Twice is a clear 409; an item of no case of theirs is a 404 that is not the wrong-PIN answer.
    const again = await withdraw(caseNumber, pin, ids[0]);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('item_already_withdrawn');
    const unknown = await withdraw(caseNumber, pin, '0b6f7c1e-3c2a-4d5e-9f10-2a3b4c5d6e7f');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('item_not_found');
    const badId = await withdraw(caseNumber, pin, 'not-an-id');
    expect(badId.statusCode).toBe(400);
    // No copy is taken again for a withdrawn item.
    const shareAgain = await app.inject({
      method: 'POST',
      url: `/v1/cases/${caseNumber}/items/${ids[0]}/media`,
      headers: { 'content-type': 'image/png', 'takedown-case-pin': pin },
      payload: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer(),
    });
    expect(shareAgain.statusCode).toBe(409);
    expect(shareAgain.json().error.code).toBe('item_already_withdrawn');
    expect(copiesOnDisk(ids[0])).toEqual([]);

    // The last items withdrawn: the case is withdrawn, and its statements and contact go as for a case withdrawal.
    expect((await withdraw(caseNumber, pin, ids[1])).json().state).toBe('in_review');
    expect(copiesOnDisk(ids[1])).toEqual([]);
    const last = await withdraw(caseNumber, pin, ids[2]);
    expect(last.statusCode).toBe(200);
    expect(last.json()).toMatchObject({ state: 'withdrawn', items: [{ state: 'withdrawn' }, { state: 'withdrawn' }, { state: 'withdrawn' }] });
    const closed = await db.database.transaction((tx) => tx.selectFrom('cases').select(['pii', 'pii_deleted_at', 'closed_at']).where('case_number', '=', caseNumber).executeTakeFirstOrThrow());
    expect(closed).toMatchObject({ pii: null, pii_deleted_at: expect.any(Date), closed_at: expect.any(Date) });
    const caseAudit = await db.database.transaction((tx) =>
      tx.selectFrom('audit_events').innerJoin('cases', 'cases.id', 'audit_events.case_id').select('action').where('cases.case_number', '=', caseNumber).where('action', '=', 'case.withdrawn').execute(),
    );
    expect(caseAudit).toHaveLength(1);
  });

  it('keeps a case received while one item is withdrawn, and refuses an item already removed', async () => {
    const tag = randomBytes(5).toString('hex');
    const picture = await hostedPicture(tag, '#5a8');
    const submitted = await app.inject({
      method: 'POST',
      url: '/v1/requests',
      payload: requestBody({ items: [{ hashes: picture.hashes, mediaType: 'video' }, { url: `https://items.example.net/post/${tag}` }] }, clock.now()) as object,
    });
    const { caseNumber, pin, items } = submitted.json() as { caseNumber: string; pin: string; items: { id: string }[] };
    const second = await withdraw(caseNumber, pin, items[1].id);
    expect(second.json()).toMatchObject({ state: 'received', items: [{ state: 'pending', mediaType: 'video' }, { state: 'withdrawn' }] });

    await confirmItem(db.database, items[0].id, clock);
    await worker.drain();
    expect((await acknowledgeRemoval(db.database, clock, { platformId, keyId: 'test' }, items[0].id, clock.now())).kind).toBe('ok');
    const removed = await withdraw(caseNumber, pin, items[0].id);
    expect(removed.statusCode).toBe(409);
    expect(removed.json().error).toMatchObject({ code: 'item_decided', message: expect.stringMatching(/already removed/) });
  });
});
