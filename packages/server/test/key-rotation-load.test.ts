/**
 * `takedown keys rotate` against a running server under load: intake, status and review requests keep
 * succeeding while everything is re-encrypted, a kill in the middle resumes (the server's job on PGlite,
 * `keys rotate --resume` on PostgreSQL), nothing is left under the old key, and after `keys retire` the
 * server reads every case with the new key alone.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKeys } from '../src/crypto/keys.ts';
import { submitRequest } from '../src/services/intake.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { requestBody, testSharedCopies, validRequest } from './helpers/fixtures.ts';
import { runCli } from './helpers/run-cli.ts';
import { CLI, freePort, startServer, stopServer, type ServerProcess } from './helpers/server-process.ts';

const PASSWORD = 'correct horse battery staple';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe.each(backends)('key rotation under load on $name', (backend) => {
  let db: TestDatabase;
  let server: ServerProcess | undefined;
  let env: NodeJS.ProcessEnv;
  let port: number;
  const cases: { caseNumber: string; pin: string; itemId: string }[] = [];
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    db = await backend.create();
    const key = randomBytes(32);
    writeFileSync(join(db.dataDir, 'secret.key'), key.toString('base64') + '\n', { mode: 0o600 });
    const keys = deriveKeys(key);
    const copies = testSharedCopies(db.dataDir, keys);
    await createStaffUser(db.database, clock, { username: 'sam', role: 'senior', password: PASSWORD }, 'test');
    for (let i = 0; i < 30; i += 1) {
      const submitted = await submitRequest(db.database, keys, clock, validRequest(clock));
      cases.push({ caseNumber: submitted.caseNumber, pin: submitted.pin, itemId: submitted.items[0]!.id });
      if (i < 10) await copies.save(submitted.items[0]!.id, Buffer.from(`picture ${i}`));
    }
    await db.database.close();
    port = await freePort();
    env = {
      DATABASE_URL: db.databaseUrl ?? '',
      TAKEDOWN_DATA_DIR: db.dataDir,
      TAKEDOWN_SECRET_KEY: '',
      TAKEDOWN_LOG_LEVEL: 'info',
      TAKEDOWN_INTAKE_RATE_LIMIT: '100000',
      TAKEDOWN_REKEY_BATCH: '3',
      TAKEDOWN_REKEY_EVERY_MS: '300',
    };
  });
  afterAll(async () => {
    if (server) await stopServer(server, 'SIGKILL');
    await db?.drop();
  });

  it('serves every request while rotating, resumes after a kill, leaves nothing under the old key', { timeout: 900_000 }, async () => {
    server = await startServer(env, port);
    const base = () => server!.baseUrl;
    const login = await fetch(`${base()}/v1/staff/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sam', password: PASSWORD }) });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

    // Three clients keep asking until told to stop; any answer but the expected one is a failure.
    const failures: string[] = [];
    let served = 0;
    let paused = false;
    let stopped = false;
    const pick = () => cases[Math.floor(Math.random() * cases.length)]!;
    const client = async (ask: () => Promise<{ status: number; expected: number; what: string }>) => {
      while (!stopped) {
        if (paused) {
          await sleep(50);
          continue;
        }
        try {
          const { status, expected, what } = await ask();
          if (status === expected) served += 1;
          else failures.push(`${what}: ${status}`);
        } catch (error) {
          if (!paused) failures.push(`request failed: ${(error as Error).message}`);
        }
      }
    };
    const clients = Promise.all([
      client(async () => {
        const response = await fetch(`${base()}/v1/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(requestBody()) });
        if (response.status === 201) {
          const made = (await response.json()) as { caseNumber: string; pin: string; items: { id: string }[] };
          cases.push({ caseNumber: made.caseNumber, pin: made.pin, itemId: made.items[0]!.id });
        } else await response.text();
        return { status: response.status, expected: 201, what: 'intake' };
      }),
      client(async () => {
        // The status route allows 60 asks a minute from one address: this client stays under it.
        await sleep(1_100);
        const c = pick();
        const response = await fetch(`${base()}/v1/cases/${c.caseNumber}`, { headers: { 'takedown-case-pin': c.pin } });
        await response.text();
        return { status: response.status, expected: 200, what: 'status' };
      }),
      client(async () => {
        const response = await fetch(`${base()}/v1/review/items/${pick().itemId}`, { headers: { cookie } });
        await response.text();
        return { status: response.status, expected: 200, what: 'review' };
      }),
    ]);

    await waitFor('some load', () => served > 20);
    if (backend.name === 'pglite') {
      // The server holds the embedded database: the command writes the key, the server re-encrypts.
      const rotate = await runCli(['keys', 'rotate'], { env });
      expect(rotate.code, rotate.stderr).toBe(0);
      expect(rotate.stdout).toContain('re-encrypts the rest in the background');
      await waitFor('a first batch', () => server!.output().includes('re-encrypted a batch'));
      // Killed in the middle of the rotation; restarted, its job carries on where it was.
      paused = true;
      await stopServer(server, 'SIGKILL');
      server = await startServer(env, port);
      paused = false;
      await waitFor('the end of the rotation', () => server!.output().includes('any more: `takedown keys retire`'));
    } else {
      // PostgreSQL: the command re-encrypts beside the running server; killed after its first batch, resumed.
      const child = spawn(process.execPath, [CLI, 'keys', 'rotate', '--batch', '2'], { env: { ...process.env, ...env } });
      let progress = '';
      child.stderr.on('data', (chunk: Buffer) => (progress += chunk.toString()));
      await waitFor('a first batch', () => progress.includes('Re-encrypted'));
      child.kill('SIGKILL');
      const resumed = await runCli(['keys', 'rotate', '--resume', '--batch', '5'], { env });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toContain('Nothing uses');
    }
    await sleep(1_000);
    stopped = true;
    await clients;
    expect(failures).toEqual([]);
    expect(served).toBeGreaterThan(20);
    await stopServer(server);

    const status = await runCli(['keys', 'status', '--json'], { env });
    expect(status.code, status.stderr).toBe(0);
    const usage = JSON.parse(status.stdout) as { current: string; older: string[]; values: Record<string, number>; files: Record<string, number> };
    expect(usage.older).toHaveLength(1);
    expect(Object.keys(usage.values)).toEqual([usage.current]);
    expect(Object.keys(usage.files)).toEqual([usage.current]);
    const retire = await runCli(['keys', 'retire'], { env });
    expect(retire.code, retire.stderr).toBe(0);

    // The new key alone: PINs (their keys are kept), statements and copies still open.
    server = await startServer(env, port);
    const c = cases[0]!;
    expect((await fetch(`${server.baseUrl}/v1/cases/${c.caseNumber}`, { headers: { 'takedown-case-pin': c.pin } })).status).toBe(200);
    expect((await fetch(`${server.baseUrl}/v1/review/items/${c.itemId}`, { headers: { cookie } })).status).toBe(200);
    await stopServer(server);
    server = undefined;
  });
});
