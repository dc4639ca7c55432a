import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadVectors, VECTORS_DIR } from '@takedown/testing/vectors';
import { runCli } from './helpers/run-cli.ts';

const vectors = loadVectors();
const expected = (suffix: string) => vectors.find((v) => v.file.endsWith(suffix))!;

describe('takedown hash', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'takedown-cli-hash-'));
    mkdirSync(join(dir, 'photos', 'nested'), { recursive: true });
    copyFileSync(join(VECTORS_DIR, 'images/misc-images/wee.jpg'), join(dir, 'photos', 'wee.jpg'));
    copyFileSync(join(VECTORS_DIR, 'images/reg-test-input/labelme-subset/q0122.jpg'), join(dir, 'photos', 'nested', 'q0122.jpg'));
    writeFileSync(join(dir, 'photos', 'notes.txt'), 'not an image');
    const bridge = readFileSync(join(VECTORS_DIR, 'images/reg-test-input/dih/bridge-1-original.jpg'));
    writeFileSync(join(dir, 'truncated.jpg'), bridge.subarray(0, 20_000));
  });

  it('prints hash,quality,path like pdq-photo-hasher', async () => {
    const file = join(VECTORS_DIR, 'images/reg-test-input/dih/bridge-1-original.jpg');
    const result = await runCli(['hash', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${expected('bridge-1-original.jpg').hash},100,${file}\n`);
  });

  it('prints JSON with MD5, SHA-256 and size, and the 8 variants with --dihedral', async () => {
    const file = join(VECTORS_DIR, 'images/misc-images/wee.jpg');
    const result = await runCli(['hash', '--json', '--dihedral', file]);
    expect(result.code).toBe(0);
    const record = JSON.parse(result.stdout);
    const entry = expected('wee.jpg');
    expect(record).toMatchObject({ pdq: entry.hash, quality: entry.quality, width: 34, height: 42, path: file });
    expect(record.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(record.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(record.dihedral).toEqual(entry.dihedral);

    const plain = await runCli(['hash', '--dihedral', file]);
    expect(plain.stdout.trim().split(',')).toEqual([...Object.values(entry.dihedral), String(entry.quality), file]);
  });

  it('walks folders with -r on worker threads, reports bad files on stderr, hashes the rest and exits 2', async () => {
    const result = await runCli(['hash', '-r', '--jobs', '2', join(dir, 'photos'), join(dir, 'truncated.jpg'), join(dir, 'missing.jpg')]);
    expect(result.code).toBe(2);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toEqual([
      `${expected('q0122.jpg').hash},100,${join(dir, 'photos', 'nested', 'q0122.jpg')}`,
      `${expected('wee.jpg').hash},100,${join(dir, 'photos', 'wee.jpg')}`,
    ]);
    expect(result.stderr).toContain(`${join(dir, 'photos', 'notes.txt')}: This is not an image`);
    expect(result.stderr).toContain(`${join(dir, 'truncated.jpg')}: The image could not be read completely`);
    expect(result.stderr).toContain(`${join(dir, 'missing.jpg')}: No such file`);
  });

  it('refuses folders without -r and images above --max-pixels', async () => {
    const result = await runCli(['hash', '--max-pixels', '2000', join(dir, 'photos'), join(dir, 'photos', 'wee.jpg'), join(dir, 'photos', 'nested', 'q0122.jpg')]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe(`${expected('wee.jpg').hash},100,${join(dir, 'photos', 'wee.jpg')}\n`);
    expect(result.stderr).toContain('add -r');
    expect(result.stderr).toContain('larger than the limit of 2,000 pixels');
  });

  it('explains itself with --help, including that EXIF orientation is not applied', async () => {
    const result = await runCli(['hash', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/EXIF orientation is NOT applied/);
  });

  it('exits 1 with the help for a usage error', async () => {
    const none = await runCli(['hash']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/name at least one image/);
    const bad = await runCli(['hash', '--max-pixels', 'lots', 'x.jpg']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--max-pixels needs a whole number/);
  });
});
