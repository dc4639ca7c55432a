import type { VideoFrameHash, VideoHash } from '../src/index.ts';

/** A deterministic pseudo-random 256-bit hash (xorshift), so tests need no fixtures. */
export function randomHash(seed: number): string {
  let x = (seed * 2654435761) >>> 0 || 1;
  let hex = '';
  for (let i = 0; i < 8; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    hex += x.toString(16).padStart(8, '0');
  }
  return hex;
}

/** The hash with its first `bits` bits flipped (distance exactly `bits`). */
export function flipBits(hash: string, bits: number): string {
  const nibbles = hash.split('').map((c) => parseInt(c, 16));
  for (let b = 0; b < bits; b++) nibbles[b >> 2] ^= 8 >> (b & 3);
  return nibbles.map((n) => n.toString(16)).join('');
}

export function video(hashes: string[], options: { quality?: number; start?: number } = {}): VideoHash {
  const frames: VideoFrameHash[] = hashes.map((hash, i) => ({
    index: i,
    timestamp: (options.start ?? 0) + i,
    hash,
    quality: options.quality ?? 100,
  }));
  return { type: 'vpdq', frames };
}
