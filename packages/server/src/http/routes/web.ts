import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { reportButtonAncestors } from '../../services/report-link.ts';
import { REPORT_BUTTON_HEADERS, reportButtonPolicy } from '../report-button-policy.ts';

/**
 * The built web pages (packages/web/dist, made by `vite build`; `npm start` builds them first): the public
 * request pages at `/` and the reviewer console at `/review`. Pages are routed in the browser, so every page
 * path answers with its app's HTML; hashed assets under /assets are cached for a year.
 */

const PUBLIC_PAGES = ['/', '/request', '/request/done', '/request/resume', '/status', '/recover'];

// Pictures are hashed on the device by a worker and a WebAssembly kernel ('wasm-unsafe-eval'); thumbnails,
// videos sampled for hashing and unblurred previews are blob: URLs. Nothing is loaded from another origin, and no page may be framed
// (but the report button, /embed/report, by its platform's pages: ../report-button-policy.ts).
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "style-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

// Cross-origin isolation: the CMYK JPEG decoder (libvips in WebAssembly) runs threads on SharedArrayBuffer,
// which browsers allow only in isolated pages. Workers and their scripts need the same headers.
const CROSS_ORIGIN_ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

const PAGE_HEADERS = { 'content-security-policy': CONTENT_SECURITY_POLICY, ...CROSS_ORIGIN_ISOLATION };

async function sendPage(reply: FastifyReply, dist: string, file: string, headers: Record<string, string> = PAGE_HEADERS): Promise<FastifyReply> {
  let html: string;
  try {
    html = await readFile(join(dist, file), 'utf8');
  } catch {
    return reply
      .code(503)
      .type('text/plain; charset=utf-8')
      .send('The web pages have not been built. Run `npm run build -w @takedown/web` (npm start does it for you).');
  }
  return reply
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .headers(headers)
    .type('text/html; charset=utf-8')
    .send(html);
}

export default async function webRoutes(app: FastifyInstance): Promise<void> {
  const dist = app.services.config.webDistDir;
  const assets = join(dist, 'assets');
  if (existsSync(assets)) {
    await app.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      immutable: true,
      maxAge: '365d',
      setHeaders: (response) => {
        response.headers(CROSS_ORIGIN_ISOLATION);
      },
    });
  } else {
    app.log.warn(`web pages not built (no ${assets}); run npm run build -w @takedown/web`);
  }
  const hide = { schema: { hide: true } };
  for (const path of PUBLIC_PAGES) app.get(path, hide, (_request, reply) => sendPage(reply, dist, 'index.html'));
  // The report button a platform frames on its own pages (docs/platform.md, "Report from your pages"): only
  // pages on the hosts that platform declares may frame it; every other page of the site stays unframeable.
  app.get<{ Querystring: { platform?: unknown } }>('/embed/report', hide, async (request, reply) => {
    const platform = request.query.platform;
    const hosts = typeof platform === 'string' && platform.length > 0 && platform.length <= 200 ? await reportButtonAncestors(app.services.database, platform) : [];
    return sendPage(reply, dist, 'embed.html', { 'content-security-policy': reportButtonPolicy(hosts), ...REPORT_BUTTON_HEADERS });
  });
  app.get('/review', hide, (_request, reply) => sendPage(reply, dist, 'review.html'));
  app.get('/review/*', hide, (_request, reply) => sendPage(reply, dist, 'review.html'));
}
