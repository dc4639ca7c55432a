/**
 * The exhaustive scan's inner loop as a WebAssembly module, written out here byte by byte so nothing is
 * downloaded or compiled from another language at run time. WebAssembly has a native 64-bit population
 * count (`i64.popcnt`); JavaScript has none, so a 256-bit distance costs four loads, xors and popcnts here
 * against eight 32-bit SWAR popcounts in JavaScript. bench/match.ts measures both.
 *
 * Exports (all pointers are byte offsets into the imported memory `env.memory`):
 * - `scan(hashes, count, query, radius, out) -> found`: compares `count` hashes of 32 bytes each, starting
 *   at `hashes`, with the 32-byte `query`; for every distance <= radius writes (row u32, distance u32) at
 *   `out` and returns how many pairs it wrote.
 * - `verify(hashes, rows, n, query, radius, out) -> found`: the same, for the `n` row numbers (u32) listed at
 *   `rows` — the multi-index's candidates.
 */

const I32 = 0x7f;
const I64 = 0x7e;

const op = {
  block: 0x02, loop: 0x03, if: 0x04, end: 0x0b, br_if: 0x0d, void: 0x40,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22,
  i32_load: 0x28, i64_load: 0x29, i32_store: 0x36,
  i32_const: 0x41,
  i32_eqz: 0x45, i32_lt_u: 0x49, i32_le_u: 0x4d,
  i32_add: 0x6a, i32_shl: 0x74,
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

/** Loads the query's four 64-bit words into locals q..q+3. */
function loadQuery(queryParam: number, q: number): number[] {
  return [0, 8, 16, 24].flatMap((offset, k) => [...get(queryParam), ...i64Load(offset), ...set(q + k)]);
}

/** Leaves the distance between the 32 bytes at local `p` and the query in locals q..q+3 on the stack (i32). */
function distance(p: number, q: number): number[] {
  const part = (k: number) => [...get(p), ...i64Load(k * 8), ...get(q + k), op.i64_xor, op.i64_popcnt];
  return [...part(0), ...part(1), op.i64_add, ...part(2), op.i64_add, ...part(3), op.i64_add, op.i32_wrap_i64];
}

/** If local d <= radius: writes (row, d) at out + found * 8 and increments found. */
function record(row: number[], d: number, radius: number, out: number, found: number): number[] {
  const slot = [...get(out), ...get(found), ...i32(3), op.i32_shl, op.i32_add];
  return [
    ...get(d), ...get(radius), op.i32_le_u, op.if, op.void,
    ...slot, ...row, ...i32Store(0),
    ...slot, ...get(d), ...i32Store(4),
    ...get(found), ...i32(1), op.i32_add, ...set(found),
    op.end,
  ];
}

function body(locals: [number, number][], code: number[]): number[] {
  const bytes = [...vec(locals.map(([count, type]) => [...uleb(count), type])), ...code, op.end];
  return [...uleb(bytes.length), ...bytes];
}

// scan(hashes=0, count=1, query=2, radius=3, out=4); locals i=5, found=6, p=7, d=8, q=9..12
function scanBody(): number[] {
  const [hashes, count, query, radius, out, i, found, p, d, q] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  return body([[4, I32], [4, I64]], [
    ...loadQuery(query, q),
    ...get(hashes), ...set(p),
    op.block, op.void,
    ...get(count), op.i32_eqz, op.br_if, 0,
    op.loop, op.void,
    ...distance(p, q), ...set(d),
    ...record(get(i), d, radius, out, found),
    ...get(p), ...i32(32), op.i32_add, ...set(p),
    ...get(i), ...i32(1), op.i32_add, op.local_tee, i, ...get(count), op.i32_lt_u, op.br_if, 0,
    op.end,
    op.end,
    ...get(found),
  ]);
}

// verify(hashes=0, rows=1, n=2, query=3, radius=4, out=5); locals i=6, found=7, p=8, d=9, row=10, q=11..14
function verifyBody(): number[] {
  const [hashes, rows, n, query, radius, out, i, found, p, d, row, q] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  return body([[5, I32], [4, I64]], [
    ...loadQuery(query, q),
    op.block, op.void,
    ...get(n), op.i32_eqz, op.br_if, 0,
    op.loop, op.void,
    ...get(rows), ...get(i), ...i32(2), op.i32_shl, op.i32_add, ...i32Load(0), op.local_tee, row,
    ...i32(5), op.i32_shl, ...get(hashes), op.i32_add, ...set(p),
    ...distance(p, q), ...set(d),
    ...record(get(row), d, radius, out, found),
    ...get(i), ...i32(1), op.i32_add, op.local_tee, i, ...get(n), op.i32_lt_u, op.br_if, 0,
    op.end,
    op.end,
    ...get(found),
  ]);
}

/** The module's bytes. */
export function popcountModuleBytes(): Uint8Array {
  const scanType = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), ...vec([[I32]])];
  const verifyType = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([[I32]])];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([scanType, verifyType])),
    // import env.memory with no maximum: the host's memory decides its own limits
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([[0], [1]])),
    ...section(7, vec([[...name('scan'), 0x00, 0], [...name('verify'), 0x00, 1]])),
    ...section(10, vec([scanBody(), verifyBody()])),
  ];
  return new Uint8Array(bytes);
}

export interface PopcountKernels {
  scan(hashes: number, count: number, query: number, radius: number, out: number): number;
  verify(hashes: number, rows: number, n: number, query: number, radius: number, out: number): number;
}

let compiled: WebAssembly.Module | undefined;

/** Instantiates the kernels over `memory` (synchronous: the module is a few hundred bytes). */
export function popcountKernels(memory: WebAssembly.Memory): PopcountKernels {
  compiled ??= new WebAssembly.Module(popcountModuleBytes() as Uint8Array<ArrayBuffer>);
  const instance = new WebAssembly.Instance(compiled, { env: { memory } });
  return instance.exports as unknown as PopcountKernels;
}
