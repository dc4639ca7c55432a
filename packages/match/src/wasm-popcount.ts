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

const I32 = 0x7f;
const I64 = 0x7e;

const op = {
  block: 0x02, loop: 0x03, if: 0x04, end: 0x0b, br_if: 0x0d, void: 0x40, select: 0x1b,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22,
  br: 0x0c, call: 0x10, drop: 0x1a, i32_load: 0x28, i64_load: 0x29, i32_load16_u: 0x2f, i32_store: 0x36,
  i32_const: 0x41,
  i32_eqz: 0x45, i32_lt_u: 0x49, i32_le_u: 0x4d, i32_ge_u: 0x4f,
  i32_ctz: 0x68, i32_add: 0x6a, i32_sub: 0x6b, i32_mul: 0x6c, i32_and: 0x71, i32_or: 0x72, i32_shl: 0x74,
  i32_shr_u: 0x76,
  i64_popcnt: 0x7b, i64_add: 0x7c, i64_xor: 0x85, i32_wrap_i64: 0xa7,
} as const;

function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function sleb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

const get = (i: number) => [op.local_get, ...uleb(i)];
const set = (i: number) => [op.local_set, ...uleb(i)];
const i32 = (v: number) => [op.i32_const, ...sleb(v)];
const i64Load = (offset: number) => [op.i64_load, 3, ...uleb(offset)];
const i32Load = (offset: number) => [op.i32_load, 2, ...uleb(offset)];
const i32Store = (offset: number) => [op.i32_store, 2, ...uleb(offset)];
const add = (a: number[], b: number[]) => [...a, ...b, op.i32_add];

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

function body(locals: [number, number][], code: number[]): number[] {
  const bytes = [...vec(locals.map(([count, type]) => [...uleb(count), type])), ...code, op.end];
  return [...uleb(bytes.length), ...bytes];
}

/** `code` repeated while local i < local limit, if i < limit at the start (a do-while inside a guard). */
function whileBelow(i: number, limit: number, code: number[]): number[] {
  return [
    op.block, op.void,
    ...get(i), ...get(limit), op.i32_lt_u, op.i32_eqz, op.br_if, 0,
    op.loop, op.void,
    ...code,
    ...get(i), ...get(limit), op.i32_lt_u, op.br_if, 0,
    op.end,
    op.end,
  ];
}

/** The largest multiple of 4 not above local n, into local `to`. */
const roundDown4 = (n: number, to: number) => [...get(n), ...i32(-4), op.i32_and, ...set(to)];

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
