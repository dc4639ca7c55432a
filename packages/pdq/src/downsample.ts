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
 *   A. luma of an input row, then the first row pass            → a ring of (column window + 1) rows
 *   B. the first column pass, advanced one row at a time over all columns at once (sequential memory)
 *   C. the second row pass on each row B produces, dividing only at the 64 sampled columns
 *   D. the second column pass over those rows×64 values, dividing only at the 64 sampled rows
 * The running sums still see every value in the reference's order (a float32 running sum depends on its whole
 * history), but the divisions of the last two passes are done only where the 64×64 decimation reads, and the
 * working set stays in cache instead of two full-image buffers.
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
 * The same box pass over a row, but dividing only at the sampled positions (increasing, possibly repeated
 * for images narrower than 64), written to output[outOff + s] for sample s. Stops once the last is written.
 */
function boxLineSampled(
  input: Float32Array, n: number, window: number,
  samples: Int32Array, output: Float32Array, outOff: number,
): void {
  const half = (window + 2) >> 1;
  let sum = 0;
  let count = 0;
  let ri = 0;
  let li = 0;
  let oi = 0;
  let s = 0;
  let next = samples[0];
  for (let k = 0; k < half - 1; k++) {
    sum = fround(sum + input[ri++]);
    count++;
  }
  for (let k = 0; k < window - half + 1; k++, oi++) {
    sum = fround(sum + input[ri++]);
    count++;
    while (oi === next) {
      output[outOff + s++] = sum / count;
      if (s === OUT) return;
      next = samples[s];
    }
  }
  for (let k = 0; k < n - window; k++, oi++) {
    sum = fround(fround(sum + input[ri++]) - input[li++]);
    while (oi === next) {
      output[outOff + s++] = sum / count;
      if (s === OUT) return;
      next = samples[s];
    }
  }
  for (let k = 0; k < half - 1; k++, oi++) {
    sum = fround(sum - input[li++]);
    count--;
    while (oi === next) {
      output[outOff + s++] = sum / count;
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

  // Stage A output: a ring holding the rows the column pass still needs (the newest and `window` before it).
  const ringSize = windowAlongCols + 1;
  const ring: Float32Array[] = [];
  for (let k = 0; k < ringSize; k++) ring.push(new Float32Array(width));
  const luma = new Float32Array(width);
  let produced = 0;
  const rowA = (r: number): Float32Array => {
    const slot = ring[r % ringSize];
    if (r === produced) {
      lumaRow(pixels, channels, width, r, luma);
      boxLine(luma, 0, 1, slot, 0, 1, width, windowAlongRows);
      produced++;
    }
    return slot;
  };

  // Stage B state: float32 running sums for every column, advanced one row at a time.
  const columnSums = new Float32Array(width);
  const rowB = new Float32Array(width);
  // Stage C output: the second row pass, at the 64 sampled columns only, for every row.
  const sampledRows = new Float32Array(height * OUT);

  let count = 0;
  let ri = 0;
  let li = 0;
  let oi = 0;
  for (let k = 0; k < halfCols - 1; k++) {
    const a = rowA(ri++);
    for (let j = 0; j < width; j++) columnSums[j] += a[j];
    count++;
  }
  for (let k = 0; k < windowAlongCols - halfCols + 1; k++) {
    const a = rowA(ri++);
    count++;
    for (let j = 0; j < width; j++) {
      const s = fround(columnSums[j] + a[j]);
      columnSums[j] = s;
      rowB[j] = s / count;
    }
    boxLineSampled(rowB, width, windowAlongRows, columnSamples, sampledRows, OUT * oi++);
  }
  for (let k = 0; k < height - windowAlongCols; k++) {
    const a = rowA(ri++);
    const l = ring[li++ % ringSize];
    for (let j = 0; j < width; j++) {
      const s = fround(fround(columnSums[j] + a[j]) - l[j]);
      columnSums[j] = s;
      rowB[j] = s / count;
    }
    boxLineSampled(rowB, width, windowAlongRows, columnSamples, sampledRows, OUT * oi++);
  }
  for (let k = 0; k < halfCols - 1; k++) {
    const l = ring[li++ % ringSize];
    count--;
    for (let j = 0; j < width; j++) {
      const s = fround(columnSums[j] - l[j]);
      columnSums[j] = s;
      rowB[j] = s / count;
    }
    boxLineSampled(rowB, width, windowAlongRows, columnSamples, sampledRows, OUT * oi++);
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
