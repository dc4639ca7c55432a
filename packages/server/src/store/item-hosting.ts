import { servingDeclaration } from '@takedown/core';
import { hostOfUrl } from '../platform/host-declaration.ts';
import type { Tx } from './database.ts';
import { activeHostDeclarations } from './platform-hosts.ts';

/**
 * Which platforms host each item, and so may be told to remove it and may say they did: the platforms whose
 * content index holds its content (linked to the item by the known-copy sweep: the original, or a copy found
 * in that platform's index), and the platform that declares the host of the address the person gave (the most
 * specific declaration, see core's `servingDeclaration`). A copy's address is the claim of the platform whose
 * index held it, not the person's, so it routes nothing. Disabled platforms host nothing. An item with none is
 * for staff to take to the site.
 */
export async function hostingPlatforms(tx: Tx, items: readonly { id: string; url: string | null }[]): Promise<Map<string, Set<string>>> {
  const hosting = new Map(items.map((item) => [item.id, new Set<string>()]));
  if (items.length === 0) return hosting;
  const linked = await tx
    .selectFrom('platform_item_content')
    .innerJoin('platform_content', 'platform_content.ref', 'platform_item_content.content_ref')
    .innerJoin('platforms', 'platforms.id', 'platform_content.platform_id')
    .select(['platform_item_content.item_id', 'platform_item_content.relation', 'platform_content.platform_id', 'platforms.disabled_at'])
    .where('platform_item_content.item_id', 'in', items.map((item) => item.id))
    .execute();
  for (const row of linked) if (row.disabled_at === null) hosting.get(row.item_id)?.add(row.platform_id);
  const copies = new Set(linked.filter((row) => row.relation === 'copy').map((row) => row.item_id));
  const withHost = items.filter((item) => !copies.has(item.id) && item.url !== null && hostOfUrl(item.url) !== undefined);
  const declarations = withHost.length > 0 ? await activeHostDeclarations(tx) : [];
  for (const item of withHost) {
    const serving = servingDeclaration(declarations, hostOfUrl(item.url ?? '') ?? '');
    if (serving) hosting.get(item.id)?.add(serving.platformId);
  }
  return hosting;
}

/** Whether `platformId` hosts the item (see `hostingPlatforms`): it alone may acknowledge the removal. */
export async function platformHostsItem(tx: Tx, platformId: string, itemId: string): Promise<boolean> {
  const item = await tx.selectFrom('items').select(['id', 'url']).where('id', '=', itemId).executeTakeFirst();
  if (!item) return false;
  return (await hostingPlatforms(tx, [item])).get(item.id)?.has(platformId) ?? false;
}
