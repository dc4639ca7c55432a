import { describe, expect, it } from 'vitest';
import { ManualClock, MAX_VPDQ_FRAMES, readVpdqFrames, validateRemovalRequest } from '../src/index.ts';
import { NOW, validRequest } from './fixtures.ts';

const frame = (index: number, extra: Record<string, unknown> = {}) => ({ index, timestamp: index, hash: 'AB'.repeat(32), quality: 90, ...extra });

describe('readVpdqFrames', () => {
  it('accepts frames in order and lowercases the hashes', () => {
    const read = readVpdqFrames([frame(0), frame(2)]);
    expect(read).toEqual({ ok: true, frames: [{ index: 0, timestamp: 0, hash: 'ab'.repeat(32), quality: 90 }, { index: 2, timestamp: 2, hash: 'ab'.repeat(32), quality: 90 }] });
  });

  it('names the first bad frame and says what to fix', () => {
    const cases: [unknown, string][] = [
      ['frames', 'is a list of frames'],
      [[], 'has no frames'],
      [[frame(0), 'x'], 'Frame 2 of vpdq is not an object'],
      [[frame(1), frame(1)], 'Frame 2 of vpdq: index'],
      [[frame(0, { index: -1 })], 'index'],
      [[frame(0, { timestamp: -0.5 })], 'timestamp'],
      [[frame(0, { hash: 'ab' })], '64 hexadecimal'],
      [[frame(0, { quality: 101 })], 'quality'],
      [[frame(0, { pixels: [1, 2] })], 'field we do not accept: pixels'],
    ];
    for (const [value, words] of cases) {
      const read = readVpdqFrames(value);
      expect(read.ok, JSON.stringify(value).slice(0, 80)).toBe(false);
      if (!read.ok) expect(read.message).toContain(words);
    }
  });

  it('refuses more frames than the limit', () => {
    const many = Array.from({ length: MAX_VPDQ_FRAMES + 1 }, (_, i) => frame(i));
    const read = readVpdqFrames(many);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.message).toContain(`at most ${MAX_VPDQ_FRAMES}`);
    expect(readVpdqFrames(many.slice(0, 3), 2).ok).toBe(false);
  });
});

describe('a request item with a video vPDQ', () => {
  const clock = new ManualClock(NOW);
  const withItems = (items: unknown[]) => ({ ...validRequest(), items });

  it('is accepted with or without a URL, frames kept as sent (hashes lowercased)', () => {
    const result = validateRemovalRequest(withItems([{ hashes: { md5: 'A'.repeat(32), vpdq: [frame(0), frame(1)] }, mediaType: 'video' }]), { clock });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.request.items[0].hashes?.vpdq).toEqual([frame(0, { hash: 'ab'.repeat(32) }), frame(1, { hash: 'ab'.repeat(32) })]);
    const vpdqOnly = validateRemovalRequest(withItems([{ hashes: { vpdq: [frame(0)] } }]), { clock });
    expect(vpdqOnly.ok).toBe(true);
  });

  it('names the vpdq field of the item when the frames are wrong', () => {
    const result = validateRemovalRequest(withItems([{ url: 'https://platform.example/p/1' }, { hashes: { vpdq: [frame(0, { quality: 'high' })] } }]), { clock });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toContainEqual(expect.objectContaining({ field: 'items.1.hashes.vpdq', code: 'invalid_vpdq' }));
      expect(result.errors.find((e) => e.field === 'items.1.hashes.vpdq')?.message).toContain('quality');
    }
  });
});
