/**
 * `takedown doctor`, run from a shell as an operator would, against a deployment that is fine and against the
 * same deployment broken in six ways: each problem is named with what to fix, and the exit code is 1.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { systemClock } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKeys } from '../../src/crypto/keys.ts';
import { addPlatformKey, setWebhook } from '../../src/services/platform-accounts.ts';

import { openDatabase } from '../../src/store/database.ts';
import { backends, type TestDatabase } from '../helpers/backends.ts';
import { LOOPBACK_OUTBOUND } from '../helpers/outbound.ts';
import { runCli } from '../helpers/run-cli.ts';
import { fileRequest } from '../platform-helpers.ts';
import { TestMailServer } from '@takedown/testing/mail-server';

// Each test starts one or two CLI processes (each opening a database): give them room on a busy machine.
const CLI_TIMEOUT_MS = 180_000;

describe.each(backends)('takedown doctor ($name)', (backend) => {
  let db: TestDatabase;
  let receiver: Server;
  const mail = new TestMailServer();
  const secret = randomBytes(32).toString('base64');
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    receiver = createServer((_request, response) => response.writeHead(405).end());
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    await mail.start();
    db = await backend.create();
    const keys = deriveKeys(Buffer.from(secret, 'base64'));
    await fileRequest(db.database, keys, [{ url: 'https://pics.example/p/1' }]);
    const pics = await addPlatformKey(db.database, systemClock, { name: 'pics' }, 'test');
    await setWebhook(db.database, keys, systemClock, pics.platformId, `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/takedown/events`, 'test', LOOPBACK_OUTBOUND);
    // The embedded database is one process's: the command opens it after the test lets go.
    await db.database.close();
    env = { DATABASE_URL: db.databaseUrl ?? '', TAKEDOWN_DATA_DIR: db.dataDir, TAKEDOWN_SECRET_KEY: secret, TAKEDOWN_FFMPEG: '', TAKEDOWN_FFPROBE: '', TAKEDOWN_SMTP_URL: mail.url };
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver?.close(resolve));
    await mail.stop();
    await db?.drop();
  });

  it('a good deployment: every check ok, exit 0', async () => {
    const result = await runCli(['doctor'], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    for (const check of ['settings', 'data dir', 'key', 'database', 'migrations', 'clock', 'webhook pics', 'ffmpeg', 'smtp']) expect(result.stdout).toMatch(new RegExp(`^ok {4}${check}: `, 'm'));
    expect(result.stdout).toContain('key: opens the data stored in the database');
    expect(result.stdout).toMatch(/webhook pics: http:\/\/127\.0\.0\.1:\d+ answers \(HTTP 405\)/);
    expect(result.stdout).not.toContain('/takedown/events');
    expect(result.stdout).toContain(`smtp: 127.0.0.1:${mail.port} answers and accepts our sign-in; messages come from Case updates <no-reply@localhost>`);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('Everything checked is fine.');
    const json = await runCli(['doctor', '--json'], { env });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true });
  }, CLI_TIMEOUT_MS);

  it('a broken deployment: the wrong key, a migration missing, a data dir open to all, no ffmpeg, a webhook down, the mail server down: each named with the fix, exit 1', async () => {
    const database = await openDatabase({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
    await database.transaction((tx) => sql`delete from schema_migrations where name = '013-metrics-indexes'`.execute(tx));
    await database.close();
    chmodSync(db.dataDir, 0o755);
    await new Promise((resolve) => receiver.close(resolve));
    await mail.stop();
    const result = await runCli(['doctor'], { env: { ...env, TAKEDOWN_SECRET_KEY: randomBytes(32).toString('hex'), TAKEDOWN_FFMPEG: '/nonexistent/ffmpeg' } });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain(`FAIL  data dir: ${db.dataDir} is open to other users (mode 0755): it holds the database, the key and shared pictures. Fix: chmod 700 ${db.dataDir}`);
    expect(result.stdout).toContain('FAIL  key: the key does not open the data stored in the database: set TAKEDOWN_SECRET_KEY');
    expect(result.stdout).toContain('FAIL  migrations: 1 not applied (013-metrics-indexes). Back up, then start `takedown serve` of this version');
    expect(result.stdout).toMatch(/FAIL {2}webhook pics: http:\/\/127\.0\.0\.1:\d+ cannot be reached \(ECONNREFUSED\)/);
    expect(result.stdout).toMatch(/FAIL {2}ffmpeg: Video hashing needs ffmpeg and ffprobe/);
    expect(result.stdout).toContain(`FAIL  smtp: 127.0.0.1:${mail.port}: could not reach the mail server. Check TAKEDOWN_SMTP_URL`);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('6 things to fix.');
    expect(result.stderr).toBe('');
  }, CLI_TIMEOUT_MS);
});

describe('takedown doctor with nothing there', () => {
  it('an empty data dir and no key: says so, creates nothing, exit 1', async () => {
    const db = await backends[0].create();
    await db.database.close();
    const empty = `${db.dataDir}-missing`;
    const result = await runCli(['doctor'], { env: { DATABASE_URL: '', TAKEDOWN_DATA_DIR: empty, TAKEDOWN_SECRET_KEY: '' } });
    await db.drop();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`FAIL  data dir: ${empty} does not exist.`);
    expect(result.stdout).toContain('FAIL  key: There is no key file');
    expect(result.stdout).toContain(`FAIL  database: there is no takedown database in ${empty}.`);
    expect(existsSync(empty)).toBe(false);
  }, CLI_TIMEOUT_MS);

  it('an unusable setting: one line saying what to set, exit 1', async () => {
    const result = await runCli(['doctor'], { env: { TAKEDOWN_METRICS_TOKEN: 'short' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('TAKEDOWN_METRICS_TOKEN must be at least 32 printable characters');
  }, CLI_TIMEOUT_MS);
});
