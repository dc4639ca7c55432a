/**
 * npm run bench:pdq — PDQ hashing speed against image decoding, measured in the same run.
 *
 * For a large JPEG (the 1600×1004 bridge) and a small one: (a) a bare sharp decode to raw pixels (the
 * baseline: `sharp(bytes).raw().toBuffer()`, none of the project's code), (b) PDQ hashing of the decoded
 * pixels, (c) the project's decode (metadata pass, colour-profile and alpha handling, as the hasher runs it),
 * (d) the CLI's whole path per file (read, decode, PDQ, MD5, SHA-256) in process, and one `takedown hash`
 * process for the file. Goal: b/a ≤ 0.35. Then images per second for a folder of 200 images
 * with the CLI on one thread and on every core.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { pdqHash } from '@takedown/pdq';
import { allowSimd } from '@takedown/pdq/simd-switch';
import { decodeImage, hashImageFile } from '@takedown/server';
import { VECTORS_DIR } from '@takedown/testing/vectors';
import { median, round, timeRuns } from './stats.ts';

const VECTORS = join(VECTORS_DIR, 'images');
const CLI = fileURLToPath(new URL('../packages/server/bin/takedown.js', import.meta.url));
const runs = Number(process.argv.includes('--runs') ? process.argv[process.argv.indexOf('--runs') + 1] : 30);

async function measureFile(name: string, relativePath: string) {
  const path = join(VECTORS, relativePath);
  const bytes = readFileSync(path);
  const decoded = await decodeImage(bytes);
  const decodeMs = median(await timeRuns(() => sharp(bytes).raw().toBuffer(), runs));
  const projectDecodeMs = median(await timeRuns(() => decodeImage(bytes), runs));
  const hashMs = median(await timeRuns(() => pdqHash(decoded.pixels, decoded.width, decoded.height), runs));
  // The pure TypeScript path, used where WebAssembly SIMD is unavailable: same hashes, for comparison.
  allowSimd(false);
  const hashTypeScriptMs = median(await timeRuns(() => pdqHash(decoded.pixels, decoded.width, decoded.height), runs));
  allowSimd(true);
  const cliPathMs = median(await timeRuns(() => hashImageFile(path), runs));
  const processMs = median(await timeRuns(() => spawnSync(process.execPath, [CLI, 'hash', '--jobs', '1', path]), 5, 1));
  return {
    image: name,
    width: decoded.width,
    height: decoded.height,
    bareDecodeMs: round(decodeMs),
    projectDecodeMs: round(projectDecodeMs),
    hashMs: round(hashMs),
    hashOverDecode: round(hashMs / decodeMs),
    hashTypeScriptFallbackMs: round(hashTypeScriptMs),
    fallbackOverDecode: round(hashTypeScriptMs / decodeMs),
    cliPathPerFileMs: round(cliPathMs),
    cliProcessOneFileMs: round(processMs, 1),
  };
}

/** 200 distinct JPEGs of about one megapixel, cut from the vector photos. */
async function makeFolder(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'takedown-bench-pdq-'));
  const sources = ['reg-test-input/dih/bridge-1-original.jpg', 'misc-images/c.png', 'reg-test-input/pen-and-coaster.png'];
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < 200; i++) {
    const source = join(VECTORS, sources[i % sources.length]);
    const meta = await sharp(source).metadata();
    const width = Math.min(meta.width!, 1200);
    const height = Math.min(meta.height!, 800);
    const left = (i * 7) % (meta.width! - width + 1);
    const top = (i * 5) % (meta.height! - height + 1);
    writes.push(sharp(source).extract({ left, top, width, height }).jpeg({ quality: 85 }).toFile(join(dir, `image-${String(i).padStart(3, '0')}.jpg`)));
  }
  await Promise.all(writes);
  return dir;
}

function folderRate(dir: string, jobs: number) {
  const start = performance.now();
  const result = spawnSync(process.execPath, [CLI, 'hash', '-r', '--jobs', String(jobs), dir], { encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  const hashed = result.stdout.trim().split('\n').length;
  if (result.status !== 0 || hashed !== 200) throw new Error(`takedown hash failed on the folder: ${result.stderr}`);
  return { jobs, seconds: round(seconds), imagesPerSecond: round(200 / seconds, 1) };
}

const large = await measureFile('bridge 1600×1004 JPEG', 'reg-test-input/dih/bridge-1-original.jpg');
const small = await measureFile('q0122 256×256 JPEG', 'reg-test-input/labelme-subset/q0122.jpg');
const dir = await makeFolder();
try {
  const one = folderRate(dir, 1);
  const all = folderRate(dir, availableParallelism());
  console.log(JSON.stringify({
    benchmark: 'pdq',
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: availableParallelism(),
    runs,
    goal: 'hashOverDecode <= 0.35 on the large image',
    large,
    small,
    folder200: { oneThread: one, allCores: all, speedup: round(all.imagesPerSecond / one.imagesPerSecond, 2) },
  }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
