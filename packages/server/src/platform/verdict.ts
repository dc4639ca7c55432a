import { AUTO_ACTION_MIN_PDQ_QUALITY } from '@takedown/core';
import type { BankThresholds } from './bank-thresholds.ts';

export type Signal = 'pdq' | 'md5' | 'sha256' | 'vpdq';
export type Verdict = 'block' | 'review' | 'allow';

/** One hit of an upload in a bank, before the thresholds are applied. */
export interface BankHit {
  bankId: string;
  bankName: string;
  signal: Signal;
  /** Hamming distance for PDQ; 0 for an identical MD5 / SHA-256; for vPDQ the frame distance threshold used. */
  distance: number;
  /** vPDQ: the shares of frames that matched, both ways (a match needs both ≥ 80 % by default). */
  video?: { queryMatchPercent: number; comparedMatchPercent: number };
  /** The case item the banked hash came from; absent for hashes imported from partners. */
  itemId?: string;
  /** True when that item was confirmed by a reviewer (hashes of confirmed items only are in the 'confirmed' bank). */
  confirmedItem: boolean;
  thresholds: BankThresholds;
}

export interface CheckMatch {
  bank: string;
  itemId?: string;
  distance: number;
  signal: Signal;
  video?: { queryMatchPercent: number; comparedMatchPercent: number };
  /** vPDQ: the bank's share of frames (both ways) a video match needs; logged with the verdict. */
  videoMatchPercent?: number;
  /** What this match alone calls for, and the threshold that decided it. */
  action: 'block' | 'review';
  thresholdBits: number;
}

export interface CheckVerdict {
  verdict: Verdict;
  matches: CheckMatch[];
  /** For the log: why, with the thresholds used (DESIGN §1: every threshold used is logged). */
  explanation: string;
}

/** Decides what one hit calls for; undefined when it is beyond the bank's review threshold. */
export function actionFor(hit: BankHit, uploadQuality: number | undefined): { action: 'block' | 'review'; thresholdBits: number } | undefined {
  const t = hit.thresholds;
  // A vPDQ match goes to a person: frames can be shared by different videos (a clip, a still), so only the
  // identical bytes (MD5 / SHA-256) of a confirmed video are blocked without one.
  if (hit.signal === 'vpdq') return { action: 'review', thresholdBits: hit.distance };
  const blockBits = hit.signal === 'pdq' ? t.pdqBlockBits : hit.signal === 'md5' ? t.md5BlockBits : t.sha256BlockBits;
  const reviewBits = hit.signal === 'pdq' ? t.pdqReviewBits : 0;
  if (hit.distance > Math.max(reviewBits, blockBits)) return undefined;
  // Automatic action only on an (almost) identical copy of something a person confirmed (DESIGN §1), and
  // never on a PDQ hash too uniform to identify an image (§4: quality < 50).
  const trustworthy = hit.signal !== 'pdq' || (uploadQuality !== undefined && uploadQuality >= AUTO_ACTION_MIN_PDQ_QUALITY);
  if (hit.confirmedItem && trustworthy && hit.distance <= blockBits) return { action: 'block', thresholdBits: blockBits };
  return { action: 'review', thresholdBits: reviewBits };
}

/**
 * The verdict on an upload: block when any hit is an exact/near-exact copy of a confirmed item, review when
 * anything else is within a review threshold, allow otherwise. Matches are listed nearest first.
 */
export function decideVerdict(hits: BankHit[], uploadQuality: number | undefined): CheckVerdict {
  const matches: CheckMatch[] = [];
  for (const hit of hits) {
    const decided = actionFor(hit, uploadQuality);
    if (!decided) continue;
    const match: CheckMatch = { bank: hit.bankName, distance: hit.distance, signal: hit.signal, ...decided };
    if (hit.itemId) match.itemId = hit.itemId;
    if (hit.video) {
      match.video = hit.video;
      match.videoMatchPercent = hit.thresholds.vpdqMatchPercent;
    }
    matches.push(match);
  }
  matches.sort((a, b) => (a.action === b.action ? 0 : a.action === 'block' ? -1 : 1) || a.distance - b.distance || a.bank.localeCompare(b.bank));
  const verdict: Verdict = matches.length === 0 ? 'allow' : matches[0].action;
  const lowQuality = uploadQuality !== undefined && uploadQuality < AUTO_ACTION_MIN_PDQ_QUALITY;
  const explanation =
    matches.length === 0
      ? 'no match within any review threshold'
      : matches
          .slice(0, 5)
          .map((m) =>
            m.video
              ? `vpdq ${m.video.queryMatchPercent.toFixed(0)} % / ${m.video.comparedMatchPercent.toFixed(0)} % of frames within ${m.thresholdBits} bits in ${m.bank} (review at ≥ ${m.videoMatchPercent} % both ways)`
              : `${m.signal} ${m.distance} bits in ${m.bank} (${m.action} threshold ${m.thresholdBits})`,
          )
          .join('; ') + (lowQuality ? `; PDQ quality ${uploadQuality} < ${AUTO_ACTION_MIN_PDQ_QUALITY}: PDQ never blocks` : '');
  return { verdict, matches, explanation };
}

/**
 * What the uploader may be told (DSA Art. 17 statement of reasons): what was matched and why, never who
 * asked for it or anything about their case.
 */
export function uploaderReason(verdict: Verdict): string {
  switch (verdict) {
    case 'block':
      return 'This upload matches content that was removed as non-consensual intimate imagery, and cannot be posted.';
    case 'review':
      return 'This upload resembles content reported as non-consensual intimate imagery and is held for review by a person.';
    default:
      return 'No match with reported content.';
  }
}
