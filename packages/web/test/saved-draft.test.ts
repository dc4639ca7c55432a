import { systemClock, validateRemovalRequest } from '@takedown/core';
import { describe, expect, it } from 'vitest';
import { checkStep, emptyDraft, toRequestInput, type RequestDraft } from '../src/public/request/draft.ts';
import { fromDraftContent, toDraftContent } from '../src/public/request/saved-draft.ts';

const hashes = { pdq: 'a'.repeat(64), pdqQuality: 100, md5: 'b'.repeat(32), sha256: 'c'.repeat(64) };
const filled = (): RequestDraft => ({
  ...emptyDraft(),
  role: 'self',
  fullName: 'Alex Example',
  links: ['https://social.example/p/1'],
  pictures: [
    { key: 'p1', name: 'a.jpg', size: 10, kind: 'image', status: 'done', hashes, linkIndex: 0 },
    { key: 'p2', name: 'b.jpg', size: 10, kind: 'image', status: 'done', hashes: { ...hashes, md5: 'd'.repeat(32), sha256: 'e'.repeat(64) }, linkIndex: null },
  ],
  goodFaithAffirmed: true,
  goodFaithStatement: 'Posted without asking me.',
  email: 'alex@example.org',
  phone: '(202) 555-0143',
  signatureName: 'Alex Example',
  under18: 'no',
  notifyByEmail: true,
  location: 'AU',
});
const nameOf = (kind: 'image' | 'video', number: number) => `${kind} ${number}`;

describe('saving an unfinished request and bringing it back', () => {
  it('saves no signing time, and comes back as the same form (pictures as their fingerprints)', () => {
    const content = toDraftContent(filled());
    expect(content.signature).toEqual({ fullName: 'Alex Example' });
    const back = fromDraftContent(JSON.parse(JSON.stringify(content)) as Record<string, unknown>, nameOf);
    expect(back).toMatchObject({ role: 'self', fullName: 'Alex Example', links: ['https://social.example/p/1'], email: 'alex@example.org', phone: '(202) 555-0143', under18: 'no', notifyByEmail: true, goodFaithAffirmed: true, location: 'AU' });
    expect(back.pictures.map((p) => [p.name, p.status, p.hashes?.md5, p.linkIndex])).toEqual([
      ['image 1', 'done', 'b'.repeat(32), 0],
      ['image 2', 'done', 'd'.repeat(32), null],
    ]);
    // What comes back makes the same valid request.
    const result = validateRemovalRequest(toRequestInput(back, new Date().toISOString()).input, { clock: systemClock });
    expect(result.ok).toBe(true);
  });

  it('sends where the person lives only when they said, as the request\'s jurisdiction', () => {
    expect(toRequestInput(filled(), new Date().toISOString()).input.jurisdiction).toBe('AU');
    expect(toRequestInput({ ...filled(), location: '' }, new Date().toISOString()).input).not.toHaveProperty('jurisdiction');
    expect(fromDraftContent({ jurisdiction: 'XX' }, nameOf).location).toBe('');
  });

  it('keeps an empty form empty: no role is made up', () => {
    const content = toDraftContent(emptyDraft());
    expect(content.requester).toBeUndefined();
    expect(fromDraftContent({}, nameOf).role).toBe('');
    expect(fromDraftContent({ requester: 'odd', items: 'odd' }, nameOf).links).toEqual(['']);
  });
});

describe('a person under 18 when it was made, on the form', () => {
  it('never sends a copy, and says so to the server', () => {
    const { input } = toRequestInput({ ...filled(), under18: 'yes', shareMedia: true }, new Date().toISOString());
    expect(input).toMatchObject({ shareMedia: false, under18WhenMade: true });
    expect(toRequestInput({ ...filled(), under18: 'unsure' }, '').input.under18WhenMade).toBeUndefined();
  });
});

describe('the signature on the form follows core’s rule', () => {
  it('takes the name however it is written, and a representative signing for the person shown', () => {
    expect(checkStep({ ...filled(), signatureName: 'alex  EXAMPLE.' }, 'sign')).toEqual([]);
    const representative = { ...filled(), role: 'representative' as const, fullName: 'Pat Lawyer', relationship: 'lawyer', depictedPersonName: 'Alex Example' };
    expect(checkStep({ ...representative, signatureName: 'Alex Example' }, 'sign')).toEqual([]);
    expect(checkStep({ ...representative, signatureName: 'Pat Lawyer' }, 'sign')).toEqual([]);
    expect(checkStep({ ...representative, signatureName: 'Someone Else' }, 'sign')[0].code).toBe('name_mismatch');
  });
});
