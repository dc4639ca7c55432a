import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRequest } from '../src/services/request-rate-limits.ts';
import { forgetEndedWindows } from '../src/store/rate-limit-windows.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { testKeys } from './helpers/fixtures.ts';

for (const backend of backends) {
  describe(`rate-limit windows in the database (${backend.name})`, () => {
    let db: TestDatabase;
    const keys = testKeys();
    beforeAll(async () => {
      db = await backend.create();
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('counts each request once, even many at once, per route and client, and starts again when the window ends', async () => {
      const counts = await Promise.all(Array.from({ length: 20 }, () => countRequest(db.database, keys, 'POST /v1/requests', '192.0.2.1', 60_000)));
      expect(counts.map((c) => c.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      for (const count of counts) expect(count.msLeft).toBeGreaterThan(50_000);
      // Another client, another route: counters of their own.
      expect((await countRequest(db.database, keys, 'POST /v1/requests', '192.0.2.2', 60_000)).hits).toBe(1);
      expect((await countRequest(db.database, keys, 'GET /v1/cases/:caseNumber', '192.0.2.1', 60_000)).hits).toBe(1);
      // A short window ends, and the next request starts a new one.
      expect((await countRequest(db.database, keys, 'POST /v1/staff/login', '192.0.2.1', 2_000)).hits).toBe(1);
      expect((await countRequest(db.database, keys, 'POST /v1/staff/login', '192.0.2.1', 2_000)).hits).toBe(2);
      await sleep(2_100);
      expect((await countRequest(db.database, keys, 'POST /v1/staff/login', '192.0.2.1', 2_000)).hits).toBe(1);
    });

    it('keeps no address in clear, and forgets ended windows', async () => {
      const rows = await db.database.db.selectFrom('rate_limit_windows').selectAll().execute();
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.counter).toMatch(/^[0-9a-f]{64}$/);
        expect(JSON.stringify(row)).not.toContain('192.0.2');
      }
      await sleep(2_100);
      await db.database.transaction((tx) => forgetEndedWindows(tx, new Date()));
      const left = await db.database.db.selectFrom('rate_limit_windows').select('window_ends_at').execute();
      // Only the minute-long windows are left.
      expect(left.length).toBe(rows.length - 1);
    });
  });
}
