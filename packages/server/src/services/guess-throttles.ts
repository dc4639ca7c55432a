import {
  guessWait,
  PIN_GUESSES_PER_CLIENT,
  PIN_GUESSES_PER_CLIENT_AND_CASE,
  PIN_RESET_REQUESTS_PER_CLIENT_AND_CASE,
  recordFailure,
  STAFF_LOGINS_PER_ACCOUNT,
  clientNetwork,
  type GuessRecord,
  type GuessThrottleRule,
} from '@takedown/core';
import { hmacHex, type Keys } from '../crypto/keys.ts';
import type { Tx } from '../store/database.ts';
import { clearGuessCounter, lockGuessCounters, saveGuessFailure } from '../store/guess-counters.ts';

/** One counter of wrong guesses and the rule that turns its count into waits. */
export interface GuessCounter {
  counter: string;
  rule: GuessThrottleRule;
}

/** How long a counter is remembered at most: the retention job forgets older ones. */
export const LONGEST_GUESS_MEMORY_MS = Math.max(...[PIN_GUESSES_PER_CLIENT_AND_CASE, PIN_GUESSES_PER_CLIENT, PIN_RESET_REQUESTS_PER_CLIENT_AND_CASE, STAFF_LOGINS_PER_ACCOUNT].map((rule) => rule.forgetAfterMs));

/**
 * The counters a PIN guess is charged to: this case number from this client's network, and this network over
 * every case. Never the case number alone, so nobody can keep the owner out from another address.
 */
export function pinCounters(keys: Keys, caseNumber: string, client: string): GuessCounter[] {
  const network = clientNetwork(client);
  return [
    { counter: hmacHex(keys.pin, 'guesses', 'case from network', caseNumber, network), rule: PIN_GUESSES_PER_CLIENT_AND_CASE },
    { counter: hmacHex(keys.pin, 'guesses', 'network', network), rule: PIN_GUESSES_PER_CLIENT },
  ];
}

/**
 * The counters a PIN recovery request is charged to: this case number from this client's network (a budget of
 * codes sent, so a stranger cannot flood the person's mailbox), and the network over every case (the PIN rule).
 */
export function pinResetCounters(keys: Keys, caseNumber: string, client: string): GuessCounter[] {
  const network = clientNetwork(client);
  return [
    { counter: hmacHex(keys.pin, 'guesses', 'pin reset from network', caseNumber, network), rule: PIN_RESET_REQUESTS_PER_CLIENT_AND_CASE },
    { counter: hmacHex(keys.pin, 'guesses', 'network', network), rule: PIN_GUESSES_PER_CLIENT },
  ];
}

/** The counter a staff sign-in is charged to: the account, whichever address the guesses come from. */
export function staffLoginCounters(keys: Keys, username: string): GuessCounter[] {
  return [{ counter: hmacHex(keys.session, 'guesses', 'staff account', username), rule: STAFF_LOGINS_PER_ACCOUNT }];
}

/** After a wrong guess: the wait it started (if any), what one more would cost, and the count it reached. */
export interface AfterFailure {
  waitUntil?: Date;
  nextWaitMs: number;
  failures: number;
  /** Over every counter: the fewest wrong guesses left before one brings a wait (core's `triesBeforeWait`)… */
  triesBeforeWait: number;
  /** …and the wait that last one brings. */
  waitAfterTriesMs: number;
}

/** Counters locked for one guess (inside its transaction): whether it may be checked, and what to record after. */
export class GuessThrottle {
  readonly #tx: Tx;
  readonly #counters: GuessCounter[];
  readonly #records: Map<string, GuessRecord>;

  private constructor(tx: Tx, counters: GuessCounter[], records: Map<string, GuessRecord>) {
    this.#tx = tx;
    this.#counters = counters;
    this.#records = records;
  }

  /** Locks the counters until the transaction ends, so concurrent guesses are counted one at a time. */
  static async open(tx: Tx, counters: GuessCounter[]): Promise<GuessThrottle> {
    return new GuessThrottle(tx, counters, await lockGuessCounters(tx, counters.map((c) => c.counter)));
  }

  /** The latest time any counter makes the guesser wait until, if one does: no guess is checked before it. */
  blockedUntil(now: Date): Date | undefined {
    const until = this.#counters.map((c) => guessWait(c.rule, this.#records.get(c.counter), now).blockedUntil?.getTime() ?? 0);
    const latest = Math.max(...until);
    return latest > 0 ? new Date(latest) : undefined;
  }

  /** Charges a wrong guess to every counter. */
  async countFailure(now: Date): Promise<AfterFailure> {
    const after: AfterFailure = { nextWaitMs: 0, failures: 0, waitUntil: undefined, triesBeforeWait: Number.POSITIVE_INFINITY, waitAfterTriesMs: 0 };
    for (const { counter, rule } of this.#counters) {
      const record = recordFailure(rule, this.#records.get(counter), now);
      await saveGuessFailure(this.#tx, counter, record);
      const wait = guessWait(rule, record, now);
      if (counter === this.#counters[0].counter) after.failures = wait.failures;
      after.nextWaitMs = Math.max(after.nextWaitMs, wait.nextWaitMs);
      // The counter that bites first decides the warning; of two that bite together, the longer wait.
      if (wait.triesBeforeWait < after.triesBeforeWait || (wait.triesBeforeWait === after.triesBeforeWait && wait.waitAfterTriesMs > after.waitAfterTriesMs)) {
        after.triesBeforeWait = wait.triesBeforeWait;
        after.waitAfterTriesMs = wait.waitAfterTriesMs;
      }
      if (wait.blockedUntil && (!after.waitUntil || wait.blockedUntil > after.waitUntil)) after.waitUntil = wait.blockedUntil;
    }
    return after;
  }

  /** The secret was right: the first counter (the one for this very secret) starts again. */
  async clearFirst(): Promise<void> {
    await clearGuessCounter(this.#tx, this.#counters[0].counter);
  }
}
