import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { canonicalJson, ManualClock, systemClock } from '@takedown/core';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKeys } from '../src/crypto/keys.ts';
import { feedSigner, feedVerifier } from '../src/crypto/feed-signing.ts';
import { checkPage, pageText, signedBytes, type FeedPage } from '../src/platform/exchange-page.ts';
import { BankIndex } from '../src/platform/bank-index.ts';
import { ContentIndex } from '../src/platform/content-index.ts';
import { applyVerifiedPage, incomingHash } from '../src/services/exchange-apply.ts';
import { acceptFeedback, FeedWatch, signedFeedPage } from '../src/services/exchange-publish.ts';
import { claimFeedback, followedSources, followSource, listSources, markFeedbackSent, releaseFeedback, unfollowSource } from '../src/services/exchange-sources.ts';
import { changedOutside, IndexFollower } from '../src/services/index-follower.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { bankConfirmedItem, unbankItem } from '../src/services/platform-banks.ts';
import { CursorMovedError, selectPendingFeedback } from '../src/store/exchange-follow.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { confirmItem, fileRequest } from './platform-helpers.ts';

const pdq = (seed: number) => createHash('sha256').update(`pdq ${seed}`).digest('hex');
const keys = deriveKeys(randomBytes(32));
const signer = feedSigner(keys.exchangeSigning);

/** A page as a source sends it: the body (canonical JSON) and its signature. */
function signed(page: Partial<FeedPage> & { entries: FeedPage['entries'] }): { body: string; signature: string } {
  const full: FeedPage = { format: 'takedown-exchange-page/1', feed: signer.feedId, after: 0, through: page.entries.at(-1)?.seq ?? 0, head: page.entries.at(-1)?.seq ?? 0, nonce: 'n'.repeat(24), ...page };
  const body = pageText(full);
  return { body, signature: signer.sign(signedBytes(body)) };
}

const entry = (seq: number, status: 'active' | 'withdrawn' = 'active') => ({ seq, id: randomUUID(), signal: 'pdq', hash: pdq(seq), value: JSON.stringify({ pdq: pdq(seq), pdqQuality: 90 }), status, changedAt: new Date().toISOString() });

describe('signed feed pages', () => {
  const verifier = feedVerifier(signer.publicKey)!;
  const expected = { feedId: signer.feedId, after: 0, nonce: 'n'.repeat(24) };
  const check = (page: { body: string; signature?: string }, over: Partial<typeof expected> = {}, verify = verifier.verify) => checkPage(page.body, page.signature, { ...expected, ...over }, verify);

  it('accepts a page of the followed feed that answers this request; its body is canonical JSON', () => {
    const page = signed({ entries: [entry(1), entry(2)] });
    expect(check(page).ok).toBe(true);
    expect(page.body).toBe(canonicalJson(JSON.parse(page.body)));
  });

  it('refuses a tampered page, a replayed page, a page of another feed and entries out of range', () => {
    const page = signed({ entries: [entry(1)] });
    expect(check({ ...page, body: page.body.replace(/"hash":"(.)/, (_, c: string) => `"hash":"${c === 'a' ? 'b' : 'a'}`) })).toMatchObject({ ok: false, reason: expect.stringContaining('signature does not verify') });
    expect(check({ body: page.body })).toMatchObject({ ok: false, reason: expect.stringContaining('no takedown-feed-signature') });
    expect(check(page, { nonce: 'm'.repeat(24) })).toMatchObject({ ok: false, reason: expect.stringContaining('another request') });
    expect(check(page, { after: 5 })).toMatchObject({ ok: false, reason: expect.stringContaining('another request') });
    const other = feedSigner(randomBytes(32));
    expect(check(page, { feedId: other.feedId }, feedVerifier(other.publicKey)!.verify)).toMatchObject({ ok: false, reason: expect.stringContaining('signature does not verify') });
    expect(check(signed({ feed: other.feedId, entries: [entry(1)] }))).toMatchObject({ ok: false, reason: expect.stringContaining('belongs to feed') });
    expect(check(signed({ entries: [entry(2), entry(1)] }))).toMatchObject({ ok: false, reason: expect.stringContaining('out of order') });
    expect(check(signed({ entries: [entry(1)], through: 7 }))).toMatchObject({ ok: false, reason: expect.stringContaining('range') });
    // Signed, but not a page this deployment can read: an entry with a field more.
    const odd = JSON.stringify({ ...JSON.parse(page.body), entries: [{ ...entry(1), url: 'https://x.example/' }] });
    expect(check({ body: odd, signature: signer.sign(signedBytes(odd)) })).toMatchObject({ ok: false, reason: expect.stringContaining('unknown shape') });
  });

  it('reads entries only through their signal type: unknown types and bad hashes are rejected', () => {
    expect(incomingHash(entry(1))).toMatchObject({ signal: 'pdq', hash: pdq(1), quality: 90 });
    expect(incomingHash({ ...entry(1), signal: 'tmk' })).toBeUndefined();
    expect(incomingHash({ ...entry(1), hash: 'zz', value: null })).toBeUndefined();
    expect(incomingHash({ ...entry(1), id: 'not-an-id' })).toBeUndefined();
  });
});

for (const backend of backends) {
  describe(`exchange store (${backend.name})`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await backend.create();
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('publishes confirmed hashes and their withdrawal as signed, cursor-paged pages, each change once', async () => {
      const { items } = await fileRequest(db.database, keys, [{ hashes: { md5: randomBytes(16).toString('hex') } }, { hashes: { md5: randomBytes(16).toString('hex') } }]);
      for (const item of items) await confirmItem(db.database, item.id);
      const now = new Date();
      const md5s = await db.database.transaction((tx) => tx.selectFrom('items').select(['id', 'signals']).where('id', 'in', items.map((i) => i.id)).execute());
      for (const row of md5s) await db.database.transaction((tx) => bankConfirmedItem(tx, now, { id: row.id, signals: JSON.parse(row.signals) }));
      const watch = new FeedWatch(db.database);
      const read = async (after: number, limit = 10) => ({ page: JSON.parse((await signedFeedPage(db.database, signer, watch, { after, limit, nonce: 'a'.repeat(20), waitMs: 0 }, () => false)).body) as FeedPage });
      const first = await read(0, 1);
      expect(first.page.entries).toHaveLength(1);
      expect(first.page.head).toBeGreaterThan(first.page.through);
      const second = await read(first.page.through);
      expect(second.page.entries).toHaveLength(1);
      // Only hashes, types, times, status and an opaque id cross: nothing of the item or case.
      expect(Object.keys(second.page.entries[0]).sort()).toEqual(['changedAt', 'hash', 'id', 'seq', 'signal', 'status', 'value']);
      expect(JSON.stringify(first)).not.toContain(items[0].id);
      // Banking the same item again changes nothing in the feed.
      await db.database.transaction((tx) => bankConfirmedItem(tx, new Date(), { id: md5s[0].id, signals: JSON.parse(md5s[0].signals) }));
      expect((await read(second.page.through)).page.entries).toHaveLength(0);
      await db.database.transaction((tx) => unbankItem(tx, new Date(), items[0].id));
      const withdrawn = await read(second.page.through);
      // The withdrawal names the hash by the same opaque id as its publication.
      const published = [...first.page.entries, ...second.page.entries];
      const withdrawnHash = (JSON.parse(md5s.find((r) => r.id === items[0].id)!.signals) as { md5: string }).md5;
      expect(withdrawn.page.entries).toEqual([expect.objectContaining({ status: 'withdrawn', hash: withdrawnHash, id: published.find((e) => e.hash === withdrawnHash)!.id })]);
      // A long poll answers as soon as something is published.
      const started = Date.now();
      const waiting = signedFeedPage(db.database, signer, watch, { after: withdrawn.page.through, limit: 10, nonce: 'b'.repeat(20), waitMs: 10_000 }, () => false);
      await new Promise((r) => setTimeout(r, 300));
      const more = await fileRequest(db.database, keys, [{ hashes: { md5: randomBytes(16).toString('hex') } }]);
      const moreRow = await db.database.transaction((tx) => tx.selectFrom('items').select(['id', 'signals']).where('id', '=', more.items[0].id).executeTakeFirstOrThrow());
      await db.database.transaction((tx) => bankConfirmedItem(tx, new Date(), { id: moreRow.id, signals: JSON.parse(moreRow.signals) }));
      expect((JSON.parse((await waiting).body) as FeedPage).entries).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(5_000);
      await watch.close();
      // Feedback on published ids is kept per follower; unknown ids are counted, not kept.
      const follower = await addPlatformKey(db.database, systemClock, { name: 'follower', scopes: ['exchange'] }, 'test');
      expect(await acceptFeedback(db.database, systemClock, follower.platformId, [{ id: first.page.entries[0].id, verdict: 'confirmed' }, { id: randomUUID(), verdict: 'false_positive' }])).toEqual({ recorded: 1, unknown: 1 });
    });

    it('applies a page set-based with its cursor, makes it matchable, refuses it twice, and unfollows', async () => {
      await followSource(db.database, keys, systemClock, { name: 'partner', url: 'https://partner.example', apiKey: 'tdk_x', publicKey: signer.publicKey, feedId: signer.feedId, trust: 'review' }, 'test');
      const [source] = await followedSources(db.database, keys);
      expect(source).toMatchObject({ name: 'partner', apiKey: 'tdk_x', cursor: 0, trust: 'review' });
      const entries = Array.from({ length: 3000 }, (_, i) => entry(i + 1));
      const page: FeedPage = { format: 'takedown-exchange-page/1', feed: signer.feedId, after: 0, through: 3000, head: 3000, nonce: 'c'.repeat(20), entries: [...entries] };
      page.entries[2999] = { ...page.entries[2999], signal: 'unknown-type' };
      expect(await applyVerifiedPage(db.database, systemClock, source, page)).toEqual({ added: 2999, removed: 0, rejected: 1, handedOver: false });
      await expect(applyVerifiedPage(db.database, systemClock, source, page)).rejects.toThrow(CursorMovedError);
      const banks = new BankIndex();
      const follower = new IndexFollower(db.database, banks, new ContentIndex());
      await follower.load();
      expect(banks.lookup({ pdq: { hash: pdq(5), quality: 90 } })).toMatchObject([{ bankName: 'feed.partner', confirmedItem: false, provenance: { kind: 'followed', source: 'partner', trust: 'review' } }]);
      const removal: FeedPage = { ...page, after: 3000, through: 3001, head: 3001, entries: [{ ...entries[4], seq: 3001, status: 'withdrawn' }] };
      expect(await applyVerifiedPage(db.database, systemClock, source, removal)).toEqual({ added: 0, removed: 1, rejected: 0, handedOver: false });
      await follower.sync();
      expect(banks.lookup({ pdq: { hash: pdq(5), quality: 90 } })).toEqual([]);
      expect(await listSources(db.database)).toMatchObject([{ name: 'partner', cursor: 3001, hashes: 2998, applied: 3000, rejected: 1 }]);
      expect(await unfollowSource(db.database, systemClock, 'partner', 'test')).toBe(2998);
      await follower.sync();
      expect(banks.lookup({ pdq: { hash: pdq(6), quality: 90 } })).toEqual([]);
      expect(await followedSources(db.database, keys)).toEqual([]);
    });

    it('hands a page to the match index as written: matchable at commit without a sync, a withdrawal and a return by the same id', async () => {
      await followSource(db.database, keys, systemClock, { name: 'handed', url: 'https://handed.example', apiKey: 'tdk_y', publicKey: signer.publicKey, feedId: signer.feedId, trust: 'review' }, 'test');
      const source = (await followedSources(db.database, keys)).find((s) => s.name === 'handed')!;
      const banks = new BankIndex();
      const follower = new IndexFollower(db.database, banks, new ContentIndex());
      await follower.load();
      const entries = Array.from({ length: 500 }, (_, i) => entry(10_000 + i));
      const page = (after: number, list: FeedPage['entries']): FeedPage => ({ format: 'takedown-exchange-page/1', feed: signer.feedId, after, through: list.at(-1)!.seq, head: list.at(-1)!.seq, nonce: 'd'.repeat(20), entries: list });
      const first = page(0, entries.map((e, i) => ({ ...e, seq: i + 1 })));
      expect(await applyVerifiedPage(db.database, systemClock, source, first, follower)).toEqual({ added: 500, removed: 0, rejected: 0, handedOver: true });
      // Matchable without a sync: the index took the rows the insert returned.
      const lookup = (i: number) => banks.lookup({ pdq: { hash: pdq(10_000 + i), quality: 90 } }).filter((h) => h.bankName === 'feed.handed');
      expect(lookup(7)).toHaveLength(1);
      expect(banks.size).toBe(500 + (await liveRowsOutside(db, source.bankId)));
      // A sync leaves the handed-over transaction out and changes nothing.
      await follower.sync();
      expect(lookup(7)).toHaveLength(1);
      // The same page again is refused whole.
      await expect(applyVerifiedPage(db.database, systemClock, source, first, follower)).rejects.toThrow(CursorMovedError);
      // The source withdraws one hash (same id, new seq) and later publishes it again (same id, newer seq).
      const withdrawal = page(500, [{ ...entries[7], seq: 501, status: 'withdrawn' }]);
      expect(await applyVerifiedPage(db.database, systemClock, source, withdrawal, follower)).toEqual({ added: 0, removed: 1, rejected: 0, handedOver: true });
      expect(lookup(7)).toEqual([]);
      const back = page(501, [{ ...entries[7], seq: 502 }, { ...entries[8], seq: 503 }]);
      // Entry 8 is live already: left as it is; entry 7 comes back as a new row.
      expect(await applyVerifiedPage(db.database, systemClock, source, back, follower)).toEqual({ added: 1, removed: 0, rejected: 0, handedOver: true });
      expect(lookup(7)).toHaveLength(1);
      expect(lookup(8)).toHaveLength(1);
      // A fresh index read from the tables agrees with the one that was handed the pages.
      const fresh = new BankIndex();
      await new IndexFollower(db.database, fresh, new ContentIndex()).load();
      expect(fresh.size).toBe(banks.size);
      const live = await db.database.transaction((tx) => tx.selectFrom('bank_hashes').select((eb) => eb.fn.countAll<string>().as('n')).where('bank_id', '=', source.bankId).where('removed_at', 'is', null).executeTakeFirstOrThrow());
      expect(Number(live.n)).toBe(500);
      expect(await unfollowSource(db.database, systemClock, 'handed', 'test')).toBe(500);
    });

    it('finds the hash of each pending verdict through the followed key, and none once the source withdrew it', async () => {
      await followSource(db.database, keys, systemClock, { name: 'verdicts', url: 'https://verdicts.example', apiKey: 'tdk_v', publicKey: signer.publicKey, feedId: signer.feedId, trust: 'review' }, 'test');
      const source = (await followedSources(db.database, keys)).find((s) => s.name === 'verdicts')!;
      const entries = [entry(20_001), entry(20_002)];
      const page = (after: number, list: FeedPage['entries']): FeedPage => ({ format: 'takedown-exchange-page/1', feed: signer.feedId, after, through: list.at(-1)!.seq, head: list.at(-1)!.seq, nonce: 'e'.repeat(20), entries: list });
      await applyVerifiedPage(db.database, systemClock, source, page(0, entries.map((e, i) => ({ ...e, seq: i + 1 }))));
      await applyVerifiedPage(db.database, systemClock, source, page(2, [{ ...entries[1], seq: 3, status: 'withdrawn' }]));
      const never = randomUUID();
      await db.database.transaction((tx) =>
        tx.insertInto('exchange_feedback_outbox').values([entries[0].id, entries[1].id, never].map((entryId) => ({ source_id: source.id, entry_id: entryId, verdict: 'confirmed' as const, created_at: new Date() }))).execute(),
      );
      expect((await claimFeedback(db.database, systemClock, source.id, 10, 60_000)).verdicts.map((p) => [p.entryId, p.hash])).toEqual([
        [entries[0].id, entries[0].hash],
        [entries[1].id, null],
        [never, null],
      ]);
      // The lookup is one the followed key serves: with sequential scans priced out, the plan walks that index.
      const plan = await db.database.transaction(async (tx) => {
        await sql`set local enable_seqscan = off`.execute(tx);
        const query = selectPendingFeedback(tx, source.id, 10).compile();
        const result = await tx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]));
        return result.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      expect(plan).toMatch(/Index (Only )?Scan using bank_hashes_followed on bank_hashes h/);
      expect(plan).not.toMatch(/Seq Scan on bank_hashes/);
      await unfollowSource(db.database, systemClock, 'verdicts', 'test');
    });

    it('gives each waiting verdict to one sender at a time: claimed until the lease ends, sooner when let go', async () => {
      await followSource(db.database, keys, systemClock, { name: 'claims', url: 'https://claims.example', apiKey: 'tdk_c', publicKey: signer.publicKey, feedId: signer.feedId, trust: 'review' }, 'test');
      const source = (await followedSources(db.database, keys)).find((s) => s.name === 'claims')!;
      const clock = new ManualClock(new Date());
      await db.database.transaction((tx) =>
        tx.insertInto('exchange_feedback_outbox').values(Array.from({ length: 5 }, () => ({ source_id: source.id, entry_id: randomUUID(), verdict: 'confirmed' as const, created_at: clock.now() }))).execute(),
      );
      const claim = (limit: number) => claimFeedback(db.database, clock, source.id, limit, 30_000);
      const first = await claim(3);
      const second = await claim(10);
      // Two senders at once (two replicas): the second gets only what the first did not take.
      expect(first.verdicts).toHaveLength(3);
      expect(second.verdicts).toHaveLength(2);
      expect(await claim(10)).toMatchObject({ verdicts: [] });
      // Two claims racing in one moment share nothing either.
      await releaseFeedback(db.database, first);
      await releaseFeedback(db.database, second);
      const racing = await Promise.all([claim(5), claim(5)]);
      const ids = racing.flatMap((c) => c.verdicts.map((v) => v.id));
      expect(ids).toHaveLength(5);
      expect(new Set(ids).size).toBe(5);
      // A sender that died holding a claim: its verdicts are free again when the lease ends, not before.
      await markFeedbackSent(db.database, clock, racing[0].verdicts.map((v) => v.id));
      clock.advance(29_999);
      expect(await claim(10)).toMatchObject({ verdicts: [] });
      clock.advance(1);
      const taken = await claim(10);
      expect(taken.verdicts.map((v) => v.id).sort()).toEqual(racing[1].verdicts.map((v) => v.id).sort());
      // Letting go of a claim that another sender took over after its lease ended leaves that sender's claim alone.
      await releaseFeedback(db.database, racing[1]);
      expect(await claim(10)).toMatchObject({ verdicts: [] });
      await unfollowSource(db.database, systemClock, 'claims', 'test');
    });

    it('leaves none of a page in the index when an unfollow removed its rows before the hand-over took them', async () => {
      await followSource(db.database, keys, systemClock, { name: 'overtaken', url: 'https://overtaken.example', apiKey: 'tdk_o', publicKey: signer.publicKey, feedId: signer.feedId, trust: 'review' }, 'test');
      const source = (await followedSources(db.database, keys)).find((s) => s.name === 'overtaken')!;
      const banks = new BankIndex();
      const follower = new IndexFollower(db.database, banks, new ContentIndex());
      await follower.load();
      // The hand-over as it runs, with the take held back: the page has committed, the index has not taken it yet.
      let held: Parameters<IndexFollower['take']> | undefined;
      const slowHandOver = { expect: (xid: string) => follower.expect(xid), take: (...args: Parameters<IndexFollower['take']>) => void (held = args), forget: (xid: string) => follower.forget(xid) };
      const entries = Array.from({ length: 50 }, (_, i) => ({ ...entry(30_000 + i), seq: i + 1 }));
      const page: FeedPage = { format: 'takedown-exchange-page/1', feed: signer.feedId, after: 0, through: 50, head: 50, nonce: 'f'.repeat(20), entries };
      expect(await applyVerifiedPage(db.database, systemClock, source, page, slowHandOver)).toMatchObject({ added: 50, handedOver: true });
      // Meanwhile the source is unfollowed and the index hears of it: the unfollow removed the page's rows.
      expect(await unfollowSource(db.database, systemClock, 'overtaken', 'test')).toBe(50);
      await follower.sync();
      follower.take(...held!);
      const inBank = (i: number) => banks.lookup({ pdq: { hash: pdq(30_000 + i), quality: 90 } }, { includeDisabled: true }).filter((h) => h.bankName === 'feed.overtaken');
      expect(inBank(0)).toEqual([]);
      expect(inBank(49)).toEqual([]);
      const fresh = new BankIndex();
      await new IndexFollower(db.database, fresh, new ContentIndex()).load();
      expect(banks.size).toBe(fresh.size);
    });

    it('refuses a page that an unfollow overtook, leaving no live row in the emptied bank', async () => {
      await followSource(db.database, keys, systemClock, { name: 'late', url: 'https://late.example', apiKey: 'tdk_l', publicKey: signer.publicKey, feedId: signer.feedId, trust: 'review' }, 'test');
      const source = (await followedSources(db.database, keys)).find((s) => s.name === 'late')!;
      expect(await unfollowSource(db.database, systemClock, 'late', 'test')).toBe(0);
      const entries = Array.from({ length: 5 }, (_, i) => ({ ...entry(40_000 + i), seq: i + 1 }));
      const page: FeedPage = { format: 'takedown-exchange-page/1', feed: signer.feedId, after: 0, through: 5, head: 5, nonce: 'g'.repeat(20), entries };
      await expect(applyVerifiedPage(db.database, systemClock, source, page)).rejects.toThrow(CursorMovedError);
      const live = await db.database.transaction((tx) => tx.selectFrom('bank_hashes').select((eb) => eb.fn.countAll<string>().as('n')).where('bank_id', '=', source.bankId).where('removed_at', 'is', null).executeTakeFirstOrThrow());
      expect(Number(live.n)).toBe(0);
    });

    it('reads changes back by ranges of transactions that leave handed-over ones out', async () => {
      const xids: string[] = [];
      for (let i = 0; i < 4; i++) {
        xids.push(await db.database.transaction(async (tx) => {
          await sql`insert into banks (id, name, kind, created_at, updated_at) values (gen_random_uuid(), ${`ranges-${i}`}, 'imported', now(), now())`.execute(tx);
          return (await sql<{ xid: string }>`select pg_current_xact_id()::text as xid`.execute(tx)).rows[0].xid;
        }));
      }
      const read = (since: string, skipped: string[]) =>
        db.database.transaction(async (tx) => (await tx.selectFrom('banks').select(sql<string>`change_xid::text`.as('xid')).where(changedOutside(since, skipped)).orderBy('change_xid').execute()).map((r) => r.xid));
      expect(await read(xids[0], [])).toEqual(xids);
      expect(await read(xids[1], [])).toEqual(xids.slice(1));
      expect(await read(xids[0], [xids[3]])).toEqual(xids.slice(0, 3));
      expect(await read(xids[0], [xids[0], xids[2]])).toEqual([xids[1], xids[3]]);
      // A skipped transaction older than the start changes nothing; the same one twice neither.
      expect(await read(xids[2], ['1', xids[1], xids[3], xids[3]])).toEqual([xids[2]]);
    });
  });
}

async function liveRowsOutside(db: TestDatabase, bankId: string): Promise<number> {
  const row = await db.database.transaction((tx) => tx.selectFrom('bank_hashes').select((eb) => eb.fn.countAll<string>().as('n')).where('bank_id', '<>', bankId).where('removed_at', 'is', null).executeTakeFirstOrThrow());
  return Number(row.n);
}
