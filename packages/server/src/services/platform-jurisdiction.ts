import { lookupJurisdiction, profileFor, type Clock, type FieldError, type JurisdictionConfig, type JurisdictionProfile } from '@takedown/core';
import { appendAudit } from '../store/audit-chain.ts';
import type { OpenDatabase } from '../store/database.ts';

/** A platform's jurisdiction setting, with the profile it selects (null: none set, the deployment default may apply). */
export interface PlatformJurisdictionSetting {
  jurisdiction: string | null;
  profile: JurisdictionProfile | null;
}

export type SetJurisdictionResult = ({ kind: 'ok' } & PlatformJurisdictionSetting) | { kind: 'invalid'; error: FieldError } | { kind: 'not_found' };

/** What a platform says it answers to. */
export async function platformJurisdiction(database: OpenDatabase, platformId: string, jurisdictions?: JurisdictionConfig): Promise<PlatformJurisdictionSetting | undefined> {
  const row = await database.transaction((tx) => tx.selectFrom('platforms').select('jurisdiction').where('id', '=', platformId).executeTakeFirst());
  if (!row) return undefined;
  return settingOf(row.jurisdiction, jurisdictions);
}

/**
 * Sets (or, with null, clears) the regime a platform answers to, with its audit event. Requests for content on
 * its hosts then run on the shortest clock of this setting and the requester's stated location (core's
 * `decideJurisdiction`); cases already filed keep theirs. The code must be one the deployment configures.
 */
export async function setPlatformJurisdiction(
  database: OpenDatabase,
  clock: Clock,
  platformId: string,
  code: string | null,
  actor: string,
  jurisdictions?: JurisdictionConfig,
): Promise<SetJurisdictionResult> {
  let chosen: string | null = null;
  if (code !== null) {
    const found = lookupJurisdiction(code, jurisdictions);
    if (!found.ok) return { kind: 'invalid', error: found.error };
    chosen = found.rules.code;
  }
  const now = clock.now();
  return database.transaction(async (tx) => {
    const row = await tx.selectFrom('platforms').select('jurisdiction').where('id', '=', platformId).forUpdate().executeTakeFirst();
    if (!row) return { kind: 'not_found' };
    if (row.jurisdiction !== chosen) {
      await tx.updateTable('platforms').set({ jurisdiction: chosen }).where('id', '=', platformId).execute();
      await appendAudit(tx, now, [{ actor, action: 'platform.jurisdiction_set', data: { platformId, from: row.jurisdiction, to: chosen } }]);
    }
    return { kind: 'ok', ...settingOf(chosen, jurisdictions) };
  });
}

function settingOf(code: string | null, jurisdictions?: JurisdictionConfig): PlatformJurisdictionSetting {
  // A setting the configuration no longer has selects nothing (decideJurisdiction leaves it out too).
  const known = code !== null && lookupJurisdiction(code, jurisdictions).ok;
  return { jurisdiction: code, profile: known ? profileFor(code!, jurisdictions) : null };
}
