import { randomBytes } from 'node:crypto';
import type { Clock } from '@takedown/core';
import type { ExchangeConfig } from '../config/exchange-config.ts';
import type { Keys } from '../crypto/keys.ts';
import { feedVerifier } from '../crypto/feed-signing.ts';
import { fetchHashes, STOPNCII_START_TIMESTAMP, submitFeedback } from '../net/stopncii-api.ts';
import { checkPage, SIGNATURE_HEADER, type FeedPage } from '../platform/exchange-page.ts';
import type { OpenDatabase } from '../store/database.ts';
import { CursorMovedError, type PendingFeedback } from '../store/exchange-follow.ts';
import { applyIncoming, applyPreparedPage, preparePage, type PreparedPage } from './exchange-apply.ts';
import type { IndexHandOver } from './index-follower.ts';
import { claimFeedback, followedSources, markFeedbackSent, recordSourceFailure, releaseFeedback, type FollowedSource } from './exchange-sources.ts';
import { incomingStopNcii, stopNciiFeedbackValue } from './stopncii-records.ts';

export interface FollowerLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** Asks a source for its identity (feed id and public key) with the key it gave this deployment. */
export async function fetchFeedIdentity(url: string, apiKey: string, timeoutMs: number): Promise<{ feed: string; publicKey: string }> {
  const response = await fetch(`${url}/v1/exchange/identity`, { headers: { authorization: `Bearer ${apiKey}` }, signal: AbortSignal.timeout(timeoutMs) });
  const body = (await response.json().catch(() => undefined)) as { feed?: unknown; publicKey?: unknown; error?: { message?: string } } | undefined;
  if (!response.ok) throw new Error(`the source answered ${response.status}: ${body?.error?.message ?? 'no reason given'}`);
  if (typeof body?.feed !== 'string' || typeof body.publicKey !== 'string') throw new Error('the source did not answer with a feed identity (is this a takedown server?)');
  return { feed: body.feed, publicKey: body.publicKey };
}

export interface FollowerOptions {
  database: OpenDatabase;
  keys: Keys;
  clock: Clock;
  config: ExchangeConfig;
  /** Makes applied hashes matchable (the process's index follower syncs). */
  afterApply: () => Promise<void>;
  /** The process's match index, to take a feed page's rows as they were written instead of reading them back (`afterApply` then runs only when it could not). */
  index?: IndexHandOver;
  logger?: FollowerLogger;
}

/**
 * Follows every source this deployment follows, each in a loop of its own: ask for the page after the checkpoint (held open by the source until something is new),
 * check the page (signature, feed, cursor, nonce), apply it in one transaction and move the checkpoint, then
 * let the match index take the changes; the next page is asked for while one applies. A StopNCII source is
 * followed the same way through its FetchHashes API (`#followStopNcii`). A source that is down or answers badly is retried with growing
 * pauses (`retryBaseMs` doubling to `retryMaxMs`); nothing is skipped, since the checkpoint moves only with
 * an applied page. Beside it, a second loop sends the reviewers' verdicts waiting for the source. Sources
 * followed or unfollowed meanwhile are picked up within `sourcesEveryMs`.
 */
export class ExchangeFollower {
  readonly #options: FollowerOptions;
  readonly #loops = new Map<string, { controller: AbortController; done: Promise<void> }>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;

  constructor(options: FollowerOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    await this.#refresh();
  }

  async #refresh(): Promise<void> {
    if (this.#stopped) return;
    try {
      const sources = await followedSources(this.#options.database, this.#options.keys);
      // Stopped while the sources were read: start nothing (a loop started now would outlive `stop`, and send
      // verdicts beside the loops of the follower that replaces this one).
      if (this.#stopped) return;
      const ids = new Set(sources.map((s) => s.id));
      for (const [id, loop] of this.#loops) {
        if (!ids.has(id)) {
          loop.controller.abort();
          this.#loops.delete(id);
        }
      }
      for (const source of sources) {
        if (this.#loops.has(source.id)) continue;
        const controller = new AbortController();
        this.#loops.set(source.id, { controller, done: Promise.all([this.#follow(source, controller.signal), this.#feedbackLoop(source, controller.signal)]).then(() => undefined) });
      }
    } catch (error) {
      this.#options.logger?.warn({ err: (error as Error).message }, 'exchange: cannot read the followed sources');
    }
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#refresh(), this.#options.config.sourcesEveryMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    const loops = [...this.#loops.values()];
    this.#loops.clear();
    for (const loop of loops) loop.controller.abort();
    await Promise.all(loops.map((l) => l.done));
  }

  async #follow(source: FollowedSource, signal: AbortSignal): Promise<void> {
    if (source.kind === 'stopncii') return this.#followStopNcii(source, signal);
    const verifier = feedVerifier(source.publicKey);
    let cursor = source.cursor;
    let failures = 0;
    // The request for the page after the one being applied, made (and checked, and read) before applying it:
    // a catch-up moves at the pace of the slower of fetching and applying, not of both one after the other.
    let next: Prefetch | undefined;
    // The last page's hand-over to the match index, run while the next page's statements are in the database
    // (or at once when no next page is ready: a confirmation is matchable without waiting for another).
    let handOver: (() => boolean) | undefined;
    const handOverNow = () => {
      const run = handOver;
      handOver = undefined;
      if (run && !run()) this.#makeMatchable(source);
    };
    try {
      while (!signal.aborted) {
        try {
          if (!verifier) throw new Error('the stored public key is not an Ed25519 key: unfollow and follow again');
          const fetched = next ?? this.#prefetch(source, verifier, cursor, signal);
          next = undefined;
          if (!fetched.ready) handOverNow();
          const page = unwrap(await fetched.page);
          next = this.#prefetch(source, verifier, page.through, signal);
          if (page.hashes.length + page.rejected > 0) {
            const { handOver: pending, ...applied } = await applyPreparedPage(this.#options.database, this.#options.clock, source, page, this.#options.index, handOverNow);
            handOverNow();
            handOver = pending;
            if (!pending && applied.added + applied.removed > 0) this.#makeMatchable(source);
            this.#options.logger?.info({ source: source.name, through: page.through, ...applied }, 'exchange: page applied');
          }
          cursor = page.through;
          failures = 0;
        } catch (error) {
          handOverNow();
          next?.controller.abort();
          next = undefined;
          if (signal.aborted) return;
          if (error instanceof CursorMovedError) {
            const stored = await this.#storedCursor(source);
            // Unfollowed meanwhile: nothing more to apply.
            if (stored === undefined) return;
            cursor = stored;
            continue;
          }
          failures = await this.#failed(source, failures, error as Error, signal);
        }
      }
    } finally {
      handOverNow();
      next?.controller.abort();
    }
  }

  /**
   * StopNCII: FetchHashes from the checkpoint, page after page with its short-lived `nextPageToken`, each page
   * applied in a transaction of its own; once the fetch is played out, the checkpoint moves to its last page's
   * `nextSetTimestamp` and the next fetch comes after `stopNciiPollMs`.
   * After a failure or a restart the fetch starts again from the stored checkpoint (records are snapshots of a
   * hash, so one seen twice changes nothing).
   */
  async #followStopNcii(source: FollowedSource, signal: AbortSignal): Promise<void> {
    const { config, database, clock } = this.#options;
    // The stored checkpoint (0: nothing fetched yet, so from python-threatexchange's first timestamp).
    let checkpoint = source.cursor;
    const startOf = (at: number) => at || STOPNCII_START_TIMESTAMP;
    let from = startOf(checkpoint);
    let token: string | undefined;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!source.stopNcii) throw new Error('the StopNCII keys are missing: unfollow and follow again');
        const page = await fetchHashes(source.url, source.stopNcii, { startTimestamp: from, pageSize: config.stopNciiPageSize, nextPageToken: token }, AbortSignal.any([signal, AbortSignal.timeout(config.timeoutMs)]));
        const { hashes, rejected } = incomingStopNcii(page.hashRecords);
        const playedOut = !(page.hasMoreRecords && page.nextPageToken);
        // The checkpoint moves only once a fetch is played out (what nextSetTimestamp means halfway through is
        // not written down anywhere), and never back: a restart halfway fetches those pages again, losing nothing.
        const through = playedOut ? Math.max(checkpoint, page.nextSetTimestamp) : checkpoint;
        const applied = await applyIncoming(database, clock, source, { after: checkpoint, through }, hashes, rejected);
        checkpoint = through;
        failures = 0;
        if (hashes.length > 0) this.#makeMatchable(source);
        if (hashes.length + rejected > 0) this.#options.logger?.info({ source: source.name, checkpoint, ...applied }, 'exchange: StopNCII page applied');
        if (!playedOut) token = page.nextPageToken ?? undefined;
        else {
          token = undefined;
          from = startOf(checkpoint);
          await pause(config.stopNciiPollMs, signal);
        }
      } catch (error) {
        if (signal.aborted) return;
        token = undefined;
        if (error instanceof CursorMovedError) {
          const stored = await this.#storedCursor(source);
          // Unfollowed meanwhile: nothing more to apply.
          if (stored === undefined) return;
          checkpoint = stored;
        } else failures = await this.#failed(source, failures, error as Error, signal);
        from = startOf(checkpoint);
      }
    }
  }

  /** Fetches, checks and reads the page after `after`, in the background; `ready` once it has settled. */
  #prefetch(source: FollowedSource, verifier: NonNullable<ReturnType<typeof feedVerifier>>, after: number, signal: AbortSignal): Prefetch {
    const controller = new AbortController();
    const prefetch: Prefetch = {
      controller,
      ready: false,
      page: settle(this.#fetchPage(source, verifier, after, AbortSignal.any([signal, controller.signal])).then(preparePage)).finally(() => {
        prefetch.ready = true;
      }),
    };
    return prefetch;
  }

  /** The applied hashes become matchable in the background (the index follower syncs), while the next page applies. */
  #makeMatchable(source: FollowedSource): void {
    this.#options.afterApply().catch((error: unknown) => this.#options.logger?.warn({ source: source.name, err: (error as Error).message }, 'exchange: index not synced'));
  }

  async #storedCursor(source: FollowedSource): Promise<number | undefined> {
    return (await followedSources(this.#options.database, this.#options.keys)).find((s) => s.id === source.id)?.cursor;
  }

  /** A failed fetch or apply: logged, kept for `exchange status`, then a pause that doubles with each failure in a row. */
  async #failed(source: FollowedSource, failures: number, error: Error, signal: AbortSignal): Promise<number> {
    const { config, logger } = this.#options;
    const count = failures + 1;
    logger?.warn({ source: source.name, failures: count, err: error.message }, 'exchange: fetch failed');
    await recordSourceFailure(this.#options.database, this.#options.clock, source.id, error.message).catch(() => undefined);
    await pause(Math.min(config.retryMaxMs, config.retryBaseMs * 2 ** Math.min(count - 1, 20)), signal);
    return count;
  }

  async #fetchPage(source: FollowedSource, verifier: NonNullable<ReturnType<typeof feedVerifier>>, after: number, signal: AbortSignal): Promise<FeedPage> {
    const { config } = this.#options;
    const nonce = randomBytes(18).toString('base64url');
    const url = `${source.url}/v1/exchange/feed?after=${after}&limit=${config.pageSize}&nonce=${nonce}&waitMs=${config.waitMs}`;
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${source.apiKey}` },
      signal: AbortSignal.any([signal, AbortSignal.timeout(config.waitMs + config.timeoutMs)]),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`the source answered ${response.status}: ${errorMessage(text)}`);
    const checked = checkPage(text, response.headers.get(SIGNATURE_HEADER) ?? undefined, { feedId: source.feedId, after, nonce }, verifier.verify);
    if (!checked.ok) throw new Error(`page refused: ${checked.reason}`);
    return checked.page;
  }

  /** Sends reviewers' verdicts as they come (checked every `feedbackEveryMs`), with the same backoff on failure. */
  async #feedbackLoop(source: FollowedSource, signal: AbortSignal): Promise<void> {
    const { config, logger } = this.#options;
    // Without SubmitFeedback's key the verdicts wait (exchange status counts them) until StopNCII is followed again with one.
    if (source.kind === 'stopncii' && !source.stopNcii?.feedbackKey) return;
    let failures = 0;
    while (!signal.aborted) {
      try {
        await this.#sendFeedback(source, signal);
        failures = 0;
        await pause(config.feedbackEveryMs, signal);
      } catch (error) {
        if (signal.aborted) return;
        failures += 1;
        logger?.warn({ source: source.name, failures, err: (error as Error).message }, 'exchange: feedback not sent');
        await pause(Math.min(config.retryMaxMs, config.retryBaseMs * 2 ** Math.min(failures - 1, 20)), signal);
      }
    }
  }

  /**
   * Claims the waiting verdicts (up to 1 000 at a time), sends them, and marks them sent. The claim's lease
   * outlasts the send (its timeout, twice), so no other loop sends them meanwhile; a failed send lets them go
   * for the next try. A verdict goes twice only when the answer to a send that arrived was lost, or the
   * process died between the answer and the mark (then when the lease ends).
   */
  async #sendFeedback(source: FollowedSource, signal: AbortSignal): Promise<void> {
    const { database, clock, config } = this.#options;
    for (;;) {
      const claimed = await claimFeedback(database, clock, source.id, 1_000, 2 * config.timeoutMs);
      const pending = claimed.verdicts;
      if (pending.length === 0) return;
      try {
        await this.#post(source, pending, AbortSignal.any([signal, AbortSignal.timeout(config.timeoutMs)]));
      } catch (error) {
        await releaseFeedback(database, claimed).catch(() => undefined);
        throw error;
      }
      await markFeedbackSent(database, clock, pending.map((p) => p.id));
    }
  }

  /** One batch of verdicts to the source: StopNCII's SubmitFeedback, or a takedown source's feedback route. */
  async #post(source: FollowedSource, pending: PendingFeedback[], timeout: AbortSignal): Promise<void> {
    if (source.kind === 'stopncii') {
      const known = pending.filter((p) => p.hash !== null);
      if (known.length > 0) await submitFeedback(source.url, source.stopNcii!, known.map((p) => ({ hashValue: p.hash!, feedbackValue: stopNciiFeedbackValue(p.verdict) })), timeout);
      return;
    }
    const response = await fetch(`${source.url}/v1/exchange/feedback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${source.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ feedback: pending.map((p) => ({ id: p.entryId, verdict: p.verdict })) }),
      signal: timeout,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`feedback refused with ${response.status}: ${errorMessage(text)}`);
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A page asked for ahead: fetched, checked and read in the background. */
interface Prefetch {
  controller: AbortController;
  page: Promise<Settled<PreparedPage>>;
  ready: boolean;
}

/** A promise that never rejects (a prefetch may fail while nobody awaits it yet). */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

function unwrap<T>(settled: Settled<T>): T {
  if (!settled.ok) throw settled.error;
  return settled.value;
}

function errorMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return message.slice(0, 300);
  } catch {
    // not JSON
  }
  return 'no reason given';
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
