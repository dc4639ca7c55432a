/** Small timing helpers shared by the benchmarks. */

/** The p-th percentile (0–100) of the samples, by nearest rank. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (samples: number[]): number => percentile(samples, 50);

/** Runs `fn` `warmup` times, then `runs` times, and returns each run's milliseconds. */
export async function timeRuns(fn: () => unknown, runs: number, warmup = Math.min(5, runs)): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** Rounds for printing: 3 significant decimals is plenty for milliseconds and ratios. */
export const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

/** A repeatable 32-bit pseudo-random sequence (xorshift32) from `seed`: the same bank and queries on every run. */
export function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}
