import { sql, type RawBuilder } from 'kysely';
import { pdqSignal, signalTypes } from '@takedown/core';
import { MatchIndex } from '@takedown/match';
import type { BankHashEntry, BankIndex } from '../platform/bank-index.ts';
import { ShardedPdqMatcher, type MatchShardsConfig, type ShardBuildProgress } from '../platform/sharded-pdq-matcher.ts';
import { MovablePdqMatcher } from '../platform/movable-pdq-matcher.ts';
import type { ContentIndex, ContentEntry } from '../platform/content-index.ts';
import type { OpenDatabase, Tx } from '../store/database.ts';
import { bankEntry } from './platform-banks.ts';
import { INDEX_CHANNEL } from '../store/migrations/006-index-notify.ts';
import { keepListening, type ListenNews } from './keep-listening.ts';
import type { PdqIndexUsage } from '../observability/metrics.ts';

const PAGE = 50_000;

/** What the follower says while it loads: counts only (no hash, id or content). */
export type IndexLoadLog = (fields: Record<string, number>, message: string) => void;

function contentEntry(row: { ref: string | number; platform_id: string; content_id: string; url: string | null; signals: string; deleted_at: Date | null }): ContentEntry {
  return {
    ref: Number(row.ref),
    platformId: row.platform_id,
    contentId: row.content_id,
    url: row.url,
    signals: signalTypes.fromStored(row.signals),
    deleted: row.deleted_at !== null,
  };
}

/** A bank_hashes row with its value read by its signal type (undefined when the type is not registered). */
function bankHash(r: { id: string | number; bank_id: string; signal: string; hash: string; item_id: string | null; value: string | null }): Omit<BankHashEntry, 'removed'> {
  return { id: Number(r.id), bankId: r.bank_id, signal: r.signal, value: signalTypes.fromBankRow({ signal: r.signal, hash: r.hash.trim(), value: r.value }), itemId: r.item_id };
}

/**
 * Keeps the in-memory indexes (banks, content) in step with the tables, with no periodic rebuild: each sync
 * reads only the rows written since the previous one (by transaction id, see migrations/002-platform.ts),
 * so hashes added by this process, another replica or the CLI become matchable at the next sync. This
 * process calls `sync()` right after its own writes; for everyone else's, a notification from the tables'
 * triggers (migrations/006-index-notify.ts) starts a sync at once, and a timer catches anything missed
 * (a lost listening connection, say).
 */
export class IndexFollower implements IndexHandOver {
  readonly #database: OpenDatabase;
  readonly banks: BankIndex;
  readonly content: ContentIndex;
  #xmin: string | undefined;
  /** Transactions whose bank_hashes rows this process hands over itself (`expect`), and whether it has (`take`). */
  readonly #handedOver = new Map<string, boolean>();
  /**
   * Rows a sync saw removed while a hand-over was still to come (`expect` without `take`): a later transaction
   * (an unfollow, a withdrawal by another replica) removed rows of a committed page before this process took
   * them, so `take` must not file them (they would stay in the index of a bank that no longer holds them).
   */
  readonly #removedBeforeTaken = new Set<number>();
  /** The next sync reads from this transaction on, when a hand-over did not happen (`forget`). */
  #rewindTo: string | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #unlisten: Promise<() => Promise<void>> | undefined;
  readonly #shards: MatchShardsConfig | undefined;
  readonly #log: IndexLoadLog;
  /**
   * The banks' PDQ matcher when sharding is on: sharded from `shards.aboveHashes` live PDQ hashes at the first
   * load, else in this thread until the banks grow that large (then moved to the shards, decision 038).
   */
  #pdq: MovablePdqMatcher | undefined;
  /** A move to the shards that failed: the index stays in this thread until the next start. */
  #moveFailed = false;
  /** A sharded build that failed: its rows were filed in the bank index, so a new load would skip them. */
  #buildFailed: Error | undefined;

  constructor(database: OpenDatabase, banks: BankIndex, content: ContentIndex, options: { shards?: MatchShardsConfig; log?: IndexLoadLog } = {}) {
    this.#database = database;
    this.banks = banks;
    this.content = content;
    this.#shards = options.shards;
    this.#log = options.log ?? (() => {});
  }

  /** Shards of the banks' PDQ index (0: one index in this thread). */
  get pdqShards(): number {
    const current = this.#pdq?.current;
    return current instanceof ShardedPdqMatcher ? current.shardCount : 0;
  }

  /** Whether the banks' PDQ index is moving to worker threads (built in the background; checks answered meanwhile). */
  get pdqMoving(): boolean {
    return this.#pdq?.moving ?? false;
  }

  /** The banks' PDQ index as the metrics report it: live hashes, shards (0: this thread), moving. */
  pdqUsage(): PdqIndexUsage {
    return { hashes: this.banks.sizeOf(pdqSignal.name), shards: this.pdqShards, moving: this.pdqMoving };
  }

  /**
   * Loads everything live, page by page, then follows changes. A sharded PDQ index is filled in the load's
   * transaction and built after it, in its threads: this thread's event loop stays free, and changes
   * committed meanwhile are applied by the next sync, as any change after the load's snapshot is.
   */
  async load(): Promise<void> {
    if (this.#buildFailed) throw this.#buildFailed;
    let building: ShardedPdqMatcher | undefined;
    const xmin = await this.#database.transaction(async (tx) => {
      const xmin = await snapshotXmin(tx);
      for (const bank of await tx.selectFrom('banks').selectAll().execute()) this.banks.applyBank(bankEntry(bank));
      building = await this.#servePdq(tx);
      for (let after = 0; ; ) {
        const rows = await tx.selectFrom('bank_hashes').select(['id', 'bank_id', 'signal', 'hash', 'item_id', 'value']).where('removed_at', 'is', null).where('id', '>', after).orderBy('id').limit(PAGE).execute();
        if (rows.length === 0) break;
        this.banks.load(rows.map(bankHash));
        after = Number(rows[rows.length - 1].id);
      }
      this.banks.compact();
      for (let after = 0; ; ) {
        const rows = await tx.selectFrom('platform_content').selectAll().where('deleted_at', 'is', null).where('ref', '>', after).orderBy('ref').limit(PAGE).execute();
        if (rows.length === 0) break;
        for (const row of rows) this.content.apply(contentEntry(row));
        after = Number(rows[rows.length - 1].ref);
      }
      return xmin;
    });
    if (building) {
      const started = performance.now();
      try {
        await building.build((progress: ShardBuildProgress) => this.#log({ ...progress, seconds: Math.round(progress.seconds) }, 'PDQ index shard built'));
      } catch (error) {
        this.#buildFailed = new Error(`the sharded PDQ index could not be built (restart the server): ${error instanceof Error ? error.message : String(error)}`);
        throw this.#buildFailed;
      }
      this.#log({ hashes: building.rows, shards: building.shardCount, seconds: Math.round((performance.now() - started) / 1000) }, 'sharded PDQ index ready');
    }
    this.#xmin = xmin;
  }

  /**
   * At the first load, when sharding is on: serves PDQ with a matcher that can move. When the banks hold at
   * least `shards.aboveHashes` live PDQ hashes it is a sharded index (empty, collecting the rows the load
   * reads), returned to be built after the transaction; else an index in this thread, moved once the banks
   * grow that large (`#moveIfGrown`).
   */
  async #servePdq(tx: Tx): Promise<ShardedPdqMatcher | undefined> {
    const shards = this.#shards;
    if (!shards || shards.aboveHashes <= 0 || this.#pdq || this.banks.sizeOf(pdqSignal.name) > 0) return undefined;
    const { hashes } = await tx
      .selectFrom('bank_hashes')
      .select((eb) => eb.fn.countAll<string | number>().as('hashes'))
      .where('signal', '=', pdqSignal.name)
      .where('removed_at', 'is', null)
      .executeTakeFirstOrThrow();
    const large = Number(hashes) >= shards.aboveHashes;
    const sharded = large ? new ShardedPdqMatcher(shards.shardRows, Number(hashes)) : undefined;
    this.#pdq = new MovablePdqMatcher(sharded ?? new MatchIndex({ helper: this.banks.verifyHelper }));
    this.banks.serveWith(pdqSignal.name, pdqSignal.createIndex({ hashMatcher: this.#pdq }));
    if (sharded) this.#log({ hashes: Number(hashes), shardRows: shards.shardRows }, 'the banks\' PDQ hashes are many: their index is sharded, built in worker threads after loading');
    return sharded;
  }

  /**
   * Once the banks' PDQ hashes reach `shards.aboveHashes` while the server runs: moves their index to worker
   * threads in the background (decision 038). Checks are answered from this thread until the shards are
   * built and the changes made meanwhile replayed on them; a move that fails leaves the index here until the
   * next start. A bank that shrinks again stays sharded.
   */
  #moveIfGrown(): void {
    const pdq = this.#pdq;
    const shards = this.#shards;
    if (!pdq || !shards || pdq.moving || this.#moveFailed || pdq.current instanceof ShardedPdqMatcher) return;
    const hashes = this.banks.sizeOf(pdqSignal.name);
    if (hashes < shards.aboveHashes) return;
    const started = performance.now();
    const seconds = () => Math.round((performance.now() - started) / 100) / 10;
    this.#log({ hashes, shardRows: shards.shardRows }, 'the banks\' PDQ hashes grew past the shard threshold: their index moves to worker threads, built in the background (checks answered here meanwhile)');
    pdq
      .moveTo(async (ids, words) => {
        const sharded = ShardedPdqMatcher.of(shards.shardRows, ids, words);
        await sharded.build();
        return sharded;
      })
      .then(
        (moved) => {
          if (moved && this.#pdq === pdq) this.#log({ hashes: this.banks.sizeOf(pdqSignal.name), shards: this.pdqShards, seconds: seconds() }, 'the banks\' PDQ index moved to worker threads');
        },
        (error: unknown) => {
          // closed meanwhile: the next load starts afresh
          if (this.#pdq !== pdq) return;
          this.#moveFailed = true;
          this.#log({ hashes: this.banks.sizeOf(pdqSignal.name), seconds: seconds() }, `the banks' PDQ index could not move to worker threads and stays in this thread until the next start: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
  }

  /**
   * Stops the sharded index's threads, if there are any, and forgets what was loaded: the banks' PDQ index is
   * unusable until the indexes are emptied (`BankIndex.clear`, `ContentIndex.clear`) and loaded again, which
   * the next `load()` does from scratch (sharded again if the banks are still large).
   */
  async close(): Promise<void> {
    const pdq = this.#pdq;
    this.#pdq = undefined;
    this.#xmin = undefined;
    this.#buildFailed = undefined;
    this.#moveFailed = false;
    this.#rewindTo = undefined;
    this.#handedOver.clear();
    this.#removedBeforeTaken.clear();
    // a move under way is waited for (its shards are stopped unused)
    await pdq?.close();
  }

  /** Applies the changes since the last sync. Concurrent calls share one run (plus one more if asked meanwhile). */
  async sync(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#syncOnce();
        } while (this.#again);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  /**
   * Announces, inside a transaction that changes bank_hashes and before it commits, that this process will
   * give the index that transaction's rows itself (`take`) once it has committed: syncs leave its rows out
   * instead of reading them back. False while the index is not loaded (then sync as usual).
   */
  expect(xid: string): boolean {
    if (this.#xmin === undefined) return false;
    this.#handedOver.set(xid, false);
    return true;
  }

  /** The rows a committed, expected transaction added and removed, as it wrote them. */
  take(xid: string, added: Omit<BankHashEntry, 'removed'>[], removed: { id: number; bankId: string; signal: string }[]): void {
    try {
      for (const r of removed) this.banks.applyHash({ ...r, value: undefined, itemId: null, removed: true });
      this.banks.load(this.#removedBeforeTaken.size === 0 ? added : added.filter((r) => !this.#removedBeforeTaken.has(r.id)));
      this.#handedOver.set(xid, true);
    } catch (error) {
      this.forget(xid);
      throw error;
    } finally {
      this.#dropRemovedBeforeTakenIfIdle();
    }
    this.#moveIfGrown();
  }

  /** An expected transaction whose rows were not handed over (it failed, or may have committed after all): the next sync reads from it on. */
  forget(xid: string): void {
    this.#handedOver.delete(xid);
    if (this.#rewindTo === undefined || BigInt(xid) < BigInt(this.#rewindTo)) this.#rewindTo = xid;
    this.#dropRemovedBeforeTakenIfIdle();
  }

  /** Whether a hand-over is announced and not yet taken or forgotten. */
  #awaitingHandOver(): boolean {
    for (const taken of this.#handedOver.values()) if (!taken) return true;
    return false;
  }

  #dropRemovedBeforeTakenIfIdle(): void {
    if (this.#removedBeforeTaken.size > 0 && !this.#awaitingHandOver()) this.#removedBeforeTaken.clear();
  }

  async #syncOnce(): Promise<void> {
    if (this.#xmin === undefined) return this.load();
    let since = this.#xmin;
    if (this.#rewindTo !== undefined && BigInt(this.#rewindTo) < BigInt(since)) since = this.#rewindTo;
    this.#rewindTo = undefined;
    const xmin = await this.#database.transaction(async (tx) => {
      const xmin = await snapshotXmin(tx);
      const changed = sql<boolean>`change_xid >= ${since}::xid8`;
      for (const bank of await tx.selectFrom('banks').selectAll().where(changed).execute()) this.banks.applyBank(bankEntry(bank));
      // Read after the snapshot was taken: a transaction it sees committed was expected before it committed.
      const hashes = await tx
        .selectFrom('bank_hashes')
        .select(['id', 'bank_id', 'signal', 'hash', 'item_id', 'removed_at', 'value'])
        .where(changedOutside(since, [...this.#handedOver.keys()]))
        .orderBy('id')
        .execute();
      // Removals one by one; additions in one bulk load per type (a page of a followed feed brings thousands).
      const awaiting = this.#awaitingHandOver();
      for (const r of hashes) {
        if (r.removed_at === null) continue;
        this.banks.applyHash({ ...bankHash(r), removed: true });
        if (awaiting) this.#removedBeforeTaken.add(Number(r.id));
      }
      this.banks.load(hashes.filter((r) => r.removed_at === null).map(bankHash));
      const content = await tx.selectFrom('platform_content').selectAll().where(changed).orderBy('ref').execute();
      for (const row of content) this.content.apply(contentEntry(row));
      return xmin;
    });
    this.#xmin = xmin;
    this.#moveIfGrown();
    // A handed-over transaction older than every snapshot to come is never read again: no need to leave it out.
    for (const [xid, taken] of this.#handedOver) if (taken && BigInt(xid) < BigInt(xmin)) this.#handedOver.delete(xid);
  }

  /**
   * Syncs on every change notification and every `intervalMs` (changes made by other processes). Should the
   * listening connection be lost, the timer alone follows changes (later) while the listen is tried again
   * (services/keep-listening.ts); once it listens again, a sync runs at once, since changes made meanwhile
   * were not heard. `listening` hears the loss and the recovery (once each per outage).
   */
  start(intervalMs: number, onError: (error: Error) => void, listening: ListenNews = { onLost: onError, onRestored: () => {} }): void {
    this.#unlisten = keepListening(this.#database, INDEX_CHANNEL, {
      onNotify: () => void this.sync().catch(onError),
      onLost: (error) => listening.onLost(error),
      onRestored: () => {
        listening.onRestored();
        void this.sync().catch(onError);
      },
    });
    const tick = () => {
      this.#timer = setTimeout(() => {
        this.sync().catch(onError).finally(() => {
          if (this.#timer) tick();
        });
      }, intervalMs);
      // Following changes is no reason to keep the process alive.
      this.#timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    const timer = this.#timer;
    this.#timer = undefined;
    if (timer) clearTimeout(timer);
    const unlisten = await this.#unlisten;
    this.#unlisten = undefined;
    await unlisten?.();
    await this.#running;
  }
}

/**
 * The index taking a transaction's bank_hashes changes from the process that wrote them, instead of reading
 * them back (a followed feed's page brings tens of thousands): `expect` before the commit, then `take` after
 * it, or `forget` when it failed.
 */
export interface IndexHandOver {
  expect(xid: string): boolean;
  take(xid: string, added: Omit<BankHashEntry, 'removed'>[], removed: { id: number; bankId: string; signal: string }[]): void;
  forget(xid: string): void;
}

/**
 * Rows changed from transaction `since` on, except those of the `skipped` transactions (handed over): ranges
 * of `change_xid` between them, so the index on it never visits a skipped transaction's rows (a followed
 * feed's page writes tens of thousands; filtering them after reading them back cost as much as a sync).
 */
export function changedOutside(since: string, skipped: string[]): RawBuilder<boolean> {
  const from = BigInt(since);
  const gaps = [...new Set(skipped.map((x) => BigInt(x)))].filter((x) => x >= from).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (gaps.length === 0) return sql<boolean>`change_xid >= ${since}::xid8`;
  const ranges = [sql`(change_xid >= ${since}::xid8 and change_xid < ${String(gaps[0])}::xid8)`];
  for (let i = 0; i < gaps.length; i++) {
    const next = gaps[i + 1];
    ranges.push(next === undefined ? sql`change_xid > ${String(gaps[i])}::xid8` : sql`(change_xid > ${String(gaps[i])}::xid8 and change_xid < ${String(next)}::xid8)`);
  }
  return sql<boolean>`(${sql.join(ranges, sql` or `)})`;
}

/** The oldest transaction still running when this transaction's snapshot was taken. */
async function snapshotXmin(tx: Tx): Promise<string> {
  const result = await sql<{ xmin: string }>`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`.execute(tx);
  return result.rows[0].xmin;
}
