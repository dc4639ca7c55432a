/**
 * The part of the 2-D DCT that PDQ keeps: frequencies 1..16 along each axis of the 64×64 downsample,
 * computed as the reference does (float32 products and running sums, k in order, no fused multiply-add).
 */

const fround = Math.fround;
const N = 64;
const K = 16;

/**
 * D[i][j] = float32(float32(sqrt(2/64)) · cos(π/2/64 · (i+1) · (2j+1))), product and cosine in double —
 * the reference multiplies its float scale factor by a double cosine and stores the result as float.
 */
export const DCT_MATRIX: Float32Array = (() => {
  const matrix = new Float32Array(K * N);
  const scale = fround(Math.sqrt(2 / N));
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < N; j++) matrix[i * N + j] = scale * Math.cos((Math.PI / 2 / N) * (i + 1) * (2 * j + 1));
  }
  return matrix;
})();

/** B = D · A · Dᵀ for the 64×64 buffer A; returns the 16×16 coefficients, row-major. */
export function dct64To16(a: Float32Array): Float32Array {
  const d = DCT_MATRIX;
  // T = D · A: T[i][j] = Σ_k D[i][k] · A[k][j]. Visited j-innermost so A is read row by row; the order of
  // the k terms of each sum is unchanged.
  const t = new Float32Array(K * N);
  for (let i = 0; i < K; i++) {
    const ti = i * N;
    for (let k = 0; k < N; k++) {
      const dik = d[i * N + k];
      const ak = k * N;
      for (let j = 0; j < N; j++) t[ti + j] = t[ti + j] + fround(dik * a[ak + j]);
    }
  }
  // B[i][j] = Σ_k T[i][k] · D[j][k]
  const b = new Float32Array(K * K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      let sum = 0;
      for (let k = 0; k < N; k++) sum = fround(sum + fround(t[i * N + k] * d[j * N + k]));
      b[i * K + j] = sum;
    }
  }
  return b;
}
