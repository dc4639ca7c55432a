/**
 * The page's side of the video worker: one worker per video, ended when the video is hashed, fails or is
 * abandoned — a decoder holds frames in memory, and ending the worker is the sure way to give them back.
 */
import type { BrowserVideoHashes, BrowserVideoHashOptions } from './video-hash.ts';
import { VideoHashError } from './video-hash-error.ts';
import type { VideoHashRequest, VideoHashResponse } from './video-hash-messages.ts';

/**
 * Hashes a video in a worker with {@link hashVideoInBrowser}'s rule and options. Rejects with VideoHashError
 * (`aborted` when the signal fires), or a plain Error when the worker itself fails.
 */
export function hashVideoInWorker(file: Blob, options: BrowserVideoHashOptions = {}): Promise<BrowserVideoHashes> {
  const { onProgress, signal, ...rest } = options;
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./video-hash-worker.ts', import.meta.url), { type: 'module', name: 'video-hash-worker' });
    const finish = (settle: () => void) => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const onAbort = () => finish(() => reject(new VideoHashError('aborted', 'Hashing was stopped.')));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    worker.onmessage = (event: MessageEvent<VideoHashResponse>) => {
      const message = event.data;
      if (message.type === 'progress') onProgress?.(message.hashed, message.total);
      else if (message.type === 'done') finish(() => resolve(message.hashes));
      else {
        const { code } = message;
        finish(() => reject(code === 'hash_failed' ? new Error(message.message) : new VideoHashError(code, message.message)));
      }
    };
    worker.onerror = (event) => finish(() => reject(new Error(event.message || 'The video worker stopped.')));
    const request: VideoHashRequest = { file, options: rest };
    worker.postMessage(request);
  });
}
