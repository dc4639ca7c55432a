import { createHash } from 'node:crypto';
import { systemClock } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker } from '../src/jobs/handlers.ts';
import type { ServerJobs } from '../src/jobs/server-jobs.ts';
import { BankIndex } from '../src/platform/bank-index.ts';
import { ContentIndex } from '../src/platform/content-index.ts';
import { PlatformRuntime } from '../src/services/platform-runtime.ts';
import { openDatabase, type OpenDatabase } from '../src/store/database.ts';
import { addPlatformKey, authenticatePlatformKey, revokePlatformKey, setWebhook, PlatformInputError } from '../src/services/platform-accounts.ts';
import { addBankHashes, ensureBank, exportBankHashes, listBanks, removeBankHashes, updateBank } from '../src/services/platform-banks.ts';
import { deleteContent, upsertContent } from '../src/services/platform-content.ts';
import { IndexFollower } from '../src/services/index-follower.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { DECISION_FOLLOW_JOB, ensureDecisionFollower } from '../src/services/webhook-decisions.ts';
import { viewCase, withdrawCase } from '../src/services/requester-case.ts';
import { decideItem, reviewQueue } from '../src/services/review.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { testSharedCopies, pinAttempt } from './helpers/fixtures.ts';
import { confirmItem, contentEntries, fileRequest, platformTestConfig } from './platform-helpers.ts';

/** A random-looking PDQ hash for a seed (independent hashes are ~128 bits apart). */
const pdq = (seed: number) => createHash('sha256').update(`pdq ${seed}`).digest('hex');
const flip = (hash: string, bits: number) => (BigInt(`0x${hash}`) ^ ((1n << BigInt(bits)) - 1n)).toString(16).padStart(64, '0');

for (const backend of backends) {
  describe(`platform store (${backend.name})`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await backend.create();
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('stores API keys hashed, authenticates them, and stops accepting them once revoked', async () => {
      const key = await addPlatformKey(db.database, systemClock, { name: 'pics', scopes: ['check', 'content'] }, 'test');
      const stored = await db.database.db.selectFrom('platform_keys').selectAll().where('id', '=', key.keyId).executeTakeFirstOrThrow();
      // The secret is the last 43 characters (base64url may itself hold "_", so splitting on it is not enough).
      expect(JSON.stringify(stored)).not.toContain(key.token.slice(-43));
      expect(await authenticatePlatformKey(db.database, key.token)).toMatchObject({ platformName: 'pics', scopes: ['check', 'content'] });
      expect(await authenticatePlatformKey(db.database, key.token.replace(/.$/, '_'))).toBeUndefined();
      expect(await revokePlatformKey(db.database, systemClock, key.keyId, 'test')).toBe(true);
      expect(await authenticatePlatformKey(db.database, key.token)).toBeUndefined();
      await expect(addPlatformKey(db.database, systemClock, { name: 'Bad Name!' }, 'test')).rejects.toThrow(PlatformInputError);
      await expect(addPlatformKey(db.database, systemClock, { name: 'pics', scopes: ['everything'] }, 'test')).rejects.toThrow(/Unknown scope/);
    });

    it('upserts content idempotently and follows it, with banks, into memory (also from another connection)', async () => {
      const { platformId } = await addPlatformKey(db.database, systemClock, { name: 'follow' }, 'test');
      const banks = new BankIndex();
      const content = new ContentIndex();
      const follower = new IndexFollower(db.database, banks, content);
      await follower.load();
      const now = new Date();
      const entries = Array.from({ length: 300 }, (_, i) => ({ contentId: `c${i}`, pdq: pdq(i), pdqQuality: 90, md5: i.toString(16).padStart(32, '0') }));
      expect(await upsertContent(db.database, platformId, contentEntries(entries), now)).toEqual({ inserted: 300, updated: 0, unchanged: 0 });
      expect(await upsertContent(db.database, platformId, contentEntries(entries), now)).toEqual({ inserted: 0, updated: 0, unchanged: 300 });
      expect(await upsertContent(db.database, platformId, contentEntries([{ ...entries[0], pdq: pdq(999) }]), now)).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
      await follower.sync();
      expect(content.size).toBe(300);
      expect(content.search({ pdq: { hash: pdq(999) } })[0].entry.contentId).toBe('c0');
      expect(await deleteContent(db.database, platformId, 'c1', now)).toBe(true);
      expect(await deleteContent(db.database, platformId, 'c1', now)).toBe(false);
      await follower.sync();
      expect(content.size).toBe(299);

      // A second connection (another replica, or the CLI) imports a list: the first process sees it at its next sync.
      const second: OpenDatabase = db.databaseUrl ? await openDatabase({ databaseUrl: db.databaseUrl, dataDir: db.dataDir }) : db.database;
      try {
        await ensureBank(second, systemClock, 'partner', 'test');
        const hashes = [{ signal: 'pdq', value: { hash: pdq(5000) } }, { signal: 'md5', value: 'ab'.repeat(16) }, { signal: 'pdq', value: { hash: pdq(5000) } }];
        expect(await addBankHashes(second, systemClock, 'partner', hashes.slice(0, 2), 'test')).toEqual({ added: 2, alreadyPresent: 0 });
        expect(await addBankHashes(second, systemClock, 'partner', hashes, 'test')).toEqual({ added: 0, alreadyPresent: 3 });
      } finally {
        if (second !== db.database) await second.close();
      }
      await follower.sync();
      expect(banks.lookup({ pdq: { hash: flip(pdq(5000), 3) } })).toMatchObject([{ bankName: 'partner', match: { distance: 3 }, confirmedItem: false }]);
      expect(banks.lookup({ md5: 'ab'.repeat(16) })).toHaveLength(1);
      expect(await removeBankHashes(db.database, systemClock, 'partner', [{ signal: 'md5', value: 'ab'.repeat(16) }], 'test')).toBe(1);
      await follower.sync();
      expect(banks.lookup({ md5: 'ab'.repeat(16) })).toEqual([]);
      expect(await exportBankHashes(db.database, 'partner')).toEqual([{ signal: 'pdq', value: { hash: pdq(5000) } }]);
      await follower.stop();
    });

    it('applies another connection\'s bank changes at once on their notification, without waiting for a poll', async () => {
      const banks = new BankIndex();
      const follower = new IndexFollower(db.database, banks, new ContentIndex());
      await follower.load();
      const errors: Error[] = [];
      follower.start(600_000, (error) => errors.push(error)); // the timer would take ten minutes
      const second: OpenDatabase = db.databaseUrl ? await openDatabase({ databaseUrl: db.databaseUrl, dataDir: db.dataDir }) : db.database;
      try {
        await new Promise((resolve) => setTimeout(resolve, 200)); // the listening connection is set up
        await ensureBank(second, systemClock, 'partner', 'test');
        const started = Date.now();
        await addBankHashes(second, systemClock, 'partner', [{ signal: 'pdq', value: { hash: pdq(7000) } }], 'test');
        while (banks.lookup({ pdq: { hash: pdq(7000) } }).length === 0 && Date.now() - started < 2_000) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(banks.lookup({ pdq: { hash: pdq(7000) } })).toMatchObject([{ bankName: 'partner', match: { distance: 0 } }]);
        expect(Date.now() - started).toBeLessThan(1_000);
      } finally {
        if (second !== db.database) await second.close();
        await follower.stop();
      }
      expect(errors).toEqual([]);
    });

    it('keeps thresholds within their limits and audits every change', async () => {
      await expect(updateBank(db.database, systemClock, 'confirmed', { thresholds: { pdq: { blockBits: 12 } } }, 'test')).rejects.toThrow(/0 to 10/);
      await expect(updateBank(db.database, systemClock, 'nope', { enabled: false }, 'test')).rejects.toThrow(/no bank/);
      const updated = await updateBank(db.database, systemClock, 'confirmed', { thresholds: { pdq: { blockBits: 6, reviewBits: 24 } } }, 'test');
      expect(updated.thresholds).toEqual({ pdq: { blockBits: 6, reviewBits: 24 }, md5: { block: true }, sha256: { block: true }, vpdq: { queryPercent: 80, comparedPercent: 0 }, url: { block: false } });
      expect((await listBanks(db.database)).find((b) => b.name === 'confirmed')?.thresholds.pdq).toEqual({ blockBits: 6, reviewBits: 24 });
      const audit = await db.database.db.selectFrom('audit_events').select(['data']).where('action', '=', 'bank.updated').orderBy('seq', 'desc').executeTakeFirstOrThrow();
      expect(audit.data).toMatchObject({ before: { thresholds: { pdq: { blockBits: 10 } } }, after: { thresholds: { pdq: { blockBits: 6, reviewBits: 24 } } } });
      await updateBank(db.database, systemClock, 'confirmed', { thresholds: { pdq: { blockBits: 10, reviewBits: 31 } } }, 'test');
      expect((await listBanks(db.database)).map((b) => b.name)).toEqual(['confirmed', 'partner']);
      await expect(addBankHashes(db.database, systemClock, 'confirmed', [{ signal: 'pdq', value: { hash: pdq(1) } }], 'test')).rejects.toThrow(/confirmed items only/);
    });

    it('a request that names only a URL: the hosted original\'s hashes are banked and find its copies', async () => {
      const { config, keys } = platformTestConfig(db.dataDir);
      const runtime = new PlatformRuntime(db.database, config.platform);
      await runtime.open();
      const worker: ServerJobs = createWorker({ config, database: db.database, clock: systemClock, keys, platform: runtime });
      try {
        const { platformId } = await addPlatformKey(db.database, systemClock, { name: 'urlonly' }, 'test');
        await setWebhook(db.database, keys, systemClock, platformId, 'https://urlonly.example/hooks', 'test');
        const base = pdq(424_242);
        await upsertContent(db.database, platformId, contentEntries([
          { contentId: 'orig', url: 'https://urlonly.example/p/orig', pdq: base, pdqQuality: 95, sha256: 'cd'.repeat(32) },
          { contentId: 'copy', url: 'https://urlonly.example/p/copy', pdq: flip(base, 4), pdqQuality: 95 },
        ]), new Date());
        await runtime.sync();
        const submitted = await fileRequest(db.database, keys, [{ url: 'https://urlonly.example/p/orig' }]);
        await confirmItem(db.database, submitted.items[0].id);
        await worker.drain();
        const items = await db.database.db.selectFrom('items').select(['state', 'url']).where('case_id', '=', submitted.caseId).orderBy('position').execute();
        // The near copy (4 bits) is found through the original's hash; online content is only actioned
        // without a person when it is an exact copy (docs/decisions/004-automatic-action.md), so it waits for one.
        expect(items).toEqual([{ state: 'confirmed', url: 'https://urlonly.example/p/orig' }, { state: 'pending', url: 'https://urlonly.example/p/copy' }]);
        await runtime.sync();
        expect(runtime.banks.lookup({ sha256: 'cd'.repeat(32) })).toMatchObject([{ itemId: submitted.items[0].id, confirmedItem: true }]);
      } finally {
        await worker.stop();
        await runtime.close();
      }
    });

    it('on confirmation: banks the item, sweeps the content index and queues signed removal events, in the job transaction', async () => {
      const { config, keys } = platformTestConfig(db.dataDir);
      const runtime = new PlatformRuntime(db.database, config.platform);
      await runtime.open();
      const worker: ServerJobs = createWorker({ config, database: db.database, clock: systemClock, keys, platform: runtime });
      try {
        const { platformId } = await addPlatformKey(db.database, systemClock, { name: 'sweepme' }, 'test');
        await setWebhook(db.database, keys, systemClock, platformId, 'https://sweepme.example/hooks', 'test');
        const base = pdq(777_777);
        const now = new Date();
        await upsertContent(db.database, platformId, contentEntries([
          { contentId: 'same', url: 'https://sweepme.example/p/same', pdq: base, pdqQuality: 90 },
          { contentId: 'reencoded', pdq: base, pdqQuality: 90, md5: 'ef'.repeat(16) },
          // A platform's entry may carry any address, a phishing page included: it is shown as the platform's claim.
          { contentId: 'near', url: 'https://sweepme.example/login-to-see-your-photo', pdq: flip(base, 6), pdqQuality: 90 },
          { contentId: 'lookalike', pdq: flip(base, 25), pdqQuality: 90 },
          { contentId: 'far', pdq: flip(base, 60), pdqQuality: 90 },
        ]), now);
        await runtime.sync();
        const submitted = await fileRequest(db.database, keys, [{ url: 'https://sweepme.example/p/same', hashes: { pdq: base, pdqQuality: 90 } }]);
        await confirmItem(db.database, submitted.items[0].id);
        await worker.drain();
        const items = await db.database.db.selectFrom('items').select(['id', 'state', 'deadline_at', 'decided_by']).where('case_id', '=', submitted.caseId).orderBy('position').execute();
        // The exact copy (PDQ distance 0, a re-encode) is actioned without a person; the near ones wait for one.
        expect(items.map((i) => i.state)).toEqual(['confirmed', 'confirmed', 'pending', 'pending']);
        expect(new Set(items.map((i) => i.deadline_at.getTime())).size).toBe(1);
        expect(items[1].decided_by).toBe('system');
        // Copies the sweep found are the platform's claim, on the person's status and in the review queue alike.
        const ctx = { database: db.database, keys, clock: systemClock, sharedCopies: testSharedCopies(db.dataDir, keys) };
        const status = await viewCase(ctx, pinAttempt(submitted.caseNumber, submitted.pin));
        expect(status.kind === 'ok' && status.value.items.map((i) => i.reportedBy)).toEqual([undefined, 'sweepme', 'sweepme', 'sweepme']);
        const queued = await reviewQueue(db.database, systemClock, true, { limit: 50, offset: 0 });
        const near = queued.find((entry) => entry.url === 'https://sweepme.example/login-to-see-your-photo');
        expect(near?.reportedBy).toBe('sweepme');
        expect(queued.find((entry) => entry.itemId === items[0].id)?.reportedBy).toBeUndefined();
        const events = await db.database.db.selectFrom('platform_events').select(['type', 'item_id', 'payload', 'attempts', 'last_error']).where('platform_id', '=', platformId).execute();
        expect(events.map((e) => e.item_id).sort()).toEqual([items[0].id, items[1].id].sort());
        const originalEvent = events.find((e) => e.item_id === items[0].id)!;
        expect(originalEvent.payload).toMatchObject({ type: 'item.remove', data: { contentIds: ['same'] } });
        // The endpoint's name does not resolve: the attempt failed and a retry is queued.
        expect(originalEvent.attempts).toBe(1);
        expect(originalEvent.last_error).toBe('the host name does not resolve');
        const eventIds = (await db.database.db.selectFrom('platform_events').select('id').where('platform_id', '=', platformId).execute()).map((e) => e.id);
        const retries = await db.database.transaction((tx) => tx.selectFrom('jobs').select(['payload']).where('kind', '=', 'platform.webhook').where('done_at', 'is', null).execute());
        expect(retries.filter((r) => eventIds.includes(r.payload.eventId as string))).toHaveLength(2);
        await runtime.sync();
        expect(runtime.banks.lookup({ pdq: { hash: flip(base, 6) } }).map((h) => h.itemId).sort()).toEqual([items[0].id, items[1].id].sort());
        const swept = await db.database.db.selectFrom('audit_events').select('data').where('action', '=', 'item.swept').where('item_id', '=', items[0].id).executeTakeFirstOrThrow();
        expect(swept.data).toMatchObject({ identical: 1, removed: 1, toReview: 2, thresholds: { pdq: { blockBits: 10, reviewBits: 31 } } });

        // A reviewer declines the automatically confirmed copy: the platform is told to restore it and its
        // hashes leave the bank. Then the requester withdraws the case: the platform hears of that too.
        const senior = await createStaffUser(db.database, systemClock, { username: `sen${backend.name}`, role: 'senior', password: 'correct horse battery staple' }, 'test');
        const declined = await decideItem(db.database, systemClock, { userId: senior.id, actor: `staff:${senior.username}`, seesSenior: true }, items[1].id, { decision: 'decline', reason: 'other', note: 'a different person' });
        expect(declined.kind).toBe('ok');
        await ensureDecisionFollower(db.database, new Date());
        await worker.drain();
        const withdrawn = await withdrawCase({ database: db.database, keys, clock: systemClock, sharedCopies: testSharedCopies(db.dataDir, keys) }, pinAttempt(submitted.caseNumber, submitted.pin));
        expect(withdrawn.kind).toBe('ok');
        // The follower runs again after its poll interval.
        await db.database.transaction((tx) => tx.updateTable('jobs').set({ run_at: new Date() }).where('kind', '=', DECISION_FOLLOW_JOB).where('done_at', 'is', null).execute());
        await worker.drain();
        const after = await db.database.db.selectFrom('platform_events').select(['type', 'item_id']).where('platform_id', '=', platformId).where('type', '!=', 'item.remove').orderBy('created_at').execute();
        expect(after.map((e) => [e.type, e.item_id])).toEqual([['item.restore', items[1].id], ['item.restore', items[0].id], ['case.withdrawn', null]]);
        await runtime.sync();
        expect(runtime.banks.lookup({ pdq: { hash: flip(base, 6) } })).toEqual([]);
        const followJobs = await db.database.transaction((tx) => tx.selectFrom('jobs').select('id').where('kind', '=', DECISION_FOLLOW_JOB).execute());
        expect(followJobs.length).toBeLessThanOrEqual(2);
      } finally {
        await worker.stop();
        await runtime.close();
      }
    });
  });
}
