import { describe, expect, it } from 'vitest';
import {
  detectHashListFormat, hashListFormat, plainFormat, signalTypes, stopNciiFormat, threatExchangeCsvFormat, threatExchangeFormat,
  type HashListParse,
} from '../src/index.ts';
import { fixtureCases, fixtureText, readAsPythonThreatExchange, type FixtureSignal } from '@takedown/testing/hash-lists';

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

describe('python-threatexchange file exchange', () => {
  it('splits at the first space, reads its type names, and reports every line it does not take', () => {
    const text = `pdq ${A}\nvideo_md5 ${MD5}\nphash abcd\npdq\npdq ${A}\nurl https://example.com/a#b\n# not a comment\n`;
    const { entries, report } = threatExchangeFormat.parse(text);
    expect(entries.map((e) => e.signalType)).toEqual(['pdq', 'md5', 'url']);
    expect(entries[2].hash).toBe('https://example.com/a');
    expect(report.duplicates).toBe(1);
    expect(report.rejected.map((r) => [r.line, r.reason.slice(0, 27)])).toEqual([
      [3, 'unknown signal type "phash"'], [4, 'expected "<signal_type> <si'], [7, 'unknown signal type "#" (kn'],
    ]);
    expect(threatExchangeFormat.write(entries)).toBe(`pdq ${A}\nvideo_md5 ${MD5}\nurl https://example.com/a\n`);
  });
});

describe('python-threatexchange dataset --csv', () => {
  it('reads its header, CRLF lines and quoted vPDQ, and writes what it reads', () => {
    const text = `signal_type,signal_str,collab,category,tags\r\npdq,${A},partner-a,INVESTIGATION_SEED,\r\nvpdq,"[""${A},100,0.0"", ""${B},90,1.5""]",partner-a,INVESTIGATION_SEED,\r\n`;
    const { entries, report } = threatExchangeCsvFormat.parse(text);
    expect(report.rejected).toEqual([]);
    expect(entries.map((e) => e.signalType)).toEqual(['pdq', 'vpdq']);
    const written = threatExchangeCsvFormat.write(entries);
    expect(written.split('\r\n')[0]).toBe('signal_type,signal_str,collab,category,tags');
    expect(threatExchangeCsvFormat.parse(written).entries).toEqual(entries.map((e, i) => ({ ...e, line: i + 2 })));
  });

  it('needs its header', () => {
    expect(threatExchangeCsvFormat.parse(`pdq,${A}\n`).report.rejected[0]).toMatchObject({ line: 1 });
  });
});

describe('StopNCII hash records (JSON)', () => {
  const record = (signalType: string, hashValue: string, hashStatus: string, lastModtimestamp: number) => ({ signalType, hashValue, hashStatus, lastModtimestamp, caseNumbers: {} });
  it('removes Withdrawn and Deleted records; a later record of the same hash replaces an earlier one', () => {
    const page = { hashRecords: [record('ImagePDQ', A, 'Active', 1), record('VideoMD5', MD5, 'Withdrawn', 2), record('ImagePDQ', B, 'Active', 3), record('ImagePDQ', B, 'Deleted', 4), record('ImagePDQ', A, 'Received', 5), record('VideoTMK', 'x', 'Active', 6)] };
    const { entries, removals, report } = stopNciiFormat.parse(JSON.stringify(page));
    expect(entries.map((e) => [e.signalType, e.hash])).toEqual([['pdq', A]]);
    expect(removals.map((e) => [e.signalType, e.hash])).toEqual([['md5', MD5], ['pdq', B]]);
    expect(report).toMatchObject({ linesRead: 6, loaded: 1, removed: 2, duplicates: 1 });
    expect(report.rejected).toEqual([{ line: 6, reason: 'unknown signal type "VideoTMK" (known: ImagePDQ, VideoMD5, URL)' }]);
  });

  it('says what is wrong with something that is not a page of records', () => {
    expect(stopNciiFormat.parse('{"records": []}').report.rejected[0].reason).toContain('hashRecords');
    expect(stopNciiFormat.parse('{').report.rejected[0].reason).toMatch(/^not JSON/);
    expect(stopNciiFormat.carries('vpdq')).toBe(false);
  });
});

describe('format detection', () => {
  it('recognises each format from its content', () => {
    expect(detectHashListFormat(`# comment\n${A}\n`).name).toBe('plain');
    expect(detectHashListFormat(`pdq ${A}\n`).name).toBe('threatexchange');
    expect(detectHashListFormat(`signal_type,signal_str,collab,category,tags\r\n`).name).toBe('threatexchange-csv');
    expect(detectHashListFormat(`{"hashRecords": []}`).name).toBe('stopncii');
    expect(detectHashListFormat('').name).toBe('plain');
    expect(hashListFormat('dataset-csv')).toBe(threatExchangeCsvFormat);
    expect(hashListFormat('hex')).toBe(plainFormat);
    expect(hashListFormat('nope')).toBeUndefined();
  });
});

/** A bank as the server keeps one, reduced to its signals: imports apply in order, removals take out. */
function importInto(bank: Map<string, FixtureSignal>, parsed: HashListParse): void {
  const asFixture = (e: { signalType: string; hash: string }): [string, FixtureSignal] => {
    const type = signalTypes.get(e.signalType)!;
    return [`${e.signalType}:${e.hash}`, { type: type.names.threatexchange[0], signal: e.hash }];
  };
  for (const e of parsed.entries) bank.set(...asFixture(e));
  for (const e of parsed.removals) bank.delete(asFixture(e)[0]);
}

const framesOf = (signal: string) => (JSON.parse(signal) as string[]).map((s) => s.split(',')).map(([hash, quality, timestamp]) => ({ hash, quality: Number(quality), timestamp: Number(timestamp) }));

describe('files written by python-threatexchange (../shared/fixtures/hash-lists)', () => {
  for (const c of fixtureCases) {
    it(`${c.name}: imports as expected.json says, and exports what python-threatexchange reads back whole`, () => {
      const bank = new Map<string, FixtureSignal>();
      for (const file of c.files) {
        const text = fixtureText(file);
        const format = detectHashListFormat(text);
        expect(c.format).toContain(format.name);
        expect(hashListFormat(c.format[0])).toBe(format);
        const parsed = format.parse(text);
        expect(parsed.report.rejected).toEqual([]);
        importInto(bank, parsed);
      }
      const held = [...bank.values()];
      const comparable = (s: FixtureSignal) => (s.type === 'vpdq' ? `vpdq:${JSON.stringify(framesOf(s.signal))}` : `${s.type}:${s.signal}`);
      expect(held.map(comparable).sort()).toEqual(c.present.map((p) => (p.type === 'vpdq' ? `vpdq:${JSON.stringify(p.frames)}` : `${p.type}:${p.signal}`)).sort());
      for (const gone of c.absent ?? []) expect(held.map(comparable)).not.toContain(`${gone.type}:${gone.signal}`);

      // Export as file-exchange lines; read them as python-threatexchange does: nothing dropped.
      const entries = [...bank.entries()].map(([key]) => ({ signalType: key.slice(0, key.indexOf(':')), hash: key.slice(key.indexOf(':') + 1) }));
      const readBack = readAsPythonThreatExchange(threatExchangeFormat.write(entries));
      expect(readBack.map((s) => (s.type === 'vpdq' ? `vpdq:${JSON.stringify(s.frames)}` : `${s.type}:${s.signal}`)).sort()).toEqual(
        c.present.map((p) => (p.type === 'vpdq' ? `vpdq:${JSON.stringify(p.frames)}` : `${p.type}:${p.signal}`)).sort(),
      );
    });
  }
});
