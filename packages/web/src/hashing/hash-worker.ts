/**
 * The hash worker: hashes pictures off the main thread so the page stays responsive (and usable with a screen
 * reader) while a large photo is processed. The file never leaves the device: only the hashes come back.
 */
import { hashImageFile, NotAnImageError } from './image-hash.ts';
import type { HashRequest, HashResponse } from './hash-messages.ts';

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<HashRequest>) => void) | null;
  postMessage: (message: HashResponse) => void;
};

scope.onmessage = (event) => {
  const { id, file } = event.data;
  hashImageFile(file).then(
    (hashes) => scope.postMessage({ id, ok: true, hashes }),
    (error: unknown) =>
      scope.postMessage({
        id,
        ok: false,
        code: error instanceof NotAnImageError ? 'not_an_image' : 'hash_failed',
        message: error instanceof Error ? error.message : String(error),
      }),
  );
};
