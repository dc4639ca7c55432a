import { describe, expect, it } from 'vitest';
import { IdTable } from '../src/platform/id-table.ts';

describe('id table: a number per id, beyond a Map\'s 2^24 entries', () => {
  it('sets, reads and deletes values of ids anywhere in 0..2^32 - 1', () => {
    const table = new IdTable();
    for (const id of [0, 1, 65_535, 65_536, 2 ** 32 - 1]) table.set(id, id + 1 > 0xffffffff ? 7 : id + 1);
    expect(table.size).toBe(5);
    expect(table.get(65_536)).toBe(65_537);
    expect(table.get(2 ** 32 - 1)).toBe(7);
    expect(table.get(2)).toBe(0);
    expect(table.has(2)).toBe(false);
    table.set(1, 9);
    expect(table.size).toBe(5);
    expect(table.delete(1)).toBe(true);
    expect(table.delete(1)).toBe(false);
    expect(table.get(1)).toBe(0);
    expect(table.size).toBe(4);
    expect(() => table.set(3, 0)).toThrow(/from 1/);
  });

  it('holds more ids than a Map can', () => {
    const table = new IdTable();
    const ids = (1 << 24) + 10;
    for (let id = 0; id < ids; id++) table.set(id, (id & 0xffff) + 1);
    expect(table.size).toBe(ids);
    expect(table.get((1 << 24) + 9)).toBe(10);
  });
});
