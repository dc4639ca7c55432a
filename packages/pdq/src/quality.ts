/**
 * PDQ's image-domain quality (0–100): the sum of significant gradients between vertical and horizontal
 * neighbours of the 64×64 downsample. Below 50 an image is too uniform to match on reliably.
 */

const fround = Math.fround;

export function pdqQuality(buffer64x64: Float32Array): number {
  let gradientSum = 0;
  // d = int(((u − v) · 100) / 255) in float32, truncated toward zero, as the reference computes it.
  for (let i = 0; i < 63; i++) {
    for (let j = 0; j < 64; j++) {
      const d = Math.trunc(fround(fround(fround(buffer64x64[i * 64 + j] - buffer64x64[(i + 1) * 64 + j]) * 100) / 255));
      gradientSum += Math.abs(d);
    }
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 63; j++) {
      const d = Math.trunc(fround(fround(fround(buffer64x64[i * 64 + j] - buffer64x64[i * 64 + j + 1]) * 100) / 255));
      gradientSum += Math.abs(d);
    }
  }
  return Math.min(100, Math.trunc(gradientSum / 90));
}
