/**
 * The page's side of the hash worker: one worker, files hashed one at a time (two cores on a phone are better
 * spent keeping the page responsive than hashing in parallel).
 */
import type { ImageHashes } from './image-hash.ts';
import type { HashRequest, HashResponse } from './hash-messages.ts';

export class HashFailure extends Error {
  override name = 'HashFailure';
  readonly code: 'not_an_image' | 'hash_failed';
  constructor(code: 'not_an_image' | 'hash_failed', message: string) {
    super(message);
    this.code = code;
  }
}

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (h: ImageHashes) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./hash-worker.ts', import.meta.url), { type: 'module', name: 'hash-worker' });
    worker.onmessage = (event: MessageEvent<HashResponse>) => {
      const message = event.data;
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.ok) waiting.resolve(message.hashes);
      else waiting.reject(new HashFailure(message.code, message.message));
    };
    worker.onerror = (event) => {
      for (const waiting of pending.values()) waiting.reject(new HashFailure('hash_failed', event.message));
      pending.clear();
    };
  }
  return worker;
}

/** Hashes a picture in the worker. Rejects with HashFailure when it is not a picture or cannot be hashed. */
export function hashInWorker(file: Blob): Promise<ImageHashes> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    const request: HashRequest = { id, file };
    getWorker().postMessage(request);
  });
}
