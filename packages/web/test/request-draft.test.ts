import { systemClock, validateRemovalRequest } from '@takedown/core';
import { describe, expect, it } from 'vitest';
import { checkAll, checkStep, emptyDraft, formFieldOf, stepOfField, toRequestInput, type RequestDraft } from '../src/public/request/draft.ts';
import { checkFileBeforeHashing, MAX_FILE_BYTES, mediaKindOf } from '../src/hashing/file-checks.ts';

const hashes = { pdq: 'a'.repeat(64), pdqQuality: 100, md5: 'b'.repeat(32), sha256: 'c'.repeat(64) };
const filled = (): RequestDraft => ({
  ...emptyDraft(),
  role: 'self',
  fullName: 'Alex Example',
  links: ['https://social.example/p/1', '', 'https://social.example/p/2'],
  pictures: [
    { key: 'p1', name: 'a.jpg', size: 10, kind: 'image', status: 'done', hashes, linkIndex: 2 },
    { key: 'p2', name: 'b.jpg', size: 10, kind: 'image', status: 'done', hashes, linkIndex: null },
  ],
  goodFaithAffirmed: true,
  goodFaithStatement: 'Posted without asking me.',
  email: 'alex@example.org',
  signatureName: 'alex example',
});

describe('the request form', () => {
  it('names every missing element of an empty form, by field, with how to fix it', () => {
    const fields = checkAll(emptyDraft()).map((e) => e.field);
    expect(fields).toEqual(['requester.role', 'requester.fullName', 'items', 'goodFaith.affirmed', 'goodFaith.statement', 'contact', 'signature.fullName']);
    for (const error of checkAll(emptyDraft())) expect(error.message).toMatch(/^[A-Z].*\S$/);
  });

  it('asks a representative for the relationship and the name of the person shown', () => {
    const draft = { ...filled(), role: 'representative' as const };
    expect(checkStep(draft, 'about').map((e) => e.field)).toEqual(['requester.relationship', 'requester.depictedPersonName']);
  });

  it('rejects a link that is not a web address, a bad email, and a signature that differs from the name', () => {
    expect(checkStep({ ...filled(), links: ['social.example/p/1'] }, 'links')[0].field).toBe('links.0');
    expect(checkStep({ ...filled(), email: 'alex@' }, 'contact')[0].field).toBe('contact.email');
    expect(checkStep({ ...filled(), signatureName: 'Someone Else' }, 'sign')[0].code).toBe('name_mismatch');
    expect(checkAll(filled())).toEqual([]);
  });

  it('asks to be told by email only when the person ticked the box and gave an address', () => {
    expect(toRequestInput(filled(), '2026-06-01T12:00:00.000Z').input.notify).toEqual({ email: false });
    expect(toRequestInput({ ...filled(), notifyByEmail: true }, '2026-06-01T12:00:00.000Z').input.notify).toEqual({ email: true });
    expect(toRequestInput({ ...filled(), notifyByEmail: true, email: ' ', phone: '+14155550123' }, '2026-06-01T12:00:00.000Z').input.notify).toEqual({ email: false });
  });

  it('makes one item per link, joins a picture to the link it is posted at, and sends no picture data but hashes', () => {
    const { input, sources } = toRequestInput(filled(), '2026-06-01T12:00:00.000Z');
    expect(input.items).toEqual([
      { url: 'https://social.example/p/1' },
      { url: 'https://social.example/p/2', hashes, mediaType: 'image' },
      { hashes, mediaType: 'image' },
    ]);
    expect(input.shareMedia).toBe(false);
    expect(input.signature).toMatchObject({ fullName: 'alex example', signedAt: '2026-06-01T12:00:00.000Z' });
    expect(formFieldOf('items.0.url', sources)).toBe('links.0');
    expect(formFieldOf('items.1.url', sources)).toBe('links.2');
    expect(formFieldOf('items.2.hashes.pdq', sources)).toBe('pictures.p2');
    expect(stepOfField('pictures.p2')).toBe('pictures');
    expect(stepOfField('contact.email')).toBe('contact');
  });

  it('sends a video as its vPDQ frames, MD5 and SHA-256 (hashes only), validated like the server does', () => {
    const vpdq = [{ index: 0, timestamp: 0, hash: 'd'.repeat(64), quality: 80 }, { index: 3, timestamp: 3, hash: 'e'.repeat(64), quality: 70 }];
    const video = { md5: 'f'.repeat(32), sha256: '1'.repeat(64), vpdq };
    const draft: RequestDraft = { ...filled(), links: [], pictures: [{ key: 'v1', name: 'clip.mp4', size: 10, kind: 'video', status: 'done', hashes: video, linkIndex: null }] };
    const { input } = toRequestInput(draft, new Date().toISOString());
    expect(input.items).toEqual([{ hashes: video, mediaType: 'video' }]);
    const checked = validateRemovalRequest(JSON.parse(JSON.stringify(input)), { clock: systemClock });
    expect(checked.ok, JSON.stringify(checked)).toBe(true);
  });

  it('agrees with the server on every email address, phone number and link: the same rule, the same words', () => {
    // What the server says about one contact or link, through core's validator of a whole request.
    const serverSays = (draft: RequestDraft, field: string) => {
      const checked = validateRemovalRequest(JSON.parse(JSON.stringify(toRequestInput(draft, new Date().toISOString()).input)), { clock: systemClock });
      return checked.ok ? undefined : checked.errors.find((e) => e.field === field)?.message;
    };
    const formSays = (draft: RequestDraft, step: 'contact' | 'links', field: string) => checkStep(draft, step).find((e) => e.field === field)?.message;
    // The form once had its own copy of the email rule, which took "alex@example." and "alex@example..org".
    const emails = ['alex@example.org', ' Alex@Example.ORG ', 'alex@example.', 'alex@example.org.', 'alex@example..org', 'alex@', 'alex example@example.org', 'a@b.c'];
    for (const email of emails) {
      const draft = { ...filled(), email };
      expect(formSays(draft, 'contact', 'contact.email'), email).toBe(serverSays(draft, 'contact.email'));
    }
    // Too long: both refuse it (the server's length check comes first, in its own words).
    const long = { ...filled(), email: `${'a'.repeat(250)}@example.org` };
    expect(formSays(long, 'contact', 'contact.email')).toContain('at most 254 characters');
    expect(serverSays(long, 'contact.email')).toContain('at most 254 characters');
    expect(formSays({ ...filled(), email: 'alex@example.' }, 'contact', 'contact.email')).toContain('name@example.com');
    for (const phone of ['+44 (0)20 7946 0958', '0044 20 7946 0958', '020 7946 0958', '+1 202', '+1-202-555-0143']) {
      const draft = { ...filled(), phone };
      expect(formSays(draft, 'contact', 'contact.phone'), phone).toBe(serverSays(draft, 'contact.phone'));
    }
    for (const link of ['https://social.example/p/1', 'social.example/p/1', 'ftp://social.example/p/1', 'https://user:pw@social.example/p/1', 'http://localhost/p/1']) {
      const draft = { ...filled(), links: [link], pictures: [] };
      expect(formSays(draft, 'links', 'links.0'), link).toBe(serverSays(draft, 'items.0.url'));
    }
  });

  it('turns away huge, empty and non-picture files before hashing', () => {
    expect(checkFileBeforeHashing({ name: 'big.jpg', size: MAX_FILE_BYTES + 1, type: 'image/jpeg' })?.code).toBe('file_too_large');
    expect(checkFileBeforeHashing({ name: 'empty.png', size: 0, type: 'image/png' })?.code).toBe('empty_file');
    expect(checkFileBeforeHashing({ name: 'notes.txt', size: 10, type: 'text/plain' })?.code).toBe('not_an_image');
    expect(checkFileBeforeHashing({ name: 'photo.JPG', size: 10, type: '' })).toBeNull();
    expect(checkFileBeforeHashing({ name: 'clip.mp4', size: 10, type: 'video/mp4' })).toBeNull();
    expect(mediaKindOf({ name: 'clip.MOV', size: 10, type: '' })).toBe('video');
    expect(mediaKindOf({ name: 'notes.txt', size: 10, type: 'text/plain' })).toBeUndefined();
  });
});
