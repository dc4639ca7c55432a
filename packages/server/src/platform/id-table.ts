/** Ids a page holds: 64 Ki ids, 256 KiB. */
const PAGE_BITS = 16;
const PAGE_IDS = 1 << PAGE_BITS;

/**
 * A number from 1 to 2^32 - 1 for each of many ids (0..2^32 - 1), in pages of 64 Ki ids allocated as ids
 * arrive: 4 bytes an id where ids are dense, as bank_hashes ids are (a sequence), and no object per id for
 * the garbage collector to walk. A `Map` would hold at most 2^24 entries (V8's limit); a bank index holds
 * 100 M. Pages are kept once made (a page emptied by removals stays until the process ends).
 */
export class IdTable {
  readonly #pages = new Map<number, Uint32Array>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** The value of `id`; 0 when it has none. */
  get(id: number): number {
    return this.#pages.get(id >>> PAGE_BITS)?.[id & (PAGE_IDS - 1)] ?? 0;
  }

  has(id: number): boolean {
    return this.get(id) !== 0;
  }

  set(id: number, value: number): void {
    if (!Number.isInteger(value) || value < 1 || value > 0xffffffff) throw new RangeError(`an id table value is from 1 to 2^32 - 1; got ${value}`);
    let page = this.#pages.get(id >>> PAGE_BITS);
    if (!page) {
      page = new Uint32Array(PAGE_IDS);
      this.#pages.set(id >>> PAGE_BITS, page);
    }
    const at = id & (PAGE_IDS - 1);
    if (page[at] === 0) this.#size++;
    page[at] = value;
  }

  delete(id: number): boolean {
    const page = this.#pages.get(id >>> PAGE_BITS);
    const at = id & (PAGE_IDS - 1);
    if (!page || page[at] === 0) return false;
    page[at] = 0;
    this.#size--;
    return true;
  }
}
