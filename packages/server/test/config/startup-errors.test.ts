import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { DatabaseUnavailableError } from '../../src/store/database-errors.ts';
import { CLI, freePort } from '../helpers/server-process.ts';

const KEY = Buffer.alloc(32, 9).toString('base64');

/** Runs the real `takedown` CLI with exactly `env` (plus PATH), as an operator would. */
function run(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const STACK_FRAME = /^\s+at /m;

describe('starting with settings or a database that cannot be used', () => {
  let dir: string;
  let refusedUrl: string;
  let refusedAt: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'takedown-startup-'));
    // A port nothing listens on: PostgreSQL there refuses the connection for real.
    const port = await freePort();
    refusedAt = `127.0.0.1:${port}/takedown`;
    refusedUrl = `postgres://takedown:hunter2@${refusedAt}`;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const refusedLine = () =>
    `Cannot connect to PostgreSQL at ${refusedAt} (DATABASE_URL): connection refused. Check that PostgreSQL runs there and accepts this user, password and database, or unset DATABASE_URL to use the embedded database.`;

  it('openDatabase says in one line which PostgreSQL refused and what to check, without the password', async () => {
    const error = await openDatabase({ databaseUrl: refusedUrl, dataDir: dir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toBe(refusedLine());
  });

  it('openDatabase says when the embedded database\'s folder cannot be made', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'in the way');
    const error = await openDatabase({ dataDir: join(file, 'data') }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toBe(
      `Cannot open the embedded database in ${join(file, 'data')} (TAKEDOWN_DATA_DIR): a file is in the way of the folder. Check that this user can create and write that folder, or set DATABASE_URL to use PostgreSQL.`,
    );
  });

  it('`takedown serve` with bad settings names every one, exits 1 and prints no stack trace', async () => {
    const result = await run(['serve', '--no-demo'], {
      TAKEDOWN_DATA_DIR: join(dir, 'serve-bad'),
      TAKEDOWN_KEY_CACHE_MS: 'abc',
      PORT: 'eighty',
      TAKEDOWN_LOG_LEVEL: 'loud',
      TAKEDOWN_MATCH_HELPER_THREAD: 'yes',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stderr.trimEnd().split('\n').sort()).toEqual(
      [
        'takedown serve: PORT must be a TCP port number, from 0 to 65535 (e.g. 3000); got "eighty".',
        'takedown serve: TAKEDOWN_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "loud".',
        'takedown serve: TAKEDOWN_KEY_CACHE_MS must be a whole number of milliseconds, 0 or more (e.g. 30000); got "abc".',
        'takedown serve: TAKEDOWN_MATCH_HELPER_THREAD must be 1 or 0 (true or false); got "yes".',
      ].sort(),
    );
  }, 60_000);

  it('`takedown serve` and the maintenance commands exit 1 with one line when PostgreSQL refuses', async () => {
    const env = { DATABASE_URL: refusedUrl, TAKEDOWN_SECRET_KEY: KEY, TAKEDOWN_DATA_DIR: join(dir, 'refused') };
    const [serve, user, audit] = await Promise.all([
      run(['serve', '--no-demo'], { ...env, PORT: '0' }),
      run(['user', 'add', '--role', 'reviewer', 'riley'], env),
      run(['audit', 'verify'], env),
    ]);
    for (const [name, result] of [['serve', serve], ['user add', user], ['audit verify', audit]] as const) {
      expect(result.status, result.stderr).toBe(1);
      // Maintenance commands first say which store they read (issue 15, item 17).
      const reading = name === 'serve' ? '' : `Reading PostgreSQL at ${new URL(refusedUrl).host}${new URL(refusedUrl).pathname}.\n`;
      expect(result.stderr).toBe(`${reading}takedown ${name}: ${refusedLine()}\n`);
      expect(result.stdout).toBe('');
    }
  }, 60_000);

  it('`takedown serve` on a port already in use says so in one line, exits 1 and closes what it opened', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const result = await run(['serve', '--no-demo'], { TAKEDOWN_DATA_DIR: join(dir, 'port-taken'), TAKEDOWN_LOG_LEVEL: 'error', HOST: '127.0.0.1', PORT: String(port) });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(`takedown serve: Port ${port} is already in use on 127.0.0.1: stop the program using it, or set PORT (or --port) to a free port.\n`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 180_000); // opens (and migrates) a new embedded database before it listens: slow on a busy machine

  it('a maintenance command names a bad setting the same way', async () => {
    const result = await run(['report', '--from', '2026-01-01', '--to', '2026-02-01'], { TAKEDOWN_DATA_DIR: join(dir, 'report'), DATABASE_URL: 'mysql://db/x' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('takedown report: DATABASE_URL must be a PostgreSQL connection string such as postgres://user:password@host:5432/takedown (unset it to use the embedded database).\n');
  }, 60_000);
});
