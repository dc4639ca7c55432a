import { servingDeclaration, type PlatformJurisdiction } from '@takedown/core';
import { hostOfUrl } from '../platform/host-declaration.ts';
import type { Tx } from './database.ts';
import { activeHostDeclarations } from './platform-hosts.ts';

/**
 * The jurisdiction setting of each platform serving one of `urls` (by its declared hosts, as removal requests
 * are routed: core's `servingDeclaration`), for core's `decideJurisdiction`. Disabled platforms serve nothing.
 */
export async function servingPlatformJurisdictions(tx: Tx, urls: readonly (string | undefined)[]): Promise<PlatformJurisdiction[]> {
  const hosts = urls.flatMap((url) => (url ? [hostOfUrl(url)] : [])).filter((host): host is string => host !== undefined);
  if (hosts.length === 0) return [];
  // Most deployments set no platform jurisdiction: then no request pays for reading the host declarations.
  const anySet = await tx.selectFrom('platforms').select('id').where('jurisdiction', 'is not', null).where('disabled_at', 'is', null).limit(1).executeTakeFirst();
  if (!anySet) return [];
  const declarations = await activeHostDeclarations(tx);
  const ids = new Set(hosts.flatMap((host) => servingDeclaration(declarations, host)?.platformId ?? []));
  if (ids.size === 0) return [];
  const rows = await tx.selectFrom('platforms').select(['name', 'jurisdiction']).where('id', 'in', [...ids]).orderBy('name').execute();
  return rows.map((row) => ({ platform: row.name, jurisdiction: row.jurisdiction }));
}
