/**
 * `takedown backup` and `takedown restore` as an operator runs them: one archive, restored into an empty data
 * dir (PGlite) or an empty PostgreSQL database, where `takedown audit verify` passes and cases and shared
 * copies open again; a damaged archive, a wrong or missing key and a store already in use are refused with
 * nothing changed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@takedown/core';
import { createPostgresDatabase } from '@takedown/testing/databases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKeys } from '../src/crypto/keys.ts';
import { submitRequest } from '../src/services/intake.ts';
import { viewCase } from '../src/services/requester-case.ts';
import { openDatabase, type OpenDatabase } from '../src/store/database.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { testSharedCopies, validRequest } from './helpers/fixtures.ts';
import { runCli } from './helpers/run-cli.ts';

const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));

/** A data dir holding this key file. */
function dataDirWithKey(parent: string, name: string, key: Buffer): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'secret.key'), key.toString('base64') + '\n', { mode: 0o600 });
  return dir;
}

describe.each(backends)('backup and restore of $name', (backend) => {
  let db: TestDatabase;
  const work = mkdtempSync(join(tmpdir(), 'takedown-backup-test-'));
  const key = randomBytes(32);
  const keys = deriveKeys(key);
  const cases: { caseNumber: string; pin: string; itemId: string }[] = [];
  const drops: (() => Promise<void>)[] = [];
  let env: NodeJS.ProcessEnv;
  const archive = join(work, 'backup.tar.gz');

  beforeAll(async () => {
    db = await backend.create();
    writeFileSync(join(db.dataDir, 'secret.key'), key.toString('base64') + '\n', { mode: 0o600 });
    const copies = testSharedCopies(db.dataDir, keys);
    for (let i = 0; i < 4; i += 1) {
      const submitted = await submitRequest(db.database, keys, clock, validRequest(clock));
      cases.push({ caseNumber: submitted.caseNumber, pin: submitted.pin, itemId: submitted.items[0]!.id });
      await copies.save(submitted.items[0]!.id, Buffer.from(`picture ${i}`));
    }
    // The CLI opens the store itself: PGlite is one process's database.
    await db.database.close();
    env = { DATABASE_URL: db.databaseUrl ?? '', TAKEDOWN_DATA_DIR: db.dataDir, TAKEDOWN_SECRET_KEY: '', TAKEDOWN_LOG_LEVEL: 'silent' };
  });
  afterAll(async () => {
    for (const drop of drops) await drop();
    await db?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  /** An empty target of the same kind: a new data dir, and for PostgreSQL a new empty database. */
  async function emptyTarget(name: string, withKey: Buffer | undefined): Promise<NodeJS.ProcessEnv> {
    const dataDir = withKey ? dataDirWithKey(work, name, withKey) : join(work, name);
    if (backend.name === 'pglite') return { DATABASE_URL: '', TAKEDOWN_DATA_DIR: dataDir, TAKEDOWN_SECRET_KEY: '' };
    const created = await createPostgresDatabase();
    drops.push(created.drop);
    return { DATABASE_URL: created.url, TAKEDOWN_DATA_DIR: dataDir, TAKEDOWN_SECRET_KEY: '' };
  }

  async function openRestored(target: NodeJS.ProcessEnv): Promise<OpenDatabase> {
    return openDatabase({ databaseUrl: target.DATABASE_URL || undefined, dataDir: target.TAKEDOWN_DATA_DIR! });
  }

  it('backs up to one archive with a manifest and checksums, the key left out, and never overwrites a file', { timeout: 300_000 }, async () => {
    const made = await runCli(['backup', archive], { env });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('The key is NOT in this archive');
    expect(made.stderr).toContain('backup: table cases: 4 rows');
    expect(made.stderr).toContain('shared copies: 4');
    const again = await runCli(['backup', archive], { env });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  });

  it('restores into an empty store: audit verify passes, PINs, statements and shared copies open', { timeout: 300_000 }, async () => {
    const target = await emptyTarget('restored', key);
    const restored = await runCli(['restore', archive], { env: target });
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('4 shared copies');
    expect(restored.stdout).toContain('Audit chain intact');
    const verify = await runCli(['audit', 'verify'], { env: target });
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain('Audit chain intact');

    const database = await openRestored(target);
    try {
      const copies = testSharedCopies(target.TAKEDOWN_DATA_DIR!, keys);
      const ctx = { database, keys, clock, sharedCopies: copies };
      for (const [i, c] of cases.entries()) {
        expect((await viewCase(ctx, { caseNumber: c.caseNumber, pin: c.pin, client: '127.0.0.1' })).kind).toBe('ok');
        expect((await copies.open(c.itemId))?.toString()).toBe(`picture ${i}`);
      }
    } finally {
      await database.close();
    }
    // Into the same store again: refused, nothing changed.
    const twice = await runCli(['restore', archive], { env: target });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('already holds a takedown database');
    expect(twice.stderr).toContain('--force');
  });

  it('refuses a damaged archive, a wrong key and a missing key before writing anything; --include-key restores alone', { timeout: 300_000 }, async () => {
    const damaged = join(work, 'damaged.tar.gz');
    const bytes = readFileSync(archive);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(damaged, bytes);
    const [wrongKeyTarget, noKeyTarget, damagedTarget] = [
      await emptyTarget('wrong-key', randomBytes(32)),
      await emptyTarget('no-key', undefined),
      await emptyTarget('damaged', key),
    ];
    const [wrongKey, noKey, broken] = await Promise.all([
      runCli(['restore', archive], { env: wrongKeyTarget }),
      runCli(['restore', archive], { env: noKeyTarget }),
      runCli(['restore', damaged], { env: damagedTarget }),
    ]);
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toContain('wrong key');
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('holds no key');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/damaged/);
    for (const target of [wrongKeyTarget, noKeyTarget, damagedTarget]) {
      const dir = target.TAKEDOWN_DATA_DIR!;
      expect(existsSync(join(dir, 'pglite')) || existsSync(join(dir, 'media'))).toBe(false);
    }

    const withKey = join(work, 'with-key.tar.gz');
    const made = await runCli(['backup', '--include-key', withKey], { env });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('The key IS in this archive');
    const alone = await emptyTarget('from-archive-key', undefined);
    const restored = await runCli(['restore', withKey], { env: alone });
    expect(restored.code, restored.stderr).toBe(0);
    expect(readFileSync(join(alone.TAKEDOWN_DATA_DIR!, 'secret.key'), 'utf8')).toContain(key.toString('base64'));
    expect(readdirSync(join(alone.TAKEDOWN_DATA_DIR!, 'media'))).toHaveLength(4);
  });
});

