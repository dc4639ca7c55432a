import { describe, expect, it } from 'vitest';
import { type ItemInput, type NotifierHistory, autoActionAllowed, autoActionDecision, routeRequest } from '../src/index.ts';

const fresh: NotifierHistory = { requestsLast24h: 0, itemsLast24h: 0, rejectedRequests: 0 };
const items = (n: number, extra: Partial<ItemInput> = {}): ItemInput[] =>
  Array.from({ length: n }, (_, i) => ({ url: `https://platform.example/p/${i}`, ...extra }));

describe('routeRequest', () => {
  it('sends an ordinary first request to the standard queue', () => {
    expect(routeRequest({ items: items(3) }, fresh)).toEqual({
      queue: 'standard',
      reasons: [],
      explanations: [],
      thresholds: { maxItemsPer24h: 20, maxRequestsPer24h: 5, maxRejectedRequests: 0 },
    });
  });

  it('sends many items from one notifier in 24 h to senior review', () => {
    expect(routeRequest({ items: items(20) }, fresh).queue).toBe('standard');
    const bulk = routeRequest({ items: items(21) }, fresh);
    expect(bulk.queue).toBe('senior');
    expect(bulk.reasons).toEqual(['many_items']);
    expect(bulk.explanations[0]).toMatch(/21 items/);
    expect(routeRequest({ items: items(5) }, { ...fresh, itemsLast24h: 16 }).reasons).toEqual(['many_items']);
  });

  it('sends the sixth request in 24 h to senior review', () => {
    expect(routeRequest({ items: items(1) }, { ...fresh, requestsLast24h: 4 }).queue).toBe('standard');
    expect(routeRequest({ items: items(1) }, { ...fresh, requestsLast24h: 5 }).reasons).toEqual(['many_requests']);
  });

  it('sends notifiers with rejected requests and public-interest items to senior review', () => {
    expect(routeRequest({ items: items(1) }, { ...fresh, rejectedRequests: 1 }).reasons).toEqual(['past_rejections']);
    const flagged = routeRequest({ items: [...items(1), ...items(1, { publicInterest: true })] }, fresh);
    expect(flagged.reasons).toEqual(['public_interest']);
    expect(flagged.explanations).toEqual(['1 item is flagged as possibly of public interest.']);
  });

  it('lists every reason that applies, with configurable thresholds', () => {
    const routing = routeRequest({ items: items(3, { publicInterest: true }) }, { requestsLast24h: 2, itemsLast24h: 0, rejectedRequests: 2 }, {
      maxItemsPer24h: 2,
      maxRequestsPer24h: 2,
      maxRejectedRequests: 1,
    });
    expect(routing.reasons).toEqual(['many_items', 'many_requests', 'past_rejections', 'public_interest']);
    expect(routing.thresholds).toEqual({ maxItemsPer24h: 2, maxRequestsPer24h: 2, maxRejectedRequests: 1 });
  });
});

describe('autoActionAllowed', () => {
  it('allows exact MD5 and SHA-256 re-uploads of a confirmed or removed item', () => {
    expect(autoActionAllowed({ signal: 'md5', distanceBits: 0, matchedItemState: 'confirmed' })).toBe(true);
    expect(autoActionAllowed({ signal: 'sha256', distanceBits: 0, matchedItemState: 'removed' })).toBe(true);
  });

  it('allows an identical PDQ hash only with quality 50 or more', () => {
    expect(autoActionAllowed({ signal: 'pdq', distanceBits: 0, quality: 50, matchedItemState: 'confirmed' })).toBe(true);
    expect(autoActionAllowed({ signal: 'pdq', distanceBits: 0, quality: 49, matchedItemState: 'confirmed' })).toBe(false);
    expect(autoActionAllowed({ signal: 'pdq', distanceBits: 0, matchedItemState: 'confirmed' })).toBe(false);
  });

  it('leaves near matches to a person', () => {
    const decision = autoActionDecision({ signal: 'pdq', distanceBits: 1, quality: 100, matchedItemState: 'confirmed' });
    expect(decision).toEqual({ allowed: false, reason: 'near match (1 bit apart): needs a reviewer' });
  });

  it('never acts on an item no person confirmed', () => {
    for (const state of ['pending', 'declined', 'withdrawn'] as const) {
      expect(autoActionAllowed({ signal: 'sha256', distanceBits: 0, matchedItemState: state })).toBe(false);
    }
  });
});
