import { sql } from 'kysely';
import type { Tx } from './database.ts';

/** What `takedown doctor` reads from the database: no personal data is decrypted here, and none leaves it. */
export interface DeploymentState {
  appliedMigrations: string[];
  /** The database server's clock, to compare with this machine's. */
  databaseNow: Date;
  /** One sealed value to try the key on: the newest case's personal data, else a webhook secret. */
  sealed?: { kind: 'case'; caseId: string; value: Buffer } | { kind: 'webhook'; platformId: string; value: Buffer };
  /** The webhook endpoints of enabled platforms. */
  webhooks: { platform: string; url: string }[];
}

export async function readDeploymentState(tx: Tx): Promise<DeploymentState> {
  const applied = await tx.selectFrom('schema_migrations').select('name').orderBy('name').execute();
  const clock = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(tx);
  const sealedCase = await tx.selectFrom('cases').select(['id', 'pii']).where('pii', 'is not', null).orderBy('received_at', 'desc').limit(1).executeTakeFirst();
  const platforms = await tx.selectFrom('platforms').select(['id', 'name', 'webhook_url', 'webhook_secret']).where('disabled_at', 'is', null).orderBy('name').execute();
  const withSecret = platforms.find((p) => p.webhook_secret !== null);
  return {
    appliedMigrations: applied.map((row) => row.name),
    databaseNow: new Date(clock.rows[0].now),
    sealed: sealedCase?.pii
      ? { kind: 'case', caseId: sealedCase.id, value: Buffer.from(sealedCase.pii) }
      : withSecret?.webhook_secret
        ? { kind: 'webhook', platformId: withSecret.id, value: Buffer.from(withSecret.webhook_secret) }
        : undefined,
    webhooks: platforms.flatMap((p) => (p.webhook_url ? [{ platform: p.name, url: p.webhook_url }] : [])),
  };
}
