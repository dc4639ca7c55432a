import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@takedown/core';
import { createPostgresDatabase } from '@takedown/testing/databases';
import { startStopNciiServer, type StopNciiServer } from '@takedown/testing/stopncii-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EXCHANGE_CONFIG } from '../src/config/exchange-config.ts';
import { deriveKeys } from '../src/crypto/keys.ts';
import { BankIndex } from '../src/platform/bank-index.ts';
import { ContentIndex } from '../src/platform/content-index.ts';
import { ExchangeFollower } from '../src/services/exchange-follower.ts';
import { followedSources, followSource, listSources } from '../src/services/exchange-sources.ts';
import { IndexFollower } from '../src/services/index-follower.ts';
import { migrate, openDatabase } from '../src/store/database.ts';
import { incomingStopNcii, stopNciiEntryId } from '../src/services/stopncii-records.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { runCli } from './helpers/run-cli.ts';

const pdq = (seed: number) => createHash('sha256').update(`stopncii pdq ${seed}`).digest('hex');
const md5 = (seed: number) => createHash('md5').update(`stopncii md5 ${seed}`).digest('hex');

/** Polls `probe` every 50 ms until it holds; fails after `limitMs`. */
async function within(limitMs: number, probe: () => Promise<boolean> | boolean): Promise<void> {
  const start = Date.now();
  while (!(await probe())) {
    if (Date.now() - start > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('StopNCII hash records', () => {
  it('map ImagePDQ and VideoMD5 to bank rows, Withdrawn and Deleted to removals, and reject what does not read', () => {
    const { hashes, rejected } = incomingStopNcii([
      { lastModtimestamp: 1, signalType: 'ImagePDQ', hashValue: pdq(1).toUpperCase(), hashStatus: 'Received', caseNumbers: { c1: 'Received' } },
      { lastModtimestamp: 2, signalType: 'VideoMD5', hashValue: md5(1), hashStatus: 'Deleted', caseNumbers: {} },
      { lastModtimestamp: 3, signalType: 'VideoTMK', hashValue: 'abc', hashStatus: 'Active' },
      { lastModtimestamp: 4, signalType: 'ImagePDQ', hashValue: 'not-hex', hashStatus: 'Active' },
      { lastModtimestamp: 5, signalType: 'ImagePDQ', hashValue: pdq(2), hashStatus: 'Unknown' },
      { lastModtimestamp: 6, signalType: 'ImagePDQ', hashValue: pdq(3), hashStatus: 'Active' },
      { lastModtimestamp: 7, signalType: 'ImagePDQ', hashValue: pdq(3), hashStatus: 'Withdrawn' },
      'not a record',
    ]);
    expect(rejected).toBe(4);
    expect(hashes).toEqual([
      { entryId: stopNciiEntryId('pdq', pdq(1)), signal: 'pdq', hash: pdq(1), value: null, quality: null, status: 'active' },
      { entryId: stopNciiEntryId('md5', md5(1)), signal: 'md5', hash: md5(1), value: null, quality: null, status: 'withdrawn' },
      // The later record of the same hash wins.
      { entryId: stopNciiEntryId('pdq', pdq(3)), signal: 'pdq', hash: pdq(3), value: null, quality: null, status: 'withdrawn' },
    ]);
    expect(stopNciiEntryId('pdq', pdq(1))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

for (const backend of backends) {
  describe(`following StopNCII (${backend.name})`, () => {
    const keys = deriveKeys(randomBytes(32));
    let db: TestDatabase;
    let server: StopNciiServer;
    let follower: ExchangeFollower | undefined;
    let banks: BankIndex;
    let index: IndexFollower;
    const config = { ...DEFAULT_EXCHANGE_CONFIG, stopNciiPageSize: 700, stopNciiPollMs: 100, retryBaseMs: 50, retryMaxMs: 200, sourcesEveryMs: 100, feedbackEveryMs: 100, timeoutMs: 5_000 };
    const source = async () => (await listSources(db.database))[0];
    const start = async () => {
      follower = new ExchangeFollower({ database: db.database, keys, clock: systemClock, config, afterApply: () => index.sync() });
      await follower.start();
    };

    beforeAll(async () => {
      db = await backend.create();
      server = await startStopNciiServer();
      banks = new BankIndex();
      index = new IndexFollower(db.database, banks, new ContentIndex());
      await index.load();
    }, 120_000);

    afterAll(async () => {
      await follower?.stop();
      await server?.close();
      await db?.drop();
    }, 60_000);

    it('fetches every page from the start, then resumes from its checkpoint after a restart, through a 5xx, with deletions', async () => {
      // 2 000 PDQ hashes and 490 video MD5s, ten to a second; 10 records of a type this deployment does not read.
      server.put(Array.from({ length: 2_000 }, (_, i) => ({ lastModtimestamp: 1_000 + Math.floor(i / 10), signalType: 'ImagePDQ', hashValue: pdq(i), hashStatus: 'Active' })));
      server.put(Array.from({ length: 490 }, (_, i) => ({ lastModtimestamp: 1_000 + Math.floor(i / 10), signalType: 'VideoMD5', hashValue: md5(i), hashStatus: 'Received' })));
      server.put(Array.from({ length: 10 }, (_, i) => ({ lastModtimestamp: 1_100, signalType: 'VideoTMK', hashValue: `tmk-${i}`, hashStatus: 'Active' })));
      await followSource(db.database, keys, systemClock, { kind: 'stopncii', name: 'stopncii', url: server.url, stopNcii: server.keys, trust: 'review' }, 'test');
      await start();
      await within(30_000, async () => (await source()).hashes === 2_490 && banks.lookup({ md5: md5(489) }).length > 0);
      expect(banks.lookup({ pdq: { hash: pdq(7), quality: 90 } })).toMatchObject([{ bankName: 'feed.stopncii', provenance: { kind: 'followed', source: 'stopncii', trust: 'review' } }]);
      // From python-threatexchange's first timestamp, 700 records a page, the rest of the fetch by its page token.
      expect(server.fetches[0]).toMatchObject({ startTimestamp: 10, pageSize: 700, nextPageToken: undefined });
      expect(server.fetches.slice(1, 4), JSON.stringify(server.fetches.slice(0, 6))).toEqual(Array.from({ length: 3 }, () => expect.objectContaining({ startTimestamp: 10, nextPageToken: expect.any(String) })));
      await within(5_000, async () => (await source()).cursor === 1_199);
      expect(await source()).toMatchObject({ kind: 'stopncii', rejected: expect.any(Number), failures: 0, lastError: null });

      // Stopped (a restart); meanwhile cases are deleted and withdrawn, new hashes come, and StopNCII has an outage.
      await follower!.stop();
      server.put(Array.from({ length: 100 }, (_, i) => ({ lastModtimestamp: 5_000, signalType: 'ImagePDQ', hashValue: pdq(i), hashStatus: 'Deleted' })));
      server.put(Array.from({ length: 50 }, (_, i) => ({ lastModtimestamp: 5_000, signalType: 'VideoMD5', hashValue: md5(i), hashStatus: 'Withdrawn' })));
      server.put(Array.from({ length: 200 }, (_, i) => ({ lastModtimestamp: 5_001, signalType: 'ImagePDQ', hashValue: pdq(10_000 + i), hashStatus: 'Active' })));
      server.failNext(2, 503);
      const fetchedBefore = server.fetches.length;
      await start();
      await within(30_000, async () => (await source()).hashes === 2_490 - 150 + 200 && banks.lookup({ pdq: { hash: pdq(10_199), quality: 90 } }).length > 0);
      const resumed = server.fetches.slice(fetchedBefore);
      // Resumed from the stored checkpoint, not from the start; the two 503s were retried.
      expect(resumed[0]).toMatchObject({ startTimestamp: 1_199, nextPageToken: undefined, status: 503 });
      expect(resumed.slice(0, 3).map((f) => f.status)).toEqual([503, 503, 200]);
      expect(banks.lookup({ pdq: { hash: pdq(3), quality: 90 } })).toEqual([]);
      expect(banks.lookup({ md5: md5(3) })).toEqual([]);
      expect(banks.lookup({ md5: md5(60) })).not.toEqual([]);
      await within(5_000, async () => (await source()).cursor === 5_001 && (await source()).lastError === null);
    }, 120_000);

    it('keeps its checkpoint until a fetch is played out, so a fetch cut off halfway is fetched again whole', async () => {
      await follower!.stop();
      const before = (await source()).cursor;
      server.put(Array.from({ length: 1_500 }, (_, i) => ({ lastModtimestamp: 6_000 + i, signalType: 'ImagePDQ', hashValue: pdq(20_000 + i), hashStatus: 'Active' })));
      // The first page comes, then StopNCII is down for the rest of the fetch.
      server.failNext(1_000_000, 503, 1);
      const fetchedBefore = server.fetches.length;
      await start();
      await within(10_000, () => server.fetches.slice(fetchedBefore).some((f) => f.status === 503));
      // The first page (the 200 hashes of second 5 001, then 500 new ones) applied, the checkpoint kept.
      await within(10_000, async () => banks.lookup({ pdq: { hash: pdq(20_499), quality: 90 } }).length > 0);
      expect((await source()).cursor).toBe(before);
      server.failNext(0, 503);
      await within(10_000, async () => (await source()).cursor === 7_499 && banks.lookup({ pdq: { hash: pdq(21_499), quality: 90 } }).length > 0);
      // Fetched again from the checkpoint, without the page token of the fetch that was cut off.
      const fresh = server.fetches.slice(fetchedBefore).filter((f) => f.status === 200 && f.nextPageToken === undefined);
      expect(fresh.slice(0, 2).map((f) => f.startTimestamp)).toEqual([before, before]);
    }, 60_000);

    it('says why when StopNCII refuses the keys, and recovers when they are right again', async () => {
      const right = server.keys.fetchKey;
      server.keys.fetchKey = 'revoked';
      await within(10_000, async () => ((await source()).lastError ?? '').includes('401'));
      expect((await source()).lastError).toContain('keys were refused');
      server.keys.fetchKey = right;
      await within(10_000, async () => (await source()).lastError === null);
    }, 30_000);

    /** Queues a reviewer's verdict on each followed hash, as a decision does (store/exchange-follow.ts queueFeedFeedback). */
    const queueVerdicts = async (verdicts: { entryId: string; verdict: 'confirmed' | 'false_positive' }[]) => {
      const [followed] = await followedSources(db.database, keys);
      await db.database.transaction((tx) =>
        tx
          .insertInto('exchange_feedback_outbox')
          .values(verdicts.map((v) => ({ source_id: followed.id, entry_id: v.entryId, verdict: v.verdict, created_at: new Date() })))
          .execute(),
      );
    };
    /** Every verdict StopNCII received, in the order received, each checked to be in SubmitFeedback's shape. */
    const received = () =>
      (server.feedback as { count: number; hashFeedbacks: { tags: string[]; feedbackValue: string; hashValue: string }[] }[]).flatMap((body) => {
        expect(body.count).toBe(body.hashFeedbacks.length);
        return body.hashFeedbacks;
      });
    /** Waits until StopNCII has `count` verdicts and the outbox none pending, then a few more rounds, in which nothing more may arrive. */
    const settled = async (count: number) => {
      await within(10_000, async () => received().length >= count && (await source()).feedbackPending === 0);
      await new Promise((r) => setTimeout(r, 5 * config.feedbackEveryMs));
    };

    it("sends each reviewer's verdict back once, in StopNCII's SubmitFeedback shape", async () => {
      await queueVerdicts([
        { entryId: stopNciiEntryId('pdq', pdq(500)), verdict: 'confirmed' },
        { entryId: stopNciiEntryId('md5', md5(400)), verdict: 'false_positive' },
      ]);
      await settled(2);
      expect(received()).toEqual([
        { tags: [], feedbackValue: 'Blocked', hashValue: pdq(500) },
        { tags: [], feedbackValue: 'NotBlocked', hashValue: md5(400) },
      ]);
      expect(await source()).toMatchObject({ feedbackPending: 0, feedbackSent: 2 });
    }, 30_000);

    it('sends a verdict once while two followers (two replicas) send beside each other to a slow StopNCII', async () => {
      const replica = new ExchangeFollower({ database: db.database, keys, clock: systemClock, config, afterApply: () => index.sync() });
      await replica.start();
      server.feedbackDelayMs = 300;
      const before = received().length;
      try {
        // Verdicts arrive one by one while a send is in flight: each follower's loop finds some waiting.
        for (let i = 0; i < 6; i++) {
          await queueVerdicts([{ entryId: stopNciiEntryId('pdq', pdq(600 + i)), verdict: 'confirmed' }]);
          await new Promise((r) => setTimeout(r, 70));
        }
        await settled(before + 6);
      } finally {
        server.feedbackDelayMs = 0;
        await replica.stop();
      }
      const sent = received().slice(before).map((f) => f.hashValue);
      expect(sent.toSorted()).toEqual(Array.from({ length: 6 }, (_, i) => pdq(600 + i)).toSorted());
      expect(await source()).toMatchObject({ feedbackPending: 0, feedbackSent: 8 });
    }, 30_000);

    it('starts nothing once stopped, though stopped while it read its sources', async () => {
      await follower!.stop();
      // A database that holds every transaction while `gate` is closed: the follower's next read of its
      // sources (its refresh) is caught in flight, and the stop comes then.
      let open!: () => void;
      let gate: Promise<void> | undefined = new Promise<void>((resolve) => (open = resolve));
      let sourcesReadHeld = false;
      const gated: typeof db.database = {
        ...db.database,
        transaction: async (work) => {
          if (gate) {
            if (new Error().stack?.includes('followedSources')) sourcesReadHeld = true;
            await gate;
          }
          return db.database.transaction(work);
        },
      };
      const stopped = new ExchangeFollower({ database: gated, keys, clock: systemClock, config, afterApply: () => index.sync() });
      gate = undefined;
      await stopped.start();
      gate = new Promise<void>((resolve) => (open = resolve));
      await within(5_000, () => sourcesReadHeld);
      const stopping = stopped.stop();
      gate = undefined;
      open();
      await stopping;
      const fetched = server.fetches.length;
      const sent = received().length;
      await queueVerdicts([{ entryId: stopNciiEntryId('pdq', pdq(700)), verdict: 'confirmed' }]);
      await new Promise((r) => setTimeout(r, 10 * config.feedbackEveryMs));
      // No loop outlived the stop: nothing fetched, the verdict waits.
      expect(server.fetches.length).toBe(fetched);
      expect(received().length).toBe(sent);
      expect(await source()).toMatchObject({ feedbackPending: 1 });
      // The follower started after it sends the verdict, once.
      await start();
      await settled(sent + 1);
      expect(received().slice(sent)).toEqual([{ tags: [], feedbackValue: 'Blocked', hashValue: pdq(700) }]);
    }, 30_000);
  });
}

describe('takedown exchange follow --kind stopncii', () => {
  let server: StopNciiServer;
  let dataDir: string;
  let env: Record<string, string>;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    server = await startStopNciiServer();
    const created = await createPostgresDatabase();
    dropDatabase = created.drop;
    dataDir = mkdtempSync(join(tmpdir(), 'takedown-stopncii-'));
    // An existing deployment's store, as `takedown serve` leaves it.
    const database = await openDatabase({ databaseUrl: created.url, dataDir });
    await migrate(database);
    await database.close();
    env = { DATABASE_URL: created.url, TAKEDOWN_DATA_DIR: dataDir, TAKEDOWN_SECRET_KEY: randomBytes(32).toString('base64') };
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('checks the keys before following: a refused key changes nothing, the right ones are recorded', async () => {
    const { fetchKey, subscriptionKey, feedbackKey } = server.keys;
    const refused = await runCli(['exchange', 'follow', server.url, '--kind', 'stopncii', '--key', `wrong,${subscriptionKey}`, '--trust', 'review'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('StopNCII answered 401: the keys were refused');
    const usage = await runCli(['exchange', 'follow', server.url, '--kind', 'stopncii', '--key', fetchKey, '--trust', 'review'], { env });
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('FETCH_KEY,SUBSCRIPTION_KEY');
    const followed = await runCli(['exchange', 'follow', server.url, '--kind', 'stopncii', '--key', `${fetchKey},${subscriptionKey}`, '--feedback-key', feedbackKey, '--trust', 'review'], { env });
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout).toContain('Following StopNCII as "stopncii"');
    const listed = await runCli(['exchange', 'list', '--json'], { env });
    expect(JSON.parse(listed.stdout)).toMatchObject([{ name: 'stopncii', kind: 'stopncii', url: server.url, bank: 'feed.stopncii', trust: 'review' }]);
    expect(listed.stdout).not.toContain(fetchKey);
  }, 120_000);
});
