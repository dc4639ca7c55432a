import type { Keys } from '../crypto/keys.ts';
import { decryptBytes } from '../crypto/pii.ts';
import type { OpenDatabase } from '../store/database.ts';
import { readDeploymentState } from '../store/deployment-state.ts';
import { migrations } from '../store/migrations/index.ts';

/** What the database says about a deployment, for `takedown doctor`. */
export interface DatabaseFindings {
  /** Migrations this version has that the database lacks, and those the database has that this version does not know. */
  pendingMigrations: string[];
  unknownMigrations: string[];
  appliedMigrations: number;
  /** The database's clock minus this machine's, in milliseconds (measured at the middle of the query). */
  clockSkewMs: number;
  /** Whether the configured key opens the data stored under it (`not_tried` without a key). */
  key: 'opens' | 'does_not_open' | 'nothing_encrypted_yet' | 'not_tried';
  webhooks: { platform: string; url: string }[];
}

/**
 * Reads the migrations applied, the database's clock, one sealed value (tried with `keys`, never shown) and
 * the webhook endpoints, in one read-only transaction. It changes nothing: no migration is applied here.
 */
export async function inspectDatabase(database: OpenDatabase, keys: Keys | undefined): Promise<DatabaseFindings> {
  const before = Date.now();
  const state = await database.transaction((tx) => readDeploymentState(tx));
  const after = Date.now();
  const known = migrations.map((m) => m.name);
  let key: DatabaseFindings['key'] = keys ? 'nothing_encrypted_yet' : 'not_tried';
  if (keys && state.sealed) {
    const context = state.sealed.kind === 'case' ? `case:${state.sealed.caseId}` : `webhook:${state.sealed.platformId}`;
    try {
      decryptBytes(keys.pii, state.sealed.value, context);
      key = 'opens';
    } catch {
      key = 'does_not_open';
    }
  }
  return {
    pendingMigrations: known.filter((name) => !state.appliedMigrations.includes(name)),
    unknownMigrations: state.appliedMigrations.filter((name) => !known.includes(name)),
    appliedMigrations: state.appliedMigrations.length,
    clockSkewMs: state.databaseNow.getTime() - (before + after) / 2,
    key,
    webhooks: state.webhooks,
  };
}
