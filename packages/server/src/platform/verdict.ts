import { decideAction, describeProvenance, signalTypes } from '@takedown/core';
import type { BankHit } from './bank-index.ts';

export type Verdict = 'block' | 'review' | 'allow';

export interface CheckMatch {
  bank: string;
  itemId?: string;
  signal: string;
  /** In the signal type's unit: bits for PDQ, 0 for an identical digest. */
  distance: number;
  /** What this match alone calls for, and the bank threshold that decided it. */
  action: 'block' | 'review';
  threshold: number;
  /** Type-specific detail (vPDQ: `queryMatchPercent`, `comparedMatchPercent`). */
  detail?: Record<string, number>;
  /** Where the banked hash came from, in words (confirmed here, an imported list, a followed feed). */
  from: string;
}

export interface CheckVerdict {
  verdict: Verdict;
  matches: CheckMatch[];
  /** For the log: why, with the thresholds used (DESIGN §1: every threshold used is logged). */
  explanation: string;
}

/**
 * The verdict on an upload: each hit decided by core's one rule for acting without a person
 * (`decideAction('upload-check', …)`); block when any hit blocks, review when any other hit matched, allow
 * otherwise. Matches are listed strongest first.
 */
export function decideVerdict(hits: BankHit[]): CheckVerdict {
  const decided = hits.map((hit) => ({ hit, decision: decideAction('upload-check', { signal: hit.signal, match: hit.match, confirmedSource: hit.confirmedItem }) }));
  decided.sort(
    (a, b) =>
      (a.decision.action === b.decision.action ? 0 : a.decision.action === 'block' ? -1 : 1) ||
      a.hit.match.distance - b.hit.match.distance ||
      a.hit.bankName.localeCompare(b.hit.bankName),
  );
  const matches = decided.map(({ hit, decision }) => {
    const match: CheckMatch = { bank: hit.bankName, signal: hit.signal, distance: hit.match.distance, action: decision.action, threshold: hit.match.threshold, from: describeProvenance(hit.provenance) };
    if (hit.itemId) match.itemId = hit.itemId;
    if (hit.match.detail) match.detail = hit.match.detail;
    return match;
  });
  const verdict: Verdict = matches.length === 0 ? 'allow' : matches[0].action;
  const explanation =
    decided.length === 0
      ? 'no match within any review threshold'
      : decided
          .slice(0, 5)
          .map(({ hit, decision }) => `${decision.action} in ${hit.bankName}: ${decision.reason}${detailText(hit.signal, hit.match.detail)}`)
          .join('; ');
  return { verdict, matches, explanation };
}

function detailText(signal: string, detail: Record<string, number> | undefined): string {
  if (!detail) return '';
  const label = signalTypes.get(signal)?.label ?? signal;
  return ` (${label} ${Object.entries(detail).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(1)}`).join(', ')})`;
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
