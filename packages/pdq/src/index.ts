export { pdqHash, pdqHashDihedral, PdqInputError, PDQ_MIN_DIMENSION } from './pdq.ts';
export type { PdqResult, PdqDihedralResult } from './pdq.ts';
export { DIHEDRAL_NAMES } from './bits.ts';
export type { DihedralName } from './bits.ts';
export type { PixelBytes } from './downsample.ts';
export {
  hammingDistance, parsePdqHex, formatPdqHex, isPdqHex, PdqFormatError, PDQ_HASH_BYTES, PDQ_HASH_HEX_LENGTH,
} from './hex.ts';
