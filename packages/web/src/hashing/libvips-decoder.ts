/**
 * Pictures no small decoder reads as the server does, decoded by libvips itself (wasm-vips: the same libvips,
 * LittleCMS, mozjpeg and libwebp versions as the server's sharp, giving its pixels byte for byte):
 * - CMYK (and YCCK) JPEGs: sharp turns CMYK into sRGB through LittleCMS with libvips' built-in CMYK profile,
 *   which no browser decoder does (Chromium's own conversion is 24 bits of PDQ away on
 *   test/fixtures/pdq-decoding/cmyk.jpg);
 * - animated WebP, which @jsquash/webp refuses: the first frame, as sharp reads it.
 *
 * It is large (5 MB of WebAssembly), so it is fetched only when such a picture is chosen, from the copy the web
 * build puts in /assets/wasm-vips-<hash>/ (vite.config.ts). It runs threads on SharedArrayBuffer, which needs
 * the page to be cross-origin isolated (the server sends COOP and COEP headers). Without isolation (a page
 * served over plain HTTP from another machine, or by `vite dev`) the caller falls back to the canvas.
 */
import type { DecodedPixels } from './decoded-pixels.ts';

/** The part of wasm-vips' API used here (its own typings describe the whole library as a global namespace). */
interface VipsImage {
  readonly width: number;
  readonly height: number;
  readonly bands: number;
  readonly interpretation: string;
  iccTransform(outputProfile: string, options: { input_profile: string; intent: string }): VipsImage;
  extractBand(band: number, options: { n: number }): VipsImage;
  writeToMemory(): Uint8Array;
  delete(): void;
}
interface Vips {
  Image: { newFromBuffer(bytes: Uint8Array, optionString: string, options: { fail_on: string }): VipsImage };
  concurrency(threads: number): void;
}
type VipsFactory = (config: { dynamicLibraries: string[] }) => Promise<Vips>;

// Where the web build puts it (a folder named by content hash), set by vite.config.ts.
declare const __WASM_VIPS_MODULE_URL__: string;

let vips: Promise<Vips> | undefined;

/** Whether this page can run libvips (threads need cross-origin isolation). */
export function canDecodeWithLibvips(): boolean {
  return globalThis.crossOriginIsolated === true;
}

function loadVips(): Promise<Vips> {
  vips ??= (import(/* @vite-ignore */ __WASM_VIPS_MODULE_URL__) as Promise<{ default: VipsFactory }>).then(async (module) => {
    // Without the HEIF and JPEG XL add-ons (4 MB more): only JPEG and WebP are decoded here.
    const library = await module.default({ dynamicLibraries: [] });
    // One thread: a phone's memory matters more than speed for these rare pictures.
    library.concurrency(1);
    return library;
  });
  return vips;
}

/** RGBA pixels (alpha 255: the server drops it) of the first page, as sharp with ignoreIcc gives them. */
export async function decodeWithLibvips(bytes: Uint8Array): Promise<DecodedPixels> {
  const library = await loadVips();
  // fail_on 'warning': a cut-short file is refused, as the server refuses it.
  const image = library.Image.newFromBuffer(bytes, '', { fail_on: 'warning' });
  // As sharp does for CMYK without a profile it may use (ignoreIcc): libvips' CMYK profile, perceptual intent.
  const srgb = image.interpretation === 'cmyk' ? image.iccTransform('srgb', { input_profile: 'cmyk', intent: 'perceptual' }) : image;
  if (srgb.bands < 3) throw new Error(`libvips decoded ${srgb.bands} bands where colour was expected.`);
  const rgb = srgb.bands > 3 ? srgb.extractBand(0, { n: 3 }) : srgb;
  const { width, height } = rgb;
  const packed = rgb.writeToMemory();
  for (const used of new Set([image, srgb, rgb])) used.delete();
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    pixels[p * 4] = packed[p * 3];
    pixels[p * 4 + 1] = packed[p * 3 + 1];
    pixels[p * 4 + 2] = packed[p * 3 + 2];
    pixels[p * 4 + 3] = 255;
  }
  return { pixels, width, height };
}
