import type { HostDeclaration } from '@takedown/core';
import type { Tx } from './database.ts';

/** The hosts one platform declares, sorted. */
export async function hostsOfPlatform(tx: Tx, platformId: string): Promise<string[]> {
  const rows = await tx.selectFrom('platform_hosts').select('host').where('platform_id', '=', platformId).orderBy('host').execute();
  return rows.map((r) => r.host);
}

/** Every declaration of a platform that is not disabled: what an address is routed by. */
export async function activeHostDeclarations(tx: Tx): Promise<HostDeclaration[]> {
  const rows = await tx
    .selectFrom('platform_hosts')
    .innerJoin('platforms', 'platforms.id', 'platform_hosts.platform_id')
    .select(['platform_hosts.host', 'platform_hosts.platform_id'])
    .where('platforms.disabled_at', 'is', null)
    .execute();
  return rows.map((r) => ({ host: r.host, platformId: r.platform_id }));
}

/** Of `hosts`, those another platform declares already (each host belongs to one platform). */
export async function hostsDeclaredByOthers(tx: Tx, platformId: string, hosts: readonly string[]): Promise<string[]> {
  if (hosts.length === 0) return [];
  const rows = await tx.selectFrom('platform_hosts').select('host').where('host', 'in', [...hosts]).where('platform_id', '!=', platformId).execute();
  return rows.map((r) => r.host);
}

/**
 * Makes the platform's declared hosts exactly `hosts` (checked and free of other platforms' hosts). `taken`
 * lists hosts another platform declared in a transaction that committed meanwhile: the caller rolls back.
 */
export async function replaceHostsOfPlatform(tx: Tx, now: Date, platformId: string, hosts: readonly string[]): Promise<{ added: string[]; removed: string[]; taken: string[] }> {
  const before = new Set(await hostsOfPlatform(tx, platformId));
  const after = new Set(hosts);
  const removed = [...before].filter((h) => !after.has(h)).sort();
  const added = [...after].filter((h) => !before.has(h)).sort();
  if (removed.length > 0) await tx.deleteFrom('platform_hosts').where('platform_id', '=', platformId).where('host', 'in', removed).execute();
  if (added.length === 0) return { added, removed, taken: [] };
  const inserted = await tx
    .insertInto('platform_hosts')
    .values(added.map((host) => ({ host, platform_id: platformId, declared_at: now })))
    .onConflict((oc) => oc.column('host').doNothing())
    .returning('host')
    .execute();
  const done = new Set(inserted.map((r) => r.host));
  return { added, removed, taken: added.filter((h) => !done.has(h)) };
}

/** The platform called `name`, when it exists and is not disabled. */
export async function activePlatformNamed(tx: Tx, name: string): Promise<{ id: string; name: string } | undefined> {
  return tx.selectFrom('platforms').select(['id', 'name']).where('name', '=', name).where('disabled_at', 'is', null).executeTakeFirst();
}

/** The names of active platforms by id, for the ids given. */
export async function activePlatformNames(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.selectFrom('platforms').select(['id', 'name']).where('id', 'in', [...ids]).where('disabled_at', 'is', null).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
