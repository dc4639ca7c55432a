import type { Tx } from './database.ts';

/**
 * Which items are copies that a platform's content index led the known-copy sweep to, and the platform that
 * registered each: their addresses are that platform's claim, not links the person gave, and are shown as such.
 */
export async function copyReporters(tx: Tx, itemIds: readonly string[]): Promise<Map<string, string>> {
  if (itemIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('platform_item_content as pic')
    .innerJoin('platform_content as pc', 'pc.ref', 'pic.content_ref')
    .innerJoin('platforms as p', 'p.id', 'pc.platform_id')
    .select(['pic.item_id', 'p.name'])
    .where('pic.relation', '=', 'copy')
    .where('pic.item_id', 'in', [...itemIds])
    .execute();
  return new Map(rows.map((row) => [row.item_id, row.name]));
}
