/** A decoded picture as PDQ reads it: RGBA bytes, row-major, colour not premultiplied by alpha. */
export interface DecodedPixels {
  pixels: Uint8ClampedArray;
  width: number;
  height: number;
}

/**
 * What PDQ hashes, as the server gives it: one byte a pixel for pictures libvips loads as grey (their value is
 * hashed as it is), RGBA otherwise (alpha ignored by PDQ).
 */
export function pixelsToHash(decoded: DecodedPixels, grey: boolean): Uint8Array | Uint8ClampedArray {
  if (!grey) return decoded.pixels;
  const values = new Uint8Array(decoded.width * decoded.height);
  for (let p = 0; p < values.length; p++) values[p] = decoded.pixels[p * 4];
  return values;
}
