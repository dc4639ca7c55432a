import { createHash } from 'node:crypto';
import { signalTypes } from '@takedown/core';
import type { StopNciiFeedbackValue } from '../net/stopncii-api.ts';
import type { IncomingHash } from '../store/exchange-follow.ts';

/** hashStatus values (`StopNCIICaseStatus`) that python-threatexchange marks "should be deleted by client". */
const REMOVE = new Set(['Withdrawn', 'Deleted']);
/** hashStatus values of a live hash: Received (the initial state) and Active. */
const KEEP = new Set(['Received', 'Active']);

/**
 * The opaque id a StopNCII hash gets in its bank (`bank_hashes.exchange_entry`): StopNCII has no id of its
 * own, so it is derived from the signal type and the hash, the same on every fetch and every replica.
 */
export function stopNciiEntryId(signal: string, hash: string): string {
  const b = createHash('sha256').update(`stopncii\n${signal}\n${hash}`).digest();
  b[6] = (b[6] & 0x0f) | 0x80; // version 8: custom
  b[8] = (b[8] & 0x3f) | 0x80; // RFC 9562 variant
  const hex = b.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * StopNCII hash records in bank-row form: the type by its StopNCII name (ImagePDQ → pdq, VideoMD5 → md5,
 * URL → url), the value read by that type, Withdrawn and Deleted as removals. Case numbers and CSP feedback
 * are not kept; a later record of a hash in the same page wins. A record that does not read (an unknown type
 * such as VideoTMK, a bad hash, an Unknown status, a missing field) is counted as rejected and left out.
 */
export function incomingStopNcii(records: readonly unknown[]): { hashes: IncomingHash[]; rejected: number } {
  // Records are snapshots of a hash, not events: the later one stands.
  const latest = new Map<string, IncomingHash>();
  let rejected = 0;
  for (const record of records) {
    const hash = incomingRecord(record);
    if (!hash) rejected += 1;
    else {
      latest.delete(hash.entryId);
      latest.set(hash.entryId, hash);
    }
  }
  return { hashes: [...latest.values()], rejected };
}

function incomingRecord(record: unknown): IncomingHash | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const { signalType, hashValue, hashStatus } = record as Record<string, unknown>;
  if (typeof signalType !== 'string' || typeof hashValue !== 'string' || typeof hashStatus !== 'string') return undefined;
  if (!REMOVE.has(hashStatus) && !KEEP.has(hashStatus)) return undefined;
  const type = signalTypes.byExternalName('stopncii', signalType);
  const read = type?.parseText(hashValue.trim());
  if (!type || !read?.ok) return undefined;
  const row = signalTypes.toBankRow(type.name, read.value);
  return { entryId: stopNciiEntryId(type.name, row.hash), signal: type.name, hash: row.hash, value: row.value, quality: row.quality, status: REMOVE.has(hashStatus) ? 'withdrawn' : 'active' };
}

/** A reviewer's verdict on a match, as StopNCII's feedback value: confirmed → Blocked, false positive → NotBlocked. */
export function stopNciiFeedbackValue(verdict: 'confirmed' | 'false_positive'): StopNciiFeedbackValue {
  return verdict === 'confirmed' ? 'Blocked' : 'NotBlocked';
}
