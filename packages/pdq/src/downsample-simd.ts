/**
 * The same blur-and-decimate as downsampleTo64 (downsample.ts), and the same DCT as dct64To16 (dct.ts), with
 * their loops in WebAssembly SIMD (wasm/pdq-simd.wat, committed as bytes in pdq-simd.generated.ts) —
 * bit-exact, several times faster. The pure TypeScript versions run where WebAssembly SIMD is unavailable.
 *
 * The blur drives the kernels in the same streaming order as downsample.ts:
 *   A. 8 input rows at a time: luma, then the first row pass on the 8 rows at once (lanes = rows)
 *      → a ring of rows the column pass still needs
 *   B. the first column pass, 4 row steps per call over all columns (lanes = columns), its output woven
 *   C. every 8 rows from B: the second row pass, dividing only at the 64 sampled columns — in the same
 *      kernel call as stage A's next 8 rows, so their dependency chains overlap
 *   D. the second column pass over those 64 columns, for every row; the 64 sampled rows are kept.
 * The input is copied into WebAssembly memory 8 rows at a time, so the memory needed grows with the width
 * (about (window + 30) rows of floats) and the height (2 × 64 floats per row), not with the pixel count:
 * a 100-megapixel image (10000 × 10000) needs about 10 MB. The memory grows when an image needs more and is
 * then reused; no buffer outlives a call.
 */

import { DCT_MATRIX, dct64To16 } from './dct.ts';
import { PDQ_SIMD_WASM } from './pdq-simd.generated.ts';
import {
  decimationIndices, downsampleTo64, jaroszWindowSize, PDQ_DOWNSAMPLE_DIM as OUT, type PixelBytes,
} from './downsample.ts';

interface Kernels {
  memory: WebAssembly.Memory;
  lumaWoven4(input: number, rowStride: number, channels: number, width4: number, dst: number): void;
  unweave4(src: number, dst: number, rowStride: number, width4: number): void;
  boxRowsTwice8(
    a: number, aOut: number, c: number, other: number, n: number, window: number, samples: number, cOut: number,
  ): void;
  columnStep(sums: number, add: number, sub: number, out: number, count: number, width4: number): void;
  dct16(a: number, d: number, dt: number, t: number, b: number): void;
  columnSteps4Woven(
    sums: number, a0: number, a1: number, a2: number, a3: number, l0: number, l1: number, l2: number, l3: number,
    c0: number, c1: number, c2: number, c3: number, dst: number, width4: number,
  ): void;
}

let kernels: Kernels | null | undefined;

/**
 * The kernels, or null where WebAssembly SIMD is unavailable (old engines), or where synchronous compiling
 * is refused (a browser's main thread may refuse it; the web app hashes in a worker).
 */
function loadKernels(): Kernels | null {
  if (kernels !== undefined) return kernels;
  try {
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(PDQ_SIMD_WASM)) {
      kernels = null;
    } else {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(PDQ_SIMD_WASM), {});
      kernels = instance.exports as unknown as Kernels;
    }
  } catch {
    kernels = null;
  }
  return kernels;
}

/** Whether the WebAssembly SIMD kernels run here (else pdqHash uses the pure TypeScript path). */
export function simdAvailable(): boolean {
  return loadKernels() !== null;
}

const align16 = (bytes: number): number => (bytes + 15) & ~15;

/** Rows per group: the row passes run on 8 rows at once (two vectors of 4, two overlapping dependency chains). */
const GROUP = 8;

/** Byte offsets of the working buffers for one image, from 0 (the memory holds nothing between calls). */
function layout(width: number, height: number, channels: number, ringRows: number) {
  const width4 = (width + 3) & ~3;
  const rowBytes = width4 * 4;
  let at = 0;
  const take = (bytes: number): number => {
    const start = at;
    at += align16(bytes);
    return start;
  };
  const zeros = take(Math.max(rowBytes, OUT * 4));
  const columnSums = take(rowBytes);
  const discard = take(Math.max(rowBytes, OUT * 4));
  // A group of input rows; lumaWoven4 reads up to 15 bytes past the last pixel it converts.
  const input = take(GROUP * width * channels + 4 * channels + 16);
  const wovenHalf = width4 * 16;
  const woven = take(2 * wovenHalf);
  const wovenOut = take(2 * wovenHalf);
  const wovenC = take(2 * wovenHalf);
  const discardSamples = take(GROUP * OUT * 4);
  const ring = take(ringRows * rowBytes);
  const columnSamples = take(OUT * 4);
  const sampledRows = take((height + GROUP) * OUT * 4);
  const sampledSums = take(OUT * 4);
  const blurred = take(height * OUT * 4);
  return {
    width4, rowBytes, zeros, columnSums, discard, input, wovenHalf, woven, wovenOut, wovenC, discardSamples, ring,
    columnSamples, sampledRows, sampledSums, blurred, end: at,
  };
}

/** Grows the memory to at least `bytes`; false when the engine refuses (then the TypeScript path runs). */
function ensureMemory(memory: WebAssembly.Memory, bytes: number): boolean {
  const missing = bytes - memory.buffer.byteLength;
  if (missing <= 0) return true;
  try {
    memory.grow(Math.ceil(missing / 65536));
    return true;
  } catch {
    return false;
  }
}

/**
 * Blurs and decimates to 64×64 as downsampleTo64 does, or returns null where WebAssembly SIMD is unavailable.
 * `width` and `height` must be at least 5.
 */
export function downsampleTo64Simd(pixels: PixelBytes, channels: number, width: number, height: number): Float32Array | null {
  const k = loadKernels();
  if (k === null) return null;
  const windowAlongRows = jaroszWindowSize(width);
  const windowAlongCols = jaroszWindowSize(height);
  const halfCols = (windowAlongCols + 2) >> 1;
  // A group of 8 column steps (output rows o … o + 7) reads stage-A rows o − window + half − 1 up to
  // o + half + 6, and stage A runs up to 7 rows ahead of what it was asked for: window + 16 rows, rounded
  // up so each group of 8 rows is contiguous.
  const ringRows = (windowAlongCols + 16 + GROUP - 1) & ~(GROUP - 1);
  const m = layout(width, height, channels, ringRows);
  if (!ensureMemory(k.memory, m.end)) return null;
  const buffer = k.memory.buffer;
  const bytes = new Uint8Array(buffer);
  bytes.fill(0, m.zeros, m.columnSums + m.rowBytes);
  bytes.fill(0, m.sampledSums, m.sampledSums + OUT * 4);
  new Int32Array(buffer, m.columnSamples, OUT).set(decimationIndices(width));

  const { width4, rowBytes, wovenHalf } = m;
  const inputRowBytes = width * channels;

  // The two row passes run together (boxRowsTwice8): stage A on the next 8 input rows and stage C on the
  // last 8 rows of stage B, waiting woven in m.wovenC. When one of the two has nothing to do (at the start
  // and the end), its half of the call runs on leftover floats and writes where nothing is read.
  bytes.fill(0, m.wovenC, m.wovenC + 2 * wovenHalf);
  let pendingC = -1;
  const rowPasses = (): void => {
    const cOut = pendingC >= 0 ? m.sampledRows + pendingC * OUT * 4 : m.discardSamples;
    k.boxRowsTwice8(m.woven, m.wovenOut, m.wovenC, wovenHalf, width, windowAlongRows, m.columnSamples, cOut);
    pendingC = -1;
  };

  // Stage A: luma and the first row pass, 8 rows at a time, on demand. Rows past the image's last are
  // computed from leftover bytes and never read.
  let produced = 0;
  const slotA = (r: number): number => m.ring + (r % ringRows) * rowBytes;
  const rowA = (r: number): number => {
    while (r >= produced) {
      const rows = Math.min(GROUP, height - produced);
      bytes.set(pixels.subarray(produced * inputRowBytes, (produced + rows) * inputRowBytes), m.input);
      k.lumaWoven4(m.input, inputRowBytes, channels, width4, m.woven);
      k.lumaWoven4(m.input + 4 * inputRowBytes, inputRowBytes, channels, width4, m.woven + wovenHalf);
      rowPasses();
      k.unweave4(m.wovenOut, slotA(produced), rowBytes, width4);
      k.unweave4(m.wovenOut + wovenHalf, slotA(produced + 4), rowBytes, width4);
      produced += GROUP;
    }
    return slotA(r);
  };

  // Stage B: column steps are queued (the rows they add and subtract, and their count) and run 8 at a
  // time, their outputs woven into m.wovenC for stage C.
  const adds = new Int32Array(GROUP);
  const subs = new Int32Array(GROUP);
  const counts = new Int32Array(GROUP);
  let queued = 0;
  let rowsOut = 0;
  const flush = (): void => {
    for (; queued < GROUP; queued++) {
      adds[queued] = m.zeros;
      subs[queued] = m.zeros;
      counts[queued] = 1;
    }
    // Stage C of the previous group, if stage A had no rows to produce since (then m.wovenOut is free).
    if (pendingC >= 0) rowPasses();
    k.columnSteps4Woven(m.columnSums, adds[0], adds[1], adds[2], adds[3], subs[0], subs[1], subs[2], subs[3],
      counts[0], counts[1], counts[2], counts[3], m.wovenC, width4);
    k.columnSteps4Woven(m.columnSums, adds[4], adds[5], adds[6], adds[7], subs[4], subs[5], subs[6], subs[7],
      counts[4], counts[5], counts[6], counts[7], m.wovenC + wovenHalf, width4);
    pendingC = rowsOut;
    rowsOut += GROUP;
    queued = 0;
  };
  const step = (add: number, sub: number, count: number): void => {
    adds[queued] = add;
    subs[queued] = sub;
    counts[queued] = count;
    if (++queued === GROUP) flush();
  };
  let count = 0;
  let ri = 0;
  let li = 0;
  for (let i = 0; i < halfCols - 1; i++) {
    k.columnStep(m.columnSums, rowA(ri++), m.zeros, m.discard, 1, width4);
    count++;
  }
  for (let i = 0; i < windowAlongCols - halfCols + 1; i++) step(rowA(ri++), m.zeros, ++count);
  for (let i = 0; i < height - windowAlongCols; i++) step(rowA(ri++), slotA(li++), count);
  for (let i = 0; i < halfCols - 1; i++) step(m.zeros, slotA(li++), --count);
  if (queued > 0) flush();
  if (pendingC >= 0) rowPasses();

  // Stage D: the second column pass over the 64 sampled columns, every row written to `blurred`.
  const sampled = (r: number): number => m.sampledRows + r * OUT * 4;
  const blurredRow = (r: number): number => m.blurred + r * OUT * 4;
  count = 0;
  ri = 0;
  li = 0;
  let oi = 0;
  for (let i = 0; i < halfCols - 1; i++) {
    k.columnStep(m.sampledSums, sampled(ri++), m.zeros, m.discard, 1, OUT);
    count++;
  }
  for (let i = 0; i < windowAlongCols - halfCols + 1; i++) {
    count++;
    k.columnStep(m.sampledSums, sampled(ri++), m.zeros, blurredRow(oi++), count, OUT);
  }
  for (let i = 0; i < height - windowAlongCols; i++) {
    k.columnStep(m.sampledSums, sampled(ri++), sampled(li++), blurredRow(oi++), count, OUT);
  }
  for (let i = 0; i < halfCols - 1; i++) {
    count--;
    k.columnStep(m.sampledSums, m.zeros, sampled(li++), blurredRow(oi++), count, OUT);
  }

  const blurred = new Float32Array(buffer, m.blurred, height * OUT);
  const out = new Float32Array(OUT * OUT);
  const rowSamples = decimationIndices(height);
  for (let i = 0; i < OUT; i++) out.set(blurred.subarray(rowSamples[i] * OUT, rowSamples[i] * OUT + OUT), i * OUT);
  return out;
}

/** The DCT matrix transposed (64×16), so the SIMD DCT reads 4 of its columns with one load. */
const DCT_MATRIX_TRANSPOSED: Float32Array = (() => {
  const transposed = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) for (let k = 0; k < 64; k++) transposed[k * 16 + i] = DCT_MATRIX[i * 64 + k];
  return transposed;
})();

/** dct64To16 (dct.ts) with WebAssembly SIMD, identical results; null where WebAssembly SIMD is unavailable. */
export function dct64To16Simd(buffer64x64: Float32Array): Float32Array | null {
  const k = loadKernels();
  if (k === null) return null;
  // a 64×64, d 16×64, dᵀ 64×16, t 16×64, b 16×16 floats
  const a = 0;
  const d = a + 64 * 64 * 4;
  const dt = d + 16 * 64 * 4;
  const t = dt + 64 * 16 * 4;
  const b = t + 16 * 64 * 4;
  if (!ensureMemory(k.memory, b + 16 * 16 * 4)) return null;
  const floats = new Float32Array(k.memory.buffer);
  floats.set(buffer64x64, a / 4);
  floats.set(DCT_MATRIX, d / 4);
  floats.set(DCT_MATRIX_TRANSPOSED, dt / 4);
  k.dct16(a, d, dt, t, b);
  return floats.slice(b / 4, b / 4 + 256);
}

let simdAllowed = true;

/** For tests and benchmarks only (exported as @takedown/pdq/simd-switch): false forces the pure TypeScript path. */
export function allowSimd(allowed: boolean): void {
  simdAllowed = allowed;
}

/** dct64To16 with WebAssembly SIMD where available, else in pure TypeScript; the results are identical. */
export function dctCoefficients(buffer64x64: Float32Array): Float32Array {
  return (simdAllowed ? dct64To16Simd(buffer64x64) : null) ?? dct64To16(buffer64x64);
}

/** downsampleTo64 with WebAssembly SIMD where available, else in pure TypeScript; the results are identical. */
export function blurAndDecimate(pixels: PixelBytes, channels: number, width: number, height: number): Float32Array {
  return (simdAllowed ? downsampleTo64Simd(pixels, channels, width, height) : null)
    ?? downsampleTo64(pixels, channels, width, height);
}
