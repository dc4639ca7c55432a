/**
 * Writing WebAssembly by hand: the opcodes, LEB128 numbers, sections, function bodies and the few loop shapes
 * the match index's kernels (wasm-popcount.ts, wasm-postings.ts) are built from. Nothing is downloaded or
 * compiled from another language at run time.
 */

/** Value types. */
export const I32 = 0x7f;
export const I64 = 0x7e;

export const op = {
  block: 0x02, loop: 0x03, if: 0x04, end: 0x0b, br: 0x0c, br_if: 0x0d, void: 0x40, select: 0x1b,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22,
  i32_load: 0x28, i64_load: 0x29, i32_load8_u: 0x2d, i32_load16_u: 0x2f, i32_store: 0x36,
  i32_const: 0x41,
  i32_eqz: 0x45, i32_lt_u: 0x49, i32_le_u: 0x4d, i32_ge_u: 0x4f, i32_ctz: 0x68,
  i32_add: 0x6a, i32_sub: 0x6b, i32_mul: 0x6c, i32_and: 0x71, i32_or: 0x72, i32_xor: 0x73, i32_shl: 0x74,
  i32_shr_u: 0x76,
  i64_popcnt: 0x7b, i64_add: 0x7c, i64_xor: 0x85, i32_wrap_i64: 0xa7,
} as const;

export function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

export function sleb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

export function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

export function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

export const get = (i: number) => [op.local_get, ...uleb(i)];
export const set = (i: number) => [op.local_set, ...uleb(i)];
export const i32 = (v: number) => [op.i32_const, ...sleb(v)];
export const i64Load = (offset: number) => [op.i64_load, 3, ...uleb(offset)];
export const i32Load = (offset: number) => [op.i32_load, 2, ...uleb(offset)];
export const i32Store = (offset: number) => [op.i32_store, 2, ...uleb(offset)];
export const add = (a: number[], b: number[]) => [...a, ...b, op.i32_add];

/** A function body: its locals (count, type) and code, length-prefixed. */
export function body(locals: [number, number][], code: number[]): number[] {
  const bytes = [...vec(locals.map(([count, type]) => [...uleb(count), type])), ...code, op.end];
  return [...uleb(bytes.length), ...bytes];
}

/** `code` repeated while local i < local limit, if i < limit at the start (a do-while inside a guard). */
export function whileBelow(i: number, limit: number, code: number[]): number[] {
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
export const roundDown4 = (n: number, to: number) => [...get(n), ...i32(-4), op.i32_and, ...set(to)];
