// A worker thread that hashes image files for HashPool: PDQ runs on the JavaScript thread, so hashing many
// files at once needs one thread per core.
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { hashImageFile, type HashImageOptions } from './hash-image.ts';
import { describeHashError } from './hash-errors.ts';

// Each worker decodes one image at a time; libvips' own thread pool per worker would only oversubscribe the cores.
sharp.concurrency(1);
const options = workerData as HashImageOptions;

parentPort!.on('message', async (message: { id: number; path: string }) => {
  try {
    const hashes = await hashImageFile(message.path, options);
    parentPort!.postMessage({ id: message.id, hashes });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: describeHashError(error) });
  }
});
