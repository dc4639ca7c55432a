import { describe, expect, it } from 'vitest';
import { formatPdqHex, hammingDistance, isPdqHex, parsePdqHex, PdqFormatError } from '../src/index.ts';

const BRIDGE = 'f8f8f0cee0f4a84f06370a22038f67f0b36e2ed596221e1d33e6b39c4e9c9b22';

describe('PDQ hex', () => {
  it('round-trips big-endian: the first characters are the high bits', () => {
    const bytes = parsePdqHex(BRIDGE);
    expect(bytes[0]).toBe(0xf8);
    expect(bytes[31]).toBe(0x22);
    expect(formatPdqHex(bytes)).toBe(BRIDGE);
    expect(formatPdqHex(parsePdqHex(BRIDGE.toUpperCase()))).toBe(BRIDGE);
  });

  it('names the problem with a malformed hash', () => {
    expect(() => parsePdqHex(BRIDGE.slice(1))).toThrow(PdqFormatError);
    expect(() => parsePdqHex(BRIDGE.slice(1))).toThrow(/has 63/);
    expect(() => parsePdqHex(`${BRIDGE.slice(0, 10)}g${BRIDGE.slice(11)}`)).toThrow(/character 11 is "g"/);
    expect(() => formatPdqHex(new Uint8Array(31))).toThrow(/32 bytes/);
    expect(isPdqHex(BRIDGE)).toBe(true);
    expect(isPdqHex(`${BRIDGE}0`)).toBe(false);
  });

  it('counts differing bits', () => {
    expect(hammingDistance(BRIDGE, BRIDGE)).toBe(0);
    expect(hammingDistance('0'.repeat(64), 'f'.repeat(64))).toBe(256);
    expect(hammingDistance('0'.repeat(63) + '1', '0'.repeat(64))).toBe(1);
    expect(hammingDistance(parsePdqHex('8' + '0'.repeat(63)), '0'.repeat(64))).toBe(1);
  });
});
