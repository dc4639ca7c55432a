/**
 * Hashes many image files using every core: each worker thread decodes and hashes one file at a time.
 * With one worker the files are hashed on the calling thread (no thread start-up cost for a single file).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { hashImageFile, type HashImageOptions, type ImageHashes } from './hash-image.ts';
import { describeHashError } from './hash-errors.ts';

export type HashOutcome = { ok: true; hashes: ImageHashes } | { ok: false; reason: string };

interface Pending {
  resolve: (outcome: HashOutcome) => void;
}

export class HashPool {
  readonly size: number;
  private readonly options: HashImageOptions;
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; path: string }[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly current = new Map<Worker, number>();
  private nextId = 0;

  constructor(options: HashImageOptions & { workers?: number } = {}) {
    const { workers, ...hashOptions } = options;
    this.size = Math.max(1, workers ?? availableParallelism());
    this.options = hashOptions;
    if (this.size > 1) {
      for (let i = 0; i < this.size; i++) {
        const worker = new Worker(new URL('./hash-worker.ts', import.meta.url), { workerData: hashOptions });
        worker.on('message', (message: { id: number; hashes?: ImageHashes; error?: string }) => {
          this.settle(message.id, message.error === undefined ? { ok: true, hashes: message.hashes! } : { ok: false, reason: message.error });
          this.current.delete(worker);
          this.idle.push(worker);
          this.dispatch();
        });
        worker.on('error', (error) => {
          // A thread that dies (out of memory on a huge image, say) fails only the file it held; the others
          // carry on. If none are left, whatever is queued fails with the reason.
          const id = this.current.get(worker);
          if (id !== undefined) this.settle(id, { ok: false, reason: `Hashing stopped on this file: ${error.message}` });
          this.current.delete(worker);
          this.workers.splice(this.workers.indexOf(worker), 1);
          if (this.workers.length === 0) {
            for (const item of this.queue.splice(0)) this.settle(item.id, { ok: false, reason: 'No hashing thread is left running.' });
          }
        });
        this.workers.push(worker);
        this.idle.push(worker);
      }
    }
  }

  /** Hashes one file; never rejects: problems come back as `{ ok: false, reason }`. */
  hash(path: string): Promise<HashOutcome> {
    if (this.size === 1) {
      return hashImageFile(path, this.options).then(
        (hashes): HashOutcome => ({ ok: true, hashes }),
        (error: unknown): HashOutcome => ({ ok: false, reason: describeHashError(error) }),
      );
    }
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve });
      this.queue.push({ id, path });
      this.dispatch();
    });
  }

  private settle(id: number, outcome: HashOutcome): void {
    this.pending.get(id)?.resolve(outcome);
    this.pending.delete(id);
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const item = this.queue.shift()!;
      this.current.set(worker, item.id);
      worker.postMessage(item);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
