/**
 * Which picture format a file holds, read from its first bytes (the name and the browser's MIME type can be
 * wrong), and whether a JPEG stores CMYK: the decoder chosen for a file depends on both.
 */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp';

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);
const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (startsWith(bytes, ascii('BM'))) return 'bmp';
  return undefined;
}

/**
 * The number of colour components in a JPEG's frame header (1 grey, 3 YCbCr or RGB, 4 CMYK or YCCK), or
 * undefined when no frame header is found before the image data. Walks the marker segments only.
 */
export function jpegComponentCount(bytes: Uint8Array): number | undefined {
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1];
    // Fill bytes (0xff repeated) may pad between segments.
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const length = (bytes[offset + 2] << 8) | bytes[offset + 3];
    // SOF0–SOF15 carry the frame header, except DHT (c4), JPG (c8) and DAC (cc).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return offset + 9 < bytes.length ? bytes[offset + 9] : undefined;
    }
    // Start of scan: the header ended without a frame.
    if (marker === 0xda) return undefined;
    offset += 2 + length;
  }
  return undefined;
}

/**
 * Whether the server's decoder (libvips) loads this picture as grey, one band plus maybe alpha: PNGs of colour
 * type 0 or 4 and one-component JPEGs. Palette PNGs and GIFs load as colour even when every colour is grey, and
 * WebP is always colour. It matters because PDQ hashes a grey image's value as it is, but a colour image's luma
 * 0.299 R + 0.587 G + 0.114 B in float, which is not exactly the grey value (15 bits apart on grey-alpha.png).
 */
export function loadsAsGrey(bytes: Uint8Array, format: ImageFormat): boolean {
  if (format === 'png') {
    // IHDR is the first chunk: 8-byte signature, length, "IHDR", width, height, bit depth, then colour type.
    const colourType = bytes[25];
    return startsWith(bytes, ascii('IHDR'), 12) && (colourType === 0 || colourType === 4);
  }
  if (format === 'jpeg') return jpegComponentCount(bytes) === 1;
  return false;
}

/**
 * Whether a WebP is animated (extended format, animation flag set): the WebP decoder reads still pictures only,
 * the server hashes the first frame.
 */
export function webpIsAnimated(bytes: Uint8Array): boolean {
  return startsWith(bytes, ascii('VP8X'), 12) && bytes.length > 20 && (bytes[20] & 0x02) !== 0;
}
