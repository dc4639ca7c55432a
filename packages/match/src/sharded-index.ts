import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { DEFAULT_RADIUS, checkId, checkRadius, keepBest, sorted, toWords, type DihedralHashes, type HashInput, type Match, type QueryOptions } from './match-index.ts';
import { WORDS_PER_HASH } from './hash-words.ts';
import { BATCH_HEADER_WORDS, CONTROL, CONTROL_WORDS, METHODS, OP, PAYLOAD_WORDS, STATUS_FAILED } from './shard-protocol.ts';
import { ShardDirectory } from './shard-directory.ts';
import { nextRequestNumber } from './request-numbers.ts';
import type { LayoutChoice } from './slot-layout.ts';

/** How a `ShardedMatchIndex` is cut and built. */
export interface ShardedIndexOptions {
  /** Shards (worker threads). Default: enough for at most 2^24 rows each (their row numbers then take 3 bytes), at least 1. */
  shards?: number;
  /** Shards built at the same time (each needs its rows twice while it builds). Default: the cores. */
  buildConcurrency?: number;
  /** Each shard's slot layout (`auto` by default: by the shard's size). */
  layout?: LayoutChoice;
  /**
   * About how many rows a shard's keys hold (`MatchIndex`'s `rowsPerKey`). Default 1: a query pays every
   * shard's candidates, and at 16.7 M rows a shard 23-bit keys (2 rows a key) cost 0.42-0.52 ms of CPU a
   * query against 0.70-1.02 with 21 bits (4 rows a key: a single index's default), for 5 more bytes a hash.
   */
  rowsPerKey?: 1 | 2 | 4;
  /** How long a query, add or remove waits for a shard before throwing (default 30 s). */
  answerTimeoutMs?: number;
  /**
   * Words of each shard's first payload area (default 2^18, 1 MiB): a query's hashes, a batch of adds or
   * removes, a query's results. It grows when a query's results need more.
   */
  payloadWords?: number;
  /** Hears of each shard built (its number and rows), in the order they finish: progress of a long build. */
  onShardBuilt?: (shard: number, rows: number) => void;
}

/** One shard's rows: ids, and 8 words per id. The arrays are handed to the shard's thread (transferred). */
export interface ShardRows {
  ids: Uint32Array;
  words: Uint32Array;
}

/** Rows per shard by default: row numbers up to 2^24 take 3 bytes in the postings, 4 beyond. */
export const DEFAULT_SHARD_ROWS = 1 << 24;

const ASYNC_POLL_MS = 1000;

/** A shard thread and the words it shares with the owner. */
class Shard {
  readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  payload: Uint32Array;
  readonly worker: Worker;
  readonly port: MessagePort;
  size = 0;
  kib = 0;
  #seq = 0;
  #exited = false;

  readonly number: number;
  readonly timeoutMs: number;

  constructor(number: number, options: ShardedIndexOptions) {
    this.number = number;
    this.timeoutMs = options.answerTimeoutMs ?? 30_000;
    const layout = options.layout ?? 'auto';
    this.payload = new Uint32Array(new SharedArrayBuffer(Math.max(64, options.payloadWords ?? PAYLOAD_WORDS) * 4));
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL('./shard-worker.ts', import.meta.url), {
      workerData: { control: this.control, payload: this.payload.buffer, port: port2, layout, rowsPerKey: options.rowsPerKey ?? 1 },
      transferList: [port2],
    });
    this.worker.unref();
    this.worker.on('exit', () => this.#stopped());
    this.worker.on('error', () => this.#stopped());
  }

  /** The thread is gone: whoever waits for its answer without a timeout (`answerSoon`) is woken to hear it. */
  #stopped(): void {
    this.#exited = true;
    Atomics.notify(this.control, CONTROL.done);
  }

  request(op: number): void {
    const control = this.control;
    control[CONTROL.op] = op;
    this.#seq = nextRequestNumber(this.#seq);
    Atomics.store(control, CONTROL.request, this.#seq);
    Atomics.notify(control, CONTROL.request);
  }

  /** Waits (blocking this thread) for the answer to the last request. */
  answer(): number {
    const control = this.control;
    const until = performance.now() + this.timeoutMs;
    for (;;) {
      const done = Atomics.load(control, CONTROL.done);
      if (done === this.#seq) return this.#read();
      const left = until - performance.now();
      if (left <= 0) throw new Error(`shard ${this.number} did not answer within ${this.timeoutMs} ms`);
      Atomics.wait(control, CONTROL.done, done, left);
    }
  }

  /** Waits (without blocking) for the answer to the last request: builds and compactions. */
  async answerLater(): Promise<number> {
    const control = this.control;
    for (;;) {
      const done = Atomics.load(control, CONTROL.done);
      if (done === this.#seq) return this.#read();
      if (this.#exited) throw new Error(`shard ${this.number} stopped`);
      const wait = Atomics.waitAsync(control, CONTROL.done, done, ASYNC_POLL_MS);
      if (wait.async) await wait.value;
    }
  }

  /**
   * Waits (without blocking) for the answer to the last request: a batch of queries. No timeout: a waiting
   * with one costs a timer per batch on this thread; the shard's exit wakes the wait instead.
   */
  async answerSoon(): Promise<number> {
    const control = this.control;
    for (;;) {
      const done = Atomics.load(control, CONTROL.done);
      if (done === this.#seq) return this.#read();
      if (this.#exited) throw new Error(`shard ${this.number} stopped`);
      const wait = Atomics.waitAsync(control, CONTROL.done, done);
      if (wait.async) await wait.value;
    }
  }

  #read(): number {
    const answer = this.control[CONTROL.answer];
    if (answer === STATUS_FAILED) {
      const message = receiveMessageOnPort(this.port)?.message as { error?: string } | undefined;
      throw new Error(`shard ${this.number}: ${message?.error ?? 'failed'}`);
    }
    this.size = this.control[CONTROL.size];
    this.kib = this.control[CONTROL.kib];
    return answer;
  }

  /** The matches the last query wrote (`answer` of them; a negative answer: more than the payload held). */
  matches(answer: number, best: Map<number, number>): void {
    if (answer < 0) answer = this.resend(-answer * 2);
    const payload = this.payload;
    for (let i = 0; i < answer; i++) keepBest(best, payload[i * 2], payload[i * 2 + 1]);
  }

  /** Results larger than the payload area (`words` of them): a larger area, and the same results again. */
  resend(words: number): number {
    this.payload = new Uint32Array(new SharedArrayBuffer(Math.max(words, this.payload.length * 2) * 4));
    this.port.postMessage({ payload: this.payload.buffer });
    this.request(OP.resend);
    return this.answer();
  }

  /** Each query's matches of the last batch (`OP.queryBatch`; `answer` words, negative: more than the payload held). */
  batchMatches(answer: number, best: Map<number, number>[]): void {
    if (answer < 0) this.resend(-answer);
    const payload = this.payload;
    let at = 0;
    for (const found of best) {
      const count = payload[at++];
      for (let i = 0; i < count; i++, at += 2) keepBest(found, payload[at], payload[at + 1]);
    }
  }

  async stop(): Promise<void> {
    if (!this.#exited) this.request(OP.stop);
    await this.worker.terminate();
  }
}

/** A query of `queryAsync` waiting for its batch. */
interface WaitingQuery {
  words: Uint32Array[];
  radius: number;
  resolve: (matches: Match[]) => void;
  reject: (error: unknown) => void;
}

/** Queries sent to the shards together. */
interface QueryBatch {
  queries: WaitingQuery[];
  settled: boolean;
}

/** Queries in one batch at most: a batch is answered whole, so a larger one would hold its first answers back. */
const MAX_BATCH_QUERIES = 256;
/** Hashes a batched query holds at most: an image's 8 dihedral variants. */
const MAX_BATCH_VARIANTS = 8;

function settledNow<T>(answer: () => T): PromiseSettledResult<T> {
  try {
    return { status: 'fulfilled', value: answer() };
  } catch (reason) {
    return { status: 'rejected', reason };
  }
}

function checkLimit(limit: number | undefined): void {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new RangeError(`limit must be a whole number of results; got ${limit}`);
  }
}

/** `words` as a view of its own buffer, so that handing it to a thread moves only its rows. */
function ownBuffer<T extends Uint32Array>(array: T): Uint32Array<ArrayBuffer> {
  const whole = array.buffer instanceof ArrayBuffer && array.byteOffset === 0 && array.byteLength === array.buffer.byteLength;
  return (whole ? array : array.slice()) as Uint32Array<ArrayBuffer>;
}

/**
 * A match index over more hashes than one WebAssembly memory holds (Node only): the rows are cut into
 * shards, each a `MatchIndex` in its own worker thread with its own memories (each under 4 GiB), and a
 * query goes to every shard at once and waits for all of them: the shards search in parallel, as many at a
 * time as there are free cores. Same results as one `MatchIndex` over all the rows (each id once, at its
 * best distance over every shard; nearest first, ties by id).
 *
 * Requests travel through shared control words (`Atomics.notify`, `Atomics.wait`), as with the verify
 * helper: no event loop and no copying of the index, so `query`, `add` and `remove` are synchronous and
 * take effect at once, like `MatchIndex`'s. Building and compacting, which take seconds, are asynchronous.
 * @example
 * ```ts
 * import { ShardedMatchIndex } from '@takedown/match/sharded';
 * const index = await ShardedMatchIndex.build(ids, words, { shards: 6 });
 * index.query(hash); // [{ id: 7, distance: 12 }]
 * await index.close();
 * ```
 */
export class ShardedMatchIndex {
  readonly #shards: Shard[];
  /** Which shards may hold an id: a remove goes to those only. */
  readonly #directory: ShardDirectory;
  /** True while `compact` runs: the shard threads are busy, and synchronous calls would wait for seconds. */
  #compacting = false;
  /** Queries of `queryAsync` waiting for the next batch. */
  #waiting: WaitingQuery[] = [];
  /** The batch the shards are answering, if any (one at a time). */
  #inFlight: QueryBatch | undefined;
  #flushScheduled = false;

  private constructor(shards: Shard[]) {
    this.#shards = shards;
    this.#directory = new ShardDirectory(shards.length);
  }

  /**
   * Builds an index of `ids` (8 words of `words` each), cut into `options.shards` shards of consecutive
   * rows. The shards are built in their threads, `buildConcurrency` at a time.
   */
  static async build(ids: Uint32Array, words: Uint32Array, options: ShardedIndexOptions = {}): Promise<ShardedMatchIndex> {
    if (words.length !== ids.length * WORDS_PER_HASH) {
      throw new RangeError(`build needs 8 words per id: ${ids.length} ids, ${words.length} words`);
    }
    const shards = options.shards ?? Math.max(1, Math.ceil(ids.length / DEFAULT_SHARD_ROWS));
    const per = Math.ceil(ids.length / shards);
    return ShardedMatchIndex.buildFrom(shards, (shard) => ({
      ids: ids.slice(shard * per, (shard + 1) * per),
      words: words.slice(shard * per * WORDS_PER_HASH, (shard + 1) * per * WORDS_PER_HASH),
    }), options);
  }

  /**
   * Builds an index of `shards` shards whose rows `load(shard)` gives, called in shard order, at most
   * `buildConcurrency` shards' rows being held at once: a bank larger than memory twice over can be read
   * shard by shard. The arrays `load` returns are handed to the shard's thread (their buffers transferred).
   */
  static async buildFrom(shards: number, load: (shard: number) => ShardRows | Promise<ShardRows>, options: ShardedIndexOptions = {}): Promise<ShardedMatchIndex> {
    if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`shards must be a whole number of at least 1; got ${shards}`);
    const concurrency = Math.max(1, options.buildConcurrency ?? availableParallelism());
    const list = Array.from({ length: shards }, (_, i) => new Shard(i, options));
    const index = new ShardedMatchIndex(list);
    // a build awaits its shards through Atomics.waitAsync, which does not keep Node's event loop alive: the
    // threads do, until the index is built (then they are let go again, as a query needs no event loop)
    for (const shard of list) shard.worker.ref();
    try {
      const building = new Set<Promise<unknown>>();
      for (const shard of list) {
        while (building.size >= concurrency) await Promise.race(building);
        const rows = await load(shard.number);
        if (rows.words.length !== rows.ids.length * WORDS_PER_HASH) {
          throw new RangeError(`shard ${shard.number} needs 8 words per id: ${rows.ids.length} ids, ${rows.words.length} words`);
        }
        const ids = ownBuffer(rows.ids);
        const words = ownBuffer(rows.words);
        index.#directory.built(shard.number, ids);
        shard.port.postMessage({ ids, words }, [ids.buffer, words.buffer]);
        shard.request(OP.build);
        // the rows come back once built (see shard-worker.ts): taken off the port and dropped here
        const built: Promise<unknown> = shard
          .answerLater()
          .then((rows) => {
            receiveMessageOnPort(shard.port);
            options.onShardBuilt?.(shard.number, rows);
          })
          .finally(() => building.delete(built));
        // a failed build surfaces through Promise.race or Promise.all; until then it is not an unhandled rejection
        built.catch(() => undefined);
        building.add(built);
      }
      await Promise.all(building);
    } catch (error) {
      await index.close();
      throw error;
    } finally {
      for (const shard of list) shard.worker.unref();
    }
    return index;
  }

  /** Shards (threads). */
  get shardCount(): number {
    return this.#shards.length;
  }

  /** Hashes held (removed ones excluded). */
  get size(): number {
    return this.#shards.reduce((sum, shard) => sum + shard.size, 0);
  }

  /** Hashes held by each shard. */
  shardSizes(): number[] {
    return this.#shards.map((shard) => shard.size);
  }

  /** Bytes held by the shards' index arrays, as of the last build or compaction (to the KiB). */
  byteLength(): number {
    return this.#shards.reduce((sum, shard) => sum + shard.kib * 1024, 0);
  }

  /** Ids within `radius` bits of `hash`, nearest first (ties by id), each at its best distance. */
  query(hash: HashInput, options: QueryOptions = {}): Match[] {
    return this.#query([toWords(hash)], options);
  }

  /** `MatchIndex.queryDihedral` over every shard: the 8 variants of an image's hash at once. */
  queryDihedral(variants: DihedralHashes, options: QueryOptions = {}): Match[] {
    const list: HashInput[] = Array.isArray(variants) ? [...variants] : Object.values(variants);
    if (list.length === 0) throw new RangeError('queryDihedral needs at least one hash');
    return this.#query(list.map(toWords), options);
  }

  /** Adds one hash under `id`; queries see it at once. */
  add(id: number, hash: HashInput): void {
    checkId(id);
    this.addMany(Uint32Array.of(id), toWords(hash));
  }

  /** Adds many hashes (8 words each) to the shards holding the fewest; queries see them at once. */
  addMany(ids: Uint32Array, words: Uint32Array): void {
    if (words.length !== ids.length * WORDS_PER_HASH) {
      throw new RangeError(`addMany needs 8 words per id: ${ids.length} ids, ${words.length} words`);
    }
    this.#idle();
    for (let from = 0; from < ids.length;) {
      const shard = this.#shards.reduce((least, next) => (next.size < least.size ? next : least));
      const count = Math.min(Math.floor(shard.payload.length / (WORDS_PER_HASH + 1)), ids.length - from);
      shard.payload.set(ids.subarray(from, from + count), 0);
      shard.payload.set(words.subarray(from * WORDS_PER_HASH, (from + count) * WORDS_PER_HASH), count);
      shard.control[CONTROL.count] = count;
      shard.request(OP.add);
      shard.answer();
      this.#directory.added(shard.number, ids.subarray(from, from + count));
      from += count;
    }
  }

  /** The shards a remove of `id` goes to: those that may hold it (one, unless its rows were split). */
  shardsHolding(id: number): number[] {
    return this.#directory.shardsOf(id);
  }

  /** Removes every hash held under `id` in any shard; returns how many. Queries stop seeing them at once. */
  remove(id: number): number {
    return this.removeMany([id]);
  }

  /**
   * Removes every hash held under any of `ids`; returns how many. Each id goes only to the shards that may
   * hold it (see shard-directory.ts), those shards in parallel.
   */
  removeMany(ids: Iterable<number>): number {
    this.#idle();
    const perShard: number[][] = this.#shards.map(() => []);
    const unique = new Set(ids);
    for (const id of unique) for (const shard of this.#directory.shardsOf(id)) perShard[shard].push(id);
    let removed = 0;
    const step = Math.min(...this.#shards.map((shard) => shard.payload.length));
    for (let from = 0; perShard.some((list) => from < list.length); from += step) {
      const asked: Shard[] = [];
      for (const shard of this.#shards) {
        const list = perShard[shard.number];
        if (from >= list.length) continue;
        const piece = list.slice(from, from + step);
        shard.payload.set(piece, 0);
        shard.control[CONTROL.count] = piece.length;
        shard.request(OP.remove);
        asked.push(shard);
      }
      // every asked shard's answer is awaited before the next pieces are written to the payload areas
      for (const shard of asked) removed += shard.answer();
    }
    for (const id of unique) this.#directory.removed(id);
    return removed;
  }

  /** `MatchIndex.compact` in every shard, in parallel; queries and changes throw until it is done. */
  async compact(): Promise<void> {
    this.#idle();
    this.#compacting = true;
    try {
      for (const shard of this.#shards) shard.request(OP.compact);
      await Promise.all(this.#shards.map((shard) => shard.answerLater()));
    } finally {
      this.#compacting = false;
    }
  }

  #idle(): void {
    if (this.#compacting) throw new Error('the index is compacting: await compact() before querying or changing it');
    // a batch of asynchronous queries in flight is answered first: the shards take one request at a time
    const batch = this.#inFlight;
    if (batch) this.#settle(batch, this.#shards.map((shard) => settledNow(() => shard.answer())));
  }

  /**
   * `query` without blocking this thread: the shards answer in their threads while this one goes on, and the
   * queries asked in one turn of the event loop travel together, as one batch (one request and one wake-up
   * per shard, however many queries). Adds and removes made before the batch leaves are seen by it.
   */
  queryAsync(hash: HashInput, options: Pick<QueryOptions, 'radius'> = {}): Promise<Match[]> {
    return this.#enqueue([hash], options);
  }

  /** `queryDihedral` without blocking this thread, batched as `queryAsync`. */
  queryDihedralAsync(variants: DihedralHashes, options: Pick<QueryOptions, 'radius'> = {}): Promise<Match[]> {
    const list: HashInput[] = Array.isArray(variants) ? [...variants] : Object.values(variants);
    if (list.length === 0) return Promise.reject(new RangeError('queryDihedral needs at least one hash'));
    return this.#enqueue(list, options);
  }

  #enqueue(hashes: HashInput[], options: Pick<QueryOptions, 'radius'>): Promise<Match[]> {
    try {
      if (this.#compacting) throw new Error('the index is compacting: await compact() before querying or changing it');
      if (hashes.length > MAX_BATCH_VARIANTS) throw new RangeError(`a query has at most ${MAX_BATCH_VARIANTS} hashes; got ${hashes.length}`);
      const radius = options.radius ?? DEFAULT_RADIUS;
      checkRadius(radius);
      const words = hashes.map(toWords);
      return new Promise<Match[]>((resolve, reject) => {
        this.#waiting.push({ words, radius, resolve, reject });
        if (!this.#inFlight && !this.#flushScheduled) {
          this.#flushScheduled = true;
          // after this turn's I/O callbacks: the queries they ask join the same batch
          setImmediate(() => {
            this.#flushScheduled = false;
            this.#flush();
          });
        }
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Sends the waiting queries (as many as the payload areas hold) to every shard, unless a batch is in flight. */
  #flush(): void {
    if (this.#inFlight || this.#waiting.length === 0) return;
    const room = Math.min(...this.#shards.map((shard) => shard.payload.length));
    let used = 0;
    let take = 0;
    for (const query of this.#waiting) {
      const words = BATCH_HEADER_WORDS + query.words.length * WORDS_PER_HASH;
      if (used + words > room || take === MAX_BATCH_QUERIES) break;
      used += words;
      take++;
    }
    if (take === 0) {
      // a payload area smaller than one query and its header (only ever configured so in tests): asked as a
      // blocking query instead, then the rest
      const query = this.#waiting.shift()!;
      const answer = settledNow(() => this.#query(query.words, { radius: query.radius }));
      if (answer.status === 'fulfilled') query.resolve(answer.value);
      else query.reject(answer.reason);
      this.#flush();
      return;
    }
    const queries = this.#waiting.splice(0, take);
    const batch: QueryBatch = { queries, settled: false };
    this.#inFlight = batch;
    for (const shard of this.#shards) {
      const payload = shard.payload;
      let at = queries.length * BATCH_HEADER_WORDS;
      queries.forEach((query, q) => {
        payload[q * BATCH_HEADER_WORDS] = query.words.length;
        payload[q * BATCH_HEADER_WORDS + 1] = query.radius;
        for (const hash of query.words) {
          payload.set(hash, at);
          at += WORDS_PER_HASH;
        }
      });
      shard.control[CONTROL.count] = queries.length;
      shard.request(OP.queryBatch);
    }
    // every shard's answer is awaited, even after one failed, so none is left reading its payload
    void Promise.allSettled(this.#shards.map((shard) => shard.answerSoon())).then((answers) => {
      this.#settle(batch, answers);
      this.#flush();
    });
  }

  /** Reads a batch's answers (once: by the batch's own wait, or by a synchronous call that needed the shards first). */
  #settle(batch: QueryBatch, answers: PromiseSettledResult<number>[]): void {
    if (batch.settled) return;
    batch.settled = true;
    if (this.#inFlight === batch) this.#inFlight = undefined;
    const best = batch.queries.map(() => new Map<number, number>());
    let failure: unknown;
    answers.forEach((answer, i) => {
      try {
        if (answer.status === 'rejected') throw answer.reason;
        this.#shards[i].batchMatches(answer.value, best);
      } catch (error) {
        failure ??= error;
      }
    });
    batch.queries.forEach((query, q) => (failure === undefined ? query.resolve(sorted(best[q], undefined)) : query.reject(failure)));
  }

  /** Stops the shards' threads; the index is unusable afterwards. */
  async close(): Promise<void> {
    const waiting = this.#waiting.splice(0);
    for (const query of waiting) query.reject(new Error('the index was closed'));
    await Promise.all(this.#shards.map((shard) => shard.stop()));
  }

  #query(hashes: Uint32Array[], options: QueryOptions): Match[] {
    this.#idle();
    const radius = options.radius ?? DEFAULT_RADIUS;
    checkRadius(radius);
    checkLimit(options.limit);
    const method = METHODS.indexOf(options.method ?? 'auto');
    if (method < 0) throw new RangeError(`method must be one of ${METHODS.join(', ')}; got ${options.method}`);
    for (const shard of this.#shards) {
      const control = shard.control;
      hashes.forEach((hash, i) => shard.payload.set(hash, i * WORDS_PER_HASH));
      control[CONTROL.count] = hashes.length;
      control[CONTROL.radius] = radius;
      control[CONTROL.limit] = options.limit ?? -1;
      control[CONTROL.method] = method;
      shard.request(OP.query);
    }
    const best = new Map<number, number>();
    let failure: unknown;
    for (const shard of this.#shards) {
      // every shard's answer is awaited, even after one failed, so none is left reading its payload
      try {
        shard.matches(shard.answer(), best);
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
    return sorted(best, options.limit);
  }
}
