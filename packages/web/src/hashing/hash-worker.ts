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

// One file at a time: decoding several 12-megapixel photos at once can exhaust a phone's memory.
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (event) => {
  const { id, file } = event.data;
  queue = queue.then(() => hashOne(id, file));
};

function hashOne(id: number, file: Blob): Promise<void> {
  return hashImageFile(file).then(
    (hashes) => scope.postMessage({ id, ok: true, hashes }),
    (error: unknown) =>
      scope.postMessage({
        id,
        ok: false,
        code: error instanceof NotAnImageError ? 'not_an_image' : 'hash_failed',
        message: error instanceof Error ? error.message : String(error),
      }),
  );
}
