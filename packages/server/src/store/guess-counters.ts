import { sql } from 'kysely';
import type { GuessRecord } from '@takedown/core';
import type { Tx } from './database.ts';

/** The advisory-lock class of guess counters (two-key form: its lock ids never meet the one-key locks). */
const COUNTER_LOCK_CLASS = 74657310;

/**
 * Reads wrong-guess counters and holds them until the transaction ends: concurrent guesses against the same
 * counter wait for one another, so a burst sent at once is counted and throttled one guess at a time (rows
 * that do not exist yet cannot be locked with FOR UPDATE, hence advisory locks, taken in one order).
 */
export async function lockGuessCounters(tx: Tx, counters: readonly string[]): Promise<Map<string, GuessRecord>> {
  const sorted = [...new Set(counters)].sort();
  for (const counter of sorted) {
    // The counter is a hex HMAC: its first 32 bits, as a signed integer, pick the lock.
    const lockId = Number.parseInt(counter.slice(0, 8), 16) | 0;
    await sql`select pg_advisory_xact_lock(${sql.lit(COUNTER_LOCK_CLASS)}, ${lockId}::integer)`.execute(tx);
  }
  if (sorted.length === 0) return new Map();
  const rows = await tx.selectFrom('guess_failures').selectAll().where('counter', 'in', sorted).execute();
  return new Map(rows.map((row) => [row.counter, { failures: row.failures, lastFailureAt: row.last_failure_at }]));
}

/** Stores a counter's new state after a wrong guess. */
export async function saveGuessFailure(tx: Tx, counter: string, record: GuessRecord): Promise<void> {
  const values = { failures: record.failures, last_failure_at: record.lastFailureAt };
  await tx
    .insertInto('guess_failures')
    .values({ counter, ...values })
    .onConflict((oc) => oc.column('counter').doUpdateSet(values))
    .execute();
}

/** Forgets a counter (the secret was given right). */
export async function clearGuessCounter(tx: Tx, counter: string): Promise<void> {
  await tx.deleteFrom('guess_failures').where('counter', '=', counter).execute();
}

/** Housekeeping: counters untouched since `before` count nothing any more. */
export async function forgetGuessCounters(tx: Tx, before: Date): Promise<void> {
  await tx.deleteFrom('guess_failures').where('last_failure_at', '<', before).execute();
}
