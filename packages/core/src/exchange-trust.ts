/**
 * Where a banked hash came from, and what that lets it do. A hash is known here because a reviewer of this
 * deployment confirmed an item (`local`), because an operator loaded a partner's list (`imported`), or
 * because this deployment follows another one's signed feed (`followed`, with the trust the operator gave
 * that source when following it: `takedown exchange follow <url> --trust review|block`).
 */
export type FeedTrust = 'review' | 'block';

export const FEED_TRUST_LEVELS: readonly FeedTrust[] = ['review', 'block'];

export type HashProvenance =
  | { kind: 'local'; itemId?: string }
  | { kind: 'imported'; bank: string }
  | { kind: 'followed'; source: string; trust: FeedTrust };

export function isFeedTrust(value: string): value is FeedTrust {
  return (FEED_TRUST_LEVELS as readonly string[]).includes(value);
}

/**
 * The one trust rule for banked hashes: may a match against this hash count as "confirmed by a person" in
 * core's rule for acting without one (`decideAction`)? A hash of an item confirmed here may; a hash a
 * followed deployment's reviewers confirmed may only when the operator followed that source with
 * `--trust block`; a list loaded from a file never does (nobody vouched for each hash). Everything that may
 * not goes to a person, whatever the distance.
 * @example countsAsConfirmed({ kind: 'followed', source: 'a', trust: 'review' }) // false
 */
export function countsAsConfirmed(provenance: HashProvenance): boolean {
  switch (provenance.kind) {
    case 'local':
      return provenance.itemId !== undefined;
    case 'followed':
      return provenance.trust === 'block';
    case 'imported':
      return false;
  }
}

/** One line for people (console, CLI): where the hash came from. */
export function describeProvenance(provenance: HashProvenance): string {
  switch (provenance.kind) {
    case 'local':
      return 'confirmed here';
    case 'imported':
      return `imported list "${provenance.bank}"`;
    case 'followed':
      return `followed feed "${provenance.source}" (${provenance.trust === 'block' ? 'may block' : 'review only'})`;
  }
}

/** What a follower tells a source about one of its hashes after a reviewer decided an item that matched it. */
export type FeedVerdict = 'confirmed' | 'false_positive';

/**
 * The feedback a reviewer's decision gives on a matched hash of a followed feed: a confirmation confirms it;
 * a decline says the hash was wrong only when the content is not intimate imagery or was shared with
 * consent. Other declines (not found, too little information, a duplicate, public interest) say nothing
 * about the hash, so nothing is sent.
 * @example feedbackFor({ decision: 'decline', reason: 'duplicate' }) // undefined
 */
export function feedbackFor(decision: { decision: 'confirm' | 'decline' | 'escalate'; reason?: string }): FeedVerdict | undefined {
  if (decision.decision === 'confirm') return 'confirmed';
  if (decision.decision === 'decline' && (decision.reason === 'not_intimate' || decision.reason === 'consensual_evidence')) return 'false_positive';
  return undefined;
}
