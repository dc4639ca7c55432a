import { describe, expect, it } from 'vitest';
import { LAW_ELEMENTS, ManualClock, missingElements, minorFlag, MINOR_REPORTING_DUTY, NCMEC_ROUTES, routeRequest, validateRemovalRequest } from '../src/index.ts';
import { NOW, validRequest } from './fixtures.ts';

const clock = new ManualClock(NOW);
const quiet = { requestsLast24h: 0, itemsLast24h: 0, rejectedRequests: 0 };

function missingOf(input: unknown): string[] {
  const result = validateRemovalRequest(input, { clock });
  if (result.ok) return [];
  return missingElements(result.errors).map((m) => m.element);
}

describe('the four elements of §3(a)(1)(B)', () => {
  it('are listed once each, in the law’s order, with their clauses', () => {
    expect(LAW_ELEMENTS.map((e) => `${e.element} ${e.clause}`)).toEqual([
      'signature §3(a)(1)(B)(i)',
      'depiction §3(a)(1)(B)(ii)',
      'good_faith §3(a)(1)(B)(iii)',
      'contact §3(a)(1)(B)(iv)',
    ]);
  });

  it('an empty request misses all four; a complete one none', () => {
    expect(missingOf({})).toEqual(['signature', 'depiction', 'good_faith', 'contact']);
    expect(missingOf(validRequest())).toEqual([]);
  });

  it('names only the elements at fault', () => {
    const request = validRequest() as unknown as Record<string, unknown>;
    expect(missingOf({ ...request, contact: {} })).toEqual(['contact']);
    expect(missingOf({ ...request, items: [] })).toEqual(['depiction']);
    expect(missingOf({ ...request, goodFaith: { affirmed: false, statement: 'x' } })).toEqual(['good_faith']);
    expect(missingOf({ ...request, signature: { fullName: 'Someone Else' } })).toEqual(['signature']);
    // Who signs belongs to the signature: a representative who does not say whom they act for.
    expect(missingOf({ ...request, requester: { role: 'representative', fullName: 'A B' } })).toContain('signature');
  });

  it('a field the law does not ask for is never a missing element', () => {
    const request = validRequest() as unknown as Record<string, unknown>;
    expect(missingOf({ ...request, under18WhenMade: 'maybe' })).toEqual([]);
    expect(validateRemovalRequest({ ...request, under18WhenMade: 'maybe' }, { clock }).ok).toBe(false);
  });
});

describe('a person under 18 when it was made', () => {
  it('is never shared as a copy: sharing is normalised off, the request still taken', () => {
    const result = validateRemovalRequest({ ...validRequest(), shareMedia: true, under18WhenMade: true }, { clock });
    expect(result.ok && result.request).toMatchObject({ shareMedia: false, under18WhenMade: true });
    const adult = validateRemovalRequest({ ...validRequest(), shareMedia: true, under18WhenMade: false }, { clock });
    expect(adult.ok && adult.request).toMatchObject({ shareMedia: true, under18WhenMade: false });
    const unanswered = validateRemovalRequest({ ...validRequest(), shareMedia: true }, { clock });
    expect(unanswered.ok && unanswered.request.under18WhenMade).toBeUndefined();
  });

  it('goes to senior review, with the reason', () => {
    const route = routeRequest({ items: [{ url: 'https://x.example/p' }], under18WhenMade: true }, quiet);
    expect(route).toMatchObject({ queue: 'senior', reasons: ['minor'] });
    expect(routeRequest({ items: [{ url: 'https://x.example/p' }], under18WhenMade: false }, quiet).queue).toBe('standard');
  });

  it('carries the platform’s reporting duty and NCMEC’s routes', () => {
    expect(minorFlag(false)).toBeUndefined();
    expect(minorFlag(true)).toEqual({ under18WhenMade: true, reportingDuty: MINOR_REPORTING_DUTY });
    expect(MINOR_REPORTING_DUTY.law).toBe('18 U.S.C. § 2258A');
    expect(NCMEC_ROUTES).toEqual({ takeItDown: 'https://takeitdown.ncmec.org/', cyberTipline: 'https://report.cybertip.org/' });
  });
});
