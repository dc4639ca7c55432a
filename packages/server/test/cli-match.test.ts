import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MatchIndex, writeSnapshot } from '@takedown/match';
import { loadVectors, VECTORS_DIR } from '@takedown/testing/vectors';
import { CLI, runCli } from './helpers/run-cli.ts';

const vectors = loadVectors();
const hashOf = (suffix: string) => vectors.find((v) => v.file.endsWith(suffix))!.hash;
const ORIGINAL = hashOf('dih/bridge-1-original.jpg');
const ROTATED = hashOf('dih/bridge-2-rotate-90.jpg');
const image = (name: string) => join(VECTORS_DIR, 'images/reg-test-input/dih', name);

describe('takedown match', () => {
  let dir: string;
  let bank: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'takedown-cli-match-'));
    bank = join(dir, 'bank.txt');
    writeFileSync(bank, `# confirmed items\n${ORIGINAL}\nnot a hash\n${ROTATED}\n`);
  });

  it('prints query,bank hash,distance for hashes and image files, reporting bad bank lines', async () => {
    const result = await runCli(['match', '--bank', bank, ORIGINAL, image('bridge-1-original.jpg')]);
    expect(result.stdout).toBe(`${ORIGINAL},${ORIGINAL},0\n${image('bridge-1-original.jpg')},${ORIGINAL},0\n`);
    expect(result.stderr).toContain(`${bank}:3: A PDQ hash uses only the characters 0–9 and a–f`);
    expect(result.code).toBe(2);
  });

  it('finds rotated copies with --dihedral, and prints JSON', async () => {
    const good = join(dir, 'good.txt');
    writeFileSync(good, `pdq ${ORIGINAL}\n`);
    const plain = await runCli(['match', '--bank', good, '--json', image('bridge-3-rotate-180.jpg')]);
    expect(JSON.parse(plain.stdout).matches).toEqual([]);
    const result = await runCli(['match', '--bank', good, '--json', '--dihedral', image('bridge-3-rotate-180.jpg')]);
    expect(result.code).toBe(0);
    const record = JSON.parse(result.stdout);
    expect(record.quality).toBe(100);
    expect(record.matches).toHaveLength(1);
    expect(record.matches[0]).toMatchObject({ hash: ORIGINAL, signalType: 'pdq', line: 1 });
    expect(record.matches[0].distance).toBeLessThanOrEqual(31);
  });

  it('loads nothing with --strict when a line is bad, and honours --radius', async () => {
    const strict = await runCli(['match', '--bank', bank, '--strict', ORIGINAL]);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe('');
    expect(strict.stderr).toContain('nothing loaded (--strict)');
    const near = ORIGINAL.slice(0, 63) + (ORIGINAL[63] === '0' ? '3' : '0'); // 1-2 bits away
    const tight = await runCli(['match', '--bank', bank, '--radius', '0', near]);
    expect(tight.stdout).toBe('');
    expect((await runCli(['match', '--bank', bank, '--radius', 'x', near])).code).toBe(1);
  });

  it('reads a snapshot bank and rejects a damaged one', async () => {
    const index = new MatchIndex();
    index.add(77, ORIGINAL);
    const snapshot = writeSnapshot(index);
    writeFileSync(join(dir, 'bank.snap'), snapshot);
    const result = await runCli(['match', '--bank', join(dir, 'bank.snap'), ORIGINAL]);
    expect(result).toMatchObject({ code: 0, stdout: `${ORIGINAL},#77,0\n` });
    writeFileSync(join(dir, 'cut.snap'), snapshot.subarray(0, 40));
    const cut = await runCli(['match', '--bank', join(dir, 'cut.snap'), ORIGINAL]);
    expect(cut.code).toBe(2);
    expect(cut.stderr).toContain('truncated');
  });

  it('names queries that are neither hashes nor files', async () => {
    const result = await runCli(['match', '--bank', bank, join(dir, 'missing.jpg')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('neither a PDQ hash');
  });
});

describe('takedown match | head', () => {
  it('stops quietly when the reader closes the pipe early', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'takedown-cli-pipe-'));
    const bank = join(dir, 'bank.txt');
    // 20 000 hashes, all within --radius 256 of the query: far more output than a pipe holds.
    writeFileSync(bank, Array.from({ length: 20_000 }, (_, i) => createHash('sha256').update(String(i)).digest('hex')).join('\n'));
    const child = spawn(process.execPath, [CLI, 'match', '--bank', bank, '--radius', '256', ORIGINAL]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
