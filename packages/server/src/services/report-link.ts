import { DEFAULT_REQUEST_LIMITS, normaliseWebAddress, servingDeclaration } from '@takedown/core';
import type { OpenDatabase } from '../store/database.ts';
import { activeHostDeclarations, activePlatformNamed, activePlatformNames, hostsOfPlatform } from '../store/platform-hosts.ts';

/**
 * What the request form is told about a link a platform's "report" menu or report button handed over
 * (`/request?url=…&platform=…`, docs/platform.md "Report from your pages"): whether the address is on a host
 * the platform declares. Nothing is stored and nothing is logged: the form asks so it can say, calmly, when a
 * link does not look like one of that platform's, and the person goes on either way.
 */
export type ReportLinkCheck =
  | { kind: 'invalid'; code: string; message: string }
  | {
      kind: 'ok';
      /** The address's host, lower-case ASCII, as declarations are matched against it. */
      host: string;
      /** The name of the active platform that declares the host, or null when none does. */
      hostedBy: string | null;
      /** Whether `platform` (when given) names an active platform. Null when no platform was named. */
      platformKnown: boolean | null;
      /** The address is on the named platform's hosts, or (no platform named) on any connected platform's. */
      onPlatform: boolean;
    };

export async function checkReportLink(database: OpenDatabase, input: { url: string; platform?: string }): Promise<ReportLinkCheck> {
  const read = normaliseWebAddress(input.url, DEFAULT_REQUEST_LIMITS.maxUrlLength);
  if (!read.ok) return { kind: 'invalid', code: read.code, message: read.message };
  const host = new URL(read.value).hostname.replace(/\.$/, '');
  return database.transaction(async (tx) => {
    const declarations = await activeHostDeclarations(tx);
    const serving = servingDeclaration(declarations, host);
    const names = await activePlatformNames(tx, serving ? [serving.platformId] : []);
    const hostedBy = serving ? (names.get(serving.platformId) ?? null) : null;
    if (input.platform === undefined) return { kind: 'ok', host, hostedBy, platformKnown: null, onPlatform: hostedBy !== null };
    const named = await activePlatformNamed(tx, input.platform);
    return { kind: 'ok', host, hostedBy, platformKnown: named !== undefined, onPlatform: named !== undefined && serving?.platformId === named.id };
  });
}

/**
 * The hosts whose pages may frame the report button of `platform`: the hosts it declares (its own site, the
 * pages its "report" buttons sit on). Empty when no active platform has that name: the button is then not
 * framed anywhere.
 */
export async function reportButtonAncestors(database: OpenDatabase, platform: string): Promise<string[]> {
  return database.transaction(async (tx) => {
    const named = await activePlatformNamed(tx, platform);
    return named ? hostsOfPlatform(tx, named.id) : [];
  });
}
