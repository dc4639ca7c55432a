import { HashFormatError } from './errors.ts';

/**
 * The index keeps a 256-bit hash as 8 unsigned 32-bit words, word w holding hex characters 8w..8w+7 read
 * big-endian, so word 0's top bit is hash bit 255 (the PDQ hex convention).
 */
export const WORDS_PER_HASH = 8;
export const BYTES_PER_HASH = 32;

const HEX_64 = /^[0-9a-fA-F]{64}$/;

/** Parses 64 hex characters into `out` at word offset `at`; throws HashFormatError naming what is wrong. */
export function parseHashInto(hex: string, out: Uint32Array, at: number): void {
  if (hex.length !== 64) {
    throw new HashFormatError(`a PDQ hash is 64 hexadecimal characters; got ${hex.length} characters`);
  }
  if (!HEX_64.test(hex)) {
    throw new HashFormatError('a PDQ hash may contain only the characters 0-9 and a-f');
  }
  for (let w = 0; w < WORDS_PER_HASH; w++) {
    out[at + w] = Number.parseInt(hex.slice(w * 8, w * 8 + 8), 16) >>> 0;
  }
}

/** Parses one 64-hex hash into 8 words. */
export function parseHash(hex: string): Uint32Array {
  const words = new Uint32Array(WORDS_PER_HASH);
  parseHashInto(hex, words, 0);
  return words;
}

/** True when the text is a well-formed 64-hex hash (either case). */
export function isHashHex(text: string): boolean {
  return text.length === 64 && HEX_64.test(text);
}

/** Formats 8 words starting at `at` as 64 lowercase hex characters. */
export function formatHash(words: Uint32Array, at = 0): string {
  let hex = '';
  for (let w = 0; w < WORDS_PER_HASH; w++) hex += words[at + w].toString(16).padStart(8, '0');
  return hex;
}

/** Converts 32 big-endian bytes (as `@takedown/pdq`'s parsePdqHex returns them) into 8 words. */
export function wordsFromBytes(bytes: Uint8Array): Uint32Array {
  if (bytes.length !== BYTES_PER_HASH) throw new HashFormatError(`a PDQ hash is 32 bytes; got ${bytes.length}`);
  const words = new Uint32Array(WORDS_PER_HASH);
  for (let w = 0; w < WORDS_PER_HASH; w++) {
    const i = w * 4;
    words[w] = ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
  }
  return words;
}

/** Number of 1 bits in a 32-bit word (SWAR: no table, no loop). */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Hamming distance between the hash at word offset `a` of `aw` and the one at `b` of `bw`. */
export function distanceAt(aw: Uint32Array, a: number, bw: Uint32Array, b: number): number {
  let d = 0;
  for (let w = 0; w < WORDS_PER_HASH; w++) d += popcount32(aw[a + w] ^ bw[b + w]);
  return d;
}

