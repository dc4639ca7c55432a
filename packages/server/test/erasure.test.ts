/**
 * Withdrawal and retention leave nothing of the person behind: not the statements and contact, not the links,
 * not the links in the webhook events sent to platforms, not the picture they shared. Checked the way an
 * attacker with a copy of the disks would look: every file under the data dir, and a dump of the database.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DAY_MS, ManualClock } from '@takedown/core';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { createWorker } from '../src/jobs/handlers.ts';
import type { ServerJobs } from '../src/jobs/server-jobs.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { upsertContent } from '../src/services/platform-content.ts';
import { acknowledgeRemoval } from '../src/services/removal-acknowledgement.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { PII, requestBody } from './helpers/fixtures.ts';
import { confirmItem, contentEntries, platformTestConfig } from './platform-helpers.ts';

const PASSWORD = 'correct horse battery staple';
const PG_DUMP = ['/usr/lib/postgresql/15/bin/pg_dump', 'pg_dump'];

/** Every file under `dir`: on PGlite that includes the database's own files (its tables and write-ahead log). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function pgDumpOf(url: string): string {
  for (const binary of PG_DUMP) {
    try {
      return execFileSync(binary, ['--no-owner', url], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`pg_dump is needed for this test and was not found (${PG_DUMP.join(', ')}): install PostgreSQL's client tools.`);
}

describe.each(backends)('erasure of personal data on $name', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let worker: ServerJobs;
  let platformId: string;
  const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));

  beforeAll(async () => {
    db = await backend.create();
    const { config, keys } = platformTestConfig(db.dataDir, { intakeRateLimit: { max: 1000, windowMs: 60_000 } });
    app = await buildApp(config, { database: db.database, keys, clock });
    worker = createWorker({ config, database: db.database, clock, keys, platform: app.services.platform });
    await createStaffUser(db.database, clock, { username: 'sam', role: 'senior', password: PASSWORD }, 'test');
    await createStaffUser(db.database, clock, { username: 'riley', role: 'reviewer', password: PASSWORD }, 'test');
    platformId = (await addPlatformKey(db.database, clock, { name: `host${backend.name}` }, 'test')).platformId;
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function staffCookie(username = 'sam'): Promise<{ cookie: string; csrf: string }> {
    const response = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username, password: PASSWORD } });
    const cookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    return { cookie, csrf: response.json().csrfToken };
  }

  /**
   * A request for a post the platform hosts (found by its bytes; the platform's own entry has an address of its
   * own, which is the platform's record, not the person's), with a shared picture carrying a marker in its bytes; the item is
   * confirmed and swept, so the platform gets an `item.remove` event with the link in it.
   */
  async function sharedAndConfirmed(): Promise<{ caseNumber: string; pin: string; itemId: string; url: string; marker: string }> {
    const tag = randomBytes(6).toString('hex');
    const url = `https://host.example.net/post/erase-${tag}?shared-by=someone`;
    const marker = `SHARED-PICTURE-MARKER-${tag}`;
    const picture = Buffer.concat([await sharp({ create: { width: 48, height: 48, channels: 3, background: '#8a5' } }).png().toBuffer(), Buffer.from(marker)]);
    const sha256 = createHash('sha256').update(picture).digest('hex');
    const md5 = createHash('md5').update(picture).digest('hex');
    await upsertContent(db.database, platformId, contentEntries([{ contentId: `post-${tag}`, url: `https://host.example.net/p/${tag}`, md5 }]), clock.now());
    const submitted = await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody({ items: [{ url, hashes: { sha256, md5 } }], shareMedia: true }, clock.now()) as object });
    expect(submitted.statusCode).toBe(201);
    const { caseNumber, pin, items } = submitted.json();
    const itemId = items[0].id as string;
    const shared = await app.inject({ method: 'POST', url: `/v1/cases/${caseNumber}/items/${itemId}/media`, headers: { 'content-type': 'image/png', 'takedown-case-pin': pin }, payload: picture });
    expect(shared.statusCode).toBe(201);
    await confirmItem(db.database, itemId, clock);
    await worker.drain();
    const events = await db.database.transaction((tx) => tx.selectFrom('platform_events').select('payload').where('item_id', '=', itemId).where('type', '=', 'item.remove').execute());
    expect(events.map((e) => (e.payload.data as { url?: string }).url)).toEqual([url]);
    return { caseNumber, pin, itemId, url, marker };
  }

  /** Nothing of these strings in any file under the data dir (read raw), nor in a dump of the database. */
  async function expectNowhere(needles: string[]): Promise<void> {
    const dump = db.database.kind === 'postgres' ? pgDumpOf(db.databaseUrl!) : await (await pgDump({ pg: db.database.pglite! as never })).text();
    expect(dump).toContain('platform_events'); // the dump really holds the tables
    for (const needle of needles) expect(dump.includes(needle), `"${needle}" is still in the database dump`).toBe(false);
    for (const file of filesUnder(db.dataDir)) {
      const bytes = readFileSync(file);
      for (const needle of needles) expect(bytes.includes(needle), `"${needle}" is still in ${relative(db.dataDir, file)}`).toBe(false);
    }
  }

  async function copiesOnDisk(itemId: string): Promise<string[]> {
    return filesUnder(db.dataDir).filter((file) => file.includes(itemId));
  }

  it('a withdrawal deletes the shared picture, the links (in events too) and the statements at once', async () => {
    const shared = await sharedAndConfirmed();
    expect(await copiesOnDisk(shared.itemId)).toHaveLength(1);
    const staff = await staffCookie();
    const before = await app.inject({ method: 'GET', url: `/v1/review/items/${shared.itemId}/media/preview`, headers: { cookie: staff.cookie } });
    expect(before.statusCode).toBe(200);

    const withdrawn = await app.inject({ method: 'POST', url: `/v1/cases/${shared.caseNumber}/withdraw`, headers: { 'takedown-case-pin': shared.pin } });
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.body).not.toContain(shared.url);
    await worker.drain();

    expect(await copiesOnDisk(shared.itemId)).toEqual([]);
    for (const [method, path] of [['GET', 'preview'], ['POST', 'unblur']] as const) {
      const response = await app.inject({ method, url: `/v1/review/items/${shared.itemId}/media/${path}`, headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf } });
      expect(response.statusCode, path).toBe(404);
      expect(response.json().error.code).toBe('no_media');
    }
    const item = await app.inject({ method: 'GET', url: `/v1/review/items/${shared.itemId}`, headers: { cookie: staff.cookie } });
    expect(item.json().case.statements).toBeNull();
    expect(item.body).not.toContain(shared.url);
    // Sharing again after the withdrawal is refused: nothing new is kept for a withdrawn case.
    const again = await app.inject({
      method: 'POST',
      url: `/v1/cases/${shared.caseNumber}/items/${shared.itemId}/media`,
      headers: { 'content-type': 'image/png', 'takedown-case-pin': shared.pin },
      payload: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer(),
    });
    expect(again.statusCode).toBe(409);
    // The hourly retention run also clears the erased values out of the embedded database's files.
    await worker.schedulePeriodic();
    await worker.drain();
    await expectNowhere([shared.url, shared.marker, PII.name, PII.email, PII.phone, PII.statement]);
  });

  it('shows the shared copy of an item in the senior queue to senior reviewers only (issue 15, item 3)', async () => {
    const shared = await sharedAndConfirmed();
    const senior = await staffCookie('sam');
    const escalated = await app.inject({ method: 'POST', url: `/v1/review/items/${shared.itemId}/decision`, headers: { cookie: senior.cookie, 'x-csrf-token': senior.csrf }, payload: { decision: 'escalate', note: 'needs a second look' } });
    expect(escalated.json()).toMatchObject({ queue: 'senior' });
    const reviewer = await staffCookie('riley');
    for (const [method, path] of [['GET', 'preview'], ['POST', 'unblur']] as const) {
      const refused = await app.inject({ method, url: `/v1/review/items/${shared.itemId}/media/${path}`, headers: { cookie: reviewer.cookie, 'x-csrf-token': reviewer.csrf } });
      expect(refused.statusCode, path).toBe(403);
      const allowed = await app.inject({ method, url: `/v1/review/items/${shared.itemId}/media/${path}`, headers: { cookie: senior.cookie, 'x-csrf-token': senior.csrf } });
      expect(allowed.statusCode, path).toBe(200);
      expect(allowed.headers['cache-control']).toBe('no-store');
    }
    const unblurs = await db.database.transaction((tx) => tx.selectFrom('audit_events').select('actor').where('action', '=', 'media.unblurred').where('item_id', '=', shared.itemId).execute());
    expect(unblurs).toEqual([{ actor: 'staff:sam' }]);
  });

  it('retention deletes the shared picture and every copy of the link of a case closed long ago', async () => {
    const shared = await sharedAndConfirmed();
    // The platform removes it: the case is resolved, and closed from now.
    expect((await acknowledgeRemoval(db.database, clock, { platformId, keyId: 'test' }, shared.itemId, clock.now())).kind).toBe('ok');
    expect(await copiesOnDisk(shared.itemId)).toHaveLength(1);

    clock.advance(364 * DAY_MS);
    await worker.schedulePeriodic();
    await worker.drain();
    expect(await copiesOnDisk(shared.itemId), 'kept while the retention period runs').toHaveLength(1);

    clock.advance(2 * DAY_MS);
    await worker.schedulePeriodic();
    await worker.drain();
    expect(await copiesOnDisk(shared.itemId)).toEqual([]);
    await expectNowhere([shared.url, shared.marker, PII.name, PII.email, PII.phone, PII.statement]);
    const deleted = await db.database.transaction((tx) => tx.selectFrom('audit_events').select(['action', 'reason', 'data']).where('action', '=', 'pii.deleted').orderBy('seq', 'desc').executeTakeFirstOrThrow());
    expect(deleted.reason).toMatch(/retention period of 365 days/);
    expect(deleted.data).toMatchObject({ sharedCopiesDeleted: 1 });
  });
});
