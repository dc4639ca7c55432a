import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { PlatformInputError, setWebhook } from '../../services/platform-accounts.ts';
import { pendingEvents } from '../../services/pending-events.ts';
import { SMALL_BODY_BYTES } from '../body-limits.ts';
import { HttpError } from '../errors.ts';
import { errors } from '../schemas.ts';
import { PlainText } from '../schemas/plain-text.ts';
import { platformOf, requirePlatform, type KeyCache } from './platform-key-auth.ts';

/** The platform sets where its events go, and sees what is still undelivered. */
export function webhookRoutes(cache: KeyCache) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const { clock, database, keys, config } = app.services;
    app.put(
      '/v1/platform/webhook',
      {
        onRequest: requirePlatform('webhooks', cache),
        bodyLimit: SMALL_BODY_BYTES,
        schema: {
          summary: 'Set the webhook endpoint; returns a new signing secret (shown once)',
          description:
            'HTTPS to a public address only: a URL whose host is or resolves to a loopback, private, link-local (metadata), unique-local, CGNAT, multicast or reserved address is refused with 400 naming the range, unless the operator allows it (TAKEDOWN_OUTBOUND_ALLOWED_HOSTS); plain HTTP only on a development server (TAKEDOWN_OUTBOUND_ALLOW_HTTP). The URL is checked again at every delivery. Events are signed: Takedown-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>.',
          tags: ['platform'],
          body: Type.Object({ url: PlainText({ maxLength: 2048 }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ url: Type.String(), secret: Type.String() }), ...errors(400, 401, 403, 413) },
        },
      },
      async (request) => {
        const platform = platformOf(request);
        try {
          return await setWebhook(database, keys, clock, platform.platformId, request.body.url, `platform:${platform.keyId}`, config.outbound);
        } catch (error) {
          if (error instanceof PlatformInputError) throw new HttpError(400, 'invalid_request', error.message, { field: error.field });
          throw error;
        }
      },
    );

    app.get(
      '/v1/platform/events',
      {
        onRequest: requirePlatform('webhooks', cache),
        bodyLimit: SMALL_BODY_BYTES,
        schema: {
          summary: 'Events not yet delivered to the webhook, oldest first',
          tags: ['platform'],
          response: {
            200: Type.Object({
              pending: Type.Array(Type.Object({ id: Type.String(), type: Type.String(), createdAt: Type.String(), attempts: Type.Integer(), lastError: Type.Union([Type.String(), Type.Null()]) })),
            }),
            ...errors(401, 403),
          },
        },
      },
      async (request) => {
        const platform = platformOf(request);
        return { pending: await pendingEvents(database, platform.platformId) };
      },
    );
  };
}
