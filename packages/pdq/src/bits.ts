/** From the 16×16 DCT coefficients to the 256 hash bits, and the 8 dihedral variants of the coefficients. */

import { formatPdqHex } from './hex.ts';

/**
 * The lower median of the 256 coefficients (the 128th smallest), which is what the reference's Torben
 * selection returns for an even count.
 */
function lowerMedian(values: Float32Array): number {
  const sorted = Float32Array.from(values).sort();
  return sorted[(values.length - 1) >> 1];
}

/** Bit i·16 + j is set when coefficient [i][j] is above the median; returned as 64 hex characters. */
export function coefficientsToHex(coefficients: Float32Array): string {
  const median = lowerMedian(coefficients);
  const bytes = new Uint8Array(32);
  for (let k = 0; k < 256; k++) {
    // Big-endian: bit k lives in byte 31 − ⌊k/8⌋.
    if (coefficients[k] > median) bytes[31 - (k >> 3)] |= 1 << (k & 7);
  }
  return formatPdqHex(bytes);
}

/** The 8 ways to turn or mirror an image, in the reference's order and with its names. */
export const DIHEDRAL_NAMES = [
  'original', 'rotate90', 'rotate180', 'rotate270', 'flipX', 'flipY', 'flipPlus1', 'flipMinus1',
] as const;
export type DihedralName = (typeof DIHEDRAL_NAMES)[number];

/**
 * For each variant: whether it transposes the coefficient matrix, and which coefficients change sign.
 * A DCT basis function of odd frequency changes sign under a mirror along its axis and one of even
 * frequency does not (frequencies here start at 1, so index i is frequency i + 1: even index = odd frequency).
 */
const DIHEDRAL_RULES: Record<DihedralName, { transpose: boolean; negate: (i: number, j: number) => boolean }> = {
  original: { transpose: false, negate: () => false },
  rotate90: { transpose: true, negate: (_i, j) => (j & 1) === 0 },
  rotate180: { transpose: false, negate: (i, j) => ((i + j) & 1) === 1 },
  rotate270: { transpose: true, negate: (i) => (i & 1) === 0 },
  flipX: { transpose: false, negate: (i) => (i & 1) === 0 },
  flipY: { transpose: false, negate: (_i, j) => (j & 1) === 0 },
  flipPlus1: { transpose: true, negate: () => false },
  flipMinus1: { transpose: true, negate: (i, j) => ((i + j) & 1) === 1 },
};

/** The coefficients of one dihedral variant, computed from the original's (no second DCT needed). */
export function dihedralCoefficients(coefficients: Float32Array, name: DihedralName): Float32Array {
  const rule = DIHEDRAL_RULES[name];
  const out = new Float32Array(256);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      const value = rule.negate(i, j) ? -coefficients[i * 16 + j] : coefficients[i * 16 + j];
      out[rule.transpose ? j * 16 + i : i * 16 + j] = value;
    }
  }
  return out;
}
