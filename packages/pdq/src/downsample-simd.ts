/**
 * The same blur-and-decimate as downsampleTo64 (downsample.ts), with its loops in WebAssembly SIMD
 * (wasm/pdq-simd.wat, committed as bytes in pdq-simd.generated.ts) — bit-exact, several times faster.
 *
 * This file only drives the kernels, in the same streaming order as downsample.ts:
 *   A. 4 input rows at a time: luma, then the first row pass on the 4 rows at once (lanes = rows)
 *      → a ring of rows the column pass still needs
 *   B. the first column pass, one row step over all columns (lanes = columns)
 *   C. every 4 rows from B: the second row pass, dividing only at the 64 sampled columns
 *   D. the second column pass over those 64 columns, for every row; the 64 sampled rows are kept.
 * The input is copied into WebAssembly memory 4 rows at a time, so the memory needed grows with the width
 * (about (window + 12) rows of floats) and the height (2 × 64 floats per row), not with the pixel count:
 * a 100-megapixel image needs about 10 MB. The memory grows when an image needs more and is then reused.
 */

import { PDQ_SIMD_WASM } from './pdq-simd.generated.ts';
import {
  decimationIndices, downsampleTo64, jaroszWindowSize, PDQ_DOWNSAMPLE_DIM as OUT, type PixelBytes,
} from './downsample.ts';

interface Kernels {
  memory: WebAssembly.Memory;
  lumaRow(input: number, channels: number, width4: number, out: number): void;
  interleave4(src: number, rowStride: number, dst: number, width4: number): void;
  deinterleave4(src: number, dst: number, rowStride: number, width4: number): void;
  boxRows4(src: number, dst: number, n: number, window: number): void;
  boxRows4Sampled(src: number, n: number, window: number, samples: number, dst: number): void;
  columnStep(sums: number, add: number, sub: number, out: number, count: number, width4: number): void;
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

/** Whether downsampleTo64Simd can run here. */
export function simdAvailable(): boolean {
  return loadKernels() !== null;
}

const align16 = (bytes: number): number => (bytes + 15) & ~15;

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
  // 4 input rows; lumaRow reads up to 15 bytes past the last pixel it converts.
  const input = take(4 * width * channels + 4 * channels + 16);
  const luma = take(4 * rowBytes);
  const woven = take(width4 * 16);
  const wovenOut = take(width4 * 16);
  const ring = take(ringRows * rowBytes);
  const rowsB = take(4 * rowBytes);
  const columnSamples = take(OUT * 4);
  const height4 = (height + 3) & ~3;
  const sampledRows = take(height4 * OUT * 4);
  const sampledSums = take(OUT * 4);
  const blurred = take(height * OUT * 4);
  return {
    width4, rowBytes, zeros, columnSums, discard, input, luma, woven, wovenOut, ring, rowsB, columnSamples,
    sampledRows, sampledSums, blurred, end: at,
  };
}

function ensureMemory(memory: WebAssembly.Memory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
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
  // Column step i needs row i + half − 1 of stage A and the one `window` rows before it, and stage A runs
  // up to 3 rows ahead: window + 4 rows, rounded up so each group of 4 rows is contiguous.
  const ringRows = (windowAlongCols + 4 + 3) & ~3;
  const m = layout(width, height, channels, ringRows);
  ensureMemory(k.memory, m.end);
  const buffer = k.memory.buffer;
  const bytes = new Uint8Array(buffer);
  bytes.fill(0, m.zeros, m.columnSums + m.rowBytes);
  bytes.fill(0, m.sampledSums, m.sampledSums + OUT * 4);
  new Int32Array(buffer, m.columnSamples, OUT).set(decimationIndices(width));

  const { width4, rowBytes } = m;
  const inputRowBytes = width * channels;

  // Stage A: produces rows in groups of 4, on demand.
  let produced = 0;
  const produceGroup = (): void => {
    const rows = Math.min(4, height - produced);
    bytes.set(pixels.subarray(produced * inputRowBytes, (produced + rows) * inputRowBytes), m.input);
    // Past the last image row, the group is padded by repeating it; those rows are never read.
    for (let r = 0; r < 4; r++) {
      k.lumaRow(m.input + Math.min(r, rows - 1) * inputRowBytes, channels, width4, m.luma + r * rowBytes);
    }
    k.interleave4(m.luma, rowBytes, m.woven, width4);
    k.boxRows4(m.woven, m.wovenOut, width, windowAlongRows);
    k.deinterleave4(m.wovenOut, m.ring + (produced % ringRows) * rowBytes, rowBytes, width4);
    produced += 4;
  };
  const rowA = (r: number): number => {
    while (r >= produced) produceGroup();
    return m.ring + (r % ringRows) * rowBytes;
  };
  const slotA = (r: number): number => m.ring + (r % ringRows) * rowBytes;

  // Stages B and C.
  let rowsOut = 0;
  const rowB = (): number => m.rowsB + (rowsOut & 3) * rowBytes;
  const emittedB = (): void => {
    rowsOut++;
    if ((rowsOut & 3) === 0) sampleRowsB(rowsOut - 4);
  };
  const sampleRowsB = (firstRow: number): void => {
    k.interleave4(m.rowsB, rowBytes, m.woven, width4);
    k.boxRows4Sampled(m.woven, width, windowAlongRows, m.columnSamples, m.sampledRows + firstRow * OUT * 4);
  };
  let count = 0;
  let ri = 0;
  let li = 0;
  for (let i = 0; i < halfCols - 1; i++) {
    k.columnStep(m.columnSums, rowA(ri++), m.zeros, m.discard, 1, width4);
    count++;
  }
  for (let i = 0; i < windowAlongCols - halfCols + 1; i++) {
    const add = rowA(ri++);
    count++;
    k.columnStep(m.columnSums, add, m.zeros, rowB(), count, width4);
    emittedB();
  }
  for (let i = 0; i < height - windowAlongCols; i++) {
    const add = rowA(ri++);
    k.columnStep(m.columnSums, add, slotA(li++), rowB(), count, width4);
    emittedB();
  }
  for (let i = 0; i < halfCols - 1; i++) {
    count--;
    k.columnStep(m.columnSums, m.zeros, slotA(li++), rowB(), count, width4);
    emittedB();
  }
  if ((rowsOut & 3) !== 0) sampleRowsB(rowsOut & ~3);

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

let simdAllowed = true;

/** For tests and benchmarks only (not exported by the package): false forces the pure TypeScript path. */
export function allowSimd(allowed: boolean): void {
  simdAllowed = allowed;
}

/** downsampleTo64 with WebAssembly SIMD where available, else in pure TypeScript; the results are identical. */
export function blurAndDecimate(pixels: PixelBytes, channels: number, width: number, height: number): Float32Array {
  return (simdAllowed ? downsampleTo64Simd(pixels, channels, width, height) : null)
    ?? downsampleTo64(pixels, channels, width, height);
}
