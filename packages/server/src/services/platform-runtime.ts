import type { Clock } from '@takedown/core';
import { VerifyHelper } from '@takedown/match/verify-helper';
import type { Keys } from '../crypto/keys.ts';
import type { OpenDatabase } from '../store/database.ts';
import { IndexFollower, type IndexLoadLog } from './index-follower.ts';
import type { ListenNews } from './keep-listening.ts';
import { BankIndex } from '../platform/bank-index.ts';
import { ContentIndex } from '../platform/content-index.ts';
import type { PlatformConfig } from '../config/platform-config.ts';

/**
 * What the platform routes and the platform jobs share in one process: the in-memory bank and content
 * indexes and the follower that keeps them in step with the database, with the settings they were built
 * with. Made once where the server is put together (`takedown serve`, `buildApp`, a test) and handed to the
 * HTTP plugin and the worker's handlers, so two servers on one database each keep their own settings.
 * @example
 * const platform = new PlatformRuntime(database, config.platform);
 * const app = await buildApp(config, { database, keys, platform });
 * const worker = createWorker({ config, database, clock, keys, platform });
 */
export class PlatformRuntime {
  readonly database: OpenDatabase;
  readonly config: PlatformConfig;
  readonly banks: BankIndex;
  readonly content = new ContentIndex();
  readonly follower: IndexFollower;
  /** Verifies half of each PDQ lookup's candidates once the banks hold 2 M hashes (idle, no thread, before). */
  #helper: VerifyHelper | undefined;
  #loaded: Promise<void> | undefined;
  #ready = false;
  #users = 0;
  /** The last user closed: threads stopped, indexes to be emptied and loaded again at the next open. */
  #closed = false;

  /** `log`: hears how a long load goes (a sharded PDQ index's build, shard by shard): counts only. */
  constructor(database: OpenDatabase, config: PlatformConfig, options: { log?: IndexLoadLog } = {}) {
    this.database = database;
    this.config = config;
    this.#helper = config.matchHelperThread ? new VerifyHelper() : undefined;
    this.banks = new BankIndex({ helper: this.#helper });
    this.follower = new IndexFollower(database, this.banks, this.content, { shards: config.matchShards, log: options.log });
  }

  get ready(): boolean {
    return this.#ready;
  }

  /**
   * Loads the indexes from the database, once (a failed load is tried again at the next call). On the
   * embedded database, call it before any job transaction that needs the indexes has started: transactions
   * run one after another there, so a load queued behind the waiting job would never run.
   */
  load(): Promise<void> {
    if (this.#closed) this.#reopen();
    this.#loaded ??= this.follower.load().then(
      () => {
        this.#ready = true;
      },
      (error: unknown) => {
        this.#loaded = undefined;
        throw error;
      },
    );
    return this.#loaded;
  }

  /**
   * Loads the indexes and follows changes made elsewhere until the last user closes. `listening` hears that
   * change notifications are lost (the timer alone follows them meanwhile) and heard again.
   */
  async open(onError: (error: Error) => void = () => {}, listening?: ListenNews): Promise<void> {
    this.#users += 1;
    await this.load();
    if (this.#users === 1) this.follower.start(this.config.indexSyncMs, onError, listening);
  }

  /** Applies this process's own changes now (called right after they are committed). */
  async sync(): Promise<void> {
    if (this.#ready) await this.follower.sync();
  }

  /**
   * The last user's close stops following, stops the index threads (a sharded PDQ index's shards, the
   * verify helper) and lets the indexes go; a later `open` or `load` loads them again from the database.
   */
  async close(): Promise<void> {
    this.#users -= 1;
    if (this.#users <= 0) {
      this.#users = 0;
      await this.follower.stop();
      await this.follower.close();
      await this.#helper?.close();
      this.#loaded = undefined;
      this.#ready = false;
      this.#closed = true;
    }
  }

  /** After the last close: fresh threads and empty indexes, for the next load to fill. */
  #reopen(): void {
    this.#closed = false;
    this.#helper = this.config.matchHelperThread ? new VerifyHelper() : undefined;
    this.banks.clear({ helper: this.#helper });
    this.content.clear();
  }
}

/** Keys and clock the platform jobs need besides the runtime. */
export interface PlatformJobContext {
  database: OpenDatabase;
  keys: Keys;
  clock: Clock;
}
