import type { BrowserVideoHashes, BrowserVideoHashOptions } from './video-hash.ts';
import type { VideoHashError } from './video-hash-error.ts';

/** Sent to the video worker: one video and how to hash it (callbacks and signals stay on the page). */
export interface VideoHashRequest {
  file: Blob;
  options: Omit<BrowserVideoHashOptions, 'onProgress' | 'signal'>;
}

/** Sent back by the video worker: progress while it decodes, then the hashes or why there are none. */
export type VideoHashResponse =
  | { type: 'progress'; hashed: number; total: number }
  | { type: 'done'; hashes: BrowserVideoHashes }
  | { type: 'failed'; code: VideoHashError['code'] | 'hash_failed'; message: string };
