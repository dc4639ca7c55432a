import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ManualClock, HOUR_MS, DAY_MS, MINUTE_MS } from '@takedown/core';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import { PostgresQueryCompiler, sql, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/services/audit-verify.ts';
import { claimDueJob, enqueueJobs } from '../src/store/job-queue.ts';
import { createWorker } from '../src/jobs/handlers.ts';
import { Worker } from '../src/jobs/worker.ts';
import { loadConfig } from '../src/config/config.ts';
import { PlatformRuntime } from '../src/services/platform-runtime.ts';
import { migrate } from '../src/store/database.ts';
import { submitRequest } from '../src/services/intake.ts';
import { checkPin, viewCase, withdrawCase, type RequesterContext } from '../src/services/requester-case.ts';
import { decideItem, recordRemoval, reviewItem, reviewQueue } from '../src/services/review.ts';
import { complianceReport } from '../src/services/compliance.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { PII, testKeys, testSharedCopies, validRequest, pinAttempt } from './helpers/fixtures.ts';

const cli = new URL('../src/cli/main.ts', import.meta.url).pathname;
const JOB_WORK = 'f'.repeat(64);

describe.each(backends)('store on $name', (backend) => {
  let db: TestDatabase;
  const keys = testKeys();
  const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
  const senior = { userId: '00000000-0000-4000-8000-000000000001', actor: 'staff:sam', seesSenior: true };
  const reviewer = { userId: '00000000-0000-4000-8000-000000000002', actor: 'staff:riley', seesSenior: false };
  let ctx: RequesterContext;

  beforeAll(async () => {
    db = await backend.create();
    ctx = { database: db.database, keys, clock, sharedCopies: testSharedCopies(db.dataDir, keys) };
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('runs migrations once, and again as a no-op', async () => {
    expect(await migrate(db.database)).toEqual([]);
    const tables = await db.database.transaction((tx) => sql<{ n: string }>`select count(*) as n from schema_migrations`.execute(tx));
    expect(Number(tables.rows[0].n)).toBeGreaterThanOrEqual(1);
  });

  it('records a request with its items, deadlines, audit events and jobs in one go, and opens it only with the PIN', async () => {
    const submitted = await submitRequest(db.database, keys, clock, validRequest(clock));
    expect(submitted.caseNumber).toMatch(/^TD-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(submitted.items[0].deadline.toISOString()).toBe('2026-06-03T09:00:00.000Z');
    const events = await db.database.transaction((tx) => tx.selectFrom('audit_events').select('action').where('case_id', '=', submitted.caseId).orderBy('seq').execute());
    expect(events.map((e) => e.action)).toEqual(['case.received', 'case.routed', 'item.received']);
    const jobs = await db.database.transaction((tx) => tx.selectFrom('jobs').select(['kind', 'payload']).where('kind', '=', 'item.match').execute());
    expect(jobs.some((j) => j.payload.itemId === submitted.items[0].id)).toBe(true);
    const stored = await db.database.transaction((tx) => tx.selectFrom('cases').select('pin_hash').where('id', '=', submitted.caseId).executeTakeFirstOrThrow());
    expect(stored.pin_hash).not.toContain(submitted.pin);

    const seen = await viewCase(ctx, pinAttempt(submitted.caseNumber, submitted.pin));
    expect(seen.kind === 'ok' && seen.value.items[0].state).toBe('pending');
    expect((await viewCase(ctx, pinAttempt(submitted.caseNumber, '00000000'))).kind).toBe('not_found');
    expect((await viewCase(ctx, pinAttempt('TD-0000-0000', submitted.pin))).kind).toBe('not_found');
  });

  it('writes nothing when any part of a request fails (one transaction)', async () => {
    const count = async () =>
      db.database.transaction(async (tx) => ({
        cases: Number((await tx.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n),
        audit: Number((await tx.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n),
        jobs: Number((await tx.selectFrom('jobs').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n),
      }));
    const before = await count();
    // The second item fails in the database (an MD5 too long for its column) after the case and first item
    // were inserted: everything must roll back.
    const request = validRequest(clock);
    request.items = [request.items[0], { url: 'https://platform.example.com/p/2', hashes: { md5: 'a'.repeat(40) } }];
    await expect(submitRequest(db.database, keys, clock, request)).rejects.toThrow();
    expect(await count()).toEqual(before);
  });

  it('slows PIN guessing per client and case with growing waits, never locks the owner out, and warns first', async () => {
    const submitted = await submitRequest(db.database, keys, clock, validRequest(clock));
    const stranger = (pin: string) => viewCase(ctx, pinAttempt(submitted.caseNumber, pin, '203.0.113.66'));
    const owner = (client: string) => viewCase(ctx, pinAttempt(submitted.caseNumber, submitted.pin, client));
    // Five wrong PINs are free; the fifth warns what a sixth costs; the sixth starts a one-minute wait.
    for (let i = 1; i <= 4; i += 1) expect(await stranger(`1111111${i}`)).toEqual({ kind: 'not_found', nextWaitMs: 0, waitUntil: undefined, triesBeforeWait: 6 - i, waitAfterTriesMs: MINUTE_MS });
    expect(await stranger('11111115')).toEqual({ kind: 'not_found', nextWaitMs: MINUTE_MS, waitUntil: undefined, triesBeforeWait: 1, waitAfterTriesMs: MINUTE_MS });
    expect(await stranger('11111116')).toEqual({ kind: 'not_found', nextWaitMs: 2 * MINUTE_MS, waitUntil: new Date(clock.now().getTime() + MINUTE_MS), triesBeforeWait: 1, waitAfterTriesMs: 2 * MINUTE_MS });
    // While it waits, even the right PIN from that address is not checked: the answer tells a guesser nothing.
    expect(await owner('203.0.113.66')).toEqual({ kind: 'locked', until: new Date(clock.now().getTime() + MINUTE_MS) });
    // The owner, from their own address, is not kept out (the old rule locked the case number for everyone).
    expect((await owner('198.51.100.20')).kind).toBe('ok');
    // Each further wrong PIN doubles the wait; nothing is locked for good.
    clock.advance(MINUTE_MS);
    expect((await stranger('11111117')).kind).toBe('not_found');
    expect((await stranger('11111118')).kind).toBe('locked');
    clock.advance(2 * MINUTE_MS);
    expect(await stranger('11111119')).toMatchObject({ kind: 'not_found', waitUntil: new Date(clock.now().getTime() + 4 * MINUTE_MS) });
    clock.advance(4 * MINUTE_MS);
    expect((await owner('203.0.113.66')).kind).toBe('ok');
    // A right PIN starts that address's count for this case again.
    expect(await stranger('11111111')).toEqual({ kind: 'not_found', nextWaitMs: 0, waitUntil: undefined, triesBeforeWait: 5, waitAfterTriesMs: MINUTE_MS });
    // Unknown case numbers are counted and answered the same way.
    for (let i = 0; i < 5; i += 1) expect((await viewCase(ctx, pinAttempt('TD-ZZZZ-ZZZZ', '11111111', '203.0.113.67'))).kind).toBe('not_found');
    expect((await viewCase(ctx, pinAttempt('TD-ZZZZ-ZZZZ', '11111111', '203.0.113.67'))).kind).toBe('not_found');
    expect((await viewCase(ctx, pinAttempt('TD-ZZZZ-ZZZZ', '11111111', '203.0.113.67'))).kind).toBe('locked');
  });

  it('holds one address to 50 free wrong PINs over all case numbers, then waits', async () => {
    const client = '2001:db8:77:100::1';
    for (let i = 0; i < 50; i += 1) expect((await viewCase(ctx, pinAttempt(`TD-SPRY-${String(i).padStart(4, '0')}`, '11111111', client))).kind).toBe('not_found');
    // Another address in the same /56 is the same client network.
    expect(await viewCase(ctx, pinAttempt('TD-SPRY-9999', '11111111', '2001:db8:77:1ff::2'))).toMatchObject({ kind: 'not_found', waitUntil: new Date(clock.now().getTime() + MINUTE_MS) });
    expect((await viewCase(ctx, pinAttempt('TD-SPRY-9998', '11111111', client))).kind).toBe('locked');
    clock.advance(MINUTE_MS);
  });

  it('checks an unknown case number with the very statements of a wrong PIN (equal timing)', async () => {
    const submitted = await submitRequest(db.database, keys, clock, validRequest(clock));
    const statements = async (caseNumber: string, pin: string, client: string): Promise<string[]> => {
      const seen: string[] = [];
      const compiler = new PostgresQueryCompiler();
      const recorder: KyselyPlugin = {
        transformQuery: (args) => {
          seen.push(compiler.compileQuery(args.node, args.queryId).sql);
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      await db.database.transaction((tx) => checkPin(tx.withPlugin(recorder), keys, clock.now(), pinAttempt(caseNumber, pin, client)));
      return seen;
    };
    const wrong = await statements(submitted.caseNumber, '11111111', '203.0.113.90');
    const unknown = await statements('TD-NONE-0000', '11111111', '203.0.113.91');
    expect(unknown).toEqual(wrong);
    expect(wrong.some((text) => text.includes('audit_events'))).toBe(true);
    // The right PIN runs the same check up to the comparison, then clears its counter instead of counting.
    const right = await statements(submitted.caseNumber, submitted.pin, '203.0.113.92');
    expect(right.slice(0, 4)).toEqual(wrong.slice(0, 4));
  });

  it('takes an item from pending to confirmed to removed and resolves the case; refuses illegal moves', async () => {
    const submitted = await submitRequest(db.database, keys, clock, validRequest(clock));
    const itemId = submitted.items[0].id;
    const queue = await reviewQueue(db.database, clock, true, { limit: 1000, offset: 0 });
    expect(queue.some((q) => q.itemId === itemId)).toBe(true);
    const confirmed = await decideItem(db.database, clock, reviewer, itemId, { decision: 'confirm' });
    expect(confirmed).toMatchObject({ kind: 'ok', value: { itemState: 'confirmed', caseState: 'in_review' } });
    expect(await decideItem(db.database, clock, reviewer, itemId, { decision: 'confirm' })).toMatchObject({ kind: 'conflict', code: 'illegal_transition' });
    clock.advance(HOUR_MS);
    expect(await recordRemoval(db.database, clock, itemId, 'platform:test')).toMatchObject({ kind: 'ok', value: { itemState: 'removed', caseState: 'resolved' } });
    const detail = await reviewItem(db.database, keys, clock, senior, itemId);
    expect(detail.kind).toBe('ok');
    if (detail.kind === 'ok') {
      expect(detail.value.case.statements?.requester.fullName).toBe(PII.name);
      expect(detail.value.history.map((h) => h.action)).toEqual(expect.arrayContaining(['case.received', 'item.confirmed', 'item.removed', 'case.resolved']));
    }
    const jobs = await db.database.transaction((tx) => tx.selectFrom('jobs').select('payload').where('kind', '=', 'platform.notify').execute());
    expect(jobs.some((j) => j.payload.itemId === itemId)).toBe(true);
  });

  it('declines with a reason, keeps senior items from reviewers, and escalates on request', async () => {
    const routed = await submitRequest(db.database, keys, clock, validRequest(clock, { items: [{ url: 'https://platform.example.com/news/1', publicInterest: true }] }));
    const itemId = routed.items[0].id;
    expect(await decideItem(db.database, clock, reviewer, itemId, { decision: 'confirm' })).toMatchObject({ kind: 'forbidden' });
    expect(await decideItem(db.database, clock, senior, itemId, { decision: 'decline', reason: 'other' })).toMatchObject({ kind: 'invalid', field: 'note' });
    expect(await decideItem(db.database, clock, senior, itemId, { decision: 'decline', reason: 'public_interest', note: 'court record' })).toMatchObject({
      kind: 'ok',
      value: { itemState: 'declined', caseState: 'rejected' },
    });
    const other = await submitRequest(db.database, keys, clock, validRequest(clock, { contact: { email: 'someone.else@example.org' } }));
    expect(await decideItem(db.database, clock, reviewer, other.items[0].id, { decision: 'escalate', note: 'unsure whether this is the requester' })).toMatchObject({
      kind: 'ok',
      value: { queue: 'senior' },
    });
    const standard = await reviewQueue(db.database, clock, false, { limit: 1000, offset: 0 });
    expect(standard.some((q) => q.itemId === other.items[0].id)).toBe(false);
  });

  it('escalates at 24 h and 36 h, records a breach after 48 h, orders breached items first', async () => {
    const start = new ManualClock(new Date('2026-07-01T00:00:00Z'));
    const submitted = await submitRequest(db.database, keys, start, validRequest(start));
    const itemId = submitted.items[0].id;
    const config = loadConfig({}, { escalationEveryMs: 60_000, retentionEveryMs: HOUR_MS });
    const worker = createWorker({ config, database: db.database, clock: start, keys, platform: new PlatformRuntime(db.database, config.platform) });
    await worker.schedulePeriodic();
    const levelAfter = async (hours: number) => {
      start.set(new Date(Date.parse('2026-07-01T00:00:00Z') + hours * HOUR_MS));
      await worker.drain();
      const row = await db.database.transaction((tx) => tx.selectFrom('items').select(['escalation_level', 'breached_at']).where('id', '=', itemId).executeTakeFirstOrThrow());
      return row;
    };
    expect((await levelAfter(23)).escalation_level).toBe(0);
    expect((await levelAfter(24)).escalation_level).toBe(1);
    expect((await levelAfter(36)).escalation_level).toBe(2);
    expect((await levelAfter(47.9)).breached_at).toBeNull();
    expect((await levelAfter(48.1)).breached_at).not.toBeNull();
    const actions = await db.database.transaction((tx) => tx.selectFrom('audit_events').select(['action', 'reason']).where('item_id', '=', itemId).orderBy('seq').execute());
    expect(actions.filter((a) => a.action === 'item.escalated')).toHaveLength(2);
    expect(actions.filter((a) => a.action === 'item.deadline_breached')).toHaveLength(1);
    const queue = await reviewQueue(db.database, start, true, { limit: 5, offset: 0 });
    expect(queue[0].breached).toBe(true);
  });

  it('runs each job exactly once with two workers at the same time, and retries a failing job later', async () => {
    const ran: number[] = [];
    const now = clock.now();
    await db.database.transaction((tx) => enqueueJobs(tx, now, Array.from({ length: 20 }, (_, i) => ({ kind: 'test.once', payload: { n: i }, runAt: now }))));
    const make = () => new Worker({ database: db.database, clock, pollMs: 10, handlers: { 'test.once': async (_tx, job) => void ran.push(job.payload.n as number) } });
    await Promise.all([make().drain(), make().drain()]);
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));

    await db.database.transaction((tx) => enqueueJobs(tx, now, [{ kind: 'test.fails', runAt: now }]));
    const failing = new Worker({
      database: db.database,
      clock,
      pollMs: 10,
      handlers: {
        'test.fails': async (tx) => {
          await tx.insertInto('guess_failures').values({ counter: JOB_WORK, failures: 1, last_failure_at: now }).execute();
          throw new Error('platform unreachable');
        },
      },
    });
    expect(await failing.drain()).toBe(1);
    const job = await db.database.transaction((tx) => tx.selectFrom('jobs').selectAll().where('kind', '=', 'test.fails').executeTakeFirstOrThrow());
    expect(job).toMatchObject({ attempts: 1, last_error: 'platform unreachable', done_at: null });
    expect(job.run_at.getTime()).toBeGreaterThan(now.getTime());
    const work = await db.database.transaction((tx) => tx.selectFrom('guess_failures').selectAll().where('counter', '=', JOB_WORK).execute());
    expect(work).toEqual([]);
  });

  it('claims a locked job for nobody else (FOR UPDATE SKIP LOCKED)', async () => {
    if (db.database.kind === 'pglite') {
      // One connection: claims are serialised; the claim is still skipped once done.
      const now = clock.now();
      await db.database.transaction((tx) => enqueueJobs(tx, now, [{ kind: 'test.lock', runAt: now }]));
      const first = await db.database.transaction((tx) => claimDueJob(tx, now, ['test.lock']));
      expect(first?.kind).toBe('test.lock');
      return;
    }
    const now = clock.now();
    await db.database.transaction((tx) => enqueueJobs(tx, now, [{ kind: 'test.lock', runAt: now }]));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let claimedInFirst: unknown;
    const first = db.database.transaction(async (tx) => {
      claimedInFirst = await claimDueJob(tx, now, ['test.lock']);
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = await db.database.transaction((tx) => claimDueJob(tx, now, ['test.lock']));
    release();
    await first;
    expect(claimedInFirst).toBeDefined();
    expect(second).toBeUndefined();
  });

  it('deletes PII after the retention period and keeps the audit skeleton', async () => {
    const submitted = await submitRequest(db.database, keys, clock, validRequest(clock));
    expect((await withdrawCase(ctx, pinAttempt(submitted.caseNumber, submitted.pin))).kind).toBe('ok');
    const later = new ManualClock(new Date(clock.now().getTime() + 366 * DAY_MS));
    const config = loadConfig({}, {});
    const worker = createWorker({ config, database: db.database, clock: later, keys, platform: new PlatformRuntime(db.database, config.platform) });
    await worker.schedulePeriodic();
    await worker.drain();
    const row = await db.database.transaction((tx) => tx.selectFrom('cases').select(['pii', 'pii_deleted_at', 'state']).where('id', '=', submitted.caseId).executeTakeFirstOrThrow());
    expect(row.pii).toBeNull();
    expect(row.pii_deleted_at).not.toBeNull();
    expect(row.state).toBe('withdrawn');
    const item = await db.database.transaction((tx) => tx.selectFrom('items').select(['url', 'signals']).where('case_id', '=', submitted.caseId).executeTakeFirstOrThrow());
    expect(item.url).toBeNull();
    expect(JSON.parse(item.signals).md5).toMatch(/^[0-9a-f]{32}$/);
    const actions = await db.database.transaction((tx) => tx.selectFrom('audit_events').select('action').where('case_id', '=', submitted.caseId).execute());
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['case.received', 'case.withdrawn', 'pii.deleted']));
  });

  it('produces the compliance report from the stored items', async () => {
    const summary = await complianceReport(db.database, new ManualClock(new Date('2026-12-01T00:00:00Z')), new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'), 'test');
    expect(summary.itemsReceived).toBeGreaterThan(0);
    // One set of figures per clock; the items here are all on the US 48-hour clock.
    expect(summary.clocks.map((c) => [c.jurisdiction, c.clockHours])).toEqual([['US', 48]]);
    expect(summary.clocks[0].itemsRemoved).toBeGreaterThanOrEqual(1);
    expect(summary.clocks[0].breaches.length).toBeGreaterThanOrEqual(1);
  });

  it('stores no email, phone, name or statement in plain text (database dump)', async () => {
    let dump: string;
    if (db.database.kind === 'postgres') {
      dump = execFileSync('pg_dump', ['--no-owner', db.databaseUrl!], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    } else {
      const file = await pgDump({ pg: db.database.pglite! as never });
      dump = await file.text();
    }
    expect(dump).toContain('audit_events');
    expect(dump).toContain('https://platform.example.com/p/123'); // the dump really has the data
    for (const secret of [PII.name, PII.email, PII.phone, PII.statement, 'Marchetti', 'UNMISTAKABLE']) {
      expect(dump.includes(secret), `found "${secret}" in the dump`).toBe(false);
    }
  });

  it('audit verify passes on the intact chain and names the first altered and missing row', async () => {
    const report = await verifyAuditChain(db.database);
    expect(report).toMatchObject({ ok: true });
    expect(report.rows).toBeGreaterThan(10);
    const head = report.head!;
    expect(head.seq).toBe(report.rows);
    expect(await verifyAuditChain(db.database, head)).toMatchObject({ ok: true });

    // the newest row deleted: nothing is wrong inside the chain, but it no longer reaches the recorded head
    await db.database.transaction(async (tx) => {
      await sql`alter table audit_events disable trigger audit_events_no_update`.execute(tx);
      await sql`delete from audit_events where seq = ${head.seq}`.execute(tx);
      await sql`alter table audit_events enable trigger audit_events_no_update`.execute(tx);
    });
    expect(await verifyAuditChain(db.database)).toMatchObject({ ok: true, rows: head.seq - 1 });
    const truncated = await verifyAuditChain(db.database, head);
    expect(truncated.problem).toMatchObject({ kind: 'truncated', seq: head.seq });
    expect(truncated.problem?.message).toContain(`row ${head.seq} was deleted`);

    const env = { ...process.env, TAKEDOWN_SECRET_KEY: keys.pii.current.key.toString('base64'), DATABASE_URL: db.databaseUrl ?? '', TAKEDOWN_DATA_DIR: db.dataDir };
    const badHead = spawnSync(process.execPath, [cli, 'audit', 'verify', '--expect-head', 'latest'], { env, encoding: 'utf8' });
    expect(badHead.status).toBe(1);
    expect(badHead.stderr).toContain('--expect-head takes SEQ:HASH');
    const runVerify = async () => {
      // PGlite is one process's database: let the CLI open it, then reopen it here.
      if (db.database.kind === 'pglite') await db.database.close();
      const result = spawnSync(process.execPath, [cli, 'audit', 'verify', '--expect-head', `${head.seq}:${head.hash}`], { env, encoding: 'utf8' });
      if (db.database.kind === 'pglite') db = { ...db, database: await (await import('../src/store/database.ts')).openDatabase({ dataDir: db.dataDir }) };
      return result;
    };

    await db.database.transaction(async (tx) => {
      await sql`alter table audit_events disable trigger audit_events_no_update`.execute(tx);
      await sql`update audit_events set reason = 'edited afterwards' where seq = 7`.execute(tx);
      await sql`alter table audit_events enable trigger audit_events_no_update`.execute(tx);
    });
    const altered = await runVerify();
    expect(altered.status).toBe(2);
    expect(altered.stderr).toContain('Audit row 7 ');
    expect(altered.stderr).toContain('altered');

    await db.database.transaction(async (tx) => {
      await sql`alter table audit_events disable trigger audit_events_no_update`.execute(tx);
      await sql`delete from audit_events where seq between 3 and 4`.execute(tx);
      await sql`alter table audit_events enable trigger audit_events_no_update`.execute(tx);
    });
    // (in process: one CLI start per backend keeps the suite fast)
    const missing = await verifyAuditChain(db.database);
    expect(missing.problem?.message).toContain('rows 3–4 are missing');
  }, 120_000); // starts the CLI, which opens the database itself

  it('refuses ordinary updates and deletes of audit rows', async () => {
    await expect(db.database.transaction((tx) => sql`delete from audit_events where seq = 10`.execute(tx))).rejects.toThrow(/append-only/);
  });
});

// Keeps the fixture file honest: the dump test relies on these values being in the request.
it('fixture PII is distinctive', () => {
  expect(readFileSync(new URL(import.meta.resolve('@takedown/testing/requests')), 'utf8')).toContain(PII.email);
});
