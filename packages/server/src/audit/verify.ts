import type { OpenDatabase } from '../store/database.ts';
import { GENESIS_HASH, rowDigest, toAuditRow } from './chain.ts';

export type ChainProblem =
  | { kind: 'missing'; seq: number; message: string }
  | { kind: 'altered'; seq: number; message: string };

export interface ChainReport {
  ok: boolean;
  rows: number;
  /** The first problem found, walking from the oldest row. */
  problem?: ChainProblem;
}

const PAGE = 5_000;

/**
 * Recomputes the chain from the first row. A row whose content no longer matches its hash is "altered"; a
 * gap in the sequence means "missing" rows; a row rewritten with a fresh hash breaks its successor's link.
 * (Deleting the newest rows leaves no trace inside the chain; export the head hash to detect that.)
 */
export async function verifyAuditChain(database: OpenDatabase): Promise<ChainReport> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let rows = 0;
  for (;;) {
    const page = await database.transaction((tx) =>
      tx.selectFrom('audit_events').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(PAGE).execute(),
    );
    for (const raw of page) {
      const row = toAuditRow(raw);
      if (row.seq !== expectedSeq) {
        const missing = row.seq - expectedSeq === 1 ? `row ${expectedSeq} is` : `rows ${expectedSeq}–${row.seq - 1} are`;
        return { ok: false, rows, problem: { kind: 'missing', seq: expectedSeq, message: `Audit ${missing} missing (the next row present is ${row.seq}).` } };
      }
      if (row.prevHash !== prevHash) {
        // Sequence numbers are contiguous, so the row before was rewritten together with its hash (the next
        // row still points at the original); for row 1, its own link to the start of the chain was changed.
        const altered = Math.max(1, row.seq - 1);
        return { ok: false, rows, problem: { kind: 'altered', seq: altered, message: `Audit row ${altered} was altered: row ${row.seq} no longer links to it.` } };
      }
      if (rowDigest(prevHash, row) !== row.hash) {
        return { ok: false, rows, problem: { kind: 'altered', seq: row.seq, message: `Audit row ${row.seq} (${row.action}) was altered: its content no longer matches its hash.` } };
      }
      prevHash = row.hash;
      expectedSeq += 1;
      rows += 1;
    }
    if (page.length < PAGE) return { ok: true, rows };
  }
}
