/**
 * MD5 of file bytes, computed on the requester's device. Web Crypto has no MD5, and StopNCII and other hash
 * exchanges share MD5 (for video especially), so we carry this small RFC 1321 implementation.
 * It is streaming: feed the file in chunks so a large video never needs a second copy in memory.
 * @example const md5 = new Md5(); md5.update(bytes); md5.hex(); // "d41d8cd98f00b204e9800998ecf8427e" for none
 */

// Per-round left-rotation amounts (RFC 1321 §3.4).
const SHIFTS = [
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
  5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];

// K[i] = floor(abs(sin(i + 1)) · 2^32), as the RFC defines the table.
const K = new Uint32Array(64);
for (let i = 0; i < 64; i++) K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0;

export class Md5 {
  private state = new Uint32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);
  private block = new Uint8Array(64);
  private blockWords = new Uint32Array(16);
  private blockLength = 0;
  private totalBytes = 0;
  private finished = false;

  update(bytes: Uint8Array): this {
    if (this.finished) throw new Error('This MD5 is already finished; start a new one.');
    let offset = 0;
    this.totalBytes += bytes.length;
    if (this.blockLength > 0) {
      const take = Math.min(64 - this.blockLength, bytes.length);
      this.block.set(bytes.subarray(0, take), this.blockLength);
      this.blockLength += take;
      offset = take;
      if (this.blockLength < 64) return this;
      this.compress(this.block, 0);
      this.blockLength = 0;
    }
    while (offset + 64 <= bytes.length) {
      this.compress(bytes, offset);
      offset += 64;
    }
    this.block.set(bytes.subarray(offset), 0);
    this.blockLength = bytes.length - offset;
    return this;
  }

  /** The digest as 32 lowercase hex characters. Finishes the computation. */
  hex(): string {
    if (!this.finished) this.finish();
    let out = '';
    for (const word of this.state) {
      for (let b = 0; b < 4; b++) out += ((word >>> (8 * b)) & 0xff).toString(16).padStart(2, '0');
    }
    return out;
  }

  private finish(): void {
    const bitLength = this.totalBytes * 8;
    const padding = new Uint8Array((this.blockLength < 56 ? 56 : 120) - this.blockLength + 8);
    padding[0] = 0x80;
    // The message length in bits, little-endian, 64 bits (split because JS bit operators are 32-bit).
    const lengthAt = padding.length - 8;
    const low = bitLength >>> 0;
    const high = Math.floor(bitLength / 2 ** 32) >>> 0;
    for (let b = 0; b < 4; b++) {
      padding[lengthAt + b] = (low >>> (8 * b)) & 0xff;
      padding[lengthAt + 4 + b] = (high >>> (8 * b)) & 0xff;
    }
    const total = this.totalBytes;
    this.update(padding);
    this.totalBytes = total;
    this.finished = true;
  }

  private compress(bytes: Uint8Array, offset: number): void {
    const x = this.blockWords;
    for (let i = 0; i < 16; i++) {
      const p = offset + i * 4;
      x[i] = (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0;
    }
    let [a, b, c, d] = this.state;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const sum = (a + f + K[i] + x[g]) >>> 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << SHIFTS[i]) | (sum >>> (32 - SHIFTS[i])))) >>> 0;
    }
    this.state[0] = (this.state[0] + a) >>> 0;
    this.state[1] = (this.state[1] + b) >>> 0;
    this.state[2] = (this.state[2] + c) >>> 0;
    this.state[3] = (this.state[3] + d) >>> 0;
  }
}

/** MD5 of a whole buffer as 32 lowercase hex characters. */
export function md5Hex(bytes: Uint8Array): string {
  return new Md5().update(bytes).hex();
}
