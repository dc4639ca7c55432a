import type { OpenDatabase } from '../store/database.ts';

/** The tables personal data is erased from (services/erase-personal-data.ts). */
const ERASED_TABLES = ['cases', 'items', 'platform_events'] as const;

/**
 * After erasures, makes the erased values unreadable in the embedded database's files too (see
 * `OpenDatabase.reclaimDeleted`): run after the retention job, when an erasure (by withdrawal or retention)
 * was recorded since the last time. The first run after a start reclaims if any erasure was ever recorded,
 * so a crash between an erasure and its reclaim is made good.
 * @example
 * const reclaim = erasedDataReclaimer(database);
 * await reclaim(); // after the retention job committed
 */
export function erasedDataReclaimer(database: OpenDatabase): () => Promise<void> {
  let reclaimedUpTo: number | undefined;
  return async () => {
    if (database.kind !== 'pglite') return;
    const latest = await database.transaction((tx) =>
      tx.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('seq')).where('action', '=', 'pii.deleted').executeTakeFirst(),
    );
    const seq = Number(latest?.seq ?? 0);
    if (seq === 0 || seq === reclaimedUpTo) return;
    await database.reclaimDeleted([...ERASED_TABLES]);
    reclaimedUpTo = seq;
  };
}
