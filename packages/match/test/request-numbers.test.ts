import { describe, expect, it } from 'vitest';
import { nextRequestNumber } from '../src/request-numbers.ts';

describe('request numbers between threads', () => {
  it('wrap as the 32-bit control word holds them, so the owner and the thread always name the same request', () => {
    const control = new Int32Array(new SharedArrayBuffer(4));
    let seq = 2 ** 31 - 2;
    for (let i = 0; i < 4; i++) {
      seq = nextRequestNumber(seq);
      Atomics.store(control, 0, seq);
      expect(Atomics.load(control, 0)).toBe(seq);
    }
    expect(seq).toBe(-(2 ** 31) + 2);
    expect(nextRequestNumber(0)).toBe(1);
  });
});
