/**
 * PDQ hashes as text: 64 lowercase hex characters, big-endian — the first character holds bits 255..252, as
 * Meta's reference prints them. In memory a hash is 32 bytes in the same order (byte 0 = bits 255..248).
 */

export const PDQ_HASH_BYTES = 32;
export const PDQ_HASH_HEX_LENGTH = 64;

/** A hash string that is not 64 hex characters; the message says what is wrong with it. */
export class PdqFormatError extends Error {
  override name = 'PdqFormatError';
}

const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  NIBBLE[65 + i] = 10 + i;
  NIBBLE[97 + i] = 10 + i;
}

/**
 * Parses a PDQ hash written as 64 hex characters (either case).
 * @example parsePdqHex('f8f8f0ce' + '0'.repeat(56)) // Uint8Array(32) [248, 248, 240, 206, 0, ...]
 */
export function parsePdqHex(hex: string): Uint8Array {
  if (typeof hex !== 'string') throw new PdqFormatError('A PDQ hash must be a string of 64 hex characters.');
  if (hex.length !== PDQ_HASH_HEX_LENGTH) {
    throw new PdqFormatError(
      `A PDQ hash has 64 hex characters; this one has ${hex.length}. Check that it was copied whole.`,
    );
  }
  const bytes = new Uint8Array(PDQ_HASH_BYTES);
  for (let i = 0; i < PDQ_HASH_BYTES; i++) {
    const hi = hexValue(hex, 2 * i);
    const lo = hexValue(hex, 2 * i + 1);
    bytes[i] = (hi << 4) | lo;
  }
  return bytes;
}

function hexValue(hex: string, at: number): number {
  const code = hex.charCodeAt(at);
  const value = code < 128 ? NIBBLE[code] : -1;
  if (value < 0) {
    throw new PdqFormatError(
      `A PDQ hash may only hold the characters 0-9 and a-f; character ${at + 1} is "${hex[at]}".`,
    );
  }
  return value;
}

const HEX_DIGITS = '0123456789abcdef';

/** Writes 32 hash bytes as 64 lowercase hex characters. */
export function formatPdqHex(bytes: Uint8Array): string {
  if (bytes.length !== PDQ_HASH_BYTES) {
    throw new PdqFormatError(`A PDQ hash has 32 bytes; this one has ${bytes.length}.`);
  }
  let out = '';
  for (let i = 0; i < PDQ_HASH_BYTES; i++) out += HEX_DIGITS[bytes[i] >> 4] + HEX_DIGITS[bytes[i] & 15];
  return out;
}

/** True when the string is a well-formed PDQ hash (64 hex characters). */
export function isPdqHex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-fA-F]{64}$/.test(value);
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Number of differing bits between two PDQ hashes (0–256), given as hex strings or 32-byte arrays.
 * @example hammingDistance(a, a) // 0
 */
export function hammingDistance(a: string | Uint8Array, b: string | Uint8Array): number {
  const x = typeof a === 'string' ? parsePdqHex(a) : checkBytes(a);
  const y = typeof b === 'string' ? parsePdqHex(b) : checkBytes(b);
  let distance = 0;
  for (let i = 0; i < PDQ_HASH_BYTES; i += 4) {
    const wx = (x[i] << 24) | (x[i + 1] << 16) | (x[i + 2] << 8) | x[i + 3];
    const wy = (y[i] << 24) | (y[i + 1] << 16) | (y[i + 2] << 8) | y[i + 3];
    distance += popcount32(wx ^ wy);
  }
  return distance;
}

function checkBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.length !== PDQ_HASH_BYTES) {
    throw new PdqFormatError(`A PDQ hash has 32 bytes; this one has ${bytes.length}.`);
  }
  return bytes;
}
