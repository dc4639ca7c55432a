/**
 * Maintenance commands read the deployment that exists: they never create an empty database or a new key
 * (a check of a new, empty store would report "intact" on nothing), and they say which store they read.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase } from '@takedown/testing/databases';
import { afterAll, describe, expect, it } from 'vitest';
import { backends } from './helpers/backends.ts';
import { runCli } from './helpers/run-cli.ts';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup) await step();
});

// Each test starts one or two CLI processes (each opening a database): give them room on a busy machine.
describe('maintenance commands open existing stores only', { timeout: 180_000 }, () => {
  it('audit verify in an empty data dir: exit 1, says what to set, creates nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'takedown-empty-'));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const result = await runCli(['audit', 'verify'], { env: { DATABASE_URL: '', TAKEDOWN_SECRET_KEY: '', TAKEDOWN_DATA_DIR: dataDir } });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('intact');
    expect(result.stderr).toContain(`Reading the embedded database in ${dataDir}.`);
    expect(result.stderr).toContain(`There is no takedown database in ${dataDir} (TAKEDOWN_DATA_DIR)`);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('a PostgreSQL database without takedown tables: exit 1, named without its password', async () => {
    const empty = await createPostgresDatabase();
    cleanup.push(() => empty.drop());
    const dataDir = mkdtempSync(join(tmpdir(), 'takedown-empty-'));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const result = await runCli(['audit', 'verify'], { env: { DATABASE_URL: empty.url, TAKEDOWN_SECRET_KEY: randomBytes(32).toString('base64'), TAKEDOWN_DATA_DIR: dataDir } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Reading PostgreSQL at 127\.0\.0\.1:5432\/takedown_test_\w+\./);
    expect(result.stderr).toContain('holds no takedown tables');
    expect(result.stdout).not.toContain('intact');
  });

  it('an existing embedded database without its key file: exit 1, no new key written', async () => {
    const db = await backends[0].create();
    await db.database.close();
    cleanup.push(() => db.drop());
    const result = await runCli(['audit', 'verify'], { env: { DATABASE_URL: '', TAKEDOWN_SECRET_KEY: '', TAKEDOWN_DATA_DIR: db.dataDir } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('There is no key file');
    expect(existsSync(join(db.dataDir, 'secret.key'))).toBe(false);

    const withKey = await runCli(['audit', 'verify', '--json'], { env: { DATABASE_URL: '', TAKEDOWN_SECRET_KEY: randomBytes(32).toString('base64'), TAKEDOWN_DATA_DIR: db.dataDir } });
    expect(withKey.code, withKey.stderr).toBe(0);
    expect(withKey.stderr).toContain(`Reading the embedded database in ${db.dataDir}.`);
    expect(JSON.parse(withKey.stdout)).toMatchObject({ ok: true });
  });
});
