/**
 * Case numbers and PINs the requester writes down or reads over the phone. Randomness is passed in (the server
 * gives `crypto.randomBytes`), so this file does no I/O and tests can be exact.
 */

/** Returns `length` cryptographically random bytes. */
export type RandomBytes = (length: number) => Uint8Array;

// Crockford's base 32: digits and capitals without I, L, O and U, so nothing reads as something else; when
// typed back, O is read as 0 and I or L as 1. 32 symbols = 5 bits from each byte, with no modulo bias.
export const CASE_NUMBER_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CASE_NUMBER = /^TD-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/**
 * A new case number: "TD-" and 8 symbols in two groups (40 random bits). Uniqueness is the store's job
 * (retry on a clash); guessing is stopped by the PIN.
 * @example generateCaseNumber(crypto.randomBytes) // 'TD-7KQ4-M2XP'
 */
export function generateCaseNumber(random: RandomBytes): string {
  const bytes = random(8);
  let symbols = '';
  for (let i = 0; i < 8; i++) symbols += CASE_NUMBER_ALPHABET[bytes[i] & 31];
  return `TD-${symbols.slice(0, 4)}-${symbols.slice(4)}`;
}

export function isCaseNumber(text: string): boolean {
  return CASE_NUMBER.test(text);
}

/**
 * Reads a case number as a person types it: any case, spaces or dashes anywhere, with or without "TD",
 * O for 0 and I or L for 1. Returns the canonical form, or undefined if it cannot be one.
 * @example normaliseCaseNumber('td 7kq4 m2xp') // 'TD-7KQ4-M2XP'
 */
export function normaliseCaseNumber(text: string): string | undefined {
  let compact = text.toUpperCase().replace(/[\s-]/g, '');
  if (compact.startsWith('TD')) compact = compact.slice(2);
  compact = compact.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{8}$/.test(compact)) return undefined;
  return `TD-${compact.slice(0, 4)}-${compact.slice(4)}`;
}

export const PIN_DIGITS = 8;

/**
 * A PIN of `digits` decimal digits (default 8), shown once to the requester and stored only as a hash.
 * Bytes ≥ 250 are skipped so each digit is exactly uniform (250 is the largest multiple of 10 in a byte).
 */
export function generatePin(random: RandomBytes, digits: number = PIN_DIGITS): string {
  if (!Number.isInteger(digits) || digits < 4 || digits > 32) throw new RangeError('A PIN has 4 to 32 digits.');
  let pin = '';
  while (pin.length < digits) {
    for (const byte of random(digits)) {
      if (byte < 250 && pin.length < digits) pin += String(byte % 10);
    }
  }
  return pin;
}
