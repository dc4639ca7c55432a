import { ManualClock } from '@takedown/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/services/audit-verify.ts';
import { submitRequest, type SubmittedCase } from '../src/services/intake.ts';
import { addItems, withdrawCase, type RequesterContext } from '../src/services/requester-case.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { testKeys, testSharedCopies, validRequest, pinAttempt } from './helpers/fixtures.ts';

// A withdrawal and an addition to the same case at the same moment must leave the case as one of them alone
// would: either the addition comes first and the withdrawal stops every item, or the withdrawal comes first
// and the addition finds the case closed. Never a withdrawn case with new open items, or a reopened one.
describe.each(backends)('withdraw and add items at the same time on $name', (backend) => {
  let db: TestDatabase;
  const keys = testKeys();
  const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
  let ctx: RequesterContext;

  beforeAll(async () => {
    db = await backend.create();
    ctx = { database: db.database, keys, clock, sharedCopies: testSharedCopies(db.dataDir, keys) };
  });
  afterAll(async () => {
    await db?.drop();
  });

  const addition = { items: [{ url: 'https://platform.example.com/p/another-copy' }] };

  async function caseAndItems(caseId: string) {
    return db.database.transaction(async (tx) => ({
      caseRow: await tx.selectFrom('cases').select(['state', 'closed_at']).where('id', '=', caseId).executeTakeFirstOrThrow(),
      items: await tx.selectFrom('items').select('state').where('case_id', '=', caseId).execute(),
    }));
  }

  async function expectWithdrawnWithNothingOpen(submitted: SubmittedCase, itemCount: number) {
    const { caseRow, items } = await caseAndItems(submitted.caseId);
    expect(caseRow.state).toBe('withdrawn');
    expect(caseRow.closed_at).not.toBeNull();
    expect(items).toHaveLength(itemCount);
    expect(items.every((item) => item.state === 'withdrawn')).toBe(true);
    expect((await verifyAuditChain(db.database)).ok).toBe(true);
  }

  it('started together, in either order, leaves a withdrawn case with every item withdrawn', async () => {
    for (const withdrawFirst of [true, false]) {
      const submitted = await submitRequest(db.database, keys, clock, validRequest(clock));
      const withdraw = () => withdrawCase(ctx, pinAttempt(submitted.caseNumber, submitted.pin));
      const add = () => addItems(ctx, pinAttempt(submitted.caseNumber, submitted.pin), addition);
      const [withdrawn, added] = withdrawFirst ? await Promise.all([withdraw(), add()]) : (await Promise.all([add(), withdraw()])).reverse();
      expect(withdrawn.kind).toBe('ok');
      // Whichever came first, the case ends withdrawn; the addition either came in before it or found it closed.
      expect(added.kind === 'ok' || (added.kind === 'closed' && added.state === 'withdrawn')).toBe(true);
      await expectWithdrawnWithNothingOpen(submitted, added.kind === 'ok' ? 2 : 1);
    }
  });

  it('two withdrawals at once: one withdraws, the other finds the case closed, and closure is recorded once', async () => {
    const submitted = await submitRequest(db.database, keys, clock, validRequest(clock));
    const results = await Promise.all([withdrawCase(ctx, pinAttempt(submitted.caseNumber, submitted.pin)), withdrawCase(ctx, pinAttempt(submitted.caseNumber, submitted.pin))]);
    expect(results.map((r) => r.kind).sort()).toEqual(['closed', 'ok']);
    await expectWithdrawnOnce(submitted);
  });

  /** The case was withdrawn once: one case.withdrawn event, and closed_at (where retention counts from) not moved. */
  async function expectWithdrawnOnce(submitted: SubmittedCase) {
    await expectWithdrawnWithNothingOpen(submitted, 1);
    const events = await db.database.transaction((tx) => tx.selectFrom('audit_events').select('seq').where('case_id', '=', submitted.caseId).where('action', '=', 'case.withdrawn').execute());
    expect(events).toHaveLength(1);
  }

  // Only PostgreSQL runs transactions side by side (PGlite runs them one after another, so the interleaving
  // below cannot arise there): both requests pass the PIN check on the open case, then wait for its lock.
  if (backend.name === 'postgres') {
    it('an addition waiting behind a withdrawal finds the case closed (decided on the row read under the lock)', async () => {
      const submitted = await submitRequest(db.database, keys, clock, validRequest(clock));
      const { release, done } = await holdCaseLock(submitted.caseId);
      const withdrawing = withdrawCase(ctx, pinAttempt(submitted.caseNumber, submitted.pin));
      await waitForLockWaiters(1);
      const adding = addItems(ctx, pinAttempt(submitted.caseNumber, submitted.pin), addition);
      await waitForLockWaiters(2);
      release();
      await done;
      const [withdrawn, added] = await Promise.all([withdrawing, adding]);
      expect(withdrawn.kind).toBe('ok');
      expect(added).toEqual({ kind: 'closed', state: 'withdrawn' });
      await expectWithdrawnWithNothingOpen(submitted, 1);
    });
  }

  if (backend.name === 'postgres') {
    it('a withdrawal waiting behind another finds the case closed (decided on the row read under the lock)', async () => {
      const submitted = await submitRequest(db.database, keys, clock, validRequest(clock));
      const { release, done } = await holdCaseLock(submitted.caseId);
      const first = withdrawCase(ctx, pinAttempt(submitted.caseNumber, submitted.pin));
      await waitForLockWaiters(1);
      const second = withdrawCase(ctx, pinAttempt(submitted.caseNumber, submitted.pin));
      await waitForLockWaiters(2);
      release();
      await done;
      expect((await first).kind).toBe('ok');
      expect(await second).toEqual({ kind: 'closed', state: 'withdrawn' });
      await expectWithdrawnOnce(submitted);
    });
  }

  /** Holds the case's row lock in a transaction of its own until `release` is called. */
  async function holdCaseLock(caseId: string): Promise<{ release: () => void; done: Promise<void> }> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const done = db.database.transaction(async (tx) => {
      await tx.selectFrom('cases').select('id').where('id', '=', caseId).forUpdate().execute();
      locked();
      await released;
    });
    await isLocked;
    return { release, done };
  }

  /** Waits until `count` sessions of this database are waiting for a row lock. */
  async function waitForLockWaiters(count: number): Promise<void> {
    for (let attempt = 0; attempt < 500; attempt += 1) {
      const waiting = await db.database.transaction((tx) =>
        sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(tx),
      );
      if (waiting.rows[0].n >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`${count} sessions never waited for the case's lock`);
  }
});
