/**
 * Email addresses, phone numbers and web addresses as a requester types them. Each function returns the
 * normalised value or a sentence that says how to fix it.
 */
export type Normalised = { ok: true; value: string } | { ok: false; code: string; message: string };

// Deliberately simple: one @, no spaces, a dot in the domain. Full RFC 5322 parsing accepts addresses no mail
// system delivers to; the real test of an address is the confirmation message the server sends.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

/** Trims, lowercases the domain (domains are case-insensitive; the local part may not be). */
export function normaliseEmail(text: string, maxLength: number): Normalised {
  const trimmed = text.trim();
  if (trimmed.length > maxLength) {
    return { ok: false, code: 'too_long', message: `An email address can be at most ${maxLength} characters.` };
  }
  if (!EMAIL.test(trimmed) || trimmed.includes('..')) {
    return {
      ok: false,
      code: 'invalid_email',
      message: 'This does not look like an email address. Please check it has the form name@example.com.',
    };
  }
  const at = trimmed.lastIndexOf('@');
  return { ok: true, value: trimmed.slice(0, at + 1) + trimmed.slice(at + 1).toLowerCase() };
}

// Spaces, dots, dashes and brackets are how people group digits; they carry no meaning.
const PHONE_SEPARATORS = /[\s.\-()/]/g;

/**
 * A number with its country code (a leading + or 00, then 8 to 15 digits) is written in E.164; a number written
 * the local way (7 to 15 digits, no country code) is kept as given.
 * @example normalisePhone('+44 (0)20 7946 0958') // { ok: true, value: '+442079460958' }
 * @example normalisePhone('(202) 555-0143') // { ok: true, value: '(202) 555-0143' }
 */
export function normalisePhone(text: string): Normalised {
  // "(0)" is the UK/EU habit of showing the trunk prefix that is dropped after the country code.
  let compact = text.trim().replace(/\(0\)/g, '').replace(PHONE_SEPARATORS, '');
  if (compact.startsWith('00')) compact = '+' + compact.slice(2);
  if (!compact.startsWith('+')) {
    // A number written the local way, such as (202) 555-0143, is enough to reach the person where they live:
    // it is kept as they wrote it (only trimmed), not refused for lacking a country code.
    if (/^[0-9]{7,15}$/.test(compact)) return { ok: true, value: text.trim().replace(/\s+/g, ' ') };
    return {
      ok: false,
      code: 'invalid_phone',
      message: 'This does not look like a phone number. Please write its digits, for example (202) 555-0143 or +1 202 555 0143.',
    };
  }
  const digits = compact.slice(1);
  if (!/^[1-9][0-9]{7,14}$/.test(digits)) {
    return {
      ok: false,
      code: 'invalid_phone',
      message: 'A phone number has 8 to 15 digits after the +, starting with the country code. Please check it.',
    };
  }
  return { ok: true, value: '+' + digits };
}

/** An absolute http(s) address such as https://example.com/post/123, normalised by the WHATWG URL parser. */
export function normaliseWebAddress(text: string, maxLength: number): Normalised {
  const trimmed = text.trim();
  if (trimmed.length > maxLength) {
    return { ok: false, code: 'too_long', message: `A web address can be at most ${maxLength} characters.` };
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return {
      ok: false,
      code: 'invalid_url',
      message: 'This is not a complete web address. Please copy the whole address, starting with https://.',
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return {
      ok: false,
      code: 'invalid_url',
      message: 'Please give a web address that starts with https:// or http://.',
    };
  }
  if (url.hostname === '') {
    return { ok: false, code: 'invalid_url', message: 'This web address has no site name. Please copy the whole address.' };
  }
  if (url.username !== '' || url.password !== '') {
    return {
      ok: false,
      code: 'invalid_url',
      message: 'Please remove the user name or password from this web address; we only need where the content is.',
    };
  }
  return { ok: true, value: url.href };
}
