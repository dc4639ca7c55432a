/**
 * Runs async tasks one at a time. PGlite is one connection; Kysely's PGlite driver keeps a single "current
 * transaction", so two interleaved transactions would mix their statements. Every store operation on PGlite
 * goes through one of these.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
