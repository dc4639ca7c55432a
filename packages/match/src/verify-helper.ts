import { Worker } from 'node:worker_threads';
import { nextRequestNumber } from './request-numbers.ts';

/**
 * A second thread that verifies half of a query's candidates while the calling thread verifies the other
 * half (Node only; `MatchIndex` takes it as the `helper` option). On a large bank a query is bound by the
 * candidates' cache misses, and each core keeps only so many misses in flight: two cores halve the wait.
 *
 * The threads share the index's hash memory (a shared WebAssembly memory) and a few control words; a query
 * hands over with `Atomics.notify` and waits with `Atomics.wait`, so nothing is copied and no event loop
 * is involved. Candidates are handed over slot by slot as the querying thread decodes them (`supply`), so
 * the helper starts on the first slot's while the others are still being decoded. The helper never changes the index: the calling thread writes the candidates and the query,
 * and stays inside the query (so adds and removes cannot interleave) until the helper is done.
 */

/** Indexes of the control words (an Int32Array over a SharedArrayBuffer). */
export const CONTROL = { request: 0, done: 1, op: 2, available: 3, radius: 4, planeA: 5, planeB: 6, found: 7 } as const;
export const CONTROL_WORDS = 8;
export const OP = { attach: 1, verify: 2, stop: 3 } as const;
/** Set in the `available` word when no more candidates will come for this request (counts stay below it). */
export const LAST_SUPPLY = 1 << 30;

/** How long a query waits for the helper before verifying the helper's share itself. */
const ANSWER_TIMEOUT_MS = 2_000;

/** What `MatchIndex` needs of a helper (an interface, so the index itself stays free of Node modules). */
export interface VerifyHelperLike {
  /** True when the helper has taken `memory` and is idle (never waits). */
  readyFor(memory: WebAssembly.Memory): boolean;
  /** Hands the helper a (new) shared hash memory; `readyFor` turns true once it has taken it. */
  attach(memory: WebAssembly.Memory): void;
  /** Starts a verification; the candidates come with `supply`. */
  start(radius: number, planeA: number, planeB: number): void;
  /** Tells the helper that the first `n` candidates of its scratch area are written (n only grows). */
  supply(n: number): void;
  /** Ends the supply and waits for the helper; returns how many (row, distance) pairs it wrote, or -1 if it failed. */
  finish(): number;
}

export class VerifyHelper implements VerifyHelperLike {
  /** Started on the first `attach`: an index only attaches once it is large enough to use the helper. */
  #worker: Worker | undefined;
  readonly #control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  #seq = 0;
  #memory: WebAssembly.Memory | undefined;
  #failed = false;

  readyFor(memory: WebAssembly.Memory): boolean {
    return !this.#failed && this.#memory === memory && Atomics.load(this.#control, CONTROL.done) === this.#seq;
  }

  attach(memory: WebAssembly.Memory): void {
    if (this.#failed || this.#memory === memory) return;
    // the previous request, if any, must be finished before the helper reads a new message
    if (Atomics.load(this.#control, CONTROL.done) !== this.#seq && this.#wait() < 0) return;
    this.#memory = memory;
    this.#started().postMessage({ memory });
    this.#request(OP.attach);
  }

  start(radius: number, planeA: number, planeB: number): void {
    const control = this.#control;
    control[CONTROL.available] = 0;
    control[CONTROL.radius] = radius;
    control[CONTROL.planeA] = planeA;
    control[CONTROL.planeB] = planeB;
    this.#request(OP.verify);
  }

  supply(n: number): void {
    Atomics.store(this.#control, CONTROL.available, n);
    Atomics.notify(this.#control, CONTROL.available);
  }

  finish(): number {
    const control = this.#control;
    // the flag changes the word the helper may be waiting on, so it cannot miss the end
    Atomics.store(control, CONTROL.available, control[CONTROL.available] | LAST_SUPPLY);
    Atomics.notify(control, CONTROL.available);
    return this.#wait() < 0 ? -1 : control[CONTROL.found];
  }

  /** Stops the thread. */
  async close(): Promise<void> {
    this.#failed = true;
    if (this.#worker === undefined) return;
    this.#request(OP.stop);
    await this.#worker.terminate();
  }

  #started(): Worker {
    if (this.#worker === undefined) {
      const worker = new Worker(new URL('./verify-worker.ts', import.meta.url), { workerData: { control: this.#control } });
      // the helper never keeps the process alive, and a helper that fails only makes queries single-threaded
      worker.unref();
      worker.on('error', () => (this.#failed = true));
      worker.on('exit', () => (this.#failed = true));
      this.#worker = worker;
    }
    return this.#worker;
  }

  #request(op: number): void {
    const control = this.#control;
    control[CONTROL.op] = op;
    this.#seq = nextRequestNumber(this.#seq);
    Atomics.store(control, CONTROL.request, this.#seq);
    Atomics.notify(control, CONTROL.request);
  }

  /** Waits until the helper has answered the last request: 0, or -1 (and the helper is given up) on timeout. */
  #wait(): number {
    const control = this.#control;
    const until = performance.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(control, CONTROL.done);
      if (done === this.#seq) return 0;
      const left = until - performance.now();
      if (this.#failed || left <= 0) {
        this.#failed = true;
        return -1;
      }
      Atomics.wait(control, CONTROL.done, done, left);
    }
  }
}
