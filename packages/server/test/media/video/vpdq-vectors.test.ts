// The server's and the CLI's vPDQ against Meta's reference output for the clips in ../shared/vectors/vpdq:
// constant 30 fps, 29.97 fps (stride 29), variable frame rate, odd size and a rotation flag, all bit-exact.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashVideoFile, probeVideo, type VideoFileHash } from '../../../src/media/video/index.ts';
import { referenceText, vectorPath, VPDQ_VECTORS } from '@takedown/testing/vpdq-vectors';
import { requireFfmpeg } from '@takedown/testing/videos';
import { runCli } from '../../helpers/run-cli.ts';

const hashes = new Map<string, VideoFileHash>();
let dir: string;

const takedown = (...args: string[]) => runCli(args);

beforeAll(async () => {
  await requireFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'takedown-vpdq-vectors-'));
  // Two at a time: the machine has two cores.
  const videos = VPDQ_VECTORS.videos;
  for (let i = 0; i < videos.length; i += 2) {
    await Promise.all(videos.slice(i, i + 2).map(async (v) => hashes.set(v.file, await hashVideoFile(vectorPath(v.file)))));
  }
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('hashVideoFile against Meta’s vpdq-hash-video', () => {
  it.each(VPDQ_VECTORS.videos.map((v) => [v.file, v] as const))('%s: same frames, hashes, qualities and timestamps', (file, video) => {
    const hash = hashes.get(file)!;
    expect(hash.frames.map((f) => ({ frameNumber: f.index, quality: f.quality, hash: f.hash, timestamp: Number(f.timestamp.toFixed(3)) }))).toEqual(
      video.frames,
    );
    expect(hash.frames).toHaveLength(video.reference_frame_count);
    expect(hash).toMatchObject({ stride: video.stride, width: video.width, height: video.height, codec: video.codec });
  });

  it('hashes the rotated phone clip as stored and reports the rotation it did not apply', async () => {
    const video = VPDQ_VECTORS.videos.find((v) => v.rotation !== null)!;
    const probe = await probeVideo(vectorPath(video.file));
    expect(probe).toMatchObject({ width: video.width, height: video.height, rotation: video.rotation });
    expect(hashes.get(video.file)!.rotation).toBe(video.rotation);
  });
});

describe('takedown hash on the vector clips', () => {
  it.each(VPDQ_VECTORS.videos.map((v) => [v.file, v] as const))('%s: prints the reference file byte for byte', async (file, video) => {
    const { code, stdout } = await takedown('hash', vectorPath(file));
    expect(code).toBe(0);
    expect(stdout).toBe(referenceText(video));
  });
});

describe('takedown compare on the vector pairs', () => {
  const pair = VPDQ_VECTORS.pairs[0];
  const expected = {
    queryMatchPercent: pair.python_threatexchange.query_match_percent,
    comparedMatchPercent: pair.python_threatexchange.compared_match_percent,
    isMatch: pair.match,
  };
  const reference = (file: string) => referenceText(VPDQ_VECTORS.videos.find((v) => v.file === file)!);

  it('gives python-threatexchange’s percentages from the videos', async () => {
    const { code, stdout } = await takedown('compare', '--json', '--dedupe', '-1', vectorPath(pair.query), vectorPath(pair.compared));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject(expected);
  });

  it('reads Meta’s text files and python-threatexchange’s signal, alone or against a video', async () => {
    const metaQuery = join(dir, 'query.txt');
    const signalCompared = join(dir, 'compared.json');
    await writeFile(metaQuery, reference(pair.query));
    const frames = VPDQ_VECTORS.videos.find((v) => v.file === pair.compared)!.frames;
    // As python-threatexchange serialises it: "hash,quality,timestamp" with the timestamp in {:.3} form.
    await writeFile(signalCompared, JSON.stringify(frames.map((f) => `${f.hash},${f.quality},${f.timestamp === 0 ? '0.0' : f.timestamp.toPrecision(3)}`)));
    for (const [query, compared] of [[metaQuery, signalCompared], [metaQuery, vectorPath(pair.compared)], [vectorPath(pair.query), signalCompared]]) {
      const { code, stdout } = await takedown('compare', '--json', query, compared);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ ...expected, query: { frames: 10 }, compared: { frames: 10 } });
    }
  });

  it('names a malformed hash file and the line to fix, exit code 2', async () => {
    const broken = join(dir, 'broken.txt');
    await writeFile(broken, `${reference(pair.query).split('\n')[0]}\n30,100,nothex,1.000\n`);
    const { code, stderr } = await takedown('compare', broken, vectorPath(pair.compared));
    expect(code).toBe(2);
    expect(stderr).toContain(`${broken}": Line 2 is not a vPDQ frame`);
  });
});
