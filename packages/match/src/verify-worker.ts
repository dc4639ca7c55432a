/**
 * The helper thread of verify-helper.ts: waits for a request in the control words, verifies the candidates
 * the querying thread writes to the helper's scratch area of the shared hash memory as they come (the
 * `available` word), answers once the last have come and are verified, and waits again.
 * It blocks in `Atomics.wait` between requests, so new hash memories come by `receiveMessageOnPort`.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { HELPER_OUT_OFFSET, HELPER_ROWS_OFFSET, QUERY_OFFSET } from './hash-store.ts';
import { CONTROL, LAST_SUPPLY, OP } from './verify-helper.ts';
import { popcountKernels, type PopcountKernels } from './wasm-popcount.ts';

const control = (workerData as { control: Int32Array }).control;

/** Verifies candidates as they are supplied until the last supply; returns the (row, distance) pairs written. */
function verifySupplied(kernels: PopcountKernels): number {
  const [planeA, planeB, radius] = [control[CONTROL.planeA], control[CONTROL.planeB], control[CONTROL.radius]];
  let done = 0;
  let found = 0;
  for (;;) {
    const word = Atomics.load(control, CONTROL.available);
    const available = word & (LAST_SUPPLY - 1);
    if (available > done) {
      found += kernels.verify(planeA, planeB, HELPER_ROWS_OFFSET + done * 4, available - done, QUERY_OFFSET, radius, HELPER_OUT_OFFSET + found * 8);
      done = available;
    } else if ((word & LAST_SUPPLY) !== 0) {
      return found;
    } else {
      Atomics.wait(control, CONTROL.available, word);
    }
  }
}

let kernels: PopcountKernels | undefined;
let seen = 0;
for (;;) {
  Atomics.wait(control, CONTROL.request, seen);
  seen = Atomics.load(control, CONTROL.request);
  const op = control[CONTROL.op];
  if (op === OP.stop) break;
  if (op === OP.attach) {
    const received = receiveMessageOnPort(parentPort!);
    kernels = popcountKernels((received?.message as { memory: WebAssembly.Memory }).memory);
  } else if (op === OP.verify) {
    control[CONTROL.found] = kernels === undefined ? -1 : verifySupplied(kernels);
  }
  Atomics.store(control, CONTROL.done, seen);
  Atomics.notify(control, CONTROL.done);
}
