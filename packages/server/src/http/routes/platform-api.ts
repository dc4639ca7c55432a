import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { maxUploadBytes } from '../../config/platform-config.ts';
import { ensureDecisionFollower } from '../../services/webhook-decisions.ts';
import { guardedConnect } from '../../net/fetch-remote-media.ts';
import { hmaRoutes } from './hma-api.ts';
import { checkRoutes } from './platform-check.ts';
import { contentRoutes } from './platform-content.ts';
import { hostRoutes } from './platform-hosts.ts';
import { jurisdictionRoutes } from './platform-jurisdiction.ts';
import { keyCacheOf } from './platform-key-auth.ts';
import { removalRoutes } from './platform-removals.ts';
import { appealRoutes } from './platform-appeals.ts';
import { webhookRoutes } from './platform-webhooks.ts';

/**
 * The platform integration API (every route takes a platform API key: `Authorization: Bearer tdk_…`): content index, upload checks, removal acknowledgements,
 * the webhook endpoint, the hosts the platform serves and the HMA-compatible routes. Loads the in-memory indexes
 * before the server starts answering.
 */
export default async function platformApi(app: FastifyInstance): Promise<void> {
  const runtime = app.services.platform;
  await runtime.open((error) => app.log.error({ err: error.message }, 'platform index sync failed'), {
    onLost: (error) => app.log.warn({ err: error.message, pollMs: runtime.config.indexSyncMs }, 'bank and content changes made elsewhere are not heard: the index follows them by polling until they are heard again'),
    onRestored: () => app.log.info('bank and content changes made elsewhere are heard again: the index is synced now'),
  });
  app.addHook('onClose', () => runtime.close());
  await ensureDecisionFollower(app.services.database, app.services.clock.now());
  const cache = await keyCacheOf(app);
  await app.register(fastifyMultipart, { limits: { fileSize: maxUploadBytes(runtime.config), files: 1, fields: 20, fieldSize: 4096, parts: 25 } });
  await app.register(contentRoutes(runtime, cache));
  await app.register(checkRoutes(runtime, cache));
  await app.register(removalRoutes(cache));
  await app.register(appealRoutes(cache));
  await app.register(webhookRoutes(cache));
  await app.register(hostRoutes(cache));
  await app.register(jurisdictionRoutes(cache));
  await app.register(hmaRoutes(runtime, cache, guardedConnect(app.services.config.outbound)));
}
