import type { ServerConfig } from '../../config/config.ts';
import type { Keys } from '../../crypto/keys.ts';
import { probeEndpoint } from '../../platform/probe-endpoint.ts';
import { inspectDatabase } from '../../services/deployment-check.ts';
import { DatabaseInUseError, DatabaseUnavailableError } from '../../store/database-errors.ts';
import { describeStore, embeddedDatabaseExists, hasTakedownSchema, openDatabase } from '../../store/database.ts';
import { fail, ok, type Finding } from './finding.ts';

/** Beyond this the deadlines written by one clock and read against the other are visibly off. */
const CLOCK_SKEW_LIMIT_MS = 5_000;
const WEBHOOK_PROBE_TIMEOUT_MS = 5_000;

/**
 * The database checks: it answers, it holds takedown's tables with every migration of this version (none is
 * applied here), the key opens what is stored, the clocks agree, and every platform's webhook endpoint answers.
 */
export async function checkDatabase(config: ServerConfig, keys: Keys | undefined): Promise<Finding[]> {
  const store = describeStore(config);
  if (!config.databaseUrl && !embeddedDatabaseExists(config.dataDir)) {
    return [fail('database', `there is no takedown database in ${config.dataDir}. Set TAKEDOWN_DATA_DIR to the server's data folder, or DATABASE_URL to its PostgreSQL.`)];
  }
  let database;
  try {
    database = await openDatabase(config);
  } catch (error) {
    if (error instanceof DatabaseUnavailableError || error instanceof DatabaseInUseError) return [fail('database', error.message)];
    throw error;
  }
  try {
    if (!(await hasTakedownSchema(database))) return [fail('database', `${store} answers but holds no takedown tables. Set DATABASE_URL to the server's database.`)];
    const found = await inspectDatabase(database, keys);
    const findings = [ok('database', `${store} answers`)];
    if (found.pendingMigrations.length > 0) {
      findings.push(fail('migrations', `${found.pendingMigrations.length} not applied (${found.pendingMigrations.join(', ')}). Back up, then start \`takedown serve\` of this version: it applies them at start.`));
    } else if (found.unknownMigrations.length > 0) {
      findings.push(fail('migrations', `the database has migrations this version does not know (${found.unknownMigrations.join(', ')}): it was upgraded by a newer takedown. Run that version.`));
    } else findings.push(ok('migrations', `all ${found.appliedMigrations} applied`));
    if (found.key === 'opens') findings.push(ok('key', 'opens the data stored in the database'));
    if (found.key === 'nothing_encrypted_yet') findings.push(ok('key', 'nothing is encrypted in the database yet to try it on'));
    if (found.key === 'does_not_open') {
      findings.push(fail('key', 'the key does not open the data stored in the database: set TAKEDOWN_SECRET_KEY (or TAKEDOWN_DATA_DIR, for the key file) to the key this data was written with.'));
    }
    const skewSeconds = Math.round(Math.abs(found.clockSkewMs) / 100) / 10;
    findings.push(
      Math.abs(found.clockSkewMs) > CLOCK_SKEW_LIMIT_MS
        ? fail('clock', `this machine's clock and the database's differ by ${skewSeconds} s, and deadlines are legal times. Keep both in sync with NTP (e.g. timedatectl set-ntp true, or chrony).`)
        : ok('clock', `this machine and the database agree (within ${skewSeconds} s)`),
    );
    const probes = await Promise.all(found.webhooks.map(async (webhook) => ({ webhook, probe: await probeEndpoint(webhook.url, WEBHOOK_PROBE_TIMEOUT_MS) })));
    for (const { webhook, probe } of probes) {
      // The origin only: a platform may put a token in the path.
      const where = new URL(webhook.url).origin;
      findings.push(
        probe.reachable
          ? ok(`webhook ${webhook.platform}`, `${where} answers (HTTP ${probe.status})`)
          : fail(`webhook ${webhook.platform}`, `${where} cannot be reached (${probe.reason}). Check the address (takedown platform list; set it with takedown platform webhook), DNS and the firewall, or tell the platform.`),
      );
    }
    if (found.webhooks.length === 0) findings.push(ok('webhooks', 'no platform has a webhook endpoint to try'));
    return findings;
  } finally {
    await database.close();
  }
}
