import { randomBytes } from 'node:crypto';
import type { Clock } from '@takedown/core';
import type { ExchangeConfig } from '../config/exchange-config.ts';
import type { Keys } from '../crypto/keys.ts';
import { feedVerifier } from '../crypto/feed-signing.ts';
import { checkPage, SIGNATURE_HEADER } from '../platform/exchange-page.ts';
import type { OpenDatabase } from '../store/database.ts';
import { CursorMovedError } from '../store/exchange-follow.ts';
import { applyVerifiedPage } from './exchange-apply.ts';
import { followedSources, markFeedbackSent, pendingFeedback, recordSourceFailure, type FollowedSource } from './exchange-sources.ts';

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
  logger?: FollowerLogger;
}

/**
 * Follows every source this deployment follows, each in a loop of its own: ask for the page after the checkpoint (held open by the source until something is new),
 * check the page (signature, feed, cursor, nonce), apply it in one transaction and move the checkpoint, then
 * let the match index take the changes. A source that is down or answers badly is retried with growing
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
    const { config, logger } = this.#options;
    const verifier = feedVerifier(source.publicKey);
    let cursor = source.cursor;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!verifier) throw new Error('the stored public key is not an Ed25519 key: unfollow and follow again');
        const result = await this.#fetchAndApply(source, verifier, cursor, signal);
        cursor = result.through;
        failures = 0;
        if (result.entries > 0) logger?.info({ source: source.name, through: result.through, added: result.added, removed: result.removed, rejected: result.rejected }, 'exchange: page applied');
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof CursorMovedError) {
          cursor = (await followedSources(this.#options.database, this.#options.keys)).find((s) => s.id === source.id)?.cursor ?? cursor;
          continue;
        }
        failures += 1;
        const message = (error as Error).message;
        logger?.warn({ source: source.name, failures, err: message }, 'exchange: fetch failed');
        await recordSourceFailure(this.#options.database, this.#options.clock, source.id, message).catch(() => undefined);
        await pause(Math.min(config.retryMaxMs, config.retryBaseMs * 2 ** Math.min(failures - 1, 20)), signal);
      }
    }
  }

  async #fetchAndApply(source: FollowedSource, verifier: NonNullable<ReturnType<typeof feedVerifier>>, after: number, signal: AbortSignal) {
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
    const page = checked.page;
    let applied = { added: 0, removed: 0, rejected: 0 };
    if (page.entries.length > 0) {
      applied = await applyVerifiedPage(this.#options.database, this.#options.clock, source, page);
      await this.#options.afterApply();
    }
    return { through: page.through, entries: page.entries.length, ...applied };
  }

  /** Sends reviewers' verdicts as they come (checked every `feedbackEveryMs`), with the same backoff on failure. */
  async #feedbackLoop(source: FollowedSource, signal: AbortSignal): Promise<void> {
    const { config, logger } = this.#options;
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

  async #sendFeedback(source: FollowedSource, signal: AbortSignal): Promise<void> {
    const { database, clock, config } = this.#options;
    for (;;) {
      const pending = await pendingFeedback(database, source.id, 1_000);
      if (pending.length === 0) return;
      const response = await fetch(`${source.url}/v1/exchange/feedback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${source.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ feedback: pending.map((p) => ({ id: p.entryId, verdict: p.verdict })) }),
        signal: AbortSignal.any([signal, AbortSignal.timeout(config.timeoutMs)]),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`feedback refused with ${response.status}: ${errorMessage(text)}`);
      await markFeedbackSent(database, clock, pending.map((p) => p.id));
    }
  }
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
