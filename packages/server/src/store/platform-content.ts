import type { VpdqFrame } from '@takedown/core';
import { sql } from 'kysely';
import type { OpenDatabase } from './database.ts';
import { platformTx } from './platform-schema.ts';

/** One piece of content the platform hosts, as registered (hashes made by the platform or by us from bytes). */
export interface ContentInput {
  contentId: string;
  url?: string;
  mediaType?: string;
  pdq?: string;
  pdqQuality?: number;
  pdqVariants?: string[];
  md5?: string;
  sha256?: string;
  /** A video's vPDQ frames (stored as JSON text). */
  vpdq?: VpdqFrame[];
}

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
    url: e.url ?? null,
    media_type: e.mediaType ?? null,
    pdq: e.pdq ?? null,
    pdq_quality: e.pdqQuality ?? null,
    pdq_variants: e.pdqVariants && e.pdqVariants.length > 0 ? e.pdqVariants.join(',') : null,
    md5: e.md5 ?? null,
    sha256: e.sha256 ?? null,
    vpdq: e.vpdq ? JSON.stringify(e.vpdq) : null,
    registered_at: now,
    updated_at: now,
    deleted_at: null,
  }));
  await database.transaction(async (raw) => {
    const result = await platformTx(raw)
      .insertInto('platform_content')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['platform_id', 'content_id'])
          .doUpdateSet({
            url: sql`excluded.url`,
            media_type: sql`excluded.media_type`,
            pdq: sql`excluded.pdq`,
            pdq_quality: sql`excluded.pdq_quality`,
            pdq_variants: sql`excluded.pdq_variants`,
            md5: sql`excluded.md5`,
            sha256: sql`excluded.sha256`,
            vpdq: sql`excluded.vpdq`,
            updated_at: now,
            deleted_at: null,
            change_xid: sql`pg_current_xact_id()`,
          } as never)
          .where(
            sql<boolean>`(platform_content.deleted_at is not null
              or platform_content.url is distinct from excluded.url
              or platform_content.media_type is distinct from excluded.media_type
              or platform_content.pdq is distinct from excluded.pdq
              or platform_content.pdq_quality is distinct from excluded.pdq_quality
              or platform_content.pdq_variants is distinct from excluded.pdq_variants
              or platform_content.md5 is distinct from excluded.md5
              or platform_content.sha256 is distinct from excluded.sha256
              or platform_content.vpdq is distinct from excluded.vpdq)`,
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
  return database.transaction(async (raw) => {
    const result = await platformTx(raw)
      .updateTable('platform_content')
      .set({ deleted_at: now, updated_at: now, change_xid: sql`pg_current_xact_id()` } as never)
      .where('platform_id', '=', platformId)
      .where('content_id', '=', contentId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  });
}
