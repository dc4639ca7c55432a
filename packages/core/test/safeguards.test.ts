import { describe, expect, it } from 'vitest';
import { type ItemInput, type NotifierHistory, decideAction, routeRequest, signalTypes } from '../src/index.ts';

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

/** Judges a match through the signal type's own index, as the server does. */
function judged(signal: 'pdq' | 'md5', stored: unknown, query: unknown, thresholds?: Record<string, unknown>) {
  const type = signalTypes.get(signal)!;
  const index = type.createIndex();
  index.add(1, stored);
  const [hit] = index.search(query, [thresholds ?? type.thresholds.defaults]);
  return hit?.judge(thresholds ?? type.thresholds.defaults);
}

const H = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22';
/** H with its last `n` bits flipped. */
const near = (n: number) => H.slice(0, 56) + (BigInt('0x' + H.slice(56)) ^ ((1n << BigInt(n)) - 1n)).toString(16).padStart(8, '0');

describe('decideAction: the one rule for acting without a person', () => {
  it('blocks an upload identical to a confirmed item (digest), in both contexts', () => {
    const match = judged('md5', 'a'.repeat(32), 'a'.repeat(32))!;
    expect(decideAction('upload-check', { signal: 'md5', match, confirmedSource: true }).action).toBe('block');
    expect(decideAction('known-copy-sweep', { signal: 'md5', match, confirmedSource: true }).action).toBe('block');
  });

  it('blocks a near PDQ upload within the bank threshold, but leaves the same near copy online to a person', () => {
    const match = judged('pdq', { hash: H, quality: 100 }, { hash: near(4), quality: 100 })!;
    expect(match).toMatchObject({ distance: 4, exact: false, withinBlock: true, threshold: 10 });
    expect(decideAction('upload-check', { signal: 'pdq', match, confirmedSource: true }).action).toBe('block');
    expect(decideAction('known-copy-sweep', { signal: 'pdq', match, confirmedSource: true })).toMatchObject({ action: 'review', reason: expect.stringContaining('needs a person') });
  });

  it('a bank set to exact-only blocks PDQ distance 0 and sends 1 bit to review', () => {
    const exactOnly = { blockBits: 0, reviewBits: 31 };
    const zero = judged('pdq', { hash: H, quality: 90 }, { hash: H, quality: 90 }, exactOnly)!;
    const one = judged('pdq', { hash: H, quality: 90 }, { hash: near(1), quality: 90 }, exactOnly)!;
    expect(decideAction('upload-check', { signal: 'pdq', match: zero, confirmedSource: true }).action).toBe('block');
    expect(decideAction('upload-check', { signal: 'pdq', match: one, confirmedSource: true }).action).toBe('review');
  });

  it('never acts on a PDQ hash of quality under 50, on either side', () => {
    for (const [stored, query] of [[{ hash: H, quality: 100 }, { hash: H, quality: 49 }], [{ hash: H, quality: 49 }, { hash: H, quality: 100 }], [{ hash: H, quality: 100 }, { hash: H }]]) {
      const match = judged('pdq', stored, query)!;
      expect(decideAction('upload-check', { signal: 'pdq', match, confirmedSource: true })).toMatchObject({ action: 'review', reason: expect.stringContaining('too uniform') });
    }
  });

  it('never acts on a hash no person of this deployment confirmed', () => {
    const match = judged('md5', 'a'.repeat(32), 'a'.repeat(32))!;
    expect(decideAction('upload-check', { signal: 'md5', match, confirmedSource: false }).action).toBe('review');
  });

  it('reviews an identical digest when the bank says digests never block', () => {
    const match = judged('md5', 'a'.repeat(32), 'a'.repeat(32), { block: false })!;
    expect(decideAction('upload-check', { signal: 'md5', match, confirmedSource: true }).action).toBe('review');
  });
});
