import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type OpenDatabase } from '../src/store/database.ts';
import { unmigratedStores } from './helpers/backends.ts';
import { migrations } from '../src/store/migrations/index.ts';

const MIGRATION = '029-followed-hash-key';
const md5 = (n: number) => n.toString(16).padStart(32, '0');


for (const store of unmigratedStores) {
  describe(`migration 029 keys followed hashes by entry id (${store.name})`, () => {
    let opened: { database: OpenDatabase; drop(): Promise<void> };
    const followed = randomUUID();
    const own = randomUUID();
    const entry = randomUUID();
    beforeAll(async () => {
      opened = await store.open();
      await migrate(opened.database, migrations.map((m) => m.name).filter((name) => name !== MIGRATION));
      await opened.database.transaction(async (tx) => {
        await sql`insert into banks (id, name, kind, follow_trust, created_at, updated_at) values (${followed}::uuid, 'feed.partner', 'imported', 'review', now(), now()), (${own}::uuid, 'list', 'imported', null, now(), now())`.execute(tx);
        // Two live hashes under one entry id (a source that broke its promise), and one under another id.
        await sql`insert into bank_hashes (bank_id, signal, hash, added_at, exchange_entry) values
          (${followed}::uuid, 'md5', ${md5(1)}, now(), ${entry}::uuid), (${followed}::uuid, 'md5', ${md5(2)}, now(), ${entry}::uuid), (${followed}::uuid, 'md5', ${md5(3)}, now(), ${randomUUID()}::uuid)`.execute(tx);
        await sql`insert into bank_hashes (bank_id, signal, hash, added_at) values (${own}::uuid, 'md5', ${md5(1)}, now())`.execute(tx);
      });
      expect(await migrate(opened.database)).toEqual([MIGRATION]);
    }, 180_000);
    afterAll(async () => opened?.drop(), 120_000);

    it('retires the later of two live rows under one entry id, keeps the rest', async () => {
      const rows = await opened.database.transaction((tx) => tx.selectFrom('bank_hashes').select(['bank_id', 'hash', 'removed_at']).orderBy('id').execute());
      expect(rows.map((r) => [r.bank_id === followed ? 'followed' : 'own', r.hash, r.removed_at === null])).toEqual([
        ['followed', md5(1), true],
        ['followed', md5(2), false],
        ['followed', md5(3), true],
        ['own', md5(1), true],
      ]);
    });

    it('a followed bank is unique on its entry ids, an own bank on its hashes', async () => {
      const insertFollowed = (hash: string) => opened.database.transaction((tx) => sql`insert into bank_hashes (bank_id, signal, hash, added_at, exchange_entry) values (${followed}::uuid, 'md5', ${hash}, now(), ${entry}::uuid)`.execute(tx));
      await expect(insertFollowed(md5(4))).rejects.toThrow(/bank_hashes_followed/);
      const insertOwn = () => opened.database.transaction((tx) => sql`insert into bank_hashes (bank_id, signal, hash, added_at) values (${own}::uuid, 'md5', ${md5(1)}, now())`.execute(tx));
      await expect(insertOwn()).rejects.toThrow(/bank_hashes_live/);
    });
  });
}
