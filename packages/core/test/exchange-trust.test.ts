import { describe, expect, it } from 'vitest';
import { countsAsConfirmed, decideAction, describeProvenance, feedbackFor, isFeedTrust, signalTypes } from '../src/index.ts';

describe('the trust rule for banked hashes', () => {
  it('lets a locally confirmed hash and a followed source trusted to block count as confirmed, nothing else', () => {
    expect(countsAsConfirmed({ kind: 'local', itemId: 'i' })).toBe(true);
    expect(countsAsConfirmed({ kind: 'local' })).toBe(false);
    expect(countsAsConfirmed({ kind: 'followed', source: 'a', trust: 'block' })).toBe(true);
    expect(countsAsConfirmed({ kind: 'followed', source: 'a', trust: 'review' })).toBe(false);
    expect(countsAsConfirmed({ kind: 'imported', bank: 'partner' })).toBe(false);
  });

  it('sends an exact match of a review-only followed hash to a person', () => {
    const pdq = signalTypes.get('pdq')!;
    const hash = 'f'.repeat(32) + '0'.repeat(32);
    const parsed = pdq.parseText(hash);
    if (!parsed.ok) throw new Error(parsed.message);
    const index = pdq.createIndex();
    index.add(1, parsed.value);
    const match = index.search(parsed.value, [pdq.thresholds.defaults])[0].judge(pdq.thresholds.defaults)!;
    const review = decideAction('upload-check', { signal: 'pdq', match, confirmedSource: countsAsConfirmed({ kind: 'followed', source: 'a', trust: 'review' }) });
    expect(review.action).toBe('review');
    const block = decideAction('upload-check', { signal: 'pdq', match, confirmedSource: countsAsConfirmed({ kind: 'followed', source: 'a', trust: 'block' }) });
    expect(block.action).toBe(match.trustworthy ? 'block' : 'review');
  });

  it('names trust levels and provenance in plain words', () => {
    expect(isFeedTrust('block')).toBe(true);
    expect(isFeedTrust('auto')).toBe(false);
    expect(describeProvenance({ kind: 'followed', source: 'a', trust: 'review' })).toBe('followed feed "a" (review only)');
  });
});

describe('feedback from a reviewer decision', () => {
  it('confirms on confirmation, calls a false positive only what says the hash was wrong', () => {
    expect(feedbackFor({ decision: 'confirm' })).toBe('confirmed');
    expect(feedbackFor({ decision: 'decline', reason: 'not_intimate' })).toBe('false_positive');
    expect(feedbackFor({ decision: 'decline', reason: 'consensual_evidence' })).toBe('false_positive');
    expect(feedbackFor({ decision: 'decline', reason: 'duplicate' })).toBeUndefined();
    expect(feedbackFor({ decision: 'escalate' })).toBeUndefined();
  });
});
