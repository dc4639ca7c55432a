// The compact postings' kernels (layout in compact-postings.ts) in WebAssembly: a slot's probes in one call each.
import { body, i32, i32Load, i32Store, I32, get, name, op, section, set, uleb, vec, whileBelow } from './wasm-bytecode.ts';

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
  return body([[7, I32]], [
    ...get(masks), ...set(m),
    ...whileBelow(i, n, [
      ...probeOffset(key, masks, offsets, m), ...set(p),
      ...get(sum), ...rowAddress(0), ...i32Load(0), op.i32_add, ...set(sum),
      ...get(m), ...i32(4), op.i32_add, ...set(m),
      ...get(i), ...i32(1), op.i32_add, ...set(i),
    ]),
    // the sum is stored so the touching loads are kept (out[0] is overwritten below when there are rows)
    ...get(out), ...get(sum), ...i32Store(0),
    ...get(masks), ...set(m),
    ...get(out), ...set(at),
    ...i32(0), ...set(i),
    ...whileBelow(i, n, [
      ...probeOffset(key, masks, offsets, m), ...set(p),
      ...rowAddress(0), ...set(j),
      ...rowAddress(4), ...set(end),
      ...whileBelow(j, end, [
        ...get(at), ...get(j), ...i32Load(0), ...get(rowMask), op.i32_and, ...i32Store(0),
        ...get(at), ...i32(4), op.i32_add, ...set(at),
        ...get(j), ...get(stride), op.i32_add, ...set(j),
      ]),
      ...get(m), ...i32(4), op.i32_add, ...set(m),
      ...get(i), ...i32(1), op.i32_add, ...set(i),
    ]),
    ...get(at), ...get(out), op.i32_sub, ...i32(2), op.i32_shr_u,
  ]);
}

/** The postings module: one instance per slot, over that slot's own memory. */
export function postingsModuleBytes(): Uint8Array {
  const fourToOne = [0x60, ...vec([[I32], [I32], [I32], [I32]]), ...vec([[I32]])];
  const eightToOne = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([[I32]])];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([fourToOne, eightToOne])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([[0], [1]])),
    ...section(7, vec([[...name('count'), 0x00, 0], [...name('gather'), 0x00, 1]])),
    ...section(10, vec([countBody(), gatherBody()])),
  ];
  return new Uint8Array(bytes);
}

export interface PostingsKernels {
  count(key: number, masks: number, n: number, offsets: number): number;
  gather(key: number, masks: number, n: number, offsets: number, rows: number, stride: number, rowMask: number, out: number): number;
}

let compiledPostings: WebAssembly.Module | undefined;

/** Instantiates the postings kernels over `memory`. */
export function postingsKernels(memory: WebAssembly.Memory): PostingsKernels {
  compiledPostings ??= new WebAssembly.Module(postingsModuleBytes() as Uint8Array<ArrayBuffer>);
  return new WebAssembly.Instance(compiledPostings, { env: { memory } }).exports as unknown as PostingsKernels;
}
