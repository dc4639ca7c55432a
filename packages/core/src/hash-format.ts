/**
 * The text forms of the hashes a requester's browser sends (§3(a)(1)(B)(ii): information sufficient to locate
 * the depiction). Accepted in either case, stored in lowercase so equal hashes compare equal as strings.
 */
export type HashKind = 'pdq' | 'md5' | 'sha256';

/** Hex characters per hash kind: PDQ is 256 bits, MD5 128 bits, SHA-256 256 bits. */
export const HASH_HEX_LENGTH: Readonly<Record<HashKind, number>> = Object.freeze({ pdq: 64, md5: 32, sha256: 64 });

const HASH_LABEL: Record<HashKind, string> = { pdq: 'PDQ', md5: 'MD5', sha256: 'SHA-256' };

const HEX = /^[0-9a-f]*$/;

/**
 * Returns the lowercase hash, or a sentence saying what is wrong with it.
 * @example normaliseHash('md5', 'D41D8CD98F00B204E9800998ECF8427E') // { ok: true, value: 'd41d8cd9…' }
 */
export function normaliseHash(kind: HashKind, text: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = text.trim().toLowerCase();
  const expected = HASH_HEX_LENGTH[kind];
  const label = HASH_LABEL[kind];
  if (!HEX.test(value)) {
    return { ok: false, message: `A ${label} hash uses only the characters 0–9 and a–f. Check that it was copied exactly.` };
  }
  if (value.length !== expected) {
    return {
      ok: false,
      message: `A ${label} hash has ${expected} characters; this one has ${value.length}. Check that it was copied whole.`,
    };
  }
  return { ok: true, value };
}
