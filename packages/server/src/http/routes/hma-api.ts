import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OutboundConnect } from '../../net/fetch-remote-media.ts';
import type { PlatformRuntime } from '../../services/platform-runtime.ts';
import { hmaCurationRoutes } from './hma-curation.ts';
import { hmaHashingRoutes } from './hma-hashing.ts';
import { hmaMatchingRoutes } from './hma-matching.ts';
import type { HmaContext } from './hma-context.ts';
import { requirePlatform, type KeyCache } from './platform-key-auth.ts';

/**
 * The routes a platform already calls on Meta's HMA 2.0 (hasher-matcher-actioner), with its parameters and
 * answers, behind a platform API key: moving from HMA to takedown is a new base URL and a key with the `hma`
 * scope (`banks` to add hashes). What still differs is listed in docs/hma-compatibility.md.
 */
export function hmaRoutes(runtime: PlatformRuntime, cache: KeyCache, connect: OutboundConnect) {
  return async function (app: FastifyInstance): Promise<void> {
    app.addHook('onSend', hmaAnswer);
    const hashing = { config: runtime.config, video: app.services.video, decodeBudget: app.services.decodeBudget };
    const context: HmaContext = { runtime, hashing, connect, requireHmaKey: requirePlatform('hma', cache) };
    await app.register(hmaMatchingRoutes(context));
    await app.register(hmaHashingRoutes(context));
    await app.register(hmaCurationRoutes(context, cache));
  };
}

/**
 * HMA's clients read an error's text from a top-level `message`: errors get it beside takedown's own
 * `error` object. No answer (they may name banks and matches) is kept by a browser or proxy.
 */
async function hmaAnswer(_request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  reply.header('cache-control', 'no-store');
  if (reply.statusCode < 400 || typeof payload !== 'string') return payload;
  try {
    const body = JSON.parse(payload) as { message?: unknown; error?: { message?: unknown } };
    if (body.message !== undefined || typeof body.error?.message !== 'string') return payload;
    return JSON.stringify({ message: body.error.message, ...body });
  } catch {
    return payload;
  }
}
