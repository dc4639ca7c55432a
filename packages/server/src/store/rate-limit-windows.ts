import { sql } from 'kysely';
import type { Tx } from './database.ts';

/** A window's count after one more request, and when the window ends (the database's clock, shared by every replica). */
export interface WindowCount {
  hits: number;
  endsAt: Date;
  now: Date;
}

/**
 * Counts one request in `counter`'s window, in one statement: a window that has ended starts again at 1 with
 * a new end `windowMs` from now. Concurrent requests from any number of replicas each get their own count
 * (the upsert takes the row's lock), so a limit of N lets exactly N through per window.
 */
export async function countInWindow(tx: Tx, counter: string, windowMs: number): Promise<WindowCount> {
  const result = await sql<{ hits: number; window_ends_at: Date; now: Date }>`
    insert into rate_limit_windows as w (counter, hits, window_ends_at)
    values (${counter}, 1, now() + ${windowMs} * interval '1 millisecond')
    on conflict (counter) do update set
      hits = case when w.window_ends_at <= now() then 1 else w.hits + 1 end,
      window_ends_at = case when w.window_ends_at <= now() then excluded.window_ends_at else w.window_ends_at end
    returning w.hits, w.window_ends_at, now() as now`.execute(tx);
  const row = result.rows[0];
  return { hits: row.hits, endsAt: new Date(row.window_ends_at), now: new Date(row.now) };
}

/** Housekeeping: windows that ended before `before` count nothing any more. */
export async function forgetEndedWindows(tx: Tx, before: Date): Promise<void> {
  await tx.deleteFrom('rate_limit_windows').where('window_ends_at', '<', before).execute();
}
