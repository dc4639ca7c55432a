import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { createWorker } from '../src/jobs/handlers.ts';
import { startVideoService, type VideoService } from '../src/media/video/video-service.ts';
import { DEFAULT_PLATFORM_CONFIG } from '../src/config/platform-config.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { bankConfirmedItem, updateBank } from '../src/services/platform-banks.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { fixtureDir, H264, image, renderVideo, requireFfmpeg, transcode } from '@takedown/testing/videos';
import { confirmItem, fileRequest, multipart, platformTestConfig, testImage } from './platform-helpers.ts';

// Small clips made here with ffmpeg (a few seconds, 192×144): the test fails loudly without ffmpeg.
interface Clips {
  dir: string;
  original: Buffer;
  reencoded: Buffer;
  other: Buffer;
}

async function makeClips(): Promise<Clips> {
  await requireFfmpeg();
  const dir = await fixtureDir();
  const size = { width: 192, height: 144, rate: 10, encode: H264 };
  const original = await renderVideo(join(dir, 'original.mp4'), [
    image('reg-test-input/labelme-subset/q0291.jpg', 2),
    image('reg-test-input/pen-and-coaster.png', 2),
    image('reg-test-input/labelme-subset/q0746.jpg', 2),
    image('misc-images/c.png', 2),
  ], size);
  // A copy found elsewhere: other codec, container, size and bitrate.
  const reencoded = await transcode(original, join(dir, 'copy.mkv'), ['--', '-c:v', 'mpeg4', '-q:v', '6', '-vf', 'scale=160:120']);
  const other = await renderVideo(join(dir, 'other.mp4'), [
    image('reg-test-input/dih/bridge-2-rotate-90.jpg', 2),
    image('reg-test-input/exif-rotn/exif-rotn-6.jpg', 2),
    image('reg-test-input/dih/bridge-6-flipy.jpg', 2),
  ], size);
  return { dir, original: await readFile(original), reencoded: await readFile(reencoded), other: await readFile(other) };
}

for (const backend of backends) {
  describe(`platform API with videos (${backend.name})`, () => {
    let db: TestDatabase;
    let app: FastifyInstance;
    let video: VideoService;
    let clips: Clips;
    let token: string;
    let setup: ReturnType<typeof platformTestConfig>;
    let originalItemId: string;
    const auth = () => ({ authorization: `Bearer ${token}` });
    const upload = (url: string, bytes: Buffer, fields: Record<string, string> = {}, type = 'video/mp4') => {
      const form = multipart(fields, { bytes, type, name: 'clip.mp4' });
      return app.inject({ method: 'POST', url, headers: { ...auth(), ...form.headers }, payload: form.payload });
    };

    beforeAll(async () => {
      clips = await makeClips();
      db = await backend.create();
      setup = platformTestConfig(db.dataDir, { platform: { ...DEFAULT_PLATFORM_CONFIG, indexSyncMs: 100 } });
      const { config, keys } = setup;
      video = await startVideoService();
      expect(video.ffmpeg.available, 'ffmpeg is required by this test').toBe(true);
      app = await buildApp(config, { database: db.database, keys, clock: systemClock, video });
      token = (await addPlatformKey(db.database, systemClock, { name: 'tube' }, 'test')).token;

      // A confirmed video item.
      const hashed = await video.hashUpload(clips.original, 'original.mp4');
      const filed = await fileRequest(db.database, keys, [{ url: 'https://tube.example/v/1', hashes: { md5: hashed.md5, sha256: hashed.sha256, vpdq: hashed.frames } as never }]);
      const itemId = filed.items[0].id;
      originalItemId = itemId;
      await confirmItem(db.database, itemId);
      // What the sweep job files in the confirmed bank for this item (its hashes and vPDQ), filed here already
      // so that the checks below need no worker; the sweep itself runs in a later test.
      await db.database.transaction((tx) => bankConfirmedItem(tx, new Date(), { id: itemId, signals: { md5: hashed.md5, sha256: hashed.sha256, vpdq: hashed.frames } }));
      await app.services.platform.sync();
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await db?.drop();
      if (clips) await rm(clips.dir, { recursive: true, force: true });
    });

    it('blocks the identical bytes of a confirmed video and sends a re-encoded copy to review', async () => {
      const same = await upload('/v1/check', clips.original);
      expect(same.statusCode).toBe(200);
      expect(same.json().verdict).toBe('block');
      const signals = same.json().matches.map((m: { signal: string }) => m.signal);
      expect(signals).toEqual(expect.arrayContaining(['md5', 'sha256', 'vpdq']));

      const copy = await upload('/v1/check', clips.reencoded, {}, 'application/octet-stream');
      expect(copy.statusCode).toBe(200);
      expect(copy.json().verdict).toBe('review');
      const match = copy.json().matches[0];
      expect(match).toMatchObject({ bank: 'confirmed', signal: 'vpdq', distance: 31 });
      expect(match.queryMatchPercent).toBeGreaterThanOrEqual(80);
      expect(match.comparedMatchPercent).toBeGreaterThanOrEqual(80);

      const other = await upload('/v1/check', clips.other);
      expect(other.json()).toMatchObject({ verdict: 'allow', matches: [] });
    });

    it('checks vPDQ frames sent as JSON, and names the field when they are wrong', async () => {
      const copy = await video.hashUpload(clips.reencoded, 'copy.mkv');
      const review = await app.inject({ method: 'POST', url: '/v1/check', headers: auth(), payload: { vpdq: copy.frames } });
      expect(review.statusCode).toBe(200);
      expect(review.json().verdict).toBe('review');

      // the first half of the copy, a clip cut from the banked video: all its frames are in the banked video,
      // only about half of the banked video's are in it. At the defaults (80 % of the upload's frames, none
      // required of the banked video's, as python-threatexchange and HMA) a clip reaches a person; a bank that
      // also asks for 80 % of its own video's frames lets it through.
      const half = copy.frames.slice(0, Math.ceil(copy.frames.length / 2));
      const checkHalf = async () => (await app.inject({ method: 'POST', url: '/v1/check', headers: auth(), payload: { vpdq: half } })).json();
      const clip = await checkHalf();
      expect(clip).toMatchObject({ verdict: 'review', matches: [{ bank: 'confirmed', signal: 'vpdq', queryMatchPercent: 100 }] });
      expect(clip.matches[0].comparedMatchPercent).toBeLessThan(80);
      await updateBank(db.database, systemClock, 'confirmed', { thresholds: { vpdq: { comparedPercent: 80 } } }, 'test');
      await app.services.platform.sync();
      expect(await checkHalf()).toMatchObject({ verdict: 'allow', matches: [] });
      await updateBank(db.database, systemClock, 'confirmed', { thresholds: { vpdq: { comparedPercent: 0 } } }, 'test');
      await app.services.platform.sync();
      expect((await checkHalf()).verdict).toBe('review');

      const bad = await app.inject({ method: 'POST', url: '/v1/check', headers: auth(), payload: { vpdq: [{ index: 0, timestamp: 0, hash: 'xyz', quality: 100 }] } });
      expect(bad.statusCode).toBe(400);
      expect(JSON.stringify(bad.json())).toContain('vpdq');
      expect(JSON.stringify(bad.json())).toContain('64 hexadecimal');
    });

    it('indexes videos from bytes and from vPDQ frames, idempotently', async () => {
      const first = await upload('/v1/content', clips.reencoded, { contentId: 'video-1', url: 'https://tube.example/v/9' });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
      const row = await db.database.db.selectFrom('platform_content').selectAll().where('content_id', '=', 'video-1').executeTakeFirstOrThrow();
      const expected = await video.hashUpload(clips.reencoded, 'copy.mkv');
      const stored = JSON.parse(row.signals) as Record<string, unknown>;
      expect(stored).toMatchObject({ md5: expected.md5, sha256: expected.sha256 });
      expect(stored.pdq).toBeUndefined();
      expect(stored.vpdq).toEqual(expected.frames);

      const json = { contentId: 'video-2', vpdq: expected.frames, md5: expected.md5 };
      expect((await app.inject({ method: 'POST', url: '/v1/content', headers: auth(), payload: json })).json()).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
      expect((await app.inject({ method: 'POST', url: '/v1/content', headers: auth(), payload: json })).json()).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
      const bad = await app.inject({ method: 'POST', url: '/v1/content', headers: auth(), payload: { contentId: 'video-3', vpdq: [] } });
      expect(bad.statusCode).toBe(400);
    });

    it('keeps a request item\'s vPDQ, and banks it when a reviewer confirms the item', async () => {
      const hashed = await video.hashUpload(clips.other, 'other.mp4');
      const filed = await fileRequest(db.database, setup.keys, [{ hashes: { md5: hashed.md5, vpdq: hashed.frames } as never }]);
      const itemId = filed.items[0].id;
      const row = await db.database.db.selectFrom('items').select(['signals']).where('id', '=', itemId).executeTakeFirstOrThrow();
      expect(JSON.parse(row.signals)).toMatchObject({ md5: hashed.md5, vpdq: hashed.frames });
      // Pending: nothing matches yet.
      expect((await app.inject({ method: 'POST', url: '/v1/check', headers: auth(), payload: { vpdq: hashed.frames } })).json().verdict).toBe('allow');

      const worker = createWorker({ config: setup.config, database: db.database, clock: systemClock, keys: setup.keys, platform: app.services.platform });
      try {
        await confirmItem(db.database, itemId);
        await worker.drain();
      } finally {
        await worker.stop();
      }
      await app.services.platform.sync();
      // The checking platform does not host this item (nothing in its index, no address): the verdict, not the item's id.
      const byFrames = (await app.inject({ method: 'POST', url: '/v1/check', headers: auth(), payload: { vpdq: hashed.frames } })).json();
      expect(byFrames).toMatchObject({ verdict: 'review', matches: [{ bank: 'confirmed', signal: 'vpdq', queryMatchPercent: 100, comparedMatchPercent: 100 }] });
      const byBytes = (await upload('/v1/check', clips.other)).json();
      expect(byBytes.verdict).toBe('block');
      expect(byBytes.matches[0]).toMatchObject({ signal: 'md5' });
      expect(JSON.stringify([byFrames, byBytes])).not.toContain(itemId);
    });

    it('finds indexed copies of a confirmed video by its frames (known-copy sweep) and sends them to review', async () => {
      // The content indexed above (video-1 from bytes, video-2 from frames) holds re-encodes of the video
      // confirmed at the start; its sweep job runs here (if the previous test's worker has not run it).
      const worker = createWorker({ config: setup.config, database: db.database, clock: systemClock, keys: setup.keys, platform: app.services.platform });
      try {
        await worker.drain();
      } finally {
        await worker.stop();
      }
      const original = await db.database.db.selectFrom('items').select(['case_id', 'deadline_at']).where('id', '=', originalItemId).executeTakeFirstOrThrow();
      const found = await db.database.db
        .selectFrom('platform_item_content')
        .innerJoin('platform_content', 'platform_content.ref', 'platform_item_content.content_ref')
        .innerJoin('items', 'items.id', 'platform_item_content.item_id')
        .select(['platform_content.content_id', 'platform_item_content.relation', 'items.state', 'items.case_id', 'items.deadline_at', 'items.signals'])
        .where('platform_content.content_id', 'in', ['video-1', 'video-2'])
        .orderBy('platform_content.content_id')
        .execute();
      expect(found.map((f) => [f.content_id, f.relation, f.state])).toEqual([
        ['video-1', 'copy', 'pending'],
        ['video-2', 'copy', 'pending'],
      ]);
      for (const copy of found) {
        expect(copy.case_id).toBe(original.case_id);
        expect(new Date(copy.deadline_at).getTime()).toBe(new Date(original.deadline_at).getTime());
        expect(JSON.parse(copy.signals).vpdq.length).toBeGreaterThan(0);
      }
      const matches = await db.database.db.selectFrom('item_matches').select(['signal', 'distance']).where('matched_ref', '=', `item:${originalItemId}`).execute();
      expect(matches.map((m) => m.signal)).toEqual(['vpdq', 'vpdq']);
    });

    it('says a file that is neither an image nor a video is not one, without crashing', async () => {
      const junk = await upload('/v1/check', Buffer.from('not a video at all, just text'));
      expect(junk.statusCode).toBe(415);
      const cut = await upload('/v1/check', clips.original.subarray(0, 600));
      expect(cut.statusCode).toBeGreaterThanOrEqual(400);
      expect(cut.statusCode).toBeLessThan(500);
      expect(cut.json().error.field).toBe('file');
    });
  });
}

describe('platform API without ffmpeg', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let token: string;
  let clip: { dir: string; bytes: Buffer };

  beforeAll(async () => {
    await requireFfmpeg();
    const dir = await fixtureDir();
    const path = await renderVideo(join(dir, 'clip.mp4'), [{ lavfi: 'testsrc2=size=160x120:rate=10', seconds: 2 }], { width: 160, height: 120, rate: 10, encode: H264 });
    clip = { dir, bytes: await readFile(path) };
    db = await backends[0].create();
    const { config, keys } = platformTestConfig(db.dataDir);
    const video = await startVideoService({ ffmpegPath: '/nonexistent/ffmpeg', ffprobePath: '/nonexistent/ffprobe' });
    app = await buildApp(config, { database: db.database, keys, clock: systemClock, video });
    token = (await addPlatformKey(db.database, systemClock, { name: 'tube' }, 'test')).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    if (clip) await rm(clip.dir, { recursive: true, force: true });
  });

  it('answers 503 with how to install ffmpeg for videos, and keeps checking images', async () => {
    const send = async (bytes: Buffer, type: string) => {
      const form = multipart({}, { bytes, type });
      return app.inject({ method: 'POST', url: '/v1/check', headers: { authorization: `Bearer ${token}`, ...form.headers }, payload: form.payload });
    };
    const videoCheck = await send(clip.bytes, 'video/mp4');
    expect(videoCheck.statusCode).toBe(503);
    expect(videoCheck.json().error.code).toBe('ffmpeg_missing');
    expect(videoCheck.json().error.message).toContain('apt-get install ffmpeg');
    // Exact digests still work without ffmpeg when the platform sends them.
    const hashes = await app.inject({ method: 'POST', url: '/v1/check', headers: { authorization: `Bearer ${token}` }, payload: { md5: 'a'.repeat(32) } });
    expect(hashes.statusCode).toBe(200);
    const imageCheck = await send(await testImage(5), 'image/jpeg');
    expect(imageCheck.statusCode).toBe(200);
    expect(imageCheck.json().verdict).toBe('allow');
  });
});
