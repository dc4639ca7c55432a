/**
 * Postings of one slot for the rows added since the last compaction, so an add takes effect at once:
 * a chain per key threaded through `next` (newest first). Adding is O(1); nothing is rebuilt.
 * The 256 KiB of chain heads is allocated on the first add, so a compacted index carries none.
 */
export class LivePostings {
  private heads: Int32Array | undefined;
  private next = new Int32Array(0);

  /** Files overlay row `index` (0 for the first row after the compacted ones) under `key`. */
  add(key: number, index: number): void {
    this.heads ??= new Int32Array(65536).fill(-1);
    if (index >= this.next.length) {
      const grown = new Int32Array(Math.max(index + 1, 1024, Math.ceil(this.next.length * 1.5)));
      grown.set(this.next);
      this.next = grown;
    }
    this.next[index] = this.heads[key];
    this.heads[key] = index;
  }

  /** The newest overlay row filed under `key`, or -1; follow with `nextOf`. */
  first(key: number): number {
    return this.heads === undefined ? -1 : this.heads[key];
  }

  /** The overlay row filed under the same key before `index`, or -1. */
  nextOf(index: number): number {
    return this.next[index];
  }

  byteLength(): number {
    return (this.heads?.byteLength ?? 0) + this.next.byteLength;
  }
}
