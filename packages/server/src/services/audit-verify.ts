import type { OpenDatabase } from '../store/database.ts';
import { GENESIS_HASH, rowDigest, toAuditRow } from '../store/audit-chain.ts';

export type ChainProblem =
  | { kind: 'missing'; seq: number; message: string }
  | { kind: 'altered'; seq: number; message: string }
  | { kind: 'truncated'; seq: number; message: string };

/** The newest row of the chain: kept outside the database, it shows later whether newer rows were deleted. */
export interface AuditHead {
  seq: number;
  hash: string;
}

export interface ChainReport {
  ok: boolean;
  rows: number;
  /** The last intact row (null for an empty log). */
  head: AuditHead | null;
  /** The first problem found, walking from the oldest row. */
  problem?: ChainProblem;
}

/** Reads a head written as `SEQ:HASH` (what `takedown audit verify` prints); undefined if malformed. */
export function parseAuditHead(text: string): AuditHead | undefined {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  return match ? { seq: Number(match[1]), hash: match[2] } : undefined;
}

export function formatAuditHead(head: AuditHead): string {
  return `${head.seq}:${head.hash}`;
}

const PAGE = 5_000;

/**
 * Recomputes the chain from the first row. A row whose content no longer matches its hash is "altered"; a
 * gap in the sequence means "missing" rows; a row rewritten with a fresh hash breaks its successor's link.
 * Deleting the newest rows leaves no trace inside the chain: given a head recorded earlier (`recorded`), the
 * chain must still reach it with the same hash, else it was "truncated" (or rewritten from there).
 */
export async function verifyAuditChain(database: OpenDatabase, recorded?: AuditHead): Promise<ChainReport> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let rows = 0;
  const head = (): AuditHead | null => (rows === 0 ? null : { seq: rows, hash: prevHash });
  for (;;) {
    const page = await database.transaction((tx) =>
      tx.selectFrom('audit_events').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(PAGE).execute(),
    );
    for (const raw of page) {
      const row = toAuditRow(raw);
      if (row.seq !== expectedSeq) {
        const missing = row.seq - expectedSeq === 1 ? `row ${expectedSeq} is` : `rows ${expectedSeq}–${row.seq - 1} are`;
        return { ok: false, rows, head: head(), problem: { kind: 'missing', seq: expectedSeq, message: `Audit ${missing} missing (the next row present is ${row.seq}).` } };
      }
      if (row.prevHash !== prevHash) {
        // Sequence numbers are contiguous, so the row before was rewritten together with its hash (the next
        // row still points at the original); for row 1, its own link to the start of the chain was changed.
        const altered = Math.max(1, row.seq - 1);
        return { ok: false, rows, head: head(), problem: { kind: 'altered', seq: altered, message: `Audit row ${altered} was altered: row ${row.seq} no longer links to it.` } };
      }
      if (rowDigest(prevHash, row) !== row.hash) {
        return { ok: false, rows, head: head(), problem: { kind: 'altered', seq: row.seq, message: `Audit row ${row.seq} (${row.action}) was altered: its content no longer matches its hash.` } };
      }
      if (recorded !== undefined && row.seq === recorded.seq && row.hash !== recorded.hash) {
        return { ok: false, rows, head: head(), problem: { kind: 'altered', seq: row.seq, message: `Audit row ${row.seq} is not the row recorded as the head (hash ${row.hash.slice(0, 12)}…, recorded ${recorded.hash.slice(0, 12)}…): the log was rewritten from there.` } };
      }
      prevHash = row.hash;
      expectedSeq += 1;
      rows += 1;
    }
    if (page.length < PAGE) {
      if (recorded !== undefined && rows < recorded.seq) {
        const deleted = recorded.seq === rows + 1 ? `row ${recorded.seq} was` : `rows ${rows + 1}–${recorded.seq} were`;
        return { ok: false, rows, head: head(), problem: { kind: 'truncated', seq: rows + 1, message: `The audit log ends at row ${rows}, but row ${recorded.seq} was recorded as its head: ${deleted} deleted.` } };
      }
      return { ok: true, rows, head: head() };
    }
  }
}
