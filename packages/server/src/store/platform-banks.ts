import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '@takedown/core';
import { sql } from 'kysely';
import { appendAudit } from '../audit/chain.ts';
import { checkThresholds, type BankThresholds } from '../platform/bank-thresholds.ts';
import type { ListedHash } from '../platform/hash-list.ts';
import type { BankEntry } from '../platform/bank-index.ts';
import type { OpenDatabase, Tx } from './database.ts';
import { platformTx, type BanksTable } from './platform-schema.ts';
import { PlatformInputError } from './platform-accounts.ts';
import type { Selectable } from 'kysely';

export const CONFIRMED_BANK = 'confirmed';
const BANK_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export function bankEntry(row: Selectable<BanksTable>): BankEntry {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    enabled: row.enabled,
    thresholds: {
      pdqBlockBits: row.pdq_block_bits,
      pdqReviewBits: row.pdq_review_bits,
      md5BlockBits: row.md5_block_bits,
      sha256BlockBits: row.sha256_block_bits,
      vpdqMatchPercent: row.vpdq_match_percent,
    },
  };
}

export async function listBanks(database: OpenDatabase): Promise<(BankEntry & { hashes: number })[]> {
  return database.transaction(async (raw) => {
    const tx = platformTx(raw);
    const banks = await tx.selectFrom('banks').selectAll().orderBy('name').execute();
    const counts = await tx.selectFrom('bank_hashes').select(['bank_id', (eb) => eb.fn.countAll<string>().as('n')]).where('removed_at', 'is', null).groupBy('bank_id').execute();
    return banks.map((b) => ({ ...bankEntry(b), hashes: Number(counts.find((c) => c.bank_id === b.id)?.n ?? 0) }));
  });
}

async function findBank(tx: Tx, name: string): Promise<Selectable<BanksTable> | undefined> {
  return platformTx(tx).selectFrom('banks').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Creates an imported bank if it does not exist yet; the confirmed bank exists from the start. */
export async function ensureBank(database: OpenDatabase, clock: Clock, name: string, actor: string, description = ''): Promise<BankEntry> {
  if (!BANK_NAME.test(name)) throw new PlatformInputError('bank', 'A bank name is 1–63 lowercase letters, digits, dots, dashes or underscores.');
  const now = clock.now();
  return database.transaction(async (raw) => {
    const existing = await findBank(raw, name);
    if (existing) return bankEntry(existing);
    const row = await platformTx(raw)
      .insertInto('banks')
      .values({ id: randomUUID(), name, description, kind: 'imported', created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(raw, now, [{ actor, action: 'bank.created', data: { bank: name } }]);
    return bankEntry(row);
  });
}

/** Changes a bank's thresholds or enables/disables it; every change is audited with the old and new values. */
export async function updateBank(
  database: OpenDatabase,
  clock: Clock,
  name: string,
  change: { enabled?: boolean; thresholds?: Partial<BankThresholds> },
  actor: string,
): Promise<BankEntry> {
  const now = clock.now();
  return database.transaction(async (raw) => {
    const row = await findBank(raw, name);
    if (!row) throw new PlatformInputError('bank', `There is no bank named "${name}".`);
    const before = bankEntry(row);
    const thresholds = { ...before.thresholds, ...change.thresholds };
    const problems = checkThresholds(thresholds);
    if (problems.length > 0) throw new PlatformInputError(problems[0].field, problems[0].message);
    const updated = await platformTx(raw)
      .updateTable('banks')
      .set({
        enabled: change.enabled ?? before.enabled,
        pdq_block_bits: thresholds.pdqBlockBits,
        pdq_review_bits: thresholds.pdqReviewBits,
        md5_block_bits: thresholds.md5BlockBits,
        sha256_block_bits: thresholds.sha256BlockBits,
        vpdq_match_percent: thresholds.vpdqMatchPercent,
        updated_at: now,
        change_xid: sql`pg_current_xact_id()`,
      } as never)
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = bankEntry(updated);
    await appendAudit(raw, now, [{ actor, action: 'bank.updated', data: { bank: name, before: { enabled: before.enabled, ...before.thresholds }, after: { enabled: after.enabled, ...after.thresholds } } }]);
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
  return database.transaction(async (raw) => {
    const bank = await findBank(raw, name);
    if (!bank) throw new PlatformInputError('bank', `There is no bank named "${name}".`);
    if (bank.kind === 'confirmed') throw new PlatformInputError('bank', 'The confirmed bank holds the hashes of confirmed items only; import lists into a bank of their own.');
    let added = 0;
    // Chunks keep each statement's parameter count well under PostgreSQL's limit of 65 535.
    for (let i = 0; i < hashes.length; i += 5000) {
      const chunk = hashes.slice(i, i + 5000);
      const rows = await platformTx(raw)
        .insertInto('bank_hashes')
        .values(chunk.map((h) => ({ bank_id: bank.id, signal: h.signal, hash: h.hash, quality: null, item_id: null, added_at: now, removed_at: null })))
        .onConflict((oc) => oc.columns(['bank_id', 'signal', 'hash', 'item_id']).where('removed_at', 'is', null).doNothing())
        .returning('id')
        .execute();
      added += rows.length;
    }
    await appendAudit(raw, now, [{ actor, action: 'bank.imported', data: { bank: name, added, alreadyPresent: hashes.length - added } }]);
    return { added, alreadyPresent: hashes.length - added };
  });
}

/** Removes hashes from a bank (a partner withdrew them); returns how many were there. */
export async function removeBankHashes(database: OpenDatabase, clock: Clock, name: string, hashes: ListedHash[], actor: string): Promise<number> {
  const now = clock.now();
  return database.transaction(async (raw) => {
    const bank = await findBank(raw, name);
    if (!bank) throw new PlatformInputError('bank', `There is no bank named "${name}".`);
    let removed = 0;
    for (const h of hashes) {
      const result = await platformTx(raw)
        .updateTable('bank_hashes')
        .set({ removed_at: now, change_xid: sql`pg_current_xact_id()` } as never)
        .where('bank_id', '=', bank.id)
        .where('signal', '=', h.signal)
        .where('hash', '=', h.hash)
        .where('removed_at', 'is', null)
        .executeTakeFirst();
      removed += Number(result.numUpdatedRows);
    }
    await appendAudit(raw, now, [{ actor, action: 'bank.hashes_removed', data: { bank: name, removed } }]);
    return removed;
  });
}

export async function exportBankHashes(database: OpenDatabase, name: string): Promise<ListedHash[]> {
  return database.transaction(async (raw) => {
    const bank = await findBank(raw, name);
    if (!bank) throw new PlatformInputError('bank', `There is no bank named "${name}".`);
    const rows = await platformTx(raw).selectFrom('bank_hashes').select(['signal', 'hash']).distinct().where('bank_id', '=', bank.id).where('removed_at', 'is', null).where('signal', '!=', 'vpdq').orderBy('signal').orderBy('hash').execute();
    // Hash-list formats hold one hex string per hash: vPDQ frame lists are not exported in them.
    return rows.map((r) => ({ signal: r.signal as ListedHash['signal'], hash: r.hash }));
  });
}

/**
 * Files a confirmed item's hashes in the confirmed bank, inside the confirming transaction. A video's vPDQ
 * (`vpdq`, its frames as JSON text) is one row: `hash` is the SHA-256 of the frames, `frames` the frames.
 */
export async function bankConfirmedItem(
  tx: Tx,
  now: Date,
  item: { id: string; pdq: string | null; pdq_quality: number | null; md5: string | null; sha256: string | null; vpdq?: string | null },
): Promise<number> {
  const bank = await findBank(tx, CONFIRMED_BANK);
  if (!bank) throw new Error('The confirmed bank is missing: the platform migration did not run.');
  const rows: { signal: 'pdq' | 'md5' | 'sha256' | 'vpdq'; hash: string; quality: number | null; frames: string | null }[] = [];
  if (item.pdq) rows.push({ signal: 'pdq', hash: item.pdq, quality: item.pdq_quality, frames: null });
  if (item.md5) rows.push({ signal: 'md5', hash: item.md5, quality: null, frames: null });
  if (item.sha256) rows.push({ signal: 'sha256', hash: item.sha256, quality: null, frames: null });
  if (item.vpdq) rows.push({ signal: 'vpdq', hash: createHash('sha256').update(item.vpdq).digest('hex'), quality: null, frames: item.vpdq });
  if (rows.length === 0) return 0;
  const inserted = await platformTx(tx)
    .insertInto('bank_hashes')
    .values(rows.map((r) => ({ bank_id: bank.id, signal: r.signal, hash: r.hash.trim(), quality: r.quality, frames: r.frames, item_id: item.id, added_at: now, removed_at: null })))
    .onConflict((oc) => oc.columns(['bank_id', 'signal', 'hash', 'item_id']).where('removed_at', 'is', null).doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

/** Takes an item's hashes out of every bank (item declined after confirmation, or withdrawn). */
export async function unbankItem(tx: Tx, now: Date, itemId: string): Promise<number> {
  const result = await platformTx(tx)
    .updateTable('bank_hashes')
    .set({ removed_at: now, change_xid: sql`pg_current_xact_id()` } as never)
    .where('item_id', '=', itemId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
