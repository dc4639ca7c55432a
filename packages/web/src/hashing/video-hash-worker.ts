/**
 * The video worker: decodes and hashes one video off the main thread, so the request form stays responsive
 * (and usable with a screen reader) while every frame of a long video is decoded. WebCodecs, mediabunny and
 * OffscreenCanvas all work in a worker. The file never leaves the device: only the hashes come back.
 */
import { hashVideoInBrowser } from './video-hash.ts';
import { VideoHashError } from './video-hash-error.ts';
import type { VideoHashRequest, VideoHashResponse } from './video-hash-messages.ts';

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<VideoHashRequest>) => void) | null;
  postMessage: (message: VideoHashResponse) => void;
};

scope.onmessage = (event) => {
  const { file, options } = event.data;
  hashVideoInBrowser(file, { ...options, onProgress: (hashed, total) => scope.postMessage({ type: 'progress', hashed, total }) }).then(
    (hashes) => scope.postMessage({ type: 'done', hashes }),
    (error: unknown) =>
      scope.postMessage({
        type: 'failed',
        code: error instanceof VideoHashError ? error.code : 'hash_failed',
        message: error instanceof Error ? error.message : String(error),
      }),
  );
};
