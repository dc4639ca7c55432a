// The browser's vPDQ (WebCodecs in Debian's Chromium) against the server's (ffmpeg) and Meta's reference
// output for the shared vector clips: same frames, numbers, timestamps and hashes. The measured distances are
// printed (docs/video.md quotes them). Fails loudly when Chromium or ffmpeg is missing.
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hammingDistance } from '@takedown/pdq';
import { compareVideoHashes, type VideoHash } from '@takedown/vpdq';
import { hashVideoFile } from '@takedown/server';
import {
  fixtureDir,
  H264,
  originalSegments,
  renderVideo,
  requireFfmpeg,
  transcode,
} from '@takedown/testing/videos';
import type { BrowserVideoHashes } from '../../src/hashing/video-hash.ts';
import { vectorPath, VPDQ_VECTORS } from '@takedown/testing/vpdq-vectors';

const CHROMIUM_PATH = '/usr/bin/chromium';
const ORIGIN = 'http://localhost:4173';
let browser: Browser;
let page: Page;
let dir: string;
const videos: Record<string, { path: string; type: string }> = {};
// The module is loaded by the page itself (a dynamic import inside page.evaluate would be rewritten by Vitest).
const PAGE =
  '<!doctype html><title>video hashing</title><script type="module">' +
  "import * as videoHash from '/video-hash.js'; window.videoHash = videoHash; document.title = 'ready';</script>";
type VideoHashModule = typeof import('../../src/hashing/video-hash.ts');

/** The browser module bundled as one ES module (vite library build, in memory). */
async function bundleVideoModule(): Promise<string> {
  const { build } = await import('vite');
  const output = await build({
    configFile: false,
    logLevel: 'warn',
    root: resolve(import.meta.dirname, '../..'),
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: { entry: resolve(import.meta.dirname, '../../src/hashing/video-hash.ts'), formats: ['es'], fileName: 'video-hash' },
    },
  });
  const result = Array.isArray(output) ? output[0] : output;
  if (!('output' in result)) throw new Error('vite returned a watcher, not a build');
  return result.output[0].code;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: install it (apt-get install chromium) to run the browser tests.`);
  }
  await requireFfmpeg();
  dir = await fixtureDir();
  const original = await renderVideo(join(dir, 'original.mp4'), originalSegments(), { width: 480, height: 360, rate: 25, encode: H264 });
  await Promise.all([
    transcode(original, join(dir, 'vp9.webm'), ['--', '-c:v', 'libvpx-vp9', '-b:v', '500k', '-deadline', 'realtime', '-cpu-used', '8']),
    renderVideo(join(dir, 'live.webm'), originalSegments().slice(0, 3), {
      width: 320, height: 240, rate: 10, encode: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-live', '1', '-f', 'webm'],
    }),
    transcode(original, join(dir, 'anamorphic.mp4'), ['--', '-vf', 'scale=320:240,setsar=2', ...H264]),
    renderVideo(join(dir, 'hd-720p.mp4'), [{ lavfi: 'mandelbrot=size=1280x720:rate=30', seconds: 5 }], {
      width: 1280, height: 720, rate: 30, encode: [...H264, '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709'],
    }),
  ]);
  videos['h264 480x360 25 fps (mp4)'] = { path: original, type: 'video/mp4' };
  videos['vp9 480x360 (webm)'] = { path: join(dir, 'vp9.webm'), type: 'video/webm' };
  videos['h264 1280x720 30 fps, BT.709 (mp4)'] = { path: join(dir, 'hd-720p.mp4'), type: 'video/mp4' };
  videos['vp9 live WebM without a duration'] = { path: join(dir, 'live.webm'), type: 'video/webm' };
  videos['h264 anamorphic 320x240 shown as 640x240 (SAR 2:1)'] = { path: join(dir, 'anamorphic.mp4'), type: 'video/mp4' };
  for (const vector of VPDQ_VECTORS.videos) {
    videos[vector.file] = { path: vectorPath(vector.file), type: vector.file.endsWith('.mkv') ? 'video/x-matroska' : 'video/mp4' };
  }

  const bundle = await bundleVideoModule();
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  // Everything is answered here: the page, the bundle and the videos; nothing touches the network.
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/') return route.fulfill({ contentType: 'text/html', body: PAGE });
    if (path === '/video-hash.js') return route.fulfill({ contentType: 'text/javascript', body: bundle });
    const video = Object.values(videos).find((v) => `/${encodeURIComponent(v.path.split('/').pop()!)}` === path);
    if (!video) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ contentType: video.type, body: await readFile(video.path) });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => document.title === 'ready');
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function hashInBrowser(name: string, dedupeDistanceBits: number): Promise<BrowserVideoHashes> {
  const url = `${ORIGIN}/${encodeURIComponent(videos[name].path.split('/').pop()!)}`;
  return page.evaluate(
    async ({ url, dedupeDistanceBits }) => {
      const module = (globalThis as unknown as { videoHash: VideoHashModule }).videoHash;
      const blob = await (await fetch(url)).blob();
      return module.hashVideoInBrowser(blob, { dedupeDistanceBits });
    },
    { url, dedupeDistanceBits },
  );
}

function distances(browserHash: VideoHash, ffmpegHash: VideoHash): number[] {
  return browserHash.frames.map((frame, i) => hammingDistance(frame.hash, ffmpegHash.frames[i].hash));
}

describe('video hashing in the browser', () => {
  for (const name of ['h264 480x360 25 fps (mp4)', 'vp9 480x360 (webm)', 'h264 1280x720 30 fps, BT.709 (mp4)', 'vp9 live WebM without a duration', 'h264 anamorphic 320x240 shown as 640x240 (SAR 2:1)']) {
    it(`gives the server's frames and hashes exactly, and matches: ${name}`, async () => {
      const { path } = videos[name];
      const [inBrowser, onServer] = await Promise.all([hashInBrowser(name, -1), hashVideoFile(path, { dedupeDistanceBits: -1 })]);
      expect(inBrowser.sampledFrames).toBe(onServer.sampledFrames);
      expect(inBrowser.vpdq.frames.map((f) => f.timestamp)).toEqual(onServer.frames.map((f) => f.timestamp));
      expect(inBrowser.sha256).toBe(onServer.sha256);
      expect(inBrowser.md5).toBe(onServer.md5);
      const d = distances(inBrowser.vpdq, onServer).sort((a, b) => a - b);
      const report = {
        video: name,
        frames: d.length,
        medianBits: d[d.length >> 1],
        meanBits: Number((d.reduce((s, x) => s + x, 0) / d.length).toFixed(2)),
        maxBits: d[d.length - 1],
      };
      console.log(`browser vs ffmpeg PDQ distance: ${JSON.stringify(report)}`);
      // The decoded planes converted with swscale's arithmetic: the server's very hashes, frame for frame.
      expect(report.maxBits).toBe(0);
      expect(inBrowser.vpdq.frames).toEqual(onServer.frames);
      const comparison = compareVideoHashes(inBrowser.vpdq, onServer);
      expect(comparison).toMatchObject({ queryMatchPercent: 100, comparedMatchPercent: 100, isMatch: true });
    });
  }

  // Meta's reference output for the shared vector clips: the browser must pick the same frames, give them the
  // same numbers and timestamps, and hash the same pixels.
  for (const vector of VPDQ_VECTORS.videos) {
    it(`picks and times the reference's frames, hashes them bit-exactly: ${vector.file}`, async () => {
      const inBrowser = await hashInBrowser(vector.file, -1);
      expect({ stride: inBrowser.stride, width: inBrowser.width, height: inBrowser.height }).toEqual({
        stride: vector.stride, width: vector.width, height: vector.height,
      });
      expect(inBrowser.vpdq.frames.map((f) => [f.index, f.timestamp.toFixed(3)])).toEqual(
        vector.frames.map((f) => [f.frameNumber, f.timestamp.toFixed(3)]),
      );
      const d = inBrowser.vpdq.frames.map((f, i) => hammingDistance(f.hash, vector.frames[i].hash));
      const qualities = inBrowser.vpdq.frames.map((f, i) => f.quality - vector.frames[i].quality);
      console.log(`browser vs reference ${vector.file}: bits ${JSON.stringify(d)} quality deltas ${JSON.stringify(qualities)}`);
      // Every hash and quality is the reference's: H.264, VP9, 29.97 fps, VFR, odd size, rotation flag.
      expect(inBrowser.vpdq.frames.map((f) => [f.hash, f.quality])).toEqual(vector.frames.map((f) => [f.hash, f.quality]));
      const reference = vector.frames.map((f) => ({ index: f.frameNumber, timestamp: f.timestamp, hash: f.hash, quality: f.quality }));
      expect(compareVideoHashes(inBrowser.vpdq, { type: 'vpdq', frames: reference })).toMatchObject({
        queryMatchPercent: 100, comparedMatchPercent: 100, isMatch: true,
      });
    });
  }

  it('deduplicates the same way as the server and still matches', async () => {
    const name = 'h264 480x360 25 fps (mp4)';
    const [inBrowser, onServer] = await Promise.all([hashInBrowser(name, 2), hashVideoFile(videos[name].path)]);
    expect(compareVideoHashes(inBrowser.vpdq, onServer).isMatch).toBe(true);
  });

  it('turns away a file that is not a video with a clear error', async () => {
    const message = await page.evaluate(async () => {
      const module = (globalThis as unknown as { videoHash: VideoHashModule }).videoHash;
      try {
        await module.hashVideoInBrowser(new Blob(['not a video'], { type: 'video/mp4' }), { stepTimeoutMs: 5_000 });
        return 'hashed';
      } catch (error) {
        return `${(error as { code?: string }).code}: ${(error as Error).message}`;
      }
    });
    expect(message).toMatch(/^not_a_video: /);
  });
});
