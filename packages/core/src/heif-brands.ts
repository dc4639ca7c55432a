/**
 * HEIC/HEIF or AVIF, told from a file's first bytes: both are ISO BMFF files whose `ftyp` box lists brands
 * (ISO/IEC 23008-12 for HEIF, the AV1 Image File Format for AVIF). The name and the type a browser reports
 * cannot be trusted: a photo renamed `.jpg` keeps its HEIC bytes.
 */

/** HEVC-coded HEIF (an iPhone's or a Samsung's photo): images, image collections and sequences. */
const HEVC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
/** HEIF with any coding (an AVIF lists them too, next to its own brand). */
const HEIF_BRANDS = new Set(['mif1', 'msf1']);
/** AV1-coded HEIF: decodable where AV1 is (browsers, the server's libvips). */
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** How many first bytes are enough to read the brands of any real file-type box. */
export const FILE_TYPE_BOX_BYTES = 256;

/**
 * What the file-type box at the start says: `heic` for HEIF that is not AVIF (in practice HEVC, which no
 * decoder here reads), `avif` for AVIF, undefined for anything else (JPEG, PNG, an MP4 video…).
 * @example
 * heifKindOf(new Uint8Array(await file.slice(0, FILE_TYPE_BOX_BYTES).arrayBuffer())) === 'heic'
 */
export function heifKindOf(head: Uint8Array): 'heic' | 'avif' | undefined {
  const brands = fileTypeBrands(head);
  const major = brands[0];
  if (major === undefined || !(HEVC_BRANDS.has(major) || HEIF_BRANDS.has(major) || AVIF_BRANDS.has(major))) return undefined;
  // An AVIF names `mif1` too: any AV1 brand makes it AVIF. Otherwise it is HEIF with a coding we cannot read.
  return brands.some((brand) => AVIF_BRANDS.has(brand)) ? 'avif' : 'heic';
}

/** The major brand, then the compatible brands, of a file-type box at offset 0; empty when there is none. */
export function fileTypeBrands(head: Uint8Array): string[] {
  if (head.length < 16 || ascii(head, 4, 8) !== 'ftyp') return [];
  const size = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
  // size 1: a 64-bit size follows the type; size 0: the box runs to the end of the file.
  const start = size === 1 ? 16 : 8;
  const end = Math.min(head.length, size === 0 || size === 1 ? head.length : size);
  if (end < start + 8) return [];
  const brands = [ascii(head, start, start + 4)];
  // After the major brand: a 4-byte minor version, then compatible brands of 4 bytes each.
  for (let at = start + 8; at + 4 <= end; at += 4) brands.push(ascii(head, at, at + 4));
  return brands;
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}
