import { signalTypes, systemClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { createWorker } from '../src/jobs/handlers.ts';
import type { ServerJobs } from '../src/jobs/server-jobs.ts';
import { parseHashList } from '../src/platform/hash-list.ts';
import { DEFAULT_PLATFORM_CONFIG } from '../src/config/platform-config.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { addBankHashes, ensureBank } from '../src/services/platform-banks.ts';
import { upsertContent } from '../src/services/platform-content.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { confirmItem, contentEntries, fileRequest, platformTestConfig } from './platform-helpers.ts';
import { phash64Signal } from './signal-plugin/phash64-signal.ts';

// The registration: the only line outside the type's own module (a deployment does the same before start).
signalTypes.register(phash64Signal);

const A = '0123456789abcdef';
/** A with its lowest `bits` bits flipped. */
const near = (bits: number) => (BigInt(`0x${A}`) ^ ((1n << BigInt(bits)) - 1n)).toString(16).padStart(16, '0');

for (const backend of backends) {
  describe(`a sixth signal type, registered from outside (${backend.name})`, () => {
    let db: TestDatabase;
    let app: FastifyInstance;
    let worker: ServerJobs;
    let token: string;
    let platformId: string;
    const check = async (payload: object) => (await app.inject({ method: 'POST', url: '/v1/check', headers: { authorization: `Bearer ${token}` }, payload })).json();

    beforeAll(async () => {
      db = await backend.create();
      const { config, keys } = platformTestConfig(db.dataDir, { platform: { ...DEFAULT_PLATFORM_CONFIG, indexSyncMs: 100 } });
      app = await buildApp(config, { database: db.database, keys, clock: systemClock });
      worker = createWorker({ config, database: db.database, clock: systemClock, keys, platform: app.services.platform });
      ({ token, platformId } = await addPlatformKey(db.database, systemClock, { name: 'plugin' }, 'test'));
    });
    afterAll(async () => {
      await worker?.stop();
      await app?.close();
      await db?.drop();
    });

    it('is imported into a bank from a hash list and matched by the upload check at its own thresholds', async () => {
      const list = parseHashList(`phash64 ${A.toUpperCase()}\nphash64 xyz\n`, 'threatexchange');
      expect(list.rejected).toEqual([{ line: 2, reason: 'A phash64 is 16 hexadecimal characters. (got "xyz")' }]);
      await ensureBank(db.database, systemClock, 'partner', 'test');
      expect(await addBankHashes(db.database, systemClock, 'partner', list.hashes, 'test')).toEqual({ added: 1, alreadyPresent: 0 });
      await app.services.platform.sync();
      const found = await check({ phash64: near(3) });
      expect(found).toMatchObject({ verdict: 'review', matches: [{ bank: 'partner', signal: 'phash64', distance: 3 }] });
      expect(await check({ phash64: near(9) })).toMatchObject({ verdict: 'allow' });
    });

    it('is carried by a request, banked on confirmation, blocks exact re-uploads and is swept for in the content index', async () => {
      const { keys } = platformTestConfig(db.dataDir);
      await upsertContent(db.database, platformId, contentEntries([
        { contentId: 'same', phash64: A },
        { contentId: 'close', phash64: near(2) },
        { contentId: 'far', phash64: near(20) },
      ]), new Date());
      await app.services.platform.sync();
      const filed = await fileRequest(db.database, keys, [{ hashes: { phash64: A } }]);
      await confirmItem(db.database, filed.items[0].id);
      await worker.drain();
      const items = await db.database.db.selectFrom('items').select(['id', 'state', 'signals', 'decided_by']).where('case_id', '=', filed.caseId).orderBy('position').execute();
      // The request's own item, the exact copy confirmed by the one rule, the near copy left to a person.
      expect(items.map((i) => [i.state, JSON.parse(i.signals).phash64])).toEqual([['confirmed', A], ['confirmed', A], ['pending', near(2)]]);
      expect(items[1].decided_by).toBe('system');
      await app.services.platform.sync();
      const reupload = await check({ phash64: A });
      expect(reupload.verdict).toBe('block');
      // The request's item and its confirmed copy are both in the confirmed bank; the partner list reviews. Only the
      // copy (found in this platform's index) is named: the request's own item is hosted by no platform.
      const matched = reupload.matches.map((m: { bank: string; itemId?: string; action?: string }) => `${m.bank}:${m.itemId ?? '-'}`).sort();
      expect(matched).toEqual(['confirmed:-', `confirmed:${items[1].id}`, 'partner:-'].sort());
      expect((await check({ phash64: near(3) })).verdict).toBe('review');
    });
  });
}
