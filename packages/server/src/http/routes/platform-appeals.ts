import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { MAX_APPEAL_STATEMENT_LENGTH } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { openAppeal } from '../../services/appeals.ts';
import { statementForPlatform } from '../../services/statement-of-reasons.ts';
import { SMALL_BODY_BYTES } from '../body-limits.ts';
import { HttpError } from '../errors.ts';
import { errors, Timestamp, Uuid } from '../schemas.ts';
import { FreeText } from '../schemas/plain-text.ts';
import { platformOf, requirePlatform, type KeyCache } from './platform-key-auth.ts';

const ItemParams = Type.Object({ itemId: Uuid });

const AppealBody = Type.Object(
  {
    statement: FreeText({
      minLength: 1,
      maxLength: MAX_APPEAL_STATEMENT_LENGTH,
      description: "The uploader's own statement of why the removal is wrong, as they wrote it. Stored encrypted; shown only to the reviewer who decides.",
    }),
  },
  { additionalProperties: false },
);

const Appeal = Type.Object({ appealId: Uuid, itemId: Uuid, state: Type.String(), openedAt: Timestamp, dueAt: Timestamp });

const Text = Type.String();
const Statement = Type.Object({
  itemId: Uuid,
  decision: Type.Object({ kind: Type.Literal('removal'), description: Text, territorialScope: Text, duration: Text, decidedAt: Text, appliedAt: Type.Optional(Text) }, { description: 'DSA Art. 17(3)(a)' }),
  facts: Type.Object({ source: Type.Literal('notice'), noticeBasis: Text, description: Text, contentType: Text }, { description: 'DSA Art. 17(3)(b)' }),
  automatedMeans: Type.Object({ usedInDetection: Type.Boolean(), usedInDecision: Type.Boolean(), description: Text }, { description: 'DSA Art. 17(3)(c)' }),
  legalGround: Type.Object({ law: Text, explanation: Text }, { description: 'DSA Art. 17(3)(d)' }),
  contractualGround: Type.Object({ explanation: Text }, { description: 'DSA Art. 17(3)(e)' }),
  redress: Type.Object(
    { internalComplaint: Type.Object({ how: Text, decidedWithinHours: Type.Integer() }), outOfCourtSettlement: Text, judicialRedress: Text },
    { description: 'DSA Art. 17(3)(f)' },
  ),
  appeals: Type.Array(Type.Object({ appealId: Uuid, state: Text, openedAt: Timestamp, dueAt: Timestamp, decidedAt: Type.Optional(Timestamp), reason: Type.Optional(Text) })),
});

const NOT_HOSTED = 'There is no such item among those your platform hosts.';

/**
 * The uploader's side (DSA Art. 17 and 20), for the platform that hosts an item: the statement of reasons for
 * its removal, and the uploader's appeal sent by the platform. The key is checked before any body is read.
 */
export function appealRoutes(cache: KeyCache) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const { clock, database, keys, config } = app.services;
    const decideWithinHours = config.safeguards.appealDecisionHours;

    app.get(
      '/v1/items/:itemId/statement',
      {
        onRequest: requirePlatform('removals', cache),
        schema: {
          summary: 'The statement of reasons for a removal (DSA Art. 17), to give the uploader',
          tags: ['platform'],
          params: ItemParams,
          response: { 200: Statement, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const result = await statementForPlatform(database, platformOf(request).platformId, request.params.itemId, decideWithinHours, app.services.config.jurisdictions);
        if (result.kind === 'not_found') throw new HttpError(404, 'item_not_found', NOT_HOSTED);
        if (result.kind === 'not_removed') throw new HttpError(409, 'not_removed', `This item was not removed (it is ${result.itemState}), so there is no statement of reasons for it.`);
        return result.value;
      },
    );

    app.post(
      '/v1/items/:itemId/appeals',
      {
        onRequest: requirePlatform('removals', cache),
        bodyLimit: SMALL_BODY_BYTES,
        schema: {
          summary: "Send an uploader's appeal against a removal (DSA Art. 20)",
          tags: ['platform'],
          params: ItemParams,
          body: AppealBody,
          response: { 201: Appeal, ...errors(400, 401, 403, 404, 409, 413, 415) },
        },
      },
      async (request, reply) => {
        const statement = request.body.statement.trim();
        if (statement === '') throw new HttpError(400, 'invalid_request', "Send the uploader's statement: why they think the removal is wrong.", { field: 'statement', fields: [{ field: 'statement', code: 'required', message: "Send the uploader's statement: why they think the removal is wrong." }] });
        const result = await openAppeal(database, keys, clock, platformOf(request), request.params.itemId, statement, decideWithinHours);
        if (result.kind === 'not_found') throw new HttpError(404, 'item_not_found', NOT_HOSTED);
        if (result.kind === 'conflict') throw new HttpError(409, result.code, result.message);
        return reply.code(201).send(result.value);
      },
    );
  };
}
