import { randomUUID } from 'node:crypto';
import { signalTypes, type BankThresholds, type Clock, type SignalValues } from '@takedown/core';
import { sql } from 'kysely';
import { appendAudit } from '../store/audit-chain.ts';
import { publishConfirmedBankChanges } from '../store/exchange-feed.ts';
import type { ListedHash } from '../platform/hash-list.ts';
import type { BankEntry } from '../platform/bank-index.ts';
import type { OpenDatabase, Tx } from '../store/database.ts';
import type { BanksTable } from '../store/platform-schema.ts';
import { PlatformInputError } from './platform-accounts.ts';
import type { Selectable } from 'kysely';

export const CONFIRMED_BANK = 'confirmed';
/** Each followed source fills a bank of its own, named after it (services/exchange-sources.ts). */
export const FEED_BANK_PREFIX = 'feed.';
const BANK_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export function bankEntry(row: Selectable<BanksTable>): BankEntry {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    enabled: row.enabled,
    thresholds: bankThresholds(row.thresholds),
    ...(row.follow_trust && { followed: { source: row.name.slice(FEED_BANK_PREFIX.length), trust: row.follow_trust } }),
  };
}

/**
 * A bank's stored thresholds over the registered types' defaults. Stored values were checked on the way in;
 * should a type's rules have tightened since, its defaults stand in until an administrator sets it again.
 */
function bankThresholds(stored: BankThresholds): BankThresholds {
  const merged = signalTypes.mergeThresholds(stored);
  if (merged.ok) return merged.value;
  const defaults = signalTypes.defaultThresholds();
  for (const type of signalTypes.all()) {
    const one = signalTypes.mergeThresholds({ [type.name]: stored[type.name] ?? {} });
    if (one.ok) defaults[type.name] = one.value[type.name];
  }
  return defaults;
}

export async function listBanks(database: OpenDatabase): Promise<(BankEntry & { hashes: number })[]> {
  return database.transaction(async (tx) => {
    const banks = await tx.selectFrom('banks').selectAll().orderBy('name').execute();
    const counts = await tx.selectFrom('bank_hashes').select(['bank_id', (eb) => eb.fn.countAll<string>().as('n')]).where('removed_at', 'is', null).groupBy('bank_id').execute();
    return banks.map((b) => ({ ...bankEntry(b), hashes: Number(counts.find((c) => c.bank_id === b.id)?.n ?? 0) }));
  });
}

async function findBank(tx: Tx, name: string): Promise<Selectable<BanksTable> | undefined> {
  return tx.selectFrom('banks').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Creates an imported bank if it does not exist yet; the confirmed bank exists from the start. */
export async function ensureBank(database: OpenDatabase, clock: Clock, name: string, actor: string, description = ''): Promise<BankEntry> {
  if (!BANK_NAME.test(name)) throw new PlatformInputError('bank', 'A bank name is 1–63 lowercase letters, digits, dots, dashes or underscores.');
  const now = clock.now();
  return database.transaction(async (tx) => {
    const existing = await findBank(tx, name);
    if (existing) return bankEntry(existing);
    const row = await tx
      .insertInto('banks')
      .values({ id: randomUUID(), name, description, kind: 'imported', created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(tx, now, [{ actor, action: 'bank.created', data: { bank: name } }]);
    return bankEntry(row);
  });
}

/** Changes a bank's thresholds or enables/disables it; every change is audited with the old and new values. */
export async function updateBank(
  database: OpenDatabase,
  clock: Clock,
  name: string,
  change: { enabled?: boolean; thresholds?: BankThresholds },
  actor: string,
): Promise<BankEntry> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const row = await findBank(tx, name);
    if (!row) throw new PlatformInputError('bank', `There is no bank named "${name}".`);
    const before = bankEntry(row);
    const merged = signalTypes.mergeThresholds(before.thresholds, change.thresholds);
    if (!merged.ok) throw new PlatformInputError(`thresholds.${merged.problems[0].field}`, merged.problems[0].message);
    const thresholds = merged.value;
    const updated = await tx
      .updateTable('banks')
      .set({
        enabled: change.enabled ?? before.enabled,
        thresholds: JSON.stringify(thresholds),
        updated_at: now,
        change_xid: sql`pg_current_xact_id()`,
      } as never)
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = bankEntry(updated);
    await appendAudit(tx, now, [{ actor, action: 'bank.updated', data: { bank: name, before: { enabled: before.enabled, thresholds: before.thresholds }, after: { enabled: after.enabled, thresholds: after.thresholds } } }]);
    return after;
  });
}

/** Adds hashes to a bank; ones already in it are counted, not added twice. */
export async function addBankHashes(
  database: OpenDatabase,
  clock: Clock,
  name: string,
  hashes: ListedHash[],
  actor: string,
): Promise<{ added: number; alreadyPresent: number }> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const bank = await importBank(tx, name);
    let added = 0;
    // Chunks keep each statement's parameter count well under PostgreSQL's limit of 65 535.
    for (let i = 0; i < hashes.length; i += 5000) {
      added += (await insertBankRows(tx, bankRows(bank.id, hashes.slice(i, i + 5000), null, now))).length;
    }
    await appendAudit(tx, now, [{ actor, action: 'bank.imported', data: { bank: name, added, alreadyPresent: hashes.length - added } }]);
    return { added, alreadyPresent: hashes.length - added };
  });
}

/**
 * Adds one piece of content's signals to a bank (HMA's `POST /c/bank/<bank>/signal`) and returns its id: the
 * lowest bank_hashes id among its signals, the row already there for a signal the bank holds, so adding the
 * same hash twice gives the same id and one row.
 */
export async function addContentSignals(
  database: OpenDatabase,
  clock: Clock,
  name: string,
  signals: ListedHash[],
  actor: string,
): Promise<{ id: number; added: number }> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const bank = await importBank(tx, name);
    const rows = bankRows(bank.id, signals, null, now);
    const added = (await insertBankRows(tx, rows)).length;
    const live = await tx
      .selectFrom('bank_hashes')
      .select('id')
      .where('bank_id', '=', bank.id)
      .where('item_id', 'is', null)
      .where('removed_at', 'is', null)
      .where('exchange_entry', 'is', null)
      .where((eb) => eb.or(rows.map((r) => eb.and([eb('signal', '=', r.signal), eb('hash', '=', r.hash)]))))
      .execute();
    await appendAudit(tx, now, [{ actor, action: 'bank.imported', data: { bank: name, added, alreadyPresent: signals.length - added } }]);
    return { id: Math.min(...live.map((r) => Number(r.id))), added };
  });
}

/** When the newest live hash of each signal type was added, across all banks (HMA's index status). */
export async function newestBankHashes(database: OpenDatabase): Promise<Map<string, Date>> {
  return database.transaction(async (tx) => {
    const rows = await tx
      .selectFrom('bank_hashes')
      .select(['signal', (eb) => eb.fn.max('added_at').as('newest')])
      .where('removed_at', 'is', null)
      .groupBy('signal')
      .execute();
    return new Map(rows.map((r) => [r.signal, new Date(r.newest)]));
  });
}

/** The confirmed bank is filled by reviewers' decisions only: lists and platforms add to banks of their own. */
export class ConfirmedBankError extends PlatformInputError {
  constructor() {
    super('bank', 'The confirmed bank holds the hashes of confirmed items only; import lists into a bank of their own.');
  }
}

/** The bank `name` for hashes from outside: it must exist and must not be the confirmed bank. */
async function importBank(tx: Tx, name: string): Promise<Selectable<BanksTable>> {
  const bank = await findBank(tx, name);
  if (!bank) throw new PlatformInputError('bank', `There is no bank named "${name}".`);
  if (bank.kind === 'confirmed') throw new ConfirmedBankError();
  return bank;
}

function bankRows(bankId: string, hashes: ListedHash[], itemId: string | null, now: Date) {
  return hashes.map((h) => ({ bank_id: bankId, signal: h.signal, ...signalTypes.toBankRow(h.signal, h.value), item_id: itemId, added_at: now, removed_at: null }));
}

/** Inserts bank rows, leaving out any the bank holds already (live, same signal, hash and item); returns the new rows. */
function insertBankRows(tx: Tx, rows: ReturnType<typeof bankRows>) {
  return tx
    .insertInto('bank_hashes')
    .values(rows)
    .onConflict((oc) => oc.columns(['bank_id', 'signal', 'hash', 'item_id']).where('removed_at', 'is', null).where('exchange_entry', 'is', null).doNothing())
    .returning(['id', 'signal', 'hash'])
    .execute();
}

/** Removes hashes from a bank (a partner withdrew them); returns how many were there. */
export async function removeBankHashes(database: OpenDatabase, clock: Clock, name: string, hashes: ListedHash[], actor: string): Promise<number> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const bank = await findBank(tx, name);
    if (!bank) throw new PlatformInputError('bank', `There is no bank named "${name}".`);
    let removed = 0;
    for (const h of hashes) {
      const result = await tx
        .updateTable('bank_hashes')
        .set({ removed_at: now, change_xid: sql`pg_current_xact_id()` } as never)
        .where('bank_id', '=', bank.id)
        .where('signal', '=', h.signal)
        .where('hash', '=', signalTypes.toBankRow(h.signal, h.value).hash)
        .where('removed_at', 'is', null)
        // A bank of this deployment's own: its rows are in bank_hashes_live (migrations/029-followed-hash-key.ts).
        .$if(!bank.follow_trust, (qb) => qb.where('exchange_entry', 'is', null))
        .executeTakeFirst();
      removed += Number(result.numUpdatedRows);
    }
    await appendAudit(tx, now, [{ actor, action: 'bank.hashes_removed', data: { bank: name, removed } }]);
    return removed;
  });
}

export async function exportBankHashes(database: OpenDatabase, name: string): Promise<ListedHash[]> {
  return database.transaction(async (tx) => {
    const bank = await findBank(tx, name);
    if (!bank) throw new PlatformInputError('bank', `There is no bank named "${name}".`);
    const rows = await tx
      .selectFrom('bank_hashes')
      .select(['signal', 'hash', 'value'])
      .distinct()
      .where('bank_id', '=', bank.id)
      .where('removed_at', 'is', null)
      .$if(!bank.follow_trust, (qb) => qb.where('exchange_entry', 'is', null))
      .orderBy('signal')
      .orderBy('hash')
      .execute();
    const hashes: ListedHash[] = [];
    for (const r of rows) {
      const value = signalTypes.fromBankRow({ signal: r.signal, hash: r.hash.trim(), value: r.value });
      if (value !== undefined) hashes.push({ signal: r.signal, value });
    }
    return hashes;
  });
}

/** Files a confirmed item's signals in the confirmed bank, inside the confirming transaction. */
export async function bankConfirmedItem(tx: Tx, now: Date, item: { id: string; signals: SignalValues }): Promise<number> {
  const bank = await findBank(tx, CONFIRMED_BANK);
  if (!bank) throw new Error('The confirmed bank is missing: the platform migration did not run.');
  const signals = Object.entries(item.signals)
    .filter(([signal, value]) => value !== undefined && signalTypes.get(signal) !== undefined)
    .map(([signal, value]) => ({ signal, value }));
  if (signals.length === 0) return 0;
  const inserted = await insertBankRows(tx, bankRows(bank.id, signals, item.id, now));
  // Followers of this deployment's feed learn of it in the same commit.
  await publishConfirmedBankChanges(tx, now, inserted);
  return inserted.length;
}

/** Takes an item's hashes out of every bank (item declined after confirmation, or withdrawn). */
export async function unbankItem(tx: Tx, now: Date, itemId: string): Promise<number> {
  const result = await tx
    .updateTable('bank_hashes')
    .set({ removed_at: now, change_xid: sql`pg_current_xact_id()` } as never)
    .where('item_id', '=', itemId)
    .where('removed_at', 'is', null)
    .returning(['signal', 'hash'])
    .execute();
  // A hash no longer confirmed here is withdrawn from the feed (unless another confirmed item still holds it).
  await publishConfirmedBankChanges(tx, now, result);
  return result.length;
}
