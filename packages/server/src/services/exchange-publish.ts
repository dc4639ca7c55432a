import type { Clock } from '@takedown/core';
import type { FeedSigner } from '../crypto/feed-signing.ts';
import { pageText, PAGE_FORMAT, signedBytes, type FeedPage } from '../platform/exchange-page.ts';
import type { OpenDatabase } from '../store/database.ts';
import { publishedCounts, readPublished, recordFeedback } from '../store/exchange-feed.ts';
import { EXCHANGE_CHANNEL } from '../store/migrations/011-exchange.ts';
import { keepListening, type ListenNews } from './keep-listening.ts';

export const FEED_PAGE_DEFAULT = 5_000;
export const FEED_PAGE_MAX = 20_000;
/** The longest a follower may ask the source to hold a request open while nothing is new. */
export const FEED_WAIT_MAX_MS = 30_000;

/**
 * Wakes waiting feed readers when the feed changes: a notification from the feed table's trigger (this
 * process's writes and other processes' alike), and a check every second should one be lost. Should the
 * listening connection be lost, the checks alone wake them (later) while the listen is tried again
 * (services/keep-listening.ts); once it listens again, every waiting reader checks at once.
 */
export class FeedWatch {
  readonly #database: OpenDatabase;
  readonly #listening: ListenNews;
  #waiters = new Set<() => void>();
  #stop: Promise<() => Promise<void>> | undefined;
  #closed = false;

  /** `listening` hears that feed changes are no longer heard, and heard again (once each per outage). */
  constructor(database: OpenDatabase, listening: ListenNews = { onLost: () => {}, onRestored: () => {} }) {
    this.#database = database;
    this.#listening = listening;
  }

  /** Resolves at the next change, or after `timeoutMs`. */
  wait(timeoutMs: number): Promise<void> {
    // Once closed, nothing waits (and no listening connection is opened again).
    if (this.#closed) return Promise.resolve();
    this.#stop ??= keepListening(this.#database, EXCHANGE_CHANNEL, {
      onNotify: () => this.#wake(),
      onLost: (error) => this.#listening.onLost(error),
      onRestored: () => {
        this.#listening.onRestored();
        // a change made meanwhile was not heard: every waiting reader reads the feed again
        this.#wake();
      },
    });
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiters.add(done);
    });
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#wake();
    const stop = await this.#stop;
    this.#stop = undefined;
    await stop?.();
  }
}

export interface FeedRequest {
  after: number;
  limit: number;
  nonce: string;
  /** Hold the request open up to this long while the feed has nothing after `after`. */
  waitMs: number;
}

/**
 * One page of this deployment's feed: the body to send (canonical JSON, written once) and its signature.
 * With `waitMs`, an empty page is answered only once that time has passed with nothing new: a follower
 * hears of a confirmation within moments, without polling.
 */
export async function signedFeedPage(database: OpenDatabase, signer: FeedSigner, watch: FeedWatch, request: FeedRequest, closed: () => boolean): Promise<{ body: string; signature: string }> {
  const until = Date.now() + Math.min(request.waitMs, FEED_WAIT_MAX_MS);
  for (;;) {
    const { rows, head } = await database.transaction((tx) => readPublished(tx, request.after, request.limit));
    const left = until - Date.now();
    if (rows.length > 0 || left <= 0 || closed()) {
      const page: FeedPage = {
        format: PAGE_FORMAT,
        feed: signer.feedId,
        after: request.after,
        through: rows.length > 0 ? rows[rows.length - 1].seq : request.after,
        head: Math.max(head, request.after),
        nonce: request.nonce,
        entries: rows.map((r) => ({ seq: r.seq, id: r.entryId, signal: r.signal, hash: r.hash, value: r.value, status: r.status, changedAt: r.changedAt.toISOString() })),
      };
      const body = pageText(page);
      return { body, signature: signer.sign(signedBytes(body)) };
    }
    await watch.wait(Math.min(left, 1_000));
  }
}

/** What a follower needs to check pages: the feed id and the public key (to compare with the operator's copy). */
export function feedIdentity(signer: FeedSigner): { feed: string; publicKey: string; format: string } {
  return { feed: signer.feedId, publicKey: signer.publicKey, format: PAGE_FORMAT };
}

/** A follower's reviewers' verdicts on matches of this feed's hashes, kept per follower. */
export async function acceptFeedback(database: OpenDatabase, clock: Clock, platformId: string, verdicts: { id: string; verdict: 'confirmed' | 'false_positive' }[]): Promise<{ recorded: number; unknown: number }> {
  return database.transaction((tx) => recordFeedback(tx, clock.now(), platformId, verdicts));
}

export async function publishedFeedStatus(database: OpenDatabase): ReturnType<typeof publishedCounts> {
  return database.transaction((tx) => publishedCounts(tx));
}
