import type { OpenDatabase } from '../store/database.ts';

export interface PendingEvent {
  id: string;
  type: string;
  createdAt: string;
  attempts: number;
  lastError: string | null;
}

/** The platform's events not yet delivered to its webhook (and not given up on), oldest first, at most 500. */
export async function pendingEvents(database: OpenDatabase, platformId: string): Promise<PendingEvent[]> {
  const rows = await database.transaction((tx) =>
    tx
      .selectFrom('platform_events')
      .select(['id', 'type', 'created_at', 'attempts', 'last_error'])
      .where('platform_id', '=', platformId)
      .where('delivered_at', 'is', null)
      .where('gave_up_at', 'is', null)
      .orderBy('created_at')
      .limit(500)
      .execute(),
  );
  return rows.map((r) => ({ id: r.id, type: r.type, createdAt: r.created_at.toISOString(), attempts: r.attempts, lastError: r.last_error }));
}
