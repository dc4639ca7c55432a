import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '@takedown/testing/databases';
import { PII, requestBody } from './helpers/fixtures.ts';
import { CLI, freePort, startServer, stopServer, type ServerProcess } from './helpers/server-process.ts';

const REQUESTS = 1000;
const KILL_AFTER = 300;

describe('reliability (PostgreSQL)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('keeps every request that got a 201 through kill -9, complete with its audit events, and the chain verifies', async () => {
    const database = await createPostgresDatabase();
    cleanup.push(() => database.drop());
    const dataDir = mkdtempSync(join(tmpdir(), 'takedown-reliability-'));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const env = {
      ...process.env,
      DATABASE_URL: database.url,
      TAKEDOWN_SECRET_KEY: randomBytes(32).toString('base64'),
      TAKEDOWN_DATA_DIR: dataDir,
      TAKEDOWN_INTAKE_RATE_LIMIT: String(REQUESTS * 10),
    };
    const port = await freePort();
    let server: ServerProcess = await startServer(env, port);
    cleanup.push(() => stopServer(server, 'SIGKILL'));

    // 1 000 valid requests at once; after KILL_AFTER answers, kill -9 the server with the rest in flight.
    let answered = 0;
    const accepted: { caseNumber: string; pin: string; items: { id: string }[] }[] = [];
    let failed = 0;
    await Promise.all(
      Array.from({ length: REQUESTS }, async (_, i) => {
        const body = requestBody({ contact: { email: `reliability-${i}@example.org` }, items: [{ url: `https://platform.example.com/p/${i}` }, { hashes: { md5: randomBytes(16).toString('hex') } }] });
        try {
          const response = await fetch(`${server.baseUrl}/v1/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
          if (response.status === 201) accepted.push(await response.json());
          else failed += 1;
        } catch {
          failed += 1;
        } finally {
          answered += 1;
          if (answered === KILL_AFTER) server.child.kill('SIGKILL');
        }
      }),
    );
    const beforeKillOutput = server.output();
    console.info(`reliability: ${accepted.length} accepted (201) before kill -9 after ${KILL_AFTER} answers, ${failed} cut off`);
    expect(accepted.length).toBeGreaterThan(0);
    expect(failed, 'the kill must have cut requests off').toBeGreaterThan(0);

    server = await startServer(env, port);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    cleanup.push(() => client.end());
    const numbers = accepted.map((a) => a.caseNumber);
    const cases = await client.query<{ case_number: string; id: string; items: string; received: string; routed: string; item_events: string }>(
      `select c.case_number, c.id,
              (select count(*) from items i where i.case_id = c.id) as items,
              (select count(*) from audit_events a where a.case_id = c.id and a.action = 'case.received') as received,
              (select count(*) from audit_events a where a.case_id = c.id and a.action = 'case.routed') as routed,
              (select count(*) from audit_events a where a.case_id = c.id and a.action = 'item.received') as item_events
         from cases c where c.case_number = any($1)`,
      [numbers],
    );
    expect(cases.rows.length).toBe(accepted.length);
    for (const row of cases.rows) {
      expect([row.items, row.received, row.routed, row.item_events].map(Number)).toEqual([2, 1, 1, 2]);
    }
    const itemIds = accepted.flatMap((a) => a.items.map((i) => i.id));
    const items = await client.query('select count(*) as n from items where id = any($1::uuid[])', [itemIds]);
    expect(Number(items.rows[0].n)).toBe(itemIds.length);
    // No half-written request: every case in the database has both its items and its events.
    const partial = await client.query(`select count(*) as n from cases c where (select count(*) from items i where i.case_id = c.id) <> 2
      or not exists (select 1 from audit_events a where a.case_id = c.id and a.action = 'case.received')`);
    expect(Number(partial.rows[0].n)).toBe(0);

    // The requester can still open a sample of them with their PIN.
    for (const sample of accepted.slice(0, 10)) {
      const response = await fetch(`${server.baseUrl}/v1/cases/${sample.caseNumber}`, { headers: { 'takedown-case-pin': sample.pin } });
      expect(response.status).toBe(200);
    }
    await stopServer(server);

    const verify = spawnSync(process.execPath, [CLI, 'audit', 'verify'], { env, encoding: 'utf8' });
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/Audit chain intact/);

    // Logs carry no PII.
    const logs = beforeKillOutput + server.output();
    expect(logs).toContain('request completed');
    for (const secret of [PII.name, PII.email, PII.phone, PII.statement, 'reliability-1@example.org']) expect(logs).not.toContain(secret);
  }, 180_000); // two server starts and 1 000 requests: generous for a machine shared with other builds
});
