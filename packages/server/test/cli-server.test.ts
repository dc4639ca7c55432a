import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOTP, URI } from 'otpauth';
import { createStaffUser, login, sessionUser } from '../src/services/staff.ts';
import { confirmTotpEnrolment, startTotpEnrolment } from '../src/services/staff-second-factor.ts';
import { deriveKeys } from '../src/crypto/keys.ts';
import { migrate, openDatabase, type OpenDatabase } from '../src/store/database.ts';
import { createPostgresDatabase } from '@takedown/testing/databases';
import { CLI, freePort, startServer, stopServer } from './helpers/server-process.ts';

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

  it('exports the DSA transparency report as CSV and the statements of reasons as JSON Lines; a bad date exits 2', async () => {
    const [csv, statements, badDate] = await Promise.all([
      run(['report', 'dsa', '--from', '2026-01-01', '--to', '2027-01-01', '--csv'], env),
      run(['report', 'statements', '--from', '2026-01-01', '--to', '2027-01-01'], env),
      run(['report', 'dsa', '--from', '2026-01-01', '--to', 'soon'], env),
    ]);
    expect(csv.status, csv.stderr).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toBe('section,provision,field,value,status,note');
    expect(csv.stdout).toContain('1.3,Art. 15(1)(b),Notices received,0,filled,');
    expect(statements.status, statements.stderr).toBe(0);
    expect(statements.stdout).toBe(''); // nothing decided: no line, not an empty call body
    expect(statements.stderr).toContain('0 statement(s) in 0 line(s).');
    expect(badDate.status).toBe(2);
    expect(badDate.stderr).toContain('takedown report dsa: --to "soon" is not a date');
  }, 120_000);

  it('resets a password, disables, enables and signs out a staff account, each ending sessions and audited', async () => {
    const keys = deriveKeys(secret);
    const signIn = (password: string) => login(database, keys, systemClock, { username: 'casey', password, sessionTtlMs: 60_000 });
    const weak = await run(['user', 'add', '--role', 'admin', '--password-stdin', 'casey'], env, 'aaaaaaaaaaaaaaaa\n');
    expect(weak.status).toBe(2);
    expect(weak.stderr).toContain('takedown user add: This password is too easy to guess: it repeats a character.');
    expect((await run(['user', 'add', '--role', 'admin', '--password-stdin', 'casey'], env, 'correct horse battery staple\n')).status).toBe(0);
    const session = await signIn('correct horse battery staple');
    const signedIn = async () => session.kind === 'ok' && (await sessionUser(database, keys, new Date(), session.token)) !== undefined;
    expect(await signedIn()).toBe(true);

    const reset = await run(['user', 'reset-password', 'casey'], env);
    expect(reset.status, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('New password set for "casey"; 1 session ended.');
    const password = /Password \(shown once\): (\S+)/.exec(reset.stdout)![1];
    expect(await signedIn()).toBe(false);
    expect((await signIn('correct horse battery staple')).kind).toBe('wrong');
    expect((await signIn(password)).kind).toBe('ok');

    const revoked = await run(['user', 'revoke-sessions', 'casey'], env);
    expect(revoked.stdout).toContain('Signed "casey" out everywhere; 1 session ended.');
    const disabled = await run(['user', 'disable', 'casey'], env);
    expect(disabled.stdout).toContain('Disabled "casey"; 0 sessions ended.');
    expect((await signIn(password)).kind).toBe('wrong');
    expect((await run(['user', 'enable', 'casey'], env)).stdout).toContain('Enabled "casey"');
    expect((await signIn(password)).kind).toBe('ok');
    const unknown = await run(['user', 'disable', 'nobody'], env);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('takedown user disable: there is no staff account named "nobody".');
    const weakReset = await run(['user', 'reset-password', '--password-stdin', 'casey'], env, 'casey12345678901\n');
    expect(weakReset.status).toBe(2);
    expect(weakReset.stderr).toContain('too easy to guess');

    const events = await database.transaction((tx) => tx.selectFrom('audit_events').select(['action', 'actor']).where('actor', '=', 'cli').where('action', 'like', 'user.%').orderBy('seq').execute());
    expect(events.map((e) => e.action)).toEqual(['user.created', 'user.created', 'user.created', 'user.password_set', 'user.sessions_revoked', 'user.disabled', 'user.enabled']);
  }, 120_000);

  it('removes a lost authenticator app (user reset-second-factor): sessions end, the password alone signs in again', async () => {
    const keys = deriveKeys(secret);
    const user = await createStaffUser(database, systemClock, { username: 'dana', role: 'reviewer', password: 'correct horse battery staple' }, 'test');
    const app = URI.parse((await startTotpEnrolment(database, keys, user, 'takedown')).uri) as TOTP;
    await confirmTotpEnrolment(database, keys, systemClock, user, app.generate());
    const signIn = () => login(database, keys, systemClock, { username: 'dana', password: 'correct horse battery staple', sessionTtlMs: 60_000 });
    expect((await signIn()).kind).toBe('second_factor_needed');
    const reset = await run(['user', 'reset-second-factor', 'dana'], env);
    expect(reset.status, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('Removed the second factor of "dana"; 0 sessions ended.');
    expect((await signIn()).kind).toBe('ok');
    const unknown = await run(['user', 'reset-second-factor', 'nobody'], env);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('there is no staff account named "nobody"');
  }, 120_000);
});

describe('takedown serve: demo data only when asked (PGlite)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'takedown-demo-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function serveOnce(args: string[]): Promise<string> {
    const server = await startServer({ ...process.env, DATABASE_URL: undefined, TAKEDOWN_DATA_DIR: dataDir, TAKEDOWN_LOG_LEVEL: 'warn' }, await freePort(), args);
    await new Promise((r) => setTimeout(r, 300));
    await stopServer(server);
    return server.output();
  }

  it('starts clean without --demo; with --demo makes demo data once and prints the admin password only then', async () => {
    const clean = await serveOnce([]);
    expect(clean).toContain('No demo data. Create the first admin with: takedown user add --role admin <username>');
    const database = await openDatabase({ dataDir });
    const count = () => database.transaction(async (tx) => ({ users: (await tx.selectFrom('staff_users').select('id').execute()).length, cases: (await tx.selectFrom('cases').select('id').execute()).length }));
    expect(await count()).toEqual({ users: 0, cases: 0 });
    await database.close();

    const first = await serveOnce(['--demo']);
    expect(first).toContain('DEMO DATA is on');
    expect(first).toMatch(/"demoData":true/); // the log says so too
    const password = /password: (\S+) {3}\(shown only now/.exec(first)?.[1];
    expect(password).toBeDefined();
    const second = await serveOnce(['--demo']);
    expect(second).toContain('DEMO DATA is on');
    expect(second).toContain('its password was printed when it was made');
    expect(second).not.toContain(password);
  }, 180_000);
});
