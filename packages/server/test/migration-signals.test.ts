import { randomUUID } from 'node:crypto';
import { signalTypes } from '@takedown/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexFollower } from '../src/services/index-follower.ts';
import { BankIndex } from '../src/platform/bank-index.ts';
import { ContentIndex } from '../src/platform/content-index.ts';
import { migrate, type OpenDatabase } from '../src/store/database.ts';
import { unmigratedStores } from './helpers/backends.ts';
import { migrations } from '../src/store/migrations/index.ts';
import { listBanks } from '../src/services/platform-banks.ts';

const PDQ = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22';
const VARIANT = '30a10efd71cc3d429013de48c2da5e1dbd4d2d4ab8a0e6c1e2a27a93a5a6e5af';
const MD5 = '0a21c8f8a1cd79f6d1b7d4a3e8b9c0d1';
const FRAMES = [{ index: 0, timestamp: 0, hash: PDQ, quality: 100 }, { index: 1, timestamp: 1, hash: VARIANT, quality: 80 }];

/** Applies the migrations before 007 as they ran on deployments, and fills the tables in their old shape. */
async function databaseAt006(database: OpenDatabase): Promise<{ caseId: string; bankId: string }> {
  await database.transaction(async (tx) => {
    await sql`create table schema_migrations (name text primary key, applied_at timestamptz not null)`.execute(tx);
    for (const migration of migrations.slice(0, migrations.findIndex((m) => m.name === '007-signals-as-data'))) {
      for (const statement of migration.statements) await sql.raw(statement).execute(tx);
      await sql`insert into schema_migrations (name, applied_at) values (${migration.name}, now())`.execute(tx);
    }
  });
  const caseId = randomUUID();
  const bankId = randomUUID();
  const platformId = randomUUID();
  await database.transaction(async (tx) => {
    await sql`insert into cases (id, case_number, pin_hash, jurisdiction, state, queue, requester_role, notifier_key, signed_at, received_at)
      values (${caseId}, 'TD-OLD', 'x', 'US', 'open', 'standard', 'self', 'k', now(), now())`.execute(tx);
    await sql`insert into items (id, case_id, position, url, pdq, pdq_quality, md5, sha256, vpdq, state, received_at, deadline_at)
      values (${randomUUID()}, ${caseId}, 1, 'https://p.example/1', ${PDQ}, 90, ${MD5}, null, ${JSON.stringify(FRAMES)}, 'pending', now(), now())`.execute(tx);
    await sql`insert into items (id, case_id, position, url, state, received_at, deadline_at)
      values (${randomUUID()}, ${caseId}, 2, 'https://p.example/2', 'pending', now(), now())`.execute(tx);
    await sql`insert into banks (id, name, kind, pdq_block_bits, pdq_review_bits, md5_block_bits, sha256_block_bits, vpdq_match_percent, created_at, updated_at)
      values (${bankId}, 'partner', 'imported', 6, 24, -1, 0, 90, now(), now())`.execute(tx);
    await sql`insert into bank_hashes (bank_id, signal, hash, quality, added_at) values (${bankId}, 'pdq', ${PDQ}, 40, now())`.execute(tx);
    await sql`insert into bank_hashes (bank_id, signal, hash, added_at) values (${bankId}, 'md5', ${MD5}, now())`.execute(tx);
    await sql`insert into bank_hashes (bank_id, signal, hash, frames, added_at) values (${bankId}, 'vpdq', 'key', ${JSON.stringify(FRAMES)}, now())`.execute(tx);
    await sql`insert into platforms (id, name, created_at) values (${platformId}, 'old', now())`.execute(tx);
    await sql`insert into platform_content (platform_id, content_id, url, pdq, pdq_quality, pdq_variants, md5, vpdq, registered_at, updated_at)
      values (${platformId}, 'c1', 'https://p.example/c1', ${PDQ}, 70, ${VARIANT}, ${MD5}, null, now(), now())`.execute(tx);
  });
  return { caseId, bankId };
}


for (const store of unmigratedStores) {
  describe(`migration 007 keeps every signal and threshold (${store.name})`, () => {
    let opened: { database: OpenDatabase; drop(): Promise<void> };
    let ids: { caseId: string; bankId: string };
    beforeAll(async () => {
      opened = await store.open();
      ids = await databaseAt006(opened.database);
      expect(await migrate(opened.database)).toContain('007-signals-as-data');
    });
    afterAll(async () => opened?.drop());

    it('moves items\' and content\'s hash columns into their signals, readable by the registry', async () => {
      const items = await opened.database.transaction((tx) => tx.selectFrom('items').select(['position', 'signals']).where('case_id', '=', ids.caseId).orderBy('position').execute());
      expect(signalTypes.fromStored(items[0].signals)).toEqual({ pdq: { hash: PDQ, quality: 90 }, md5: MD5, vpdq: FRAMES });
      expect(signalTypes.fromStored(items[1].signals)).toEqual({});
      const content = new ContentIndex();
      const banks = new BankIndex();
      const follower = new IndexFollower(opened.database, banks, content);
      await follower.load();
      expect(content.get(1)?.signals).toEqual({ pdq: { hash: PDQ, quality: 70, variants: [VARIANT] }, md5: MD5 });
      // The bank rows came back too: the PDQ with its low quality (so it is never trusted), the video's frames.
      const hits = banks.lookup({ pdq: { hash: PDQ, quality: 100 }, md5: MD5, vpdq: FRAMES });
      expect(hits.map((h) => [h.signal, h.match.trustworthy])).toEqual([['pdq', false], ['md5', true], ['vpdq', true]]);
      await follower.stop();
    });

    it('turns the threshold columns into per-signal data with the same meaning', async () => {
      const partner = (await listBanks(opened.database)).find((b) => b.name === 'partner')!;
      expect(partner.thresholds).toEqual({ pdq: { blockBits: 6, reviewBits: 24 }, md5: { block: false }, sha256: { block: true }, vpdq: { queryPercent: 90, comparedPercent: 90 }, url: { block: false } });
      const confirmed = (await listBanks(opened.database)).find((b) => b.name === 'confirmed')!;
      expect(confirmed.thresholds).toEqual(signalTypes.defaultThresholds());
    });
  });
}
