import { signalTypes, urlSignal } from '@takedown/core';
import { sql } from 'kysely';
import type { OpenDatabase } from '../store/database.ts';
import type { ContentInput } from '../platform/content-input.ts';

export type { ContentInput };

export interface ContentWriteSummary {
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * Registers content, idempotent on (platform, content id): sending the same entry again changes nothing, so
 * an interrupted backfill can simply be sent again. A changed entry replaces the old hashes.
 */
export async function upsertContent(database: OpenDatabase, platformId: string, entries: ContentInput[], now: Date): Promise<ContentWriteSummary> {
  const summary: ContentWriteSummary = { inserted: 0, updated: 0, unchanged: 0 };
  if (entries.length === 0) return summary;
  // The last entry for a content id wins within one call, as it would across calls.
  const byId = new Map<string, ContentInput>();
  for (const entry of entries) byId.set(entry.contentId, entry);
  const rows = [...byId.values()].map((e) => ({
    platform_id: platformId,
    content_id: e.contentId,
    // The address is also a column: removal instructions name it and the sweep finds a reported URL by it.
    url: (e.signals[urlSignal.name] as string | undefined) ?? null,
    media_type: e.mediaType ?? null,
    signals: signalTypes.toStored(e.signals),
    registered_at: now,
    updated_at: now,
    deleted_at: null,
  }));
  await database.transaction(async (tx) => {
    const result = await tx
      .insertInto('platform_content')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['platform_id', 'content_id'])
          .doUpdateSet({
            url: sql`excluded.url`,
            media_type: sql`excluded.media_type`,
            signals: sql`excluded.signals`,
            updated_at: now,
            deleted_at: null,
            change_xid: sql`pg_current_xact_id()`,
          } as never)
          .where(
            sql<boolean>`(platform_content.deleted_at is not null
              or platform_content.url is distinct from excluded.url
              or platform_content.media_type is distinct from excluded.media_type
              or platform_content.signals is distinct from excluded.signals)`,
          ),
      )
      // xmax = 0 only on a freshly inserted row: tells inserts from updates in one statement.
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .execute();
    for (const row of result) {
      if (row.inserted) summary.inserted += 1;
      else summary.updated += 1;
    }
  });
  summary.unchanged = byId.size - summary.inserted - summary.updated;
  return summary;
}

/** Marks content as gone from the platform; false when the platform never registered it (or already deleted it). */
export async function deleteContent(database: OpenDatabase, platformId: string, contentId: string, now: Date): Promise<boolean> {
  return database.transaction(async (tx) => {
    const result = await tx
      .updateTable('platform_content')
      .set({ deleted_at: now, updated_at: now, change_xid: sql`pg_current_xact_id()` } as never)
      .where('platform_id', '=', platformId)
      .where('content_id', '=', contentId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  });
}
