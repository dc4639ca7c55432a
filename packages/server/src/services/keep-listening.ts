import type { OpenDatabase } from '../store/database.ts';

/** What a kept listen tells its owner. */
export interface ListenEvents {
  /** A notification arrived on the channel. */
  onNotify(): void;
  /** Nothing is heard any more (the connection was lost, or the first listen failed): once per outage. */
  onLost(error: Error): void;
  /** Listening again after `onLost`: what changed meanwhile was not heard. */
  onRestored(): void;
}

/** What an owner that only reports the outage hears: the loss and the recovery, not each notification. */
export type ListenNews = Omit<ListenEvents, 'onNotify'>;

/** The pauses between tries to listen again: `firstMs`, doubling with each failed try up to `maxMs`. */
export interface RetryPauses {
  firstMs: number;
  maxMs: number;
}

export const LISTEN_RETRY: RetryPauses = { firstMs: 1_000, maxMs: 30_000 };

/**
 * Listens on `channel` until the returned stop is called, listening again whenever the listen is lost
 * (PostgreSQL restarted, the connection cut or killed): tries after `pauses.firstMs`, doubling to
 * `pauses.maxMs` while they fail. Resolves after the first try, whether it listened or not. On PGlite the
 * listen is in-process and is never lost.
 * @example
 * const stop = await keepListening(database, PLATFORM_KEYS_CHANNEL, { onNotify: clear, onLost: stopKeeping, onRestored: resumeKeeping });
 */
export async function keepListening(database: Pick<OpenDatabase, 'listen'>, channel: string, events: ListenEvents, pauses: RetryPauses = LISTEN_RETRY): Promise<() => Promise<void>> {
  let stopped = false;
  let unlisten: (() => Promise<void>) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  let outage = false;
  // Which try a loss belongs to: a loss reported by a connection already given up is not a new one.
  let current = 0;

  const failed = (error: Error) => {
    if (!outage) {
      outage = true;
      events.onLost(error);
    }
    if (stopped || timer) return;
    const pauseMs = Math.min(pauses.maxMs, pauses.firstMs * 2 ** Math.min(failures, 30));
    failures += 1;
    timer = setTimeout(() => {
      timer = undefined;
      void attempt();
    }, pauseMs);
    // Listening again is no reason to keep the process alive.
    timer.unref();
  };

  const attempt = async () => {
    const id = ++current;
    const lost = (error: Error) => {
      if (id !== current || stopped) return;
      current += 1;
      const end = unlisten;
      unlisten = undefined;
      void end?.().catch(() => undefined);
      failed(error);
    };
    let stop: () => Promise<void>;
    try {
      stop = await database.listen(channel, () => events.onNotify(), lost);
    } catch (error) {
      if (id !== current || stopped) return;
      current += 1;
      failed(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (stopped || id !== current) {
      await stop().catch(() => undefined);
      return;
    }
    unlisten = stop;
    failures = 0;
    if (outage) {
      outage = false;
      events.onRestored();
    }
  };

  await attempt();
  // A try in flight is not waited for (a connection to an unreachable server may take long to fail): it ends
  // its connection itself when it finds the listen stopped.
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    timer = undefined;
    await unlisten?.().catch(() => undefined);
    unlisten = undefined;
  };
}
