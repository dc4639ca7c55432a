/**
 * The exhaustive scan's inner loop and the multi-index's verification as a WebAssembly module, written out
 * here byte by byte so nothing is downloaded or compiled from another language at run time. WebAssembly has
 * a native 64-bit population count (`i64.popcnt`); JavaScript has none, so a 256-bit distance costs four
 * loads, xors and popcnts here against eight 32-bit SWAR popcounts in JavaScript. bench/match.ts measures both.
 *
 * Hashes are stored in two planes (see hash-store.ts): row r's first 128 bits at `planeA + 16 r`, its last
 * 128 bits at `planeB + 16 r`. The distance over the first half is a lower bound of the full distance and
 * decides almost every row alone, so the kernels read plane B only for rows close enough in plane A.
 *
 * Exports (all pointers are byte offsets into the imported memory `env.memory`):
 * - `scan(planeA, planeB, count, query, radius, out) -> found`: compares `count` rows, the first at
 *   `planeA`/`planeB`, with the 32-byte `query`; for every distance <= radius writes (row u32, distance u32)
 *   at `out` and returns how many pairs it wrote.
 * - `verify(planeA, planeB, rows, n, query, radius, out) -> found`: the same, for the `n` row numbers (u32)
 *   listed at `rows` — the multi-index's candidates.
 */

import { add, body, i32, i32Load, i32Store, i64Load, I32, I64, get, name, op, roundDown4, section, set, uleb, vec, whileBelow } from './wasm-bytecode.ts';

/** Loads the query's four 64-bit words into locals q..q+3. */
function loadQuery(queryParam: number, q: number): number[] {
  return [0, 8, 16, 24].flatMap((offset, k) => [...get(queryParam), ...i64Load(offset), ...set(q + k)]);
}

/**
 * Leaves on the stack (i32) the distance between the query (locals q..q+3) and the row whose halves are at
 * locals `a` (plane A) and `b` (plane B), plus `offset`.
 */
function distance(a: number, b: number, q: number, offset = 0): number[] {
  return [...halfDistance(a, q, offset), ...halfDistance(b, q + 2, offset), op.i32_add];
}

/**
 * Writes (row, d) at out + found * 8 and adds 1 to found if d <= radius — without a branch: a row that is
 * too far is written too and overwritten by the next one. The result area therefore needs room for every
 * row examined, which it has (CHUNK_ROWS pairs, and no call examines more).
 */
function recordAlways(row: number[], d: number, radius: number, out: number, found: number): number[] {
  const at = [...get(out), ...get(found), ...i32(3), op.i32_shl, op.i32_add];
  return [
    ...at, ...row, ...i32Store(0),
    ...at, ...get(d), ...i32Store(4),
    ...get(found), ...get(d), ...get(radius), op.i32_le_u, op.i32_add, ...set(found),
  ];
}
/**
 * Leaves on the stack (i32) the distance between 128 bits at local `p` plus `offset` and the query's words
 * in locals q, q+1 (for plane A: the first half, a lower bound of the full distance; for plane B, q + 2).
 */
function halfDistance(p: number, q: number, offset = 0): number[] {
  const part = (k: number) => [...get(p), ...i64Load(offset + k * 8), ...get(q + k), op.i64_xor, op.i64_popcnt];
  return [...part(0), ...part(1), op.i64_add, op.i32_wrap_i64];
}

/** 1 on the stack if any of locals d..d+3 is <= local radius. */
function anyWithin(d: number, radius: number): number[] {
  return [
    ...get(d), ...get(radius), op.i32_le_u,
    ...get(d + 1), ...get(radius), op.i32_le_u, op.i32_or,
    ...get(d + 2), ...get(radius), op.i32_le_u, op.i32_or,
    ...get(d + 3), ...get(radius), op.i32_le_u, op.i32_or,
  ];
}

/**
 * scan(planeA=0, planeB=1, count=2, query=3, radius=4, out=5). Four rows per iteration. The distance over a
 * row's first 128 bits (plane A) is a lower bound of its full distance, and for an unrelated hash it is
 * about 64 (below 32 with probability ~1e-10): so the loop reads only plane A — 16 bytes per row, half
 * the memory traffic — and goes on to plane B and the recording only when one of the four is within the
 * radius. Locals: i=6, found=7, a=8, b=9, end=10, d=11..14, q=15..18 (i64).
 */
function scanBody(): number[] {
  const [planeA, planeB, count, query, radius, out, i, found, a, b, end, d, q] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15];
  const step = (by: number) => [...get(a), ...i32(16 * by), op.i32_add, ...set(a), ...get(b), ...i32(16 * by), op.i32_add, ...set(b), ...get(i), ...i32(by), op.i32_add, ...set(i)];
  return body([[9, I32], [4, I64]], [
    ...loadQuery(query, q),
    ...get(planeA), ...set(a),
    ...get(planeB), ...set(b),
    ...roundDown4(count, end),
    ...whileBelow(i, end, [
      ...[0, 1, 2, 3].flatMap((k) => [...halfDistance(a, q, k * 16), ...set(d + k)]),
      ...anyWithin(d, radius), op.if, op.void,
      ...[0, 1, 2, 3].flatMap((k) => [...distance(a, b, q, k * 16), ...set(d + k)]),
      ...[0, 1, 2, 3].flatMap((k) => recordAlways(add(get(i), i32(k)), d + k, radius, out, found)),
      op.end,
      ...step(4),
    ]),
    ...whileBelow(i, count, [
      ...distance(a, b, q), ...set(d),
      ...recordAlways(get(i), d, radius, out, found),
      ...step(1),
    ]),
    ...get(found),
  ]);
}

/** Candidates per block of `verify`: their 64-byte lines (16 KiB) stay in the L1/L2 cache between passes. */
const VERIFY_BLOCK = 256;

/**
 * verify(planeA=0, planeB=1, rows=2, n=3, query=4, radius=5, out=6). Each candidate is a read from a random
 * place in the bank: a cache and TLB miss. The CPU overlaps misses only within its reorder window, and a
 * full verification is ~40 instructions, so done directly only ~6 misses are in flight. Hence two passes
 * per block of VERIFY_BLOCK candidates: the first only touches each candidate's plane-A line (5
 * instructions each, no branch, addresses independent of one another, so the CPU keeps as many misses in
 * flight as it can track); the second verifies from the cache, four candidates per iteration, with the
 * plane-A lower bound first as in `scan` (plane B is read only for the rare close ones), recording
 * branch-free. Locals: i=7, found=8, c=9 (candidate cursor), end=10, row=11..14, a=15..18, b=19..22,
 * d=23..26, blockEnd=27, t=28, tEnd=29, touched=30, q=31..34 (i64).
 */
function verifyBody(): number[] {
  const [planeA, planeB, rows, n, query, radius, out, i, found, c, end, row, a, b, d, blockEnd, t, tEnd, touched, q] =
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 19, 23, 27, 28, 29, 30, 31];
  const address = (plane: number, k: number, to: number) => [...get(row + k), ...i32(4), op.i32_shl, ...get(plane), op.i32_add, ...set(to + k)];
  const fourRows = [0, 1, 2, 3].flatMap((k) => [...get(c), ...i32Load(k * 4), ...set(row + k), ...address(planeA, k, a)]);
  return body([[24, I32], [4, I64]], [
    ...loadQuery(query, q),
    ...get(rows), ...set(c),
    ...whileBelow(i, n, [
      // blockEnd = min(i + VERIFY_BLOCK, n)
      ...get(i), ...i32(VERIFY_BLOCK), op.i32_add, ...get(n),
      ...get(i), ...i32(VERIFY_BLOCK), op.i32_add, ...get(n), op.i32_lt_u, op.select, ...set(blockEnd),
      // pass 1: touch every candidate's plane-A line; the sum is stored so the loads are not dropped
      ...get(c), ...set(t),
      ...get(blockEnd), ...get(i), op.i32_sub, ...i32(2), op.i32_shl, ...get(c), op.i32_add, ...set(tEnd),
      ...whileBelow(t, tEnd, [
        ...get(touched), ...get(t), ...i32Load(0), ...i32(4), op.i32_shl, ...get(planeA), op.i32_add, ...i32Load(0),
        op.i32_add, ...set(touched),
        ...get(t), ...i32(4), op.i32_add, ...set(t),
      ]),
      // (out + found * 8 is overwritten by the next record: this block has at least one candidate)
      ...get(out), ...get(found), ...i32(3), op.i32_shl, op.i32_add, ...get(touched), ...i32Store(4),
      // pass 2: verify from the cache
      ...get(blockEnd), ...get(i), op.i32_sub, ...i32(-4), op.i32_and, ...get(i), op.i32_add, ...set(end),
      ...whileBelow(i, end, [
        ...fourRows,
        ...[0, 1, 2, 3].flatMap((k) => [...halfDistance(a + k, q), ...set(d + k)]),
        ...anyWithin(d, radius), op.if, op.void,
        ...[0, 1, 2, 3].flatMap((k) => [...address(planeB, k, b), ...distance(a + k, b + k, q), ...set(d + k)]),
        op.end,
        ...[0, 1, 2, 3].flatMap((k) => recordAlways(get(row + k), d + k, radius, out, found)),
        ...get(c), ...i32(16), op.i32_add, ...set(c),
        ...get(i), ...i32(4), op.i32_add, ...set(i),
      ]),
      ...whileBelow(i, blockEnd, [
        ...get(c), ...i32Load(0), ...set(row), ...address(planeA, 0, a), ...address(planeB, 0, b),
        ...distance(a, b, q), ...set(d),
        ...recordAlways(get(row), d, radius, out, found),
        ...get(c), ...i32(4), op.i32_add, ...set(c),
        ...get(i), ...i32(1), op.i32_add, ...set(i),
      ]),
    ]),
    ...get(found),
  ]);
}

/** The module's bytes; `shared` for a module over a shared memory (as a helper thread's index has). */
export function popcountModuleBytes(shared = false): Uint8Array {
  // memory limits: a minimum of 1 page and no maximum, or (shared memories need one) at most 65 536 pages
  const limits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const scanType = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([[I32]])];
  const verifyType = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([[I32]])];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([scanType, verifyType])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, ...limits]])),
    ...section(3, vec([[0], [1]])),
    ...section(7, vec([[...name('scan'), 0x00, 0], [...name('verify'), 0x00, 1]])),
    ...section(10, vec([scanBody(), verifyBody()])),
  ];
  return new Uint8Array(bytes);
}

export interface PopcountKernels {
  scan(planeA: number, planeB: number, count: number, query: number, radius: number, out: number): number;
  verify(planeA: number, planeB: number, rows: number, n: number, query: number, radius: number, out: number): number;
}

const compiled = new Map<boolean, WebAssembly.Module>();

/** Instantiates the kernels over `memory`, shared or not (synchronous: the module is a few hundred bytes). */
export function popcountKernels(memory: WebAssembly.Memory): PopcountKernels {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  let module = compiled.get(shared);
  if (module === undefined) {
    module = new WebAssembly.Module(popcountModuleBytes(shared) as Uint8Array<ArrayBuffer>);
    compiled.set(shared, module);
  }
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as PopcountKernels;
}
