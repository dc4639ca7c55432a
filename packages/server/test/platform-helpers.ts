import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { systemClock, type Clock } from '@takedown/core';
import { createStaffUser } from '../src/services/staff.ts';
import { loadConfig, type ServerConfig } from '../src/config/config.ts';
import { deriveKeys, type Keys } from '../src/crypto/keys.ts';
import type { OpenDatabase } from '../src/store/database.ts';
import { submitRequest } from '../src/services/intake.ts';
import { readContentEntry } from '../src/platform/content-entry.ts';
import type { ContentInput } from '../src/services/platform-content.ts';
import { decideItem } from '../src/services/review.ts';
import { validRequest } from './helpers/fixtures.ts';

export { multipart } from '@takedown/testing/multipart';
export { vectorPhoto } from '@takedown/testing/vectors';

/** A config and matching keys for a test database (the worker derives the same keys from the config). */
export function platformTestConfig(dataDir: string, overrides: Partial<ServerConfig> = {}): { config: ServerConfig; keys: Keys } {
  const secret = randomBytes(32);
  const config = loadConfig({}, { dataDir, secretKey: secret.toString('base64'), logLevel: 'silent', ...overrides });
  return { config, keys: deriveKeys(secret) };
}

/**
 * A photo-like test image: smooth random blobs (a 12×12 random grid, upscaled), so its PDQ quality is high
 * and a re-encode moves the hash by a few bits only.
 */
export async function testImage(seed: number, options: { size?: number; quality?: number; format?: 'jpeg' | 'png' | 'webp' | 'gif'; rotate?: number } = {}): Promise<Buffer> {
  const grid = 12;
  const raw = Buffer.alloc(grid * grid * 3);
  let state = seed * 2654435761 + 1;
  for (let i = 0; i < raw.length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    raw[i] = state % 256;
  }
  const size = options.size ?? 256;
  let image = sharp(raw, { raw: { width: grid, height: grid, channels: 3 } }).resize(size, size, { kernel: 'cubic' });
  if (options.rotate) image = sharp(await image.png().toBuffer()).rotate(options.rotate);
  const format = options.format ?? 'jpeg';
  if (format === 'jpeg') return image.jpeg({ quality: options.quality ?? 90 }).toBuffer();
  if (format === 'png') return image.png().toBuffer();
  if (format === 'webp') return image.webp({ quality: options.quality ?? 90 }).toBuffer();
  return image.gif().toBuffer();
}

/** A tiny PNG that declares `width`×`height` pixels: a decompression bomb as far as the header goes. */
export function bombPng(width = 100_000, height = 100_000): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk('IEND', Buffer.alloc(0))]);
}

/** Files a removal request for `items` and returns the case and item ids. */
export async function fileRequest(database: OpenDatabase, keys: Keys, items: { url?: string; hashes?: Record<string, string | number> }[], clock: Clock = systemClock) {
  const submitted = await submitRequest(database, keys, clock, validRequest(clock, { items: items as never }));
  return submitted;
}

/** A reviewer confirms an item (as the review console would). */
export async function confirmItem(database: OpenDatabase, itemId: string, clock: Clock = systemClock): Promise<void> {
  const username = `rev${randomBytes(4).toString('hex')}`;
  const user = await createStaffUser(database, clock, { username, role: 'senior', password: 'correct horse battery staple' }, 'test');
  const result = await decideItem(database, clock, { userId: user.id, actor: `staff:${username}`, seesSenior: true }, itemId, { decision: 'confirm' });
  if (result.kind !== 'ok') throw new Error(`confirm failed: ${JSON.stringify(result)}`);
}

/** Content entries written as a platform sends them ({ contentId, url, pdq, pdqQuality, … }), read as the API reads them. */
export function contentEntries(entries: Record<string, unknown>[]): ContentInput[] {
  return entries.map((raw) => {
    const read = readContentEntry(raw);
    if (!read.entry) throw new Error(`bad test entry: ${JSON.stringify(read.problems)}`);
    return read.entry;
  });
}

/** A platform's upload check of one PDQ hash over HTTP, answered 200: the verdict and the matches. */
export async function checkPdq(app: FastifyInstance, token: string, hash: string): Promise<{ verdict: string; matches: { bank: string; distance: number }[] }> {
  const response = await app.inject({ method: 'POST', url: '/v1/check', headers: { authorization: `Bearer ${token}` }, payload: { pdq: hash, pdqQuality: 90 } });
  expect(response.statusCode).toBe(200);
  return response.json<{ verdict: string; matches: { bank: string; distance: number }[] }>();
}
