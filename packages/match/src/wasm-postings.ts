// The compact postings' decoder (layout in compact-postings.ts) as WebAssembly, for its native count-trailing-zeros.
import { body, i32, i32Load, i32Store, I32, get, name, op, section, set, uleb, vec, whileBelow } from './wasm-bytecode.ts';

/**
 * decode(key=0, offsets=1, low=2, high=3, shards=4, out=5) -> count: the rows filed under `key` in one
 * slot's compact postings (see compact-postings.ts for the layout), ascending, as u32 at `out`. In
 * WebAssembly for its native count-trailing-zeros; one inner iteration per posting (the word's lowest
 * 1 bit), with running pointers and the shard number kept as a running offset, so each posting costs a
 * dozen instructions (the JavaScript loop cost ~13 ns per posting, a first WebAssembly one ~5.5).
 * For the i-th posting, at bit b of the unary region starting at `region`, the shard is b - region - i:
 * `adj` holds (index of bit 0 of the current word) - region - i.
 * Locals: start=6, count=7, region=8, hp=9 (current high word), word=10, adj=11, lp=12, op=13, end=14.
 */
function decodeBody(): number[] {
  const [key, offsets, low, high, shards, out, start, count, region, hp, word, adj, lp, outPtr, end] =
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  const bump = (local: number, by: number) => [...get(local), ...i32(by), op.i32_add, ...set(local)];
  return body([[9, I32]], [
    ...get(offsets), ...get(key), ...i32(2), op.i32_shl, op.i32_add, ...i32Load(0), ...set(start),
    ...get(offsets), ...get(key), ...i32(2), op.i32_shl, op.i32_add, ...i32Load(4), ...get(start), op.i32_sub, ...set(count),
    ...get(start), ...get(key), ...get(shards), op.i32_mul, op.i32_add, ...set(region),
    ...get(high), ...get(region), ...i32(5), op.i32_shr_u, ...i32(2), op.i32_shl, op.i32_add, ...set(hp),
    // the first word, without the bits of the region before this key's
    ...get(hp), ...i32Load(0), ...i32(-1), ...get(region), ...i32(31), op.i32_and, op.i32_shl, op.i32_and, ...set(word),
    ...i32(0), ...get(region), ...i32(31), op.i32_and, op.i32_sub, ...set(adj),
    ...get(low), ...get(start), ...i32(1), op.i32_shl, op.i32_add, ...set(lp),
    ...get(out), ...set(outPtr),
    ...get(out), ...get(count), ...i32(2), op.i32_shl, op.i32_add, ...set(end),
    op.block, op.void, // done
    ...get(count), op.i32_eqz, op.br_if, 0,
    op.loop, op.void, // words
    op.block, op.void, // next word
    ...get(word), op.i32_eqz, op.br_if, 0,
    op.loop, op.void, // bits
    ...get(outPtr),
    ...get(adj), ...get(word), op.i32_ctz, op.i32_add, ...i32(16), op.i32_shl,
    ...get(lp), op.i32_load16_u, 1, 0, op.i32_or, ...i32Store(0),
    ...get(word), ...get(word), ...i32(1), op.i32_sub, op.i32_and, ...set(word),
    ...bump(adj, -1), ...bump(lp, 2), ...bump(outPtr, 4),
    ...get(outPtr), ...get(end), op.i32_ge_u, op.br_if, 3,
    ...get(word), op.br_if, 0,
    op.end,
    op.end,
    ...bump(adj, 32), ...bump(hp, 4), ...get(hp), ...i32Load(0), ...set(word),
    op.br, 0,
    op.end,
    op.end,
    ...get(count),
  ]);
}

/**
 * touch(keys=0, n=1, offsets=2, low=3, high=4, shards=5) -> sum: reads, for each of the n keys (u32 at
 * `keys`), its offsets and the first and last lines of its `low` and `high` regions, and returns a
 * meaningless sum of what it read. Every key's lookup is two dependent cache misses (offsets, then the
 * postings); done key after key they would wait for each other, so `decodeKeys` runs this loop first, whose
 * iterations are independent and short enough for the CPU to overlap the misses of all 17 keys of a slot.
 * Locals: i=6, key=7, start=8, end=9, sum=10, k=11.
 */
function touchBody(): number[] {
  const [keys, n, offsets, low, high, shards, i, key, start, end, sum, k] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const addLoad = (address: number[]) => [...get(sum), ...address, ...i32Load(0), op.i32_add, ...set(sum)];
  return body([[6, I32]], [
    ...get(keys), ...set(k),
    ...whileBelow(i, n, [
      ...get(k), ...i32Load(0), ...set(key),
      ...get(offsets), ...get(key), ...i32(2), op.i32_shl, op.i32_add, ...i32Load(0), ...set(start),
      ...get(offsets), ...get(key), ...i32(2), op.i32_shl, op.i32_add, ...i32Load(4), ...set(end),
      ...addLoad([...get(low), ...get(start), ...i32(1), op.i32_shl, op.i32_add, ...i32(-4), op.i32_and]),
      ...addLoad([...get(low), ...get(end), ...i32(1), op.i32_shl, op.i32_add, ...i32(-4), op.i32_and]),
      ...addLoad([...get(high), ...get(start), ...get(key), ...get(shards), op.i32_mul, op.i32_add, ...i32(5), op.i32_shr_u,
        ...i32(2), op.i32_shl, op.i32_add]),
      ...get(k), ...i32(4), op.i32_add, ...set(k),
      ...get(i), ...i32(1), op.i32_add, ...set(i),
    ]),
    ...get(sum),
  ]);
}

/**
 * decodeKeys(keys=0, n=1, offsets=2, low=3, high=4, shards=5, out=6) -> total: `touch` for the n keys, then
 * `decode` of each key in turn, the rows of each written after the previous key's: a whole slot's probes in
 * one call from JavaScript instead of two calls and a copy per key. The caller makes sure `out` has room
 * for the sum of the keys' counts. Locals: i=7, k=8, at=9, count=10, total=11.
 */
function decodeKeysBody(): number[] {
  const [keys, n, offsets, low, high, shards, out, i, k, at, count, total] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const tables = [...get(offsets), ...get(low), ...get(high), ...get(shards)];
  return body([[5, I32]], [
    ...get(keys), ...get(n), ...tables, op.call, 1, op.drop,
    ...get(keys), ...set(k),
    ...get(out), ...set(at),
    ...whileBelow(i, n, [
      ...get(k), ...i32Load(0), ...tables, ...get(at), op.call, 0, ...set(count),
      ...get(at), ...get(count), ...i32(2), op.i32_shl, op.i32_add, ...set(at),
      ...get(total), ...get(count), op.i32_add, ...set(total),
      ...get(k), ...i32(4), op.i32_add, ...set(k),
      ...get(i), ...i32(1), op.i32_add, ...set(i),
    ]),
    ...get(total),
  ]);
}

/** The posting decoder's module: one instance per slot, over that slot's own memory. */
export function postingsModuleBytes(): Uint8Array {
  const sixToOne = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([[I32]])];
  const sevenToOne = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([[I32]])];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([sixToOne, sevenToOne])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([[0], [0], [1]])),
    ...section(7, vec([[...name('decode'), 0x00, 0], [...name('decodeKeys'), 0x00, 2]])),
    ...section(10, vec([decodeBody(), touchBody(), decodeKeysBody()])),
  ];
  return new Uint8Array(bytes);
}

export interface PostingsKernels {
  decode(key: number, offsets: number, low: number, high: number, shards: number, out: number): number;
  decodeKeys(keys: number, n: number, offsets: number, low: number, high: number, shards: number, out: number): number;
}

let compiledPostings: WebAssembly.Module | undefined;

/** Instantiates the posting decoder over `memory`. */
export function postingsKernels(memory: WebAssembly.Memory): PostingsKernels {
  compiledPostings ??= new WebAssembly.Module(postingsModuleBytes() as Uint8Array<ArrayBuffer>);
  return new WebAssembly.Instance(compiledPostings, { env: { memory } }).exports as unknown as PostingsKernels;
}
