/**
 * A bank's thresholds, in bits (DESIGN.md §1, §4). An upload is blocked only when it is an exact or
 * near-exact copy of an item a reviewer confirmed; anything else within the review radius goes to a person.
 */
export interface BankThresholds {
  /** PDQ distance at or under which a match with a confirmed item blocks; -1: PDQ never blocks. At most 10. */
  pdqBlockBits: number;
  /** PDQ distance at or under which a match is reported for review. At most 31. */
  pdqReviewBits: number;
  /** 0: an identical MD5 of a confirmed item blocks; -1: it is only reviewed. */
  md5BlockBits: number;
  sha256BlockBits: number;
  /**
   * vPDQ: the share of frames (%) that must match both ways (the upload's frames found in the banked video
   * and the banked video's in the upload) for a video match to go to review. 1–100; a video never blocks on
   * its frames, only on identical bytes.
   */
  vpdqMatchPercent: number;
}

export const DEFAULT_BANK_THRESHOLDS: BankThresholds = { pdqBlockBits: 10, pdqReviewBits: 31, md5BlockBits: 0, sha256BlockBits: 0, vpdqMatchPercent: 80 };
export const MAX_PDQ_BLOCK_BITS = 10;

/** vPDQ's match options for a bank's share of frames, the same both ways (the query's and the banked video's). */
export function vpdqShareBothWays(percent: number): { queryMatchThresholdPercent: number; comparedMatchThresholdPercent: number } {
  return { queryMatchThresholdPercent: percent, comparedMatchThresholdPercent: percent };
}
export const MAX_PDQ_REVIEW_BITS = 31;

/** Problems with proposed thresholds, by field, in words that say what to change. */
export function checkThresholds(t: BankThresholds): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const whole = (v: number) => Number.isInteger(v);
  if (!whole(t.pdqBlockBits) || t.pdqBlockBits < -1 || t.pdqBlockBits > MAX_PDQ_BLOCK_BITS) {
    problems.push({ field: 'pdqBlockBits', message: `The PDQ block threshold is a whole number of bits from 0 to ${MAX_PDQ_BLOCK_BITS} (or -1 to never block): only near-exact copies may be blocked without a person.` });
  }
  if (!whole(t.pdqReviewBits) || t.pdqReviewBits < 0 || t.pdqReviewBits > MAX_PDQ_REVIEW_BITS) {
    problems.push({ field: 'pdqReviewBits', message: `The PDQ review threshold is a whole number of bits from 0 to ${MAX_PDQ_REVIEW_BITS}.` });
  } else if (t.pdqReviewBits < t.pdqBlockBits) {
    problems.push({ field: 'pdqReviewBits', message: 'The PDQ review threshold cannot be below the block threshold.' });
  }
  for (const field of ['md5BlockBits', 'sha256BlockBits'] as const) {
    if (t[field] !== 0 && t[field] !== -1) problems.push({ field, message: `${field} is 0 (an identical digest blocks) or -1 (never blocks).` });
  }
  if (!whole(t.vpdqMatchPercent) || t.vpdqMatchPercent < 1 || t.vpdqMatchPercent > 100) {
    problems.push({ field: 'vpdqMatchPercent', message: 'The vPDQ threshold is a whole percentage of frames from 1 to 100 (80 by default).' });
  }
  return problems;
}
