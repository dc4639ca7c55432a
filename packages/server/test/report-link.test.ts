import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { logOptions } from '../src/http/logging.ts';
import { reportButtonPolicy } from '../src/http/report-button-policy.ts';
import { reportButtonSnippet, reportLinkUrl } from '../src/platform/report-snippets.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { platformTestConfig } from './platform-helpers.ts';

// Issue 17, item 5: a platform's "report" link and report button (docs/platform.md, "Report from your pages").
describe.each(backends)('report links and the report button, on $name', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let webDist: string;

  beforeAll(async () => {
    db = await backend.create();
    // The built pages, as `vite build` writes them (only their headers matter here).
    webDist = await mkdtemp(join(tmpdir(), 'takedown-report-link-'));
    await writeFile(join(webDist, 'index.html'), '<!doctype html><title>form</title>');
    await writeFile(join(webDist, 'embed.html'), '<!doctype html><title>button</title>');
    const { config, keys } = platformTestConfig(db.dataDir, { webDistDir: webDist });
    app = await buildApp(config, { database: db.database, keys, clock: systemClock });
    for (const [name, hosts] of [['pics', ['pics.example', '*.cdn.pics.example']], ['clips', ['clips.example']], ['gone', ['gone.example']]] as const) {
      const key = await addPlatformKey(db.database, systemClock, { name }, 'test');
      const put = await app.inject({ method: 'PUT', url: '/v1/platform/hosts', headers: { authorization: `Bearer ${key.token}` }, payload: { hosts } });
      expect(put.statusCode).toBe(200);
      if (name === 'gone') await db.database.db.updateTable('platforms').set({ disabled_at: new Date() }).where('id', '=', key.platformId).execute();
    }
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    if (webDist) await rm(webDist, { recursive: true, force: true });
  });

  const check = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/report-links/check', payload: payload as Record<string, unknown> });

  it('says whether the address is on the hosts the named platform declares', async () => {
    const on = await check({ url: 'https://pics.example/p/1', platform: 'pics' });
    expect(on.statusCode).toBe(200);
    expect(on.json()).toEqual({ host: 'pics.example', hostedBy: 'pics', platformKnown: true, onPlatform: true });
    expect((await check({ url: 'https://img.cdn.pics.example/a.jpg', platform: 'pics' })).json()).toMatchObject({ hostedBy: 'pics', onPlatform: true });
    // Another connected platform's page, an unknown site, a wildcard's own domain: not on pics.
    expect((await check({ url: 'https://clips.example/v/9', platform: 'pics' })).json()).toEqual({ host: 'clips.example', hostedBy: 'clips', platformKnown: true, onPlatform: false });
    expect((await check({ url: 'https://elsewhere.example/x', platform: 'pics' })).json()).toEqual({ host: 'elsewhere.example', hostedBy: null, platformKnown: true, onPlatform: false });
    expect((await check({ url: 'https://cdn.pics.example/', platform: 'pics' })).json()).toMatchObject({ hostedBy: null, onPlatform: false });
  });

  it('with no platform named, or one unknown or disabled, says whether any connected platform declares the host', async () => {
    expect((await check({ url: 'https://clips.example/v/9' })).json()).toEqual({ host: 'clips.example', hostedBy: 'clips', platformKnown: null, onPlatform: true });
    expect((await check({ url: 'https://elsewhere.example/x' })).json()).toMatchObject({ hostedBy: null, platformKnown: null, onPlatform: false });
    expect((await check({ url: 'https://pics.example/p/1', platform: 'nosuch' })).json()).toMatchObject({ hostedBy: 'pics', platformKnown: false, onPlatform: false });
    expect((await check({ url: 'https://gone.example/p/1', platform: 'gone' })).json()).toMatchObject({ hostedBy: null, platformKnown: false, onPlatform: false });
  });

  it('answers a bad address or body with a 400 that says what to fix', async () => {
    const notUrl = await check({ url: 'javascript:alert(1)' });
    expect(notUrl.statusCode).toBe(400);
    expect(notUrl.json().error).toMatchObject({ code: 'invalid_request', field: 'url', fields: [{ field: 'url', code: 'invalid_url' }] });
    expect((await check({ url: 'https://pics.example/', extra: 1 })).statusCode).toBe(400);
    expect((await check({ platform: 'pics' })).statusCode).toBe(400);
    expect((await check({ url: 'https://pics.example/\u0000' })).statusCode).toBe(400);
  });

  it('lets only the named platform’s hosts frame the report button, and no page frame the form', async () => {
    const button = await app.inject({ method: 'GET', url: '/embed/report?platform=pics&url=https%3A%2F%2Fpics.example%2Fp%2F1' });
    expect(button.statusCode).toBe(200);
    const policy = String(button.headers['content-security-policy']);
    expect(policy).toContain('frame-ancestors *.cdn.pics.example:* pics.example:*');
    expect(policy).toContain("default-src 'none'");
    expect(button.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(button.headers['cross-origin-opener-policy']).toBeUndefined();
    expect(button.headers['referrer-policy']).toBe('no-referrer');
    for (const url of ['/embed/report', '/embed/report?platform=nosuch', '/embed/report?platform=gone', '/embed/report?platform=pics&platform=clips']) {
      const refused = await app.inject({ method: 'GET', url });
      expect(String(refused.headers['content-security-policy']), url).toContain("frame-ancestors 'none'");
    }
    const form = await app.inject({ method: 'GET', url: '/request?url=https%3A%2F%2Fpics.example%2Fp%2F1&platform=pics' });
    expect(String(form.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(form.headers['cross-origin-opener-policy']).toBe('same-origin');
  });
});

describe('the report button policy and snippets', () => {
  it('builds the link and the frame a platform pastes, the content address URL-encoded', () => {
    expect(reportLinkUrl('https://td.example', 'pics', 'https://pics.example/p/1?a=1&b=2', 'it')).toBe(
      'https://td.example/request?platform=pics&lang=it&url=https%3A%2F%2Fpics.example%2Fp%2F1%3Fa%3D1%26b%3D2',
    );
    expect(reportLinkUrl('https://td.example', 'pics')).toBe('https://td.example/request?platform=pics&url=ADDRESS_OF_THE_CONTENT');
    const frame = reportButtonSnippet('https://td.example', 'pics', 'https://pics.example/p/1', 'de');
    expect(frame).toContain('src="https://td.example/embed/report?platform=pics&amp;lang=de&amp;url=https%3A%2F%2Fpics.example%2Fp%2F1"');
    expect(frame).toContain('sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"');
  });

  it('turns declared hosts into frame-ancestors sources on any port, and none into none', () => {
    expect(reportButtonPolicy(['pics.example', '*.cdn.pics.example'])).toContain('frame-ancestors pics.example:* *.cdn.pics.example:*');
    expect(reportButtonPolicy([])).toContain("frame-ancestors 'none'");
  });

  it('logs the path of a report link, never the address it carries', () => {
    const options = logOptions('info') as { serializers: { req: (req: { method: string; url: string }) => unknown } };
    const logged = JSON.stringify(options.serializers.req({ method: 'GET', url: '/request?url=https%3A%2F%2Fpics.example%2Fp%2F1&platform=pics' }));
    expect(logged).not.toContain('pics.example');
    expect(JSON.stringify(options.serializers.req({ method: 'GET', url: '/embed/report?platform=pics&url=https%3A%2F%2Fpics.example%2Fp%2F1' }))).not.toContain('pics.example');
  });
});
