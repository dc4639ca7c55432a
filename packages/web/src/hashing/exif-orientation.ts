/**
 * Browsers rotate JPEGs by their EXIF orientation when decoding, and createImageBitmap no longer has an option
 * to stop it (the old `imageOrientation: 'none'` now means "from-image"). PDQ hashes the stored pixels, as the
 * reference and the server do (EXIF not applied), so before decoding we hand the browser a copy whose
 * orientation tag says "as stored" (1). The hashed file bytes (MD5, SHA-256) are the original ones. Pure.
 */

const ORIENTATION_TAG = 0x0112;

/** Where the orientation value sits in a JPEG, or -1. Returns the byte offset of the 2-byte value. */
export function findJpegOrientation(bytes: Uint8Array): { offset: number; littleEndian: boolean; value: number } | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let position = 2;
  while (position + 4 <= bytes.length) {
    if (bytes[position] !== 0xff) return undefined;
    const marker = bytes[position + 1];
    // Start of scan or end of image: the metadata segments are all before it.
    if (marker === 0xda || marker === 0xd9) return undefined;
    const length = (bytes[position + 2] << 8) | bytes[position + 3];
    const start = position + 4;
    const end = position + 2 + length;
    if (length < 2 || end > bytes.length) return undefined;
    const isExif = marker === 0xe1 && end - start >= 14 &&
      bytes[start] === 0x45 && bytes[start + 1] === 0x78 && bytes[start + 2] === 0x69 && bytes[start + 3] === 0x66 && bytes[start + 4] === 0 && bytes[start + 5] === 0;
    if (isExif) return findInTiff(bytes, start + 6, end);
    position = end;
  }
  return undefined;
}

function findInTiff(bytes: Uint8Array, tiff: number, end: number): { offset: number; littleEndian: boolean; value: number } | undefined {
  const littleEndian = bytes[tiff] === 0x49 && bytes[tiff + 1] === 0x49;
  if (!littleEndian && !(bytes[tiff] === 0x4d && bytes[tiff + 1] === 0x4d)) return undefined;
  const u16 = (at: number) => (littleEndian ? bytes[at] | (bytes[at + 1] << 8) : (bytes[at] << 8) | bytes[at + 1]);
  const u32 = (at: number) =>
    littleEndian
      ? (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0
      : ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
  if (u16(tiff + 2) !== 42) return undefined;
  const ifd = tiff + u32(tiff + 4);
  if (ifd + 2 > end) return undefined;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return undefined;
    if (u16(entry) === ORIENTATION_TAG) return { offset: entry + 8, littleEndian, value: u16(entry + 8) };
  }
  return undefined;
}

/** The bytes to decode: the same file with its EXIF orientation set to 1 (a copy only when it was not 1). */
export function withoutExifRotation(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const found = findJpegOrientation(bytes);
  if (!found || found.value === 1) return bytes;
  const copy = bytes.slice();
  copy[found.offset] = found.littleEndian ? 1 : 0;
  copy[found.offset + 1] = found.littleEndian ? 0 : 1;
  return copy;
}
