import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CASE_NUMBER_ALPHABET, generateCaseNumber, generatePin, isCaseNumber, normaliseCaseNumber } from '../src/index.ts';

/** Deterministic bytes for exact expectations: 0, 1, 2, … */
function counting(): (n: number) => Uint8Array {
  let next = 0;
  return (n) => Uint8Array.from({ length: n }, () => next++ % 256);
}

describe('generateCaseNumber', () => {
  it('maps 5 bits of each byte to the unambiguous alphabet', () => {
    expect(generateCaseNumber(counting())).toBe('TD-0123-4567');
    expect(generateCaseNumber(() => Uint8Array.from([31, 30, 29, 28, 255, 224, 0, 17]))).toBe('TD-ZYXW-Z00H');
  });

  it('never uses I, L, O or U', () => {
    expect(CASE_NUMBER_ALPHABET).toHaveLength(32);
    expect(CASE_NUMBER_ALPHABET).not.toMatch(/[ILOU]/);
    for (let i = 0; i < 200; i++) {
      const number = generateCaseNumber(randomBytes);
      expect(isCaseNumber(number)).toBe(true);
    }
  });
});

describe('normaliseCaseNumber', () => {
  it('reads what people type', () => {
    expect(normaliseCaseNumber('TD-7KQ4-M2XP')).toBe('TD-7KQ4-M2XP');
    expect(normaliseCaseNumber(' td 7kq4 m2xp ')).toBe('TD-7KQ4-M2XP');
    expect(normaliseCaseNumber('7KQ4M2XP')).toBe('TD-7KQ4-M2XP');
    expect(normaliseCaseNumber('TD-OKQ4-MIXL')).toBe('TD-0KQ4-M1X1');
  });

  it('refuses what cannot be a case number', () => {
    for (const text of ['', 'TD-7KQ4', 'TD-7KQ4-M2XPX', 'TD-7KQ4-M2XU', '../etc/passwd']) {
      expect(normaliseCaseNumber(text)).toBeUndefined();
    }
  });
});

describe('generatePin', () => {
  it('has 8 decimal digits by default', () => {
    for (let i = 0; i < 100; i++) expect(generatePin(randomBytes)).toMatch(/^\d{8}$/);
    expect(generatePin(randomBytes, 6)).toMatch(/^\d{6}$/);
  });

  it('skips bytes of 250 and above so every digit is equally likely', () => {
    const bytes = [255, 250, 249, 13, 0, 251, 7, 8, 9, 10, 11, 12];
    let i = 0;
    const random = (n: number) => Uint8Array.from({ length: n }, () => bytes[i++ % bytes.length]);
    expect(generatePin(random, 8)).toBe('93078901');
  });

  it('refuses a silly length', () => {
    expect(() => generatePin(randomBytes, 2)).toThrow(RangeError);
  });
});
