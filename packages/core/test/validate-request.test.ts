import { describe, expect, it } from 'vitest';
import { ManualClock, SIGNED_BY_TYPING, validateAddItems, validateRemovalRequest, type FieldError } from '../src/index.ts';
import { NOW, validRequest } from './fixtures.ts';

const clock = new ManualClock(NOW);
const validate = (input: unknown) => validateRemovalRequest(input, { clock });

function errorsOf(input: unknown): FieldError[] {
  const result = validate(input);
  if (result.ok) throw new Error('expected the request to be rejected');
  return result.errors;
}

function fieldsOf(input: unknown): string[] {
  return errorsOf(input).map((e) => e.field);
}

/** A request being edited by a test: loose enough to hold wrong values on purpose. */
interface Draft {
  [field: string]: unknown;
  requester: Record<string, unknown>;
  contact: Record<string, unknown>;
  goodFaith: Record<string, unknown>;
  signature: Record<string, unknown>;
  items: Record<string, unknown>[];
}

function edit(change: (r: Draft) => void): Record<string, unknown> {
  const request = validRequest() as unknown as Draft;
  change(request);
  return request;
}

describe('validateRemovalRequest: a valid request', () => {
  it('is accepted and normalised', () => {
    const result = validate(validRequest());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // No jurisdiction stated: none is made up here; the platform's setting or the deployment default decides.
    expect(result.request).toEqual({
      requester: { role: 'self', fullName: 'Alex Example' },
      contact: { email: 'Alex@example.org' },
      goodFaith: { affirmed: true, statement: 'I never agreed to these photos being shared.' },
      signature: {
        fullName: 'Alex Example',
        signedAt: '2026-05-20T09:59:00.000Z',
        statement: 'I declare that the information in this request is accurate.',
      },
      items: [{ url: 'https://platform.example/p/123' }],
      shareMedia: false,
      language: 'en',
      notify: { email: false },
    });
  });

  it('reads the preferences without refusing any: the language by its primary tag, a known time zone, email notices only with an address', () => {
    const read = (edit_: Parameters<typeof edit>[0]) => {
      const result = validate(edit(edit_));
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return { language: result.request.language, timeZone: result.request.timeZone, notify: result.request.notify };
    };
    expect(read((r) => Object.assign(r, { language: 'it-IT', timeZone: 'Europe/Rome', notify: { email: true } }))).toEqual({ language: 'it', timeZone: 'Europe/Rome', notify: { email: true } });
    expect(read((r) => Object.assign(r, { language: 'pt-BR', timeZone: 'Mars/Olympus', notify: { email: true }, contact: { phone: '+14155550123' } }))).toEqual({ language: 'en', timeZone: undefined, notify: { email: false } });
    const wrong = validate(edit((r) => Object.assign(r, { notify: { email: 'yes', sms: true } })));
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.errors.map((e) => e.field).sort()).toEqual(['notify.email', 'notify.sms']);
  });

  it('normalises hashes to lowercase, phones to E.164, jurisdiction to upper case', () => {
    const result = validate(
      edit((r) => {
        r.jurisdiction = 'au';
        r.contact = { phone: '+61 (0)2 9876-5432' };
        r.items = [
          { hashes: { pdq: 'F'.repeat(64), pdqQuality: 87, md5: 'A'.repeat(32), sha256: 'B'.repeat(64) }, mediaType: 'image' },
        ];
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request.jurisdiction).toBe('AU');
    expect(result.request.contact).toEqual({ phone: '+61298765432' });
    expect(result.request.items[0].hashes).toEqual({ pdq: 'f'.repeat(64), pdqQuality: 87, md5: 'a'.repeat(32), sha256: 'b'.repeat(64) });
  });

  it('accepts a representative with relationship and the name of the person shown', () => {
    const result = validate(
      edit((r) => {
        r.requester = { role: 'representative', fullName: 'Sam Parent', relationship: 'parent', depictedPersonName: 'Jo Child' };
        r.signature.fullName = 'Sam Parent';
      }),
    );
    expect(result.ok && result.request.requester).toEqual({
      role: 'representative',
      fullName: 'Sam Parent',
      relationship: 'parent',
      depictedPersonName: 'Jo Child',
    });
  });

  it('treats blank optional fields as absent (forms send empty strings)', () => {
    const result = validate(edit((r) => (r.contact = { email: 'a@b.co', phone: '' })));
    expect(result.ok && result.request.contact).toEqual({ email: 'a@b.co' });
  });

  it('accepts a signature a few minutes in the future (device clock drift) and with an offset', () => {
    expect(validate(edit((r) => (r.signature.signedAt = '2026-05-20T10:04:00Z'))).ok).toBe(true);
    const result = validate(edit((r) => (r.signature.signedAt = '2026-05-20T11:30:00+02:00')));
    expect(result.ok && result.request.signature.signedAt).toBe('2026-05-20T09:30:00.000Z');
  });
});

describe('validateRemovalRequest: what §3(a)(1)(B) asks, and no more', () => {
  it('takes a typed name as the signature: the signing time and text are recorded, not demanded', () => {
    const result = validate(edit((r) => (r.signature = { fullName: 'Alex Example' })));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request.signature).toEqual({ fullName: 'Alex Example', signedAt: clock.now().toISOString(), statement: SIGNED_BY_TYPING });
  });

  it('refuses a signature by someone who is neither the person shown nor acting for them', () => {
    const errors = errorsOf(edit((r) => (r.signature.fullName = 'Pat Stranger')));
    expect(errors).toEqual([{ field: 'signature.fullName', code: 'signer_not_requester', message: expect.stringContaining('your own full name') }]);
    const forSomeone = errorsOf(
      edit((r) => {
        r.requester = { role: 'representative', fullName: 'Sam Parent', relationship: 'parent', depictedPersonName: 'Jo Child' };
        r.signature.fullName = 'Alex Example';
      }),
    );
    expect(forSomeone[0]).toMatchObject({ field: 'signature.fullName', code: 'signer_not_requester' });
  });

  it('takes the signature of the person shown when a representative files, and names written another way', () => {
    const byDepicted = edit((r) => {
      r.requester = { role: 'representative', fullName: 'Sam Parent', relationship: 'parent', depictedPersonName: 'Jo Child' };
      r.signature.fullName = 'Jo Child';
    });
    expect(validate(byDepicted).ok).toBe(true);
    expect(validate(edit((r) => ((r.requester.fullName = 'José María Núñez'), (r.signature.fullName = 'jose  maria nunez')))).ok).toBe(true);
  });

  it('keeps a phone number written the local way, beside an email or alone', () => {
    const both = validate(edit((r) => (r.contact = { email: 'alex@example.org', phone: '(202) 555-0143' })));
    expect(both.ok && both.request.contact).toEqual({ email: 'alex@example.org', phone: '(202) 555-0143' });
    const alone = validate(edit((r) => (r.contact = { phone: '202 555 0143' })));
    expect(alone.ok && alone.request.contact).toEqual({ phone: '202 555 0143' });
  });
});

describe('validateRemovalRequest: every missing element is named by field', () => {
  it('reports everything missing at once from an empty object', () => {
    expect(fieldsOf({})).toEqual(['requester', 'contact', 'goodFaith', 'signature', 'items']);
  });

  it('rejects something that is not an object, as a whole', () => {
    for (const input of [null, 'x', 3, []]) {
      const errors = errorsOf(input);
      expect(errors).toHaveLength(1);
      expect(errors[0].field).toBe('');
    }
  });

  it('names each missing field of each part', () => {
    const fields = fieldsOf({ requester: {}, contact: {}, goodFaith: {}, signature: {}, items: [{}] });
    expect(fields).toEqual([
      'requester.role',
      'requester.fullName',
      'contact',
      'goodFaith.affirmed',
      'goodFaith.statement',
      'signature.fullName',
      'items.0',
    ]);
  });

  it('speaks plainly and says how to fix it', () => {
    const errors = errorsOf(edit((r) => delete r.requester.fullName));
    expect(errors).toEqual([{ field: 'requester.fullName', code: 'required', message: 'Please fill in your full name.' }]);
    const contact = errorsOf(edit((r) => (r.contact = {})))[0];
    expect(contact.message).toMatch(/email address or a phone number/);
  });

  it('requires the good-faith box to be ticked (true, not "yes")', () => {
    expect(errorsOf(edit((r) => (r.goodFaith.affirmed = false)))[0]).toMatchObject({
      field: 'goodFaith.affirmed',
      code: 'must_affirm',
    });
    expect(errorsOf(edit((r) => (r.goodFaith.affirmed = 'yes')))[0]).toMatchObject({
      field: 'goodFaith.affirmed',
      code: 'wrong_type',
    });
  });

  it('requires relationship and the name of the person shown from a representative', () => {
    expect(fieldsOf(edit((r) => (r.requester.role = 'representative')))).toEqual([
      'requester.relationship',
      'requester.depictedPersonName',
    ]);
  });

  it('refuses representative-only fields that contradict "self"', () => {
    expect(errorsOf(edit((r) => (r.requester.relationship = 'friend')))[0]).toMatchObject({
      field: 'requester.relationship',
      code: 'only_for_representatives',
    });
  });

  it('rejects an unknown role', () => {
    expect(errorsOf(edit((r) => (r.requester.role = 'friend')))[0]).toMatchObject({ field: 'requester.role', code: 'invalid_choice' });
  });
});

describe('validateRemovalRequest: formats', () => {
  it.each([
    ['not-an-email', 'invalid_email'],
    ['a@b', 'invalid_email'],
    ['a b@c.de', 'invalid_email'],
    ['a@b..de', 'invalid_email'],
  ])('rejects the email %s', (email, code) => {
    expect(errorsOf(edit((r) => (r.contact = { email })))[0]).toMatchObject({ field: 'contact.email', code });
  });

  it.each([
    ['call me maybe', 'invalid_phone'],
    ['555 01', 'invalid_phone'],
    ['+0 202 555', 'invalid_phone'],
    ['+1 202', 'invalid_phone'],
    ['+1 202 555 0143 1234 5', 'invalid_phone'],
    ['+1 call me', 'invalid_phone'],
  ])('rejects the phone %s', (phone, code) => {
    expect(errorsOf(edit((r) => (r.contact = { phone })))[0]).toMatchObject({ field: 'contact.phone', code });
  });

  it('accepts 00 as the international prefix', () => {
    const result = validate(edit((r) => (r.contact = { phone: '0044 20 7946 0958' })));
    expect(result.ok && result.request.contact.phone).toBe('+442079460958');
  });

  it.each(['platform.example/p/1', '/p/1', 'ftp://platform.example/x', 'javascript:alert(1)', 'https://user:pw@platform.example/', 'https://'])(
    'rejects the URL %s',
    (url) => {
      expect(errorsOf(edit((r) => (r.items = [{ url }])))[0]).toMatchObject({ field: 'items.0.url', code: 'invalid_url' });
    },
  );

  it.each([
    ['pdq', 'f'.repeat(63)],
    ['pdq', 'g'.repeat(64)],
    ['md5', 'a'.repeat(64)],
    ['sha256', 'a'.repeat(32)],
    ['sha256', 'x'],
  ])('rejects the %s hash %s', (kind, hash) => {
    expect(errorsOf(edit((r) => (r.items = [{ hashes: { [kind]: hash } }])))[0]).toMatchObject({
      field: `items.0.hashes.${kind}`,
      code: 'invalid_hash',
    });
  });

  it('rejects a PDQ quality out of range or without a PDQ hash', () => {
    expect(fieldsOf(edit((r) => (r.items = [{ hashes: { pdq: 'a'.repeat(64), pdqQuality: 101 } }])))).toEqual(['items.0.hashes.pdqQuality']);
    expect(errorsOf(edit((r) => (r.items = [{ hashes: { md5: 'a'.repeat(32), pdqQuality: 80 } }])))[0].code).toBe('quality_without_hash');
  });

  it('needs a URL or at least one hash per item', () => {
    expect(errorsOf(edit((r) => (r.items = [{ hashes: {} }])))[0]).toMatchObject({ field: 'items.0', code: 'item_needs_url_or_hash' });
    expect(errorsOf(edit((r) => (r.items = [{ mediaType: 'image' }])))[0].code).toBe('item_needs_url_or_hash');
  });

  it.each([
    ['not a date', 'invalid_date'],
    ['2026-02-30T10:00:00Z', 'invalid_date'],
    ['2026-05-20T24:00:00Z', 'invalid_date'],
    ['2026-05-20T10:00:00', 'invalid_date'], // no time zone
    ['2026-05-20', 'invalid_date'],
    ['2026-05-20T10:06:00Z', 'date_in_future'],
    ['2027-01-01T00:00:00Z', 'date_in_future'],
  ])('rejects the signing time %s', (signedAt, code) => {
    expect(errorsOf(edit((r) => (r.signature.signedAt = signedAt)))[0]).toMatchObject({ field: 'signature.signedAt', code });
  });

  it('rejects wrong types by field', () => {
    const errors = errorsOf(
      edit((r) => {
        r.requester.fullName = 42;
        r.shareMedia = 'yes';
        (r as Record<string, unknown>).items = { url: 'https://x.example/' };
      }),
    );
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['requester.fullName', 'wrong_type'],
      ['items', 'wrong_type'],
      ['shareMedia', 'wrong_type'],
    ]);
  });
});

describe('validateRemovalRequest: limits and unknown fields', () => {
  it('rejects unknown fields by name, at every level', () => {
    const errors = errorsOf(
      edit((r) => {
        r.admin = true;
        r.requester.age = 30;
        r.items[0].note = 'x';
        r.items[0].hashes = { pdq: 'a'.repeat(64), phash: 'b' };
      }),
    );
    expect(errors.map((e) => e.field)).toEqual(['admin', 'requester.age', 'items.0.note', 'items.0.hashes.phash']);
    expect(errors[0].message).toMatch(/"admin"/);
    expect(errors.every((e) => e.code === 'unknown_field')).toBe(true);
  });

  it('limits the number of items', () => {
    const items = Array.from({ length: 101 }, (_, i) => ({ url: `https://platform.example/p/${i}` }));
    expect(errorsOf(edit((r) => (r.items = items)))[0]).toMatchObject({ field: 'items', code: 'too_many_items' });
    expect(validate(edit((r) => (r.items = items.slice(0, 100)))).ok).toBe(true);
    expect(validateRemovalRequest(edit((r) => (r.items = items.slice(0, 3))), { clock, limits: { maxItems: 2 } }).ok).toBe(false);
  });

  it('limits the length of text', () => {
    expect(errorsOf(edit((r) => (r.requester.fullName = 'x'.repeat(201))))[0]).toMatchObject({ field: 'requester.fullName', code: 'too_long' });
    expect(errorsOf(edit((r) => (r.goodFaith.statement = 'x'.repeat(5001))))[0].code).toBe('too_long');
    expect(errorsOf(edit((r) => (r.items[0].url = `https://x.example/${'a'.repeat(2048)}`)))[0].code).toBe('too_long');
  });

  it('merges an item listed twice into the first (a repeat is no reason to refuse a request)', () => {
    const result = validate(
      edit((r) => {
        r.items = [
          { url: 'https://platform.example/p/1' },
          { url: 'https://PLATFORM.example/p/1' },
          { hashes: { md5: 'a'.repeat(32) } },
          { hashes: { md5: 'A'.repeat(32) } },
          // The same page again, now with a file: it says something new, so it stays.
          { url: 'https://platform.example/p/1', hashes: { md5: 'b'.repeat(32) } },
        ];
      }),
    );
    expect(result.ok && result.request.items).toEqual([
      { url: 'https://platform.example/p/1' },
      { hashes: { md5: 'a'.repeat(32) } },
      { url: 'https://platform.example/p/1', hashes: { md5: 'b'.repeat(32) } },
    ]);
  });

  it('does not call two files duplicates for sharing a PDQ hash (different bytes can hash alike)', () => {
    const pdq = 'a'.repeat(64);
    expect(validate(edit((r) => (r.items = [{ hashes: { pdq, md5: '1'.repeat(32) } }, { hashes: { pdq, md5: '2'.repeat(32) } }]))).ok).toBe(true);
  });

  it('rejects an unknown jurisdiction instead of defaulting', () => {
    expect(errorsOf(edit((r) => (r.jurisdiction = 'XX')))[0]).toMatchObject({ field: 'jurisdiction', code: 'unknown_jurisdiction' });
    const custom = validateRemovalRequest(edit((r) => (r.jurisdiction = 'CA')), {
      clock,
      jurisdictions: { rules: { CA: { removalDeadlineHours: 24, escalationAfterHours: [12] } } },
    });
    expect(custom.ok && custom.request.jurisdiction).toBe('CA');
  });
});

describe('validateAddItems', () => {
  it('accepts new items for a case', () => {
    const result = validateAddItems({ items: [{ url: 'https://platform.example/p/9' }] });
    expect(result).toEqual({ ok: true, items: [{ url: 'https://platform.example/p/9' }] });
  });

  it('rejects repeats of items already in the case and overflow of the case limit', () => {
    const existingItems = [{ url: 'https://platform.example/p/1' }];
    const repeat = validateAddItems({ items: [{ url: 'https://platform.example/p/1' }] }, { existingItems });
    expect(!repeat.ok && repeat.errors[0]).toMatchObject({ field: 'items.0.url', code: 'duplicate' });
    const full = validateAddItems({ items: [{ url: 'https://platform.example/p/2' }, { url: 'https://platform.example/p/3' }] }, { existingItems, limits: { maxItems: 2 } });
    expect(!full.ok && full.errors[0]).toMatchObject({ field: 'items', code: 'too_many_items' });
  });

  it('rejects unknown fields and a missing list', () => {
    const result = validateAddItems({ item: [] });
    expect(!result.ok && result.errors.map((e) => e.field)).toEqual(['item', 'items']);
  });
});

describe('validateRemovalRequest: hostile JSON', () => {
  it('treats __proto__ and constructor as unknown fields, not as structure', () => {
    const input = JSON.parse(
      `{"__proto__":{"admin":true},"constructor":1,${JSON.stringify(validRequest()).slice(1)}`,
    ) as unknown;
    const errors = errorsOf(input);
    expect(errors.map((e) => e.field)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
