import type { ItemState } from './item-state.ts';

/**
 * Safeguard: a machine may act without a person only on an exact copy of something a person already confirmed.
 * Near matches, first-time requests and everything else wait for a human decision (DESIGN §1).
 */
export interface ReuploadMatch {
  /** Which hash matched. */
  signal: 'pdq' | 'md5' | 'sha256';
  /** Differing bits: PDQ Hamming distance; for MD5 and SHA-256, 0 when equal (anything else is no match). */
  distanceBits: number;
  /** PDQ only: the lower of the two hashes' quality scores (0–100). */
  quality?: number;
  /** State of the case item the upload matched. */
  matchedItemState: ItemState;
}

/** Below this PDQ quality an image is too uniform for its hash to identify it (DESIGN §4). */
export const AUTO_ACTION_MIN_PDQ_QUALITY = 50;

/**
 * Whether a match may be actioned automatically, and why (for the audit log).
 * The matched item must have been confirmed by a person: `confirmed`, or `removed` (which it reached only
 * through confirmation) — re-uploads after removal are the case this exists for.
 */
export function autoActionDecision(match: ReuploadMatch): { allowed: boolean; reason: string } {
  if (match.matchedItemState !== 'confirmed' && match.matchedItemState !== 'removed') {
    return { allowed: false, reason: `the matched item is ${match.matchedItemState}, not confirmed by a reviewer` };
  }
  if (match.distanceBits !== 0) {
    return { allowed: false, reason: `near match (${match.distanceBits} bit${match.distanceBits === 1 ? '' : 's'} apart): needs a reviewer` };
  }
  if (match.signal === 'pdq') {
    if (match.quality === undefined || !(match.quality >= AUTO_ACTION_MIN_PDQ_QUALITY)) {
      return {
        allowed: false,
        reason: `PDQ quality ${match.quality ?? 'unknown'} is below ${AUTO_ACTION_MIN_PDQ_QUALITY}: too uniform to trust an exact hash`,
      };
    }
    return { allowed: true, reason: `identical PDQ hash (quality ${match.quality}) of a confirmed item` };
  }
  return { allowed: true, reason: `identical ${match.signal === 'md5' ? 'MD5' : 'SHA-256'} of a confirmed item` };
}

/** True only for an exact re-upload of a confirmed item. */
export function autoActionAllowed(match: ReuploadMatch): boolean {
  return autoActionDecision(match).allowed;
}
