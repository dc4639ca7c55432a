import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { REMOVAL_TIME_SKEW_MS } from '@takedown/core';
import { acknowledgeRemoval } from '../../services/removal-acknowledgement.ts';
import { SMALL_BODY_BYTES } from '../body-limits.ts';
import { HttpError } from '../errors.ts';
import { DateTime, errors, Uuid } from '../schemas.ts';
import { platformOf, requirePlatform, type KeyCache } from './platform-key-auth.ts';

const RemovedBody = Type.Object(
  { removedAt: Type.Optional(DateTime) },
  { additionalProperties: false, description: 'removedAt: when the platform removed the item; default: now.' },
);
const RemovedParams = Type.Object({ itemId: Uuid });

const Removed = Type.Object({
  itemId: Uuid,
  itemState: Type.String(),
  caseState: Type.String(),
  alreadyRemoved: Type.Boolean(),
});

/**
 * The platform's acknowledgement of a removal: this is what stops the legal clock (§3(a)(3)(A)). Sending it
 * twice is harmless (the second answers alreadyRemoved).
 */
export function removalRoutes(cache: KeyCache) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const { clock, database, metrics } = app.services;
    // Typed by hand because the body is optional: a call without a body is validated against nothing.
    app.post<{ Params: Static<typeof RemovedParams>; Body: Static<typeof RemovedBody> | undefined }>(
      '/v1/items/:itemId/removed',
      {
        onRequest: requirePlatform('removals', cache),
        bodyLimit: SMALL_BODY_BYTES,
        schema: {
          summary: 'Acknowledge that an item was removed (stops the clock)',
          tags: ['platform'],
          params: RemovedParams,
          // No body at all (no content type) is the same as {}: removed now.
          body: { content: { 'application/json': { schema: RemovedBody } } },
          response: { 200: Removed, ...errors(400, 401, 403, 404, 409, 413) },
        },
      },
      async (request) => {
        const platform = platformOf(request);
        const { itemId } = request.params;
        const now = clock.now();
        const removedAt = request.body?.removedAt ? new Date(request.body.removedAt) : now;
        if (Number.isNaN(removedAt.getTime()) || removedAt.getTime() > now.getTime() + REMOVAL_TIME_SKEW_MS) {
          throw new HttpError(400, 'invalid_request', 'removedAt must be a date-time that is not in the future.', { field: 'removedAt' });
        }
        const result = await acknowledgeRemoval(database, clock, platform, itemId, removedAt);
        // Only a platform hosting the item may say it removed it; to any other, the item does not exist (no oracle).
        if (result.kind === 'not_hosted' || result.kind === 'not_found') throw new HttpError(404, 'item_not_found', 'There is no such item among those your platform hosts.');
        if (result.kind === 'not_removable') throw new HttpError(409, 'item_not_removable', `${result.message} (The item is ${result.itemState}.)`);
        if (result.clock) metrics.observeRemoval(result.clock.jurisdiction, result.clock.seconds);
        return { itemId, ...result.value };
      },
    );
  };
}
