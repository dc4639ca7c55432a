/**
 * YUV 4:2:0 → RGB24 exactly as ffmpeg's swscale converts it for Meta's `vpdq-hash-video` when the frame has
 * an even width and height: its unscaled fast path (x86 SIMD), with sws_getContext's default BT.601
 * coefficients. The browser decodes H.264 bit-exactly, so converting its decoded planes here gives the
 * reference's very RGB values, where the browser's own conversion is a level off here and there.
 * Checked byte for byte against ffmpeg 5.1 on every hashed frame of the shared vector clips
 * (packages/server/test/media/video/yuv420-to-rgb.test.ts), limited and full range.
 */

/** One plane's place in the buffer, as WebCodecs' `VideoFrame.copyTo` returns it for Y, U and V. */
export interface Yuv420Layout {
  offset: number;
  stride: number;
}

// sws_getContext's default matrix: ITU-R BT.601 (ff_yuv2rgb_coeffs[SWS_CS_ITU601]) in 16.16 fixed point.
const CRV = 104597;
const CBU = 132201;
const CGU = 25675;
const CGV = 53279;

/** roundToInt16(x × 2¹³): the 16-bit multipliers the SIMD code uses with pmulhw (high half of the product). */
function simdCoefficient(value: number): number {
  return Math.max(-0x8000, Math.min(0x7fff, Math.floor((value * 8192 + 32768) / 65536)));
}

function coefficients(fullRange: boolean) {
  // Limited range stretches luma by 255/219 and takes 16 off; full range narrows chroma by 224/255 instead.
  const cy = fullRange ? 65536 : Math.trunc((65536 * 255) / 219);
  const chroma = (c: number) => (fullRange ? Math.trunc((c * 224) / 255) : c);
  return {
    y: simdCoefficient(cy),
    yOffset: fullRange ? 0 : 128,
    vr: simdCoefficient(chroma(CRV)),
    ub: simdCoefficient(chroma(CBU)),
    ug: simdCoefficient(-chroma(CGU)),
    vg: simdCoefficient(-chroma(CGV)),
  };
}

const clip = (x: number) => (x < 0 ? 0 : x > 255 ? 255 : x);

/** pmulhw: the high 16 bits of a signed 16 × 16-bit product (floor division by 2¹⁶). */
const mulHigh = (a: number, b: number) => Math.floor((a * b) / 65536);

/**
 * Converts planar YUV 4:2:0 (8 bits; even width and height) to packed RGB, each chroma sample serving its
 * 2×2 block of pixels as swscale's fast path does.
 *
 * @example yuv420ToRgb(planes, layout, 1280, 720, false) // Uint8Array of 1280 × 720 × 3
 */
export function yuv420ToRgb(
  planes: Uint8Array,
  layout: readonly [Yuv420Layout, Yuv420Layout, Yuv420Layout],
  width: number,
  height: number,
  fullRange: boolean,
): Uint8Array {
  if (width % 2 !== 0 || height % 2 !== 0) throw new RangeError(`swscale's fast path needs an even size, got ${width}×${height}`);
  const k = coefficients(fullRange);
  const [yPlane, uPlane, vPlane] = layout;
  const rgb = new Uint8Array(width * height * 3);
  const luma = new Int32Array(256);
  for (let y = 0; y < 256; y++) luma[y] = mulHigh(8 * y - k.yOffset, k.y);
  for (let row = 0; row < height; row++) {
    const yRow = yPlane.offset + row * yPlane.stride;
    const uRow = uPlane.offset + (row >> 1) * uPlane.stride;
    const vRow = vPlane.offset + (row >> 1) * vPlane.stride;
    let out = row * width * 3;
    for (let col = 0; col < width; col++) {
      const u = 8 * planes[uRow + (col >> 1)] - 1024;
      const v = 8 * planes[vRow + (col >> 1)] - 1024;
      const l = luma[planes[yRow + col]];
      rgb[out++] = clip(l + mulHigh(v, k.vr));
      rgb[out++] = clip(l + mulHigh(u, k.ug) + mulHigh(v, k.vg));
      rgb[out++] = clip(l + mulHigh(u, k.ub));
    }
  }
  return rgb;
}
