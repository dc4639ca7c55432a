/**
 * Luma conversion and the Jarosz tent filter (two rounds of a row box pass then a column box pass), decimated
 * to 64×64 — bit-exact with Meta's reference, which computes all of it in float32.
 *
 * Exactness: every float32 operation is done as a binary64 operation rounded once to binary32 (Math.fround or
 * a store into a Float32Array), which gives the binary32 result exactly for + − × ÷. The order of operations
 * per output value is the reference's; only the order in which values are visited differs.
 *
 * Speed: the reference runs each pass over the whole image, and walks each column with a stride of one row
 * per step. Here the four passes are fused into one streaming pipeline over the input rows:
 *   A. luma of 4 input rows, then the first row pass on the 4 rows  → a ring of (column window + 4) rows
 *   B. the first column pass, advanced one row at a time over all columns at once (sequential memory)
 *   C. the second row pass on every 4 rows B produces, dividing only at the 64 sampled columns
 *   D. the second column pass over those rows×64 values, of which the 64 sampled rows are kept
 * The running sums still see every value in the reference's order (a float32 running sum depends on its whole
 * history), but the divisions of the last two passes are done only where the 64×64 decimation reads, and the
 * working set stays in cache instead of two full-image buffers. The row passes run on 4 rows at once: a
 * running sum is a chain of dependent float operations, and four independent chains overlap.
 *
 * downsample-simd.ts runs the same pipeline with WebAssembly SIMD; this is the fallback where that is
 * unavailable, and the reference it is tested against.
 */

const fround = Math.fround;

// The reference's `static const float` coefficients.
const LUMA_FROM_R = fround(0.299);
const LUMA_FROM_G = fround(0.587);
const LUMA_FROM_B = fround(0.114);

export const PDQ_DOWNSAMPLE_DIM = 64;
const OUT = PDQ_DOWNSAMPLE_DIM;

/** The reference's window size for one box pass: half a block of the 64-wide downsample, rounded up. */
export function jaroszWindowSize(oldDimension: number): number {
  return Math.floor((oldDimension + 2 * OUT - 1) / (2 * OUT));
}

/** The input index that output i (of 64) samples: int((i + 0.5) · n / 64), computed in double as the reference. */
export function decimationIndices(n: number): Int32Array {
  const indices = new Int32Array(OUT);
  for (let i = 0; i < OUT; i++) indices[i] = Math.trunc(((i + 0.5) * n) / OUT);
  return indices;
}

/** Pixels as the hasher takes them: 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA) bytes per pixel. */
export type PixelBytes = Uint8Array | Uint8ClampedArray;

/** Writes the float luma of one input row: 0.299 R + 0.587 G + 0.114 B in float32, or the grey value. */
export function lumaRow(pixels: PixelBytes, channels: number, width: number, row: number, out: Float32Array): void {
  let p = row * width * channels;
  if (channels >= 3) {
    for (let j = 0; j < width; j++, p += channels) {
      out[j] = fround(fround(LUMA_FROM_R * pixels[p]) + fround(LUMA_FROM_G * pixels[p + 1])) + fround(LUMA_FROM_B * pixels[p + 2]);
    }
  } else {
    for (let j = 0; j < width; j++, p += channels) out[j] = pixels[p];
  }
}

/**
 * One box pass over a line of n values (the reference's box1DFloat), reading input[inOff + k·inStride] and
 * writing every output to output[outOff + k·outStride].
 */
function boxLine(
  input: Float32Array, inOff: number, inStride: number,
  output: Float32Array, outOff: number, outStride: number,
  n: number, window: number,
): void {
  const half = (window + 2) >> 1;
  let sum = 0;
  let count = 0;
  let ri = inOff;
  let li = inOff;
  let oi = outOff;
  for (let k = 0; k < half - 1; k++, ri += inStride) {
    sum = fround(sum + input[ri]);
    count++;
  }
  for (let k = 0; k < window - half + 1; k++, ri += inStride, oi += outStride) {
    sum = fround(sum + input[ri]);
    count++;
    output[oi] = sum / count;
  }
  for (let k = 0; k < n - window; k++, ri += inStride, li += inStride, oi += outStride) {
    sum = fround(fround(sum + input[ri]) - input[li]);
    output[oi] = sum / count;
  }
  for (let k = 0; k < half - 1; k++, li += inStride, oi += outStride) {
    sum = fround(sum - input[li]);
    count--;
    output[oi] = sum / count;
  }
}

/**
 * The box pass along 4 rows at once: four independent running sums per step, so the four dependency chains
 * (add → round → subtract → round) overlap instead of each step waiting for the last.
 */
function boxRows4(
  a0: Float32Array, a1: Float32Array, a2: Float32Array, a3: Float32Array,
  o0: Float32Array, o1: Float32Array, o2: Float32Array, o3: Float32Array,
  n: number, window: number,
): void {
  const half = (window + 2) >> 1;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let count = 0;
  let ri = 0;
  let li = 0;
  let oi = 0;
  for (let k = 0; k < half - 1; k++, ri++) {
    s0 = fround(s0 + a0[ri]); s1 = fround(s1 + a1[ri]); s2 = fround(s2 + a2[ri]); s3 = fround(s3 + a3[ri]);
    count++;
  }
  for (let k = 0; k < window - half + 1; k++, ri++, oi++) {
    s0 = fround(s0 + a0[ri]); s1 = fround(s1 + a1[ri]); s2 = fround(s2 + a2[ri]); s3 = fround(s3 + a3[ri]);
    const inverse = 1 / ++count;
    o0[oi] = s0 * inverse; o1[oi] = s1 * inverse; o2[oi] = s2 * inverse; o3[oi] = s3 * inverse;
  }
  const inverse = 1 / count;
  for (let k = 0; k < n - window; k++, ri++, li++, oi++) {
    s0 = fround(fround(s0 + a0[ri]) - a0[li]);
    s1 = fround(fround(s1 + a1[ri]) - a1[li]);
    s2 = fround(fround(s2 + a2[ri]) - a2[li]);
    s3 = fround(fround(s3 + a3[ri]) - a3[li]);
    o0[oi] = s0 * inverse; o1[oi] = s1 * inverse; o2[oi] = s2 * inverse; o3[oi] = s3 * inverse;
  }
  for (let k = 0; k < half - 1; k++, li++, oi++) {
    s0 = fround(s0 - a0[li]); s1 = fround(s1 - a1[li]); s2 = fround(s2 - a2[li]); s3 = fround(s3 - a3[li]);
    const inverse = 1 / --count;
    o0[oi] = s0 * inverse; o1[oi] = s1 * inverse; o2[oi] = s2 * inverse; o3[oi] = s3 * inverse;
  }
}

/**
 * The box pass along 4 rows at once, dividing only at the sampled positions (as boxLineSampled), sample s
 * of row r written to output[outOff + 64·r + s].
 */
function boxRows4Sampled(
  a0: Float32Array, a1: Float32Array, a2: Float32Array, a3: Float32Array,
  n: number, window: number, samples: Int32Array, output: Float32Array, outOff: number,
): void {
  const half = (window + 2) >> 1;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let count = 0;
  let ri = 0;
  let li = 0;
  let oi = 0;
  let s = 0;
  let next = samples[0];
  for (let k = 0; k < half - 1; k++, ri++) {
    s0 = fround(s0 + a0[ri]); s1 = fround(s1 + a1[ri]); s2 = fround(s2 + a2[ri]); s3 = fround(s3 + a3[ri]);
    count++;
  }
  for (let k = 0; k < window - half + 1; k++, ri++, oi++) {
    s0 = fround(s0 + a0[ri]); s1 = fround(s1 + a1[ri]); s2 = fround(s2 + a2[ri]); s3 = fround(s3 + a3[ri]);
    count++;
    while (oi === next) {
      const at = outOff + s++;
      output[at] = s0 / count; output[at + OUT] = s1 / count; output[at + 2 * OUT] = s2 / count; output[at + 3 * OUT] = s3 / count;
      if (s === OUT) return;
      next = samples[s];
    }
  }
  for (let k = 0; k < n - window; k++, ri++, li++, oi++) {
    s0 = fround(fround(s0 + a0[ri]) - a0[li]);
    s1 = fround(fround(s1 + a1[ri]) - a1[li]);
    s2 = fround(fround(s2 + a2[ri]) - a2[li]);
    s3 = fround(fround(s3 + a3[ri]) - a3[li]);
    while (oi === next) {
      const at = outOff + s++;
      output[at] = s0 / count; output[at + OUT] = s1 / count; output[at + 2 * OUT] = s2 / count; output[at + 3 * OUT] = s3 / count;
      if (s === OUT) return;
      next = samples[s];
    }
  }
  for (let k = 0; k < half - 1; k++, li++, oi++) {
    s0 = fround(s0 - a0[li]); s1 = fround(s1 - a1[li]); s2 = fround(s2 - a2[li]); s3 = fround(s3 - a3[li]);
    count--;
    while (oi === next) {
      const at = outOff + s++;
      output[at] = s0 / count; output[at + OUT] = s1 / count; output[at + 2 * OUT] = s2 / count; output[at + 3 * OUT] = s3 / count;
      if (s === OUT) return;
      next = samples[s];
    }
  }
}

/**
 * Blurs the image with two Jarosz rounds and decimates it to 64×64 (row-major Float32Array of 4096 values).
 * `width` and `height` must be at least 5 (smaller images hash to zero before getting here).
 */
export function downsampleTo64(pixels: PixelBytes, channels: number, width: number, height: number): Float32Array {
  const windowAlongRows = jaroszWindowSize(width);
  const windowAlongCols = jaroszWindowSize(height);
  const halfCols = (windowAlongCols + 2) >> 1;
  const columnSamples = decimationIndices(width);
  const rowSamples = decimationIndices(height);

  // Stage A output: a ring holding the rows the column pass still needs (the newest and `window` before it,
  // and up to 3 more, as rows are produced 4 at a time).
  const ringSize = windowAlongCols + 4;
  const ring: Float32Array[] = [];
  for (let k = 0; k < ringSize; k++) ring.push(new Float32Array(width));
  const luma = [0, 1, 2, 3].map(() => new Float32Array(width));
  let produced = 0;
  const rowA = (r: number): Float32Array => {
    while (r >= produced) {
      // Past the image's last row, the group repeats it; those rows are never read.
      for (let k = 0; k < 4; k++) lumaRow(pixels, channels, width, Math.min(produced + k, height - 1), luma[k]);
      boxRows4(luma[0], luma[1], luma[2], luma[3],
        ring[produced % ringSize], ring[(produced + 1) % ringSize], ring[(produced + 2) % ringSize], ring[(produced + 3) % ringSize],
        width, windowAlongRows);
      produced += 4;
    }
    return ring[r % ringSize];
  };

  // Stage B state: float32 running sums for every column, advanced one row at a time; its output rows go
  // to stage C 4 at a time.
  const columnSums = new Float32Array(width);
  const rowsB = [0, 1, 2, 3].map(() => new Float32Array(width));
  // Stage C output: the second row pass, at the 64 sampled columns only, for every row (and up to 3 more).
  const sampledRows = new Float32Array((height + 3) * OUT);
  let oi = 0;
  const emitted = (): void => {
    if ((++oi & 3) === 0) {
      boxRows4Sampled(rowsB[0], rowsB[1], rowsB[2], rowsB[3], width, windowAlongRows, columnSamples, sampledRows, OUT * (oi - 4));
    }
  };

  let count = 0;
  let ri = 0;
  let li = 0;
  for (let k = 0; k < halfCols - 1; k++) {
    const a = rowA(ri++);
    for (let j = 0; j < width; j++) columnSums[j] += a[j];
    count++;
  }
  for (let k = 0; k < windowAlongCols - halfCols + 1; k++) {
    const a = rowA(ri++);
    const rowB = rowsB[oi & 3];
    const inverse = 1 / ++count;
    for (let j = 0; j < width; j++) {
      const s = fround(columnSums[j] + a[j]);
      columnSums[j] = s;
      rowB[j] = s * inverse;
    }
    emitted();
  }
  for (let k = 0; k < height - windowAlongCols; k++) {
    const a = rowA(ri++);
    const l = ring[li++ % ringSize];
    const rowB = rowsB[oi & 3];
    const inverse = 1 / count;
    for (let j = 0; j < width; j++) {
      const s = fround(fround(columnSums[j] + a[j]) - l[j]);
      columnSums[j] = s;
      rowB[j] = s * inverse;
    }
    emitted();
  }
  for (let k = 0; k < halfCols - 1; k++) {
    const l = ring[li++ % ringSize];
    const rowB = rowsB[oi & 3];
    const inverse = 1 / --count;
    for (let j = 0; j < width; j++) {
      const s = fround(columnSums[j] - l[j]);
      columnSums[j] = s;
      rowB[j] = s * inverse;
    }
    emitted();
  }
  // The last rows, if not a multiple of 4 (the other rows of the group are stale and not kept).
  if ((oi & 3) !== 0) {
    boxRows4Sampled(rowsB[0], rowsB[1], rowsB[2], rowsB[3], width, windowAlongRows, columnSamples, sampledRows, OUT * (oi & ~3));
  }

  // Stage D: the second column pass over the sampled columns, then the 64 sampled rows.
  const columns = new Float32Array(height * OUT);
  for (let j = 0; j < OUT; j++) boxLine(sampledRows, j, OUT, columns, j, OUT, height, windowAlongCols);
  const out = new Float32Array(OUT * OUT);
  for (let i = 0; i < OUT; i++) out.set(columns.subarray(rowSamples[i] * OUT, rowSamples[i] * OUT + OUT), i * OUT);
  return out;
}

/** The whole image as float luma, for a 64×64 input, which the reference hashes without blurring. */
export function lumaImage(pixels: PixelBytes, channels: number, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let r = 0; r < height; r++) lumaRow(pixels, channels, width, r, out.subarray(r * width, (r + 1) * width));
  return out;
}
