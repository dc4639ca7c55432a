// The compact postings' kernels (layouts in compact-postings.ts) in WebAssembly: a slot's probes in one call each.
import { body, i32, i32Load, i32Store, I32, get, name, op, section, set, uleb, vec, whileBelow } from './wasm-bytecode.ts';

/** Keys per u32 base of the packed directory (a power of two), and its log2. */
export const DIRECTORY_SHIFT = 4;
export const DIRECTORY_GROUP = 1 << DIRECTORY_SHIFT;

/** offsets + 4 * (key ^ masks[i]) on the stack: where probe i's first offset is. */
const probeOffset = (key: number, masks: number, offsets: number, at: number) => [
  ...get(offsets), ...get(key), ...get(at), ...i32Load(0), op.i32_xor, ...i32(2), op.i32_shl, op.i32_add,
];

/**
 * count(key=0, masks=1, n=2, offsets=3) -> total: how many rows the n probes key ^ masks[i] (u32 at `masks`)
 * hold together. The iterations are independent, so the CPU overlaps the offsets' cache misses; it is
 * also what brings them into the cache for `gather`. Locals: i=4, m=5 (mask pointer), total=6, p=7.
 */
function countBody(): number[] {
  const [key, masks, n, offsets, i, m, total, p] = [0, 1, 2, 3, 4, 5, 6, 7];
  return body([[4, I32]], [
    ...get(masks), ...set(m),
    ...whileBelow(i, n, [
      ...probeOffset(key, masks, offsets, m), ...set(p),
      ...get(total), ...get(p), ...i32Load(4), op.i32_add, ...get(p), ...i32Load(0), op.i32_sub, ...set(total),
      ...get(m), ...i32(4), op.i32_add, ...set(m),
      ...get(i), ...i32(1), op.i32_add, ...set(i),
    ]),
    ...get(total),
  ]);
}

/** The locals both full-row gathers (`gather`, `gatherPacked`) use, by number. */
interface GatherLocals { masks: number; n: number; stride: number; rowMask: number; out: number; i: number; m: number; j: number; end: number; at: number; sum: number }

/**
 * The two passes of a gather over n probes with `stride`-byte row numbers: `probe` sets what `firstRow` and
 * `endRow` read (the address of the probe's first row number, and of the one after its last).
 */
function gatherPasses(l: GatherLocals, probe: number[], firstRow: number[], endRow: number[]): number[] {
  return body([[7, I32]], [
    ...get(l.masks), ...set(l.m),
    ...whileBelow(l.i, l.n, [
      ...probe,
      ...get(l.sum), ...firstRow, ...i32Load(0), op.i32_add, ...set(l.sum),
      ...get(l.m), ...i32(4), op.i32_add, ...set(l.m),
      ...get(l.i), ...i32(1), op.i32_add, ...set(l.i),
    ]),
    // the sum is stored so the touching loads are kept (out[0] is overwritten below when there are rows)
    ...get(l.out), ...get(l.sum), ...i32Store(0),
    ...get(l.masks), ...set(l.m),
    ...get(l.out), ...set(l.at),
    ...i32(0), ...set(l.i),
    ...whileBelow(l.i, l.n, [
      ...probe,
      ...firstRow, ...set(l.j),
      ...endRow, ...set(l.end),
      ...whileBelow(l.j, l.end, [
        ...get(l.at), ...get(l.j), ...i32Load(0), ...get(l.rowMask), op.i32_and, ...i32Store(0),
        ...get(l.at), ...i32(4), op.i32_add, ...set(l.at),
        ...get(l.j), ...get(l.stride), op.i32_add, ...set(l.j),
      ]),
      ...get(l.m), ...i32(4), op.i32_add, ...set(l.m),
      ...get(l.i), ...i32(1), op.i32_add, ...set(l.i),
    ]),
    ...get(l.at), ...get(l.out), op.i32_sub, ...i32(2), op.i32_shr_u,
  ]);
}

/**
 * gather(key=0, masks=1, n=2, offsets=3, rows=4, stride=5, rowMask=6, out=7) -> total: the rows of the n
 * probes, probe after probe, as u32 at `out`. Row numbers are `stride` bytes each (3 or 4), read as an
 * unaligned u32 and masked with `rowMask`. Pass 1 touches each probe's first posting (independent loads:
 * the misses overlap); pass 2 copies. The caller makes sure `out` has room (`count`) and that 4 bytes
 * after the last posting are readable. Locals: i=8, m=9, p=10, j=11, end=12, at=13, sum=14.
 */
function gatherBody(): number[] {
  const [key, masks, n, offsets, rows, stride, rowMask, out, i, m, p, j, end, at, sum] =
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  const rowAddress = (offsetAt: number) => [...get(rows), ...get(p), ...i32Load(offsetAt), ...get(stride), op.i32_mul, op.i32_add];
  return gatherPasses({ masks, n, stride, rowMask, out, i, m, j, end, at, sum }, [...probeOffset(key, masks, offsets, m), ...set(p)], rowAddress(0), rowAddress(4));
}

/**
 * gatherSplit(key=0, masks=1, n=2, offsets=3, low=4, high=5, shards=6, out=7) -> total: `gather` for the
 * split postings (compact-postings.ts): a row is its low 16 bits (u16 at `low`) and its 65 536-row shard,
 * coded in unary in `high`, where key k's region starts at bit offsets[k] + k * shards and holds one 1 bit
 * per posting and one 0 bit per shard, so the i-th posting of k, at bit b, lies in shard b - region - i.
 * Pass 1 touches each probe's first low posting and first high word (independent loads: the misses
 * overlap); pass 2 decodes each probe, one `i32.ctz` per posting. `adj` holds (the number of bit 0 of the
 * current high word) - region - i. The caller makes sure `out` has room (`count`).
 * Locals: i=8, m=9, k=10, start=11, count=12, region=13, hp=14, word=15, adj=16, lp=17, at=18, end=19, sum=20.
 */
function gatherSplitBody(): number[] {
  const [key, masks, n, offsets, low, high, shards, out, i, m, k, start, count, region, hp, word, adj, lp, at, end, sum] =
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
  const bump = (local: number, by: number) => [...get(local), ...i32(by), op.i32_add, ...set(local)];
  /** k = key ^ masks[m]; start = offsets[k] */
  const probe = [
    ...get(key), ...get(m), ...i32Load(0), op.i32_xor, ...set(k),
    ...get(offsets), ...get(k), ...i32(2), op.i32_shl, op.i32_add, ...i32Load(0), ...set(start),
  ];
  /** the bit where key k's unary region starts */
  const regionOf = [...get(start), ...get(k), ...get(shards), op.i32_mul, op.i32_add];
  return body([[13, I32]], [
    ...get(masks), ...set(m),
    ...whileBelow(i, n, [
      ...probe,
      ...get(sum), ...get(low), ...get(start), ...i32(1), op.i32_shl, op.i32_add, ...i32(-4), op.i32_and, ...i32Load(0), op.i32_add, ...set(sum),
      ...get(sum), ...get(high), ...regionOf, ...i32(5), op.i32_shr_u, ...i32(2), op.i32_shl, op.i32_add, ...i32Load(0), op.i32_add, ...set(sum),
      ...bump(m, 4), ...bump(i, 1),
    ]),
    // the sum is stored so the touching loads are kept (out[0] is overwritten below when there are rows)
    ...get(out), ...get(sum), ...i32Store(0),
    ...get(masks), ...set(m),
    ...get(out), ...set(at),
    ...i32(0), ...set(i),
    ...whileBelow(i, n, [
      ...probe,
      ...get(offsets), ...get(k), ...i32(2), op.i32_shl, op.i32_add, ...i32Load(4), ...get(start), op.i32_sub, ...set(count),
      op.block, op.void, // this probe done
      ...get(count), op.i32_eqz, op.br_if, 0,
      ...regionOf, ...set(region),
      ...get(high), ...get(region), ...i32(5), op.i32_shr_u, ...i32(2), op.i32_shl, op.i32_add, ...set(hp),
      // the first word, without the bits of the region before this key's
      ...get(hp), ...i32Load(0), ...i32(-1), ...get(region), ...i32(31), op.i32_and, op.i32_shl, op.i32_and, ...set(word),
      ...i32(0), ...get(region), ...i32(31), op.i32_and, op.i32_sub, ...set(adj),
      ...get(low), ...get(start), ...i32(1), op.i32_shl, op.i32_add, ...set(lp),
      ...get(at), ...get(count), ...i32(2), op.i32_shl, op.i32_add, ...set(end),
      op.loop, op.void, // words
      op.block, op.void, // next word
      ...get(word), op.i32_eqz, op.br_if, 0,
      op.loop, op.void, // bits
      ...get(at),
      ...get(adj), ...get(word), op.i32_ctz, op.i32_add, ...i32(16), op.i32_shl,
      ...get(lp), op.i32_load16_u, 1, 0, op.i32_or, ...i32Store(0),
      ...get(word), ...get(word), ...i32(1), op.i32_sub, op.i32_and, ...set(word),
      ...bump(adj, -1), ...bump(lp, 2), ...bump(at, 4),
      ...get(at), ...get(end), op.i32_ge_u, op.br_if, 3,
      ...get(word), op.br_if, 0,
      op.end,
      op.end,
      ...bump(adj, 32), ...bump(hp, 4), ...get(hp), ...i32Load(0), ...set(word),
      op.br, 0,
      op.end,
      op.end,
      ...bump(m, 4), ...bump(i, 1),
    ]),
    ...get(at), ...get(out), op.i32_sub, ...i32(2), op.i32_shr_u,
  ]);
}

/**
 * Where key k's postings start in the packed directory (compact-postings.ts): a u32 base every
 * DIRECTORY_GROUP keys (at `bases`) plus a u8 per key (at `rels`), the key's offset from its group's base.
 * Local `k` holds the key; `plus` (0 or 1) names k or k + 1 (where the key's postings end).
 */
const packedOffset = (bases: number, rels: number, k: number, plus: number) => [
  ...get(bases), ...get(k), ...i32(plus), op.i32_add, ...i32(DIRECTORY_SHIFT), op.i32_shr_u, ...i32(2), op.i32_shl, op.i32_add, ...i32Load(0),
  ...get(rels), ...get(k), op.i32_add, op.i32_load8_u, 0, ...uleb(plus), op.i32_add,
];

/**
 * countPacked(key=0, masks=1, n=2, bases=3, rels=4) -> total: `count` over the packed directory.
 * Locals: i=5, m=6, total=7, k=8.
 */
function countPackedBody(): number[] {
  const [key, masks, n, bases, rels, i, m, total, k] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  return body([[4, I32]], [
    ...get(masks), ...set(m),
    ...whileBelow(i, n, [
      ...get(key), ...get(m), ...i32Load(0), op.i32_xor, ...set(k),
      ...get(total), ...packedOffset(bases, rels, k, 1), op.i32_add, ...packedOffset(bases, rels, k, 0), op.i32_sub, ...set(total),
      ...get(m), ...i32(4), op.i32_add, ...set(m),
      ...get(i), ...i32(1), op.i32_add, ...set(i),
    ]),
    ...get(total),
  ]);
}

/**
 * gatherPacked(key=0, masks=1, n=2, bases=3, rels=4, rows=5, stride=6, rowMask=7, out=8) -> total:
 * `gather` over the packed directory. Locals: i=9, m=10, k=11, j=12, end=13, at=14, sum=15.
 */
function gatherPackedBody(): number[] {
  const [key, masks, n, bases, rels, rows, stride, rowMask, out, i, m, k, j, end, at, sum] =
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  const rowAddress = (plus: number) => [...get(rows), ...packedOffset(bases, rels, k, plus), ...get(stride), op.i32_mul, op.i32_add];
  const probeKey = [...get(key), ...get(m), ...i32Load(0), op.i32_xor, ...set(k)];
  return gatherPasses({ masks, n, stride, rowMask, out, i, m, j, end, at, sum }, probeKey, rowAddress(0), rowAddress(1));
}

/** The postings module: one instance per slot, over that slot's own memory. */
export function postingsModuleBytes(): Uint8Array {
  const fourToOne = [0x60, ...vec([[I32], [I32], [I32], [I32]]), ...vec([[I32]])];
  const eightToOne = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([[I32]])];
  const fiveToOne = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), ...vec([[I32]])];
  const nineToOne = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([[I32]])];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([fourToOne, eightToOne, fiveToOne, nineToOne])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([[0], [1], [1], [2], [3]])),
    ...section(7, vec([
      [...name('count'), 0x00, 0], [...name('gather'), 0x00, 1], [...name('gatherSplit'), 0x00, 2],
      [...name('countPacked'), 0x00, 3], [...name('gatherPacked'), 0x00, 4],
    ])),
    ...section(10, vec([countBody(), gatherBody(), gatherSplitBody(), countPackedBody(), gatherPackedBody()])),
  ];
  return new Uint8Array(bytes);
}

export interface PostingsKernels {
  count(key: number, masks: number, n: number, offsets: number): number;
  gather(key: number, masks: number, n: number, offsets: number, rows: number, stride: number, rowMask: number, out: number): number;
  gatherSplit(key: number, masks: number, n: number, offsets: number, low: number, high: number, shards: number, out: number): number;
  countPacked(key: number, masks: number, n: number, bases: number, rels: number): number;
  gatherPacked(key: number, masks: number, n: number, bases: number, rels: number, rows: number, stride: number, rowMask: number, out: number): number;
}

let compiledPostings: WebAssembly.Module | undefined;

/** Instantiates the postings kernels over `memory`. */
export function postingsKernels(memory: WebAssembly.Memory): PostingsKernels {
  compiledPostings ??= new WebAssembly.Module(postingsModuleBytes() as Uint8Array<ArrayBuffer>);
  return new WebAssembly.Instance(compiledPostings, { env: { memory } }).exports as unknown as PostingsKernels;
}
