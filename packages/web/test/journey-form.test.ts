/** The pure parts of the forgiving request journey: the quick exit's keys, what the tab keeps, links, the saved file's name. */
import { describe, expect, it } from 'vitest';
import { ShiftCounter, shiftKeyMeaning, SHIFT_WINDOW_MS } from '../src/public/quick-exit-keys.ts';
import { draftFromStore, draftToStore } from '../src/public/tab-memory.ts';
import { emptyDraft, itemFileNames, toRequestInput, withHttps, type PictureEntry } from '../src/public/request/draft.ts';
import { caseFileName, caseFileText } from '../src/public/case-file.ts';
import { checkFileBeforeHashing } from '../src/hashing/file-checks.ts';

const element = (tagName: string, attributes: Record<string, string> = {}) => ({ tagName, isContentEditable: false, getAttribute: (name: string) => attributes[name] ?? null });

describe('the quick exit keys', () => {
  it('counts Shift outside fields only; a held key does not count; any other key starts again', () => {
    const body = element('BODY');
    expect(shiftKeyMeaning({ key: 'Shift', repeat: false, target: body })).toBe('press');
    expect(shiftKeyMeaning({ key: 'Shift', repeat: true, target: body })).toBe('ignore');
    expect(shiftKeyMeaning({ key: 'Escape', repeat: false, target: body })).toBe('reset');
    for (const field of [element('INPUT'), element('TEXTAREA'), element('SELECT'), element('DIV', { role: 'combobox' }), { tagName: 'DIV', isContentEditable: true }]) {
      expect(shiftKeyMeaning({ key: 'Shift', repeat: false, target: field })).toBe('reset');
    }
  });

  it('leaves on the third press within five seconds, not on presses spread wider', () => {
    const counter = new ShiftCounter();
    expect([counter.press(0), counter.press(400), counter.press(800)]).toEqual([2, 1, 0]);
    expect([counter.press(10_000), counter.press(10_000 + SHIFT_WINDOW_MS), counter.press(10_000 + 2 * SHIFT_WINDOW_MS)]).toEqual([2, 2, 2]);
    counter.reset();
    expect(counter.press(50_000)).toBe(2);
  });
});

describe('what the tab keeps', () => {
  const picture = (key: string, status: PictureEntry['status']): PictureEntry => ({
    key, name: `${key}.jpg`, size: 10, kind: 'image', status, linkIndex: null,
    ...(status === 'done' ? { hashes: { pdq: 'a'.repeat(64), pdqQuality: 90, md5: 'b'.repeat(32), sha256: 'c'.repeat(64) } } : {}),
    ...(status === 'error' ? { error: { id: 'pictures.empty', values: { name: key } }, errorDetail: 'empty' } : {}),
  });

  it('keeps the fields and each finished picture’s name and fingerprints, never a picture still being read', () => {
    const draft = { ...emptyDraft(), fullName: 'Alex', links: ['https://a.example/1'], shareMedia: true, pictures: [picture('p1', 'done'), picture('p2', 'hashing'), picture('p3', 'error')] };
    const stored = JSON.parse(JSON.stringify(draftToStore(draft)));
    const back = draftFromStore(stored)!;
    expect(back.fullName).toBe('Alex');
    // The files are not at hand after a reload, so no copy can be shared: the choice is asked again.
    expect(back.shareMedia).toBe(false);
    expect(back.pictures.map((p) => p.name)).toEqual(['p1.jpg']);
    expect(back.pictures[0].hashes?.sha256).toBe('c'.repeat(64));
    expect(draftFromStore({ version: 2 })).toBeUndefined();
    expect(draftFromStore('nonsense')).toBeUndefined();
  });

  it('names each item sent by the person’s file, in the order the request sends them', () => {
    const draft = { ...emptyDraft(), links: ['https://a.example/1', ''], pictures: [{ ...picture('p1', 'done'), name: 'beach.jpg' }, { ...picture('p2', 'done'), name: 'IMG_0042.png', linkIndex: 0 }] };
    const { sources } = toRequestInput(draft, '2026-12-06T10:00:00Z');
    expect(itemFileNames(sources, draft.pictures)).toEqual(['IMG_0042.png', 'beach.jpg']);
  });
});

describe('links', () => {
  it('adds https:// when it is missing, and leaves everything else alone', () => {
    expect(withHttps('example.com/x')).toEqual({ link: 'https://example.com/x', added: true });
    expect(withHttps(' www.social.example/p?id=1 ')).toEqual({ link: 'https://www.social.example/p?id=1', added: true });
    expect(withHttps('//cdn.example/a.jpg')).toEqual({ link: 'https://cdn.example/a.jpg', added: true });
    expect(withHttps('http://old.example/x')).toEqual({ link: 'http://old.example/x', added: false });
    expect(withHttps('https://example.com')).toEqual({ link: 'https://example.com', added: false });
    for (const text of ['', 'not a link', 'localhost', 'mailto:a@b.example']) expect(withHttps(text).added).toBe(false);
  });
});

describe('the saved case file', () => {
  it('has a neutral name and neutral first lines', () => {
    expect(caseFileName(new Date(2026, 11, 6, 23, 59))).toBe('notes-2026-12-06.txt');
    const text = caseFileText('TD-1234-5678', '12345678', { title: 'Notes', date: '6 December 2026', caseNumberLabel: 'Case number', pinLabel: 'PIN', items: [], checkAt: 'Check at x', private: 'Keep private.' });
    expect(text.split('\n').slice(0, 2)).toEqual(['Notes', '6 December 2026']);
    expect(text).toContain('PIN: 12345678');
  });
});

describe('iPhone photos', () => {
  it('turns HEIC and HEIF away before reading, with the how-to', () => {
    expect(checkFileBeforeHashing({ name: 'IMG_0001.HEIC', size: 10, type: '' })?.code).toBe('heic');
    expect(checkFileBeforeHashing({ name: 'photo', size: 10, type: 'image/heif' })?.code).toBe('heic');
    expect(checkFileBeforeHashing({ name: 'IMG_0001.heic', size: 10, type: 'image/heic' })?.message).toContain('Most Compatible');
  });

  it('turns AVIF away before reading, with the how-to, by its type or its name', () => {
    expect(checkFileBeforeHashing({ name: 'sunset.avif', size: 10, type: '' })?.code).toBe('avif');
    expect(checkFileBeforeHashing({ name: 'download', size: 10, type: 'image/avif' })?.code).toBe('avif');
    expect(checkFileBeforeHashing({ name: 'SUNSET.AVIF', size: 10, type: 'image/avif' })?.message).toContain('Make a JPEG copy');
    expect(checkFileBeforeHashing({ name: 'sunset.jpg', size: 10, type: 'image/jpeg' })).toBeNull();
  });
});
