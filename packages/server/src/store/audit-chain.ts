import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { canonicalJson } from '@takedown/core';
import type { Tx } from './database.ts';

/** What happened, who did it and why. `data` holds no PII: it survives retention as the audit skeleton. */
export interface AuditEntry {
  /** `system`, `requester:<case number>`, `staff:<username>`, `platform:<key id>`. */
  actor: string;
  /** Dotted verb, e.g. `case.received`, `item.confirmed`, `staff.login`. */
  action: string;
  caseId?: string | null;
  itemId?: string | null;
  reason?: string | null;
  data?: Record<string, unknown>;
}

export interface AuditRow {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  caseId: string | null;
  itemId: string | null;
  reason: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
/** Serialises appends to the chain across connections and processes (PostgreSQL advisory lock id). */
const CHAIN_LOCK = 74657302;

/** The exact bytes a row's hash covers: everything but the hashes, in canonical JSON. */
export function rowDigest(prevHash: string, row: Omit<AuditRow, 'prevHash' | 'hash'>): string {
  const body = canonicalJson({
    seq: row.seq,
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    caseId: row.caseId,
    itemId: row.itemId,
    reason: row.reason,
    data: row.data,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

/**
 * Appends events to the chain inside the caller's transaction, so the event commits if and only if the change
 * it records commits. Call it last in a transaction: the chain lock is held until commit, and holding it
 * briefly is what lets concurrent requests through quickly.
 */
export async function appendAudit(tx: Tx, at: Date, entries: AuditEntry[]): Promise<AuditRow[]> {
  if (entries.length === 0) return [];
  await sql`select pg_advisory_xact_lock(${sql.lit(CHAIN_LOCK)})`.execute(tx);
  const last = await tx.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let seq = last ? Number(last.seq) : 0;
  let prevHash = last ? last.hash : GENESIS_HASH;
  // Milliseconds only: the timestamp must read back exactly as it was hashed.
  const when = new Date(Math.floor(at.getTime()));
  const rows: AuditRow[] = [];
  for (const entry of entries) {
    seq += 1;
    const row = {
      seq,
      at: when,
      actor: entry.actor,
      action: entry.action,
      caseId: entry.caseId ?? null,
      itemId: entry.itemId ?? null,
      reason: entry.reason ?? null,
      data: entry.data ?? {},
    };
    const hash = rowDigest(prevHash, row);
    rows.push({ ...row, prevHash, hash });
    prevHash = hash;
  }
  await tx
    .insertInto('audit_events')
    .values(
      rows.map((row) => ({
        seq: row.seq,
        at: row.at,
        actor: row.actor,
        action: row.action,
        case_id: row.caseId,
        item_id: row.itemId,
        reason: row.reason,
        data: JSON.stringify(row.data),
        prev_hash: row.prevHash,
        hash: row.hash,
      })),
    )
    .execute();
  return rows;
}

export function toAuditRow(row: {
  seq: number | string | bigint;
  at: Date;
  actor: string;
  action: string;
  case_id: string | null;
  item_id: string | null;
  reason: string | null;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}): AuditRow {
  return {
    seq: Number(row.seq),
    at: new Date(row.at),
    actor: row.actor,
    action: row.action,
    caseId: row.case_id,
    itemId: row.item_id,
    reason: row.reason,
    data: row.data,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
