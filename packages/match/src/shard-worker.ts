/**
 * One shard thread of sharded-index.ts: holds a `MatchIndex` over its share of the rows (its own WebAssembly
 * memories, each under 4 GiB) and answers requests written in its control words. It blocks in
 * `Atomics.wait` between requests, so a query reaches it without the event loop; the rows of a build and a
 * larger payload area come by its message port (`receiveMessageOnPort`), errors go back the same way.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { MatchIndex, type Match } from './match-index.ts';
import { WORDS_PER_HASH } from './hash-words.ts';
import { BATCH_HEADER_WORDS, CONTROL, METHODS, OP, STATUS_FAILED } from './shard-protocol.ts';
import type { LayoutChoice } from './slot-layout.ts';

const { control, port, layout, rowsPerKey } = workerData as { control: Int32Array; port: MessagePort; layout: LayoutChoice; rowsPerKey: 1 | 2 | 4 };
let payload = new Uint32Array((workerData as { payload: SharedArrayBuffer }).payload);
const options = { layout, rowsPerKey };
let index = new MatchIndex(options);
/** Results that did not fit the payload area, kept until the owner sends a larger one. */
let unsent: Match[] = [];
/** A batch's answer that did not fit the payload area (see `OP.queryBatch`), kept for the same reason. */
let unsentBatch: Uint32Array | undefined;

function writeMatches(matches: Match[]): number {
  if (matches.length * 2 > payload.length) {
    unsent = matches;
    return -matches.length;
  }
  matches.forEach((match, i) => {
    payload[i * 2] = match.id;
    payload[i * 2 + 1] = match.distance;
  });
  unsent = [];
  return matches.length;
}

function query(): number {
  const count = control[CONTROL.count];
  const limit = control[CONTROL.limit];
  const options = { radius: control[CONTROL.radius], method: METHODS[control[CONTROL.method]], ...(limit >= 0 ? { limit } : {}) };
  const hashes = Array.from({ length: count }, (_, i) => payload.slice(i * WORDS_PER_HASH, (i + 1) * WORDS_PER_HASH));
  return writeMatches(count === 1 ? index.query(hashes[0], options) : index.queryDihedral(hashes, options));
}

/** The queries of an `OP.queryBatch`, each answered on its own (layout in shard-protocol.ts). */
function queryBatch(): number {
  const count = control[CONTROL.count];
  const answers: Match[][] = [];
  let at = count * BATCH_HEADER_WORDS;
  let words = 0;
  for (let q = 0; q < count; q++) {
    const hashes = payload[q * BATCH_HEADER_WORDS];
    const options = { radius: payload[q * BATCH_HEADER_WORDS + 1] };
    const found =
      hashes === 1
        ? index.query(payload.subarray(at, at + WORDS_PER_HASH), options)
        : index.queryDihedral(Array.from({ length: hashes }, (_, i) => payload.subarray(at + i * WORDS_PER_HASH, at + (i + 1) * WORDS_PER_HASH)), options);
    at += hashes * WORDS_PER_HASH;
    answers.push(found);
    words += 1 + found.length * 2;
  }
  const out = words <= payload.length ? payload : new Uint32Array(words);
  let w = 0;
  for (const found of answers) {
    out[w++] = found.length;
    for (const match of found) {
      out[w++] = match.id;
      out[w++] = match.distance;
    }
  }
  if (out === payload) return words;
  unsentBatch = out;
  return -words;
}

function answer(op: number): number {
  const count = control[CONTROL.count];
  switch (op) {
    case OP.build: {
      const { ids, words } = receiveMessageOnPort(port)!.message as { ids: Uint32Array; words: Uint32Array };
      index = MatchIndex.build(ids, words, options);
      // this thread blocks between requests, so its heap would never collect the rows it was sent: they go
      // back to the owner's thread (transferred, not copied), whose collector frees them
      port.postMessage({ spent: true }, [ids.buffer as ArrayBuffer, words.buffer as ArrayBuffer]);
      return ids.length;
    }
    case OP.query:
      unsentBatch = undefined;
      return query();
    case OP.queryBatch:
      unsentBatch = undefined;
      return queryBatch();
    case OP.add:
      index.addMany(payload.slice(0, count), payload.slice(count, count + count * WORDS_PER_HASH));
      return count;
    case OP.remove:
      return index.removeMany(payload.subarray(0, count));
    case OP.compact:
      index.compact();
      return 0;
    case OP.resend:
      payload = new Uint32Array((receiveMessageOnPort(port)!.message as { payload: SharedArrayBuffer }).payload);
      if (unsentBatch) {
        payload.set(unsentBatch);
        const words = unsentBatch.length;
        unsentBatch = undefined;
        return words;
      }
      return writeMatches(unsent);
    default:
      throw new Error(`unknown request ${op}`);
  }
}

let seen = 0;
for (;;) {
  Atomics.wait(control, CONTROL.request, seen);
  seen = Atomics.load(control, CONTROL.request);
  const op = control[CONTROL.op];
  if (op === OP.stop) break;
  try {
    control[CONTROL.answer] = answer(op);
  } catch (error) {
    control[CONTROL.answer] = STATUS_FAILED;
    port.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
  control[CONTROL.size] = index.size;
  if (op === OP.build || op === OP.compact) control[CONTROL.kib] = Math.ceil(index.byteLength() / 1024);
  Atomics.store(control, CONTROL.done, seen);
  Atomics.notify(control, CONTROL.done);
}
