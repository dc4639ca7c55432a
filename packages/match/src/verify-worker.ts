/**
 * The helper thread of verify-helper.ts: waits for a request in the control words, verifies the candidates
 * the querying thread left in the helper's scratch area of the shared hash memory, answers, and waits again.
 * It blocks in `Atomics.wait` between requests, so new hash memories come by `receiveMessageOnPort`.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { HELPER_OUT_OFFSET, HELPER_ROWS_OFFSET, QUERY_OFFSET } from './hash-store.ts';
import { CONTROL, OP } from './verify-helper.ts';
import { popcountKernels, type PopcountKernels } from './wasm-popcount.ts';

const control = (workerData as { control: Int32Array }).control;
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
    control[CONTROL.found] = kernels === undefined ? -1 : kernels.verify(
      control[CONTROL.planeA], control[CONTROL.planeB], HELPER_ROWS_OFFSET, control[CONTROL.n], QUERY_OFFSET, control[CONTROL.radius], HELPER_OUT_OFFSET,
    );
  }
  Atomics.store(control, CONTROL.done, seen);
  Atomics.notify(control, CONTROL.done);
}
