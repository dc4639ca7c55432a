/**
 * Decoders that give exactly the pixels the server's decoder (libvips through sharp) gives, colour unchanged
 * under any alpha: a 2D canvas premultiplies alpha, so a half-transparent pixel comes back with rounded colour
 * and a fully transparent one comes back black, and the PDQ hash moves by 48–124 bits. Measured against the
 * server on the PDQ vectors and test/fixtures/pdq-decoding (docs/decisions/005-browser-image-decoding.md).
 *
 * PNG: the Rust png crate (@jsquash/png) — lossless, nothing to differ. WebP: libwebp (@jsquash/webp), the
 * library libvips uses. GIF: omggif, the first frame, transparent pixels left black as libvips leaves them.
 * The WebAssembly decoders are fetched the first time a file of their format is hashed, not with the page.
 */
import type { DecodedPixels } from './decoded-pixels.ts';

/** A decoder's code could not be fetched (the connection dropped): not the file's fault. */
export class DecoderUnavailableError extends Error {
  override name = 'DecoderUnavailableError';
}

function load<T>(module: Promise<T>): Promise<T> {
  return module.catch(() => {
    throw new DecoderUnavailableError('The picture decoder could not be loaded. Check your connection and try again.');
  });
}

/** Copies the decoder's image out of WebAssembly memory, which the next decode may reuse. */
function own(image: { data: ArrayLike<number>; width: number; height: number }): DecodedPixels {
  return { pixels: new Uint8ClampedArray(image.data), width: image.width, height: image.height };
}

export async function decodePng(bytes: Uint8Array): Promise<DecodedPixels> {
  const { decode } = await load(import('@jsquash/png/decode.js'));
  return own(await decode(arrayBufferOf(bytes)));
}

export async function decodeWebp(bytes: Uint8Array): Promise<DecodedPixels> {
  const { default: decode } = await load(import('@jsquash/webp/decode.js'));
  return own(await decode(arrayBufferOf(bytes)));
}

export async function decodeGif(bytes: Uint8Array): Promise<DecodedPixels> {
  const { GifReader } = await load(import('omggif'));
  const reader = new GifReader(bytes);
  const pixels = new Uint8ClampedArray(reader.width * reader.height * 4);
  // An animated GIF is hashed by its first frame, as the server (sharp's default page 0) does.
  reader.decodeAndBlitFrameRGBA(0, pixels);
  return { pixels, width: reader.width, height: reader.height };
}

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
