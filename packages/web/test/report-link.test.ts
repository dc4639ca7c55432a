import { describe, expect, it } from 'vitest';
import { emptyDraft } from '../src/public/request/draft.ts';
import { withReportLink } from '../src/public/request/report-link.ts';

describe('a form opened from a platform’s report link', () => {
  it('puts the reported address in as the first link of a new form', () => {
    expect(withReportLink(emptyDraft(), { url: 'https://pics.example/p/1', platform: 'pics' }).links).toEqual(['https://pics.example/p/1']);
  });

  it('leaves a form alone that has links already (a resumed request), or when there is no report link', () => {
    const resumed = { ...emptyDraft(), links: ['https://other.example/x', ''] };
    expect(withReportLink(resumed, { url: 'https://pics.example/p/1' })).toBe(resumed);
    const empty = emptyDraft();
    expect(withReportLink(empty, null)).toBe(empty);
  });
});
