import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../src/services/staff.ts';
import { deriveKeys } from '../src/crypto/keys.ts';
import { migrate, openDatabase, type OpenDatabase } from '../src/store/database.ts';
import { createPostgresDatabase } from '@takedown/testing/databases';
import { CLI } from './helpers/server-process.ts';

function run(args: string[], env: Record<string, string | undefined>, stdin?: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

describe('takedown user add / report (PostgreSQL)', () => {
  let drop: () => Promise<void>;
  let env: Record<string, string | undefined>;
  let database: OpenDatabase;
  const secret = randomBytes(32);
  const dataDir = mkdtempSync(join(tmpdir(), 'takedown-cli-'));

  beforeAll(async () => {
    const created = await createPostgresDatabase();
    drop = created.drop;
    env = { ...process.env, DATABASE_URL: created.url, TAKEDOWN_SECRET_KEY: secret.toString('base64'), TAKEDOWN_DATA_DIR: dataDir };
    database = await openDatabase({ databaseUrl: created.url, dataDir });
    await migrate(database);
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates staff accounts that can sign in, and reports; bad input exits 2 with a message', async () => {
    const [generated, fromStdin, badRole, report, badDate] = await Promise.all([
      run(['user', 'add', '--role', 'reviewer', 'riley'], env),
      run(['user', 'add', '--role', 'auditor', '--password-stdin', 'otto'], env, 'a long enough password\n'),
      run(['user', 'add', '--role', 'boss', 'bob'], env),
      run(['report', '--from', '2026-01-01', '--to', '2027-01-01'], env),
      run(['report', '--from', 'last week', '--to', '2027-01-01'], env),
    ]);
    expect(generated.status, generated.stderr).toBe(0);
    const password = /Password \(shown once\): (\S+)/.exec(generated.stdout)![1];
    const keys = deriveKeys(secret);
    expect(await login(database, keys, systemClock, { username: 'riley', password, sessionTtlMs: 60_000 })).toMatchObject({ user: { role: 'reviewer' } });
    expect(fromStdin.status, fromStdin.stderr).toBe(0);
    expect(await login(database, keys, systemClock, { username: 'otto', password: 'a long enough password', sessionTtlMs: 60_000 })).toMatchObject({ user: { role: 'auditor' } });
    const stored = await database.transaction((tx) => tx.selectFrom('staff_users').select('password_hash').execute());
    for (const row of stored) expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toContain('reviewer, senior, admin, auditor');
    expect(report.status, report.stderr).toBe(0);
    expect(report.stdout).toContain('Compliance report');
    expect(badDate.status).toBe(2);
    expect(badDate.stderr).toContain('--from');
  }, 120_000); // five CLI processes
});
