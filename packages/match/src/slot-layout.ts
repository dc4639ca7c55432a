/**
 * The multi-index slot layout (DESIGN.md §5, chosen by measurement: docs/decisions/015-slot-layout.md).
 *
 * The 256 bits are cut into 11 slots: three of 24 bits, then eight of 23, slot i taking the next bits from
 * the top of the hash (hex order). Pigeonhole: if every slot differed from the query in more than r bits,
 * the distance would be at least 11 (r + 1); so for radius R, probing each slot's keys within
 * r = floor(R / 11) bits finds every hash within R (11 (r + 1) > R). Radius 31: r = 2, 11 × 3 = 33 > 31.
 *
 * A slot's postings are filed under the top `keyWidth(rows)` bits of the slot only (at most the slot's
 * width), about a quarter as many keys as rows: the bits left out are simply not looked at, which the
 * pigeonhole allows (the distance over fewer bits is no larger), and the directory stays about one byte a
 * row per slot whatever the bank's size. Live rows are filed under the top 16 bits of each slot.
 */
export const SLOT_WIDTHS: readonly number[] = [24, 24, 24, 23, 23, 23, 23, 23, 23, 23, 23];
export const SLOTS = SLOT_WIDTHS.length;
/** Bit offset of each slot from the top of the hash. */
export const SLOT_STARTS: readonly number[] = SLOT_WIDTHS.map((_, i) => SLOT_WIDTHS.slice(0, i).reduce((a, b) => a + b, 0));
/** Probing keys within 3 bits of each slot covers radius <= 43; beyond, only the scan is exact. */
export const MAX_INDEXED_RADIUS = 4 * SLOTS - 1;
/** Bits of each slot the live (not yet compacted) rows are filed under. */
export const LIVE_KEY_BITS = 16;

/** The probe radius per slot for a query radius: some slot differs in at most this many bits. */
export function probeRadius(radius: number): number {
  return Math.floor(radius / SLOTS);
}

/** Key bits per slot for `rows` compacted rows: about rows / 4 keys (8 to 24 bits). */
export function keyWidth(rows: number): number {
  return Math.min(24, Math.max(8, Math.floor(Math.log2(Math.max(1, rows))) - 2));
}

/**
 * The top `width` bits of slot `slot`, from the hash's two words holding them: `first` is word
 * floor(start / 32) and `second` the next one (any value when the slot ends within `first`).
 */
export function slotBits(first: number, second: number, slot: number, width: number): number {
  const offset = SLOT_STARTS[slot] & 31;
  const top = offset === 0 ? first >>> 0 : ((first << offset) | (second >>> (32 - offset))) >>> 0;
  return top >>> (32 - width);
}

/** The word of the hash holding the first bit of `slot`. */
export function slotWord(slot: number): number {
  return SLOT_STARTS[slot] >>> 5;
}

/** Where a slot's hash words are: its first and second word of row 0, and the words from a row to the next. */
export interface SlotWords {
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
