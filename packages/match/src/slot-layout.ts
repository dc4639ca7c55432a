/**
 * Multi-index slot layouts (DESIGN.md §5; chosen by measurement, docs/decisions/015-slot-layout.md).
 *
 * A layout cuts the 256 bits into slots, slot i taking the next widths[i] bits from the top of the hash
 * (hex order). Pigeonhole: if every one of m slots differed from the query in more than r bits, the
 * distance would be at least m (r + 1); so for radius R, probing each slot's keys within r = floor(R / m)
 * bits finds every hash within R (m (r + 1) > R).
 *
 * - `narrow`, 16 slots of 16 bits: radius 31 probes each slot's key and its 16 one-bit neighbours (272
 *   probes), about rows / 241 candidates. Best while the bank is small enough for those to be few.
 * - `wide`, 11 slots (3 of 24 bits, 8 of 23): radius 31 probes each key within 2 bits (r = 2,
 *   11 × 3 = 33 > 31), about 2 550 probes, and the candidates stay near 12 000 whatever the bank's size,
 *   because the keys grow with the bank: postings are filed under the top `keyWidth(rows, rowsPerKey)` bits
 *   of each slot (about rows / 4 keys by default; a sharded index's shards take about one row a key). The
 *   bits left out are not looked at, which the pigeonhole allows (the distance over fewer bits is no
 *   larger), and the directory stays about one byte a row per slot (1.25 bytes a key).
 *
 * Live rows (added since the last compaction) are filed under the top 16 bits of each slot of the layout.
 */
export interface SlotLayout {
  readonly name: 'narrow' | 'wide';
  /** Bits of each slot, from the top of the hash. */
  readonly widths: readonly number[];
  /** Bit offset of each slot from the top of the hash. */
  readonly starts: readonly number[];
  /** Largest probe radius per slot the index uses (beyond, the exhaustive scan). */
  readonly maxProbeRadius: number;
  /** How many slots' candidates a helper thread verifies (the last ones). */
  readonly helperSlots: number;
  /** Key bits per slot for a bank of `rows` compacted rows, about `rowsPerKey` rows a key (at most the slot's width). */
  keyWidth(rows: number, rowsPerKey: number): number;
}

function layout(name: SlotLayout['name'], widths: number[], maxProbeRadius: number, helperSlots: number, keyWidth: SlotLayout['keyWidth']): SlotLayout {
  const starts = widths.map((_, i) => widths.slice(0, i).reduce((a, b) => a + b, 0));
  return { name, widths, starts, maxProbeRadius, helperSlots, keyWidth };
}

export const NARROW_LAYOUT = layout('narrow', Array.from({ length: 16 }, () => 16), 2, 9, () => 16);
export const WIDE_LAYOUT = layout('wide', [24, 24, 24, 23, 23, 23, 23, 23, 23, 23, 23], 3, 6,
  (rows, rowsPerKey) => Math.min(23, Math.max(16, Math.floor(Math.log2(Math.max(1, rows))) - Math.log2(rowsPerKey))));
/** From this many compacted rows the wide layout is used (measured: docs/decisions/015-slot-layout.md). */
export const WIDE_FROM_ROWS = 1 << 22;
/** Bits of each slot the live (not yet compacted) rows are filed under. */
export const LIVE_KEY_BITS = 16;

export type LayoutChoice = 'auto' | SlotLayout['name'];

export function layoutFor(rows: number, choice: LayoutChoice): SlotLayout {
  if (choice === 'auto') return rows >= WIDE_FROM_ROWS ? WIDE_LAYOUT : NARROW_LAYOUT;
  return choice === 'wide' ? WIDE_LAYOUT : NARROW_LAYOUT;
}

/** The largest radius a layout's probes cover. */
export function maxIndexedRadius(layout: SlotLayout): number {
  return layout.widths.length * (layout.maxProbeRadius + 1) - 1;
}

/** The probe radius per slot for a query radius: some slot differs in at most this many bits. */
export function probeRadius(layout: SlotLayout, radius: number): number {
  return Math.floor(radius / layout.widths.length);
}

/**
 * The probe radius of each slot for a query radius, with the pigeonhole's slack given back: if slot i
 * differed in more than r_i bits for every i, the distance would be at least the sum of (r_i + 1), so
 * radii whose (r_i + 1) add up to radius + 1 find every hash within the radius. With r = floor(radius / m),
 * m (r + 1) may exceed radius + 1 by up to m - 1: that many slots (slots 1, 2, …: slot 0, whose rows are
 * stored in key order and cheapest to probe, keeps r) are probed to r - 1 instead, and a slot at -1 is not
 * probed at all (11 slots at radius 31: one slot to 1 bit, ten to 2; 16 slots at radius 20: eleven slots
 * to their key alone, five to 1 bit).
 */
export function probeRadii(layout: SlotLayout, radius: number): number[] {
  const slots = layout.widths.length;
  const r = probeRadius(layout, radius);
  const slack = slots * (r + 1) - (radius + 1);
  return layout.widths.map((_, slot) => (slot >= 1 && slot <= slack ? r - 1 : r));
}

/** The word of the hash holding bit `start` (0 = the top bit), and the next word (the same for the last). */
export function slotWords(start: number): [number, number] {
  const w = start >>> 5;
  return [w, Math.min(w + 1, 7)];
}

/**
 * The `width` bits (at most 32 - start % 32 + 32) from bit `start` of the hash, given the two words
 * `slotWords(start)` names.
 */
export function slotBits(first: number, second: number, start: number, width: number): number {
  const offset = start & 31;
  const top = offset === 0 ? first >>> 0 : ((first << offset) | (second >>> (32 - offset))) >>> 0;
  return top >>> (32 - width);
}

/** Where a slot's hash words are: its first and second word of row 0, and the words from a row to the next. */
export interface SlotSource {
  words: Uint32Array;
  first: number;
  second: number;
  stride: number;
}

const maskCache = new Map<number, Uint32Array>();

/** Every mask of `width` bits with at most `radius` bits set, the empty mask first (cached). */
export function flipMasks(width: number, radius: number): Uint32Array {
  const cacheKey = width * 64 + radius;
  let masks = maskCache.get(cacheKey);
  if (masks === undefined) {
    const list: number[] = [];
    const visit = (from: number, mask: number, left: number) => {
      list.push(mask >>> 0);
      if (left > 0) for (let bit = from; bit < width; bit++) visit(bit + 1, mask | (1 << bit), left - 1);
    };
    visit(0, 0, radius);
    masks = Uint32Array.from(list);
    maskCache.set(cacheKey, masks);
  }
  return masks;
}
