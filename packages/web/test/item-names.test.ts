/** Naming the items of a request on the status page: the person's own file names, else kind and order. */
import { describe, expect, it } from 'vitest';
import { caseFileNameLines, itemKind, namesFromCaseFile, readFileNames } from '../src/public/item-names.ts';

describe('item names', () => {
  it('names a video a video, never a picture; a link alone a link; a copy we found a copy', () => {
    expect(itemKind({ position: 0, mediaType: 'video', url: 'https://x.example/v' })).toBe('video');
    expect(itemKind({ position: 1, mediaType: 'image' })).toBe('picture');
    expect(itemKind({ position: 2, url: 'https://x.example/p' })).toBe('link');
    expect(itemKind({ position: 3, url: 'https://x.example/c', mediaType: 'video', reportedBy: 'Host' })).toBe('copy');
    expect(itemKind({ position: 4, hashes: { md5: 'ab' } })).toBe('picture');
  });

  it('takes only strings and nulls from storage, on one line each', () => {
    expect(readFileNames('beach.jpg')).toEqual([]);
    expect(readFileNames(['a.jpg', 3, null, ' ', 'two\nlines.png'])).toEqual(['a.jpg', null, null, null, 'two lines.png']);
  });

  it('reads back from the saved case file the names it wrote, and only from this case’s file', () => {
    const names = ['beach.jpg', null, 'clip 2.mp4'];
    const file = ['Take it down: your request', '', 'Case number: TD-ABCD-EFGH', 'PIN: 123456', '', 'Your names:', ...caseFileNameLines(names), '', 'Check your request at https://example.org/status'].join('\r\n');
    expect(namesFromCaseFile(file, 'TD-ABCD-EFGH')).toEqual({ kind: 'ok', names });
    expect(namesFromCaseFile(file, 'TD-ZZZZ-ZZZZ')).toEqual({ kind: 'wrong' });
    expect(namesFromCaseFile('Case number: TD-ABCD-EFGH\nPIN: 1', 'TD-ABCD-EFGH')).toEqual({ kind: 'none' });
  });
});
