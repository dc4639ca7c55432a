import { describe, expect, it } from 'vitest';
import {
  detectHashListFormat, hashListFormat, hmaCsvFormat, plainFormat, stopNciiFormat, threatExchangeFormat,
} from '../src/index.ts';

const A = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22';
const B = '30a10efd71cc3d429013de48c2da5e1dbd4d2d4ab8a0e6c1e2a27a93a5a6e5af';
const MD5 = '0a21c8f8a1cd79f6d1b7d4a3e8b9c0d1';

describe('plain lists', () => {
  it('loads good lines, counts duplicates, reports bad lines by number', () => {
    const text = `# bank of confirmed items\n${A}\n\n${B.toUpperCase()}  # second\n${A}\nnot-a-hash\n${A.slice(0, 63)}\n`;
    const { entries, report } = plainFormat.parse(text);
    expect(entries.map((e) => [e.hash, e.line])).toEqual([[A, 2], [B, 4]]);
    expect(report).toEqual({
      linesRead: 7, loaded: 2, removed: 0, duplicates: 1, refused: false,
      rejected: [
        { line: 6, reason: 'A PDQ hash uses only the characters 0–9 and a–f. Check that it was copied exactly. (got "not-a-hash")' },
        { line: 7, reason: `A PDQ hash has 64 characters; this one has 63. Check that it was copied whole. (got "${A.slice(0, 63)}")` },
      ],
    });
  });

  it('in strict mode loads nothing when any line is rejected', () => {
    const parsed = plainFormat.parse(`${A}\nbad\r\n${B}\r\n`, { strict: true });
    expect(parsed.entries).toEqual([]);
    expect(parsed.report).toMatchObject({ loaded: 0, refused: true, linesRead: 3, rejected: [{ line: 2 }] });
    expect(plainFormat.parse(`${A}\n${B}\n`, { strict: true }).report).toMatchObject({ loaded: 2, refused: false });
  });

  it('writes what it reads', () => {
    const text = plainFormat.write([{ signalType: 'pdq', hash: A }, { signalType: 'pdq', hash: B }]);
    expect(plainFormat.parse(text).entries.map((e) => e.hash)).toEqual([A, B]);
    expect(() => plainFormat.write([{ signalType: 'md5', hash: MD5 }])).toThrow(/PDQ/);
  });
});

describe('HMA bank CSV', () => {
  it('reads signal_type,signal with a header and extra columns', () => {
    const text = `signal_type,signal,content_id\npdq,${A},c1\nvideo_md5,${MD5},"c,2"\nphash,abcd,c3\npdq\n`;
    const { entries, report } = hmaCsvFormat.parse(text);
    // Read under takedown's names for the types (python-threatexchange's video_md5 is takedown's md5).
    expect(entries.map((e) => [e.signalType, e.hash, e.line])).toEqual([['pdq', A, 2], ['md5', MD5, 3]]);
    expect(report.rejected.map((r) => r.line)).toEqual([4, 5]);
    expect(report.rejected[0].reason).toMatch(/unknown signal type "phash"/);
  });

  it('reads rows without a header, and round-trips its own output', () => {
    expect(hmaCsvFormat.parse(`pdq,${A}\n`).entries).toHaveLength(1);
    const written = hmaCsvFormat.write([{ signalType: 'pdq', hash: A }, { signalType: 'md5', hash: MD5 }]);
    expect(written).toBe(`signal_type,signal\npdq,${A}\nvideo_md5,${MD5}\n`);
    expect(hmaCsvFormat.parse(written).entries.map((e) => e.hash)).toEqual([A, MD5]);
  });
});

describe('ThreatExchange signal lines', () => {
  it('reads "<signal_type> <signal>" and names unknown types by line', () => {
    const text = `pdq ${A}\nvideo_md5 ${MD5}\nphash abcd\npdq\npdq ${A}\nurl https://example.com\n`;
    const { entries, report } = threatExchangeFormat.parse(text);
    expect(entries.map((e) => e.signalType)).toEqual(['pdq', 'md5', 'url']);
    expect(report.duplicates).toBe(1);
    expect(report.rejected.map((r) => [r.line, r.reason.slice(0, 27)])).toEqual([
      [3, 'unknown signal type "phash"'], [4, 'expected "<signal_type> <si'],
    ]);
    expect(threatExchangeFormat.write(entries)).toBe(`pdq ${A}\nvideo_md5 ${MD5}\nurl https://example.com/\n`);
  });
});

describe('StopNCII-style records', () => {
  it('removes withdrawn and deleted cases, whatever the order of the lines', () => {
    const text = [
      'Signal_Type,Hash,Case_Status',
      `PDQ,${A},Active`,
      `MD5,${MD5},Withdrawn`,
      `PDQ,${B},Active`,
      `PDQ,${B},Deleted`,
      `PDQ,${A},Pending`,
    ].join('\n');
    const { entries, removals, report } = stopNciiFormat.parse(text);
    expect(entries.map((e) => e.hash)).toEqual([A]);
    expect(removals.map((e) => [e.signalType, e.hash])).toEqual([['md5', MD5], ['pdq', B]]);
    expect(report).toMatchObject({ linesRead: 6, loaded: 1, removed: 2 });
    expect(report.rejected).toEqual([{ line: 6, reason: 'unknown case status "Pending" (expected Active, Withdrawn or Deleted)' }]);
  });

  it('needs a header naming its columns', () => {
    const { report } = stopNciiFormat.parse(`PDQ,${A},Active\n`);
    expect(report.rejected[0]).toMatchObject({ line: 1 });
    expect(report.loaded).toBe(0);
  });
});

describe('format detection', () => {
  it('recognises each format from its first line', () => {
    expect(detectHashListFormat(`# comment\n${A}\n`).name).toBe('plain');
    expect(detectHashListFormat(`pdq ${A}\n`).name).toBe('threatexchange');
    expect(detectHashListFormat(`signal_type,signal\npdq,${A}\n`).name).toBe('hma-csv');
    expect(detectHashListFormat(`signal_type,hash,case_status\n`).name).toBe('stopncii');
    expect(detectHashListFormat('').name).toBe('plain');
    expect(hashListFormat('hma-csv')).toBe(hmaCsvFormat);
    expect(hashListFormat('nope')).toBeUndefined();
  });
});
