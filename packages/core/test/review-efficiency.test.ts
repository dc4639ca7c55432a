import { describe, expect, it } from 'vitest';
import { findRepeats, groupByCase, repeatIdentifiers, reviewMarkers, routeRequest, type EarlierItem } from '../src/index.ts';

const PDQ = 'f'.repeat(64);
const at = (iso: string) => new Date(iso);

describe('review markers', () => {
  it('lists what applies, in a fixed order, and never a shared copy for imagery of a minor', () => {
    expect(reviewMarkers({ shareMedia: true, video: true, under18WhenMade: false, openAppeal: true })).toEqual(['shared_copy', 'video', 'appeal']);
    expect(reviewMarkers({ shareMedia: true, video: false, under18WhenMade: true, openAppeal: false, regulatorNotice: true, repeatKind: 'resubmission' })).toEqual(['minor', 'regulator_notice', 'resubmission']);
    expect(reviewMarkers({ shareMedia: false, video: false, under18WhenMade: false, openAppeal: false })).toEqual([]);
  });
});

describe('grouping the queue by case', () => {
  it('puts a case where its most urgent item is and keeps the queue order inside it', () => {
    const groups = groupByCase([{ caseNumber: 'A', n: 1 }, { caseNumber: 'B', n: 2 }, { caseNumber: 'A', n: 3 }]);
    expect(groups.map((g) => [g.caseNumber, g.items.map((i) => i.n)])).toEqual([['A', [1, 3]], ['B', [2]]]);
  });
});

describe('repeats', () => {
  it('names an item by its normalised address and each hash, and items without either by nothing', () => {
    expect(repeatIdentifiers({ url: 'https://Example.com/p/1#top', hashes: { pdq: PDQ } })).toEqual([
      { text: 'url:https://example.com/p/1', fromUrl: true },
      { text: `pdq:${PDQ}`, fromUrl: false },
    ]);
    expect(repeatIdentifiers({})).toEqual([]);
  });

  it('links to the oldest open item as a duplicate, else to the latest ended one as a resubmission', () => {
    const earlier: EarlierItem[] = [
      { itemId: 'declined-old', caseId: 'c1', state: 'declined', receivedAt: at('2026-01-01T00:00:00Z'), keys: ['k1', 'k2'] },
      { itemId: 'withdrawn-new', caseId: 'c2', state: 'withdrawn', receivedAt: at('2026-02-01T00:00:00Z'), keys: ['k2'] },
      { itemId: 'open-1', caseId: 'c3', state: 'pending', receivedAt: at('2026-03-01T00:00:00Z'), keys: ['k3'] },
      { itemId: 'open-2', caseId: 'c4', state: 'pending', receivedAt: at('2026-03-02T00:00:00Z'), keys: ['k3'] },
    ];
    expect(findRepeats([['k3'], ['k2'], ['k1'], ['other'], []], earlier)).toEqual([
      { kind: 'duplicate', itemId: 'open-1', caseId: 'c3' },
      { kind: 'resubmission', itemId: 'withdrawn-new', caseId: 'c2' },
      { kind: 'resubmission', itemId: 'declined-old', caseId: 'c1' },
      undefined,
      undefined,
    ]);
  });

  it('does not send a person who asks again to senior review', () => {
    const request = { items: [{ url: 'https://example.com/p/1' }] };
    // Five requests today already: a sixth new one is many; the same content again is not.
    expect(routeRequest(request, { requestsLast24h: 5, itemsLast24h: 5, rejectedRequests: 0 }).reasons).toEqual(['many_requests']);
    expect(routeRequest(request, { requestsLast24h: 5, itemsLast24h: 5, rejectedRequests: 0 }, {}, 1)).toMatchObject({ queue: 'standard', reasons: [] });
  });
});
