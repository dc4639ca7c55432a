import type { ImageHashes } from './image-hash.ts';

/** Sent to the hash worker: one file to hash. */
export interface HashRequest {
  id: number;
  file: Blob;
}

/** Sent back by the hash worker: the hashes, or why the file could not be hashed. */
export type HashResponse =
  | { id: number; ok: true; hashes: ImageHashes }
  | { id: number; ok: false; code: 'not_an_image' | 'hash_failed'; message: string };
