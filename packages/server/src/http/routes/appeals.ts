import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { APPEAL_DECISIONS, MAX_APPEAL_REASON_LENGTH } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { appealDetail, appealQueue, decideAppeal } from '../../services/appeals.ts';
import { SMALL_BODY_BYTES } from '../body-limits.ts';
import { errors, Hashes, Timestamp, Uuid } from '../schemas.ts';
import { FreeText } from '../schemas/plain-text.ts';
import { actorOf, requireStaff, staffOf } from '../staff-auth.ts';
import { unwrapReview } from './review.ts';

const AppealEntry = Type.Object({
  appealId: Uuid,
  itemId: Uuid,
  caseNumber: Type.String(),
  state: Type.String({ description: 'open, upheld or rejected' }),
  itemState: Type.String(),
  jurisdiction: Type.String(),
  openedAt: Timestamp,
  dueAt: Timestamp,
  overdue: Type.Boolean(),
  itemDecidedBy: Type.Optional(Type.String({ description: 'Who decided the item: they may not decide the appeal.' })),
  decidedAt: Type.Optional(Timestamp),
  decidedBy: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  demo: Type.Boolean(),
});

const AppealDetail = Type.Intersect([
  AppealEntry,
  Type.Object({
    statement: Type.Union([Type.String(), Type.Null({ description: 'Deleted with the case’s personal data.' })]),
    url: Type.Optional(Type.String()),
    hashes: Hashes,
    declineReason: Type.Optional(Type.String()),
  }),
]);

const NO_APPEAL = 'There is no appeal with this id.';

const DecisionBody = Type.Object(
  {
    decision: Type.Enum(APPEAL_DECISIONS, { description: 'uphold: the removal was wrong, the content may go back; reject: the removal stands.' }),
    reason: FreeText({ maxLength: MAX_APPEAL_REASON_LENGTH, description: "Required. Sent to the uploader's platform: never name the person who asked." }),
  },
  { additionalProperties: false },
);

/**
 * The appeal queue in the reviewer console (DSA Art. 20): open appeals soonest due first, one appeal with the
 * uploader's statement, and the decision — by a senior reviewer or admin other than the one who decided the item.
 */
export default async function appealRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { database, keys, clock } = app.services;

  app.get(
    '/v1/review/appeals',
    {
      schema: {
        summary: "Uploaders' appeals: open ones soonest due first, or decided ones newest first",
        tags: ['review'],
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('decided')])),
            limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$', 'x-expected': 'a whole number from 1 to 999' })),
            offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$', 'x-expected': 'a whole number from 0 to 9999999' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ appeals: Type.Array(AppealEntry) }), ...errors(400, 401, 403) },
      },
      onRequest: requireStaff('decide_appeal'),
    },
    async (request) => {
      const { state, limit, offset } = request.query;
      return { appeals: await appealQueue(database, clock, { state: state ?? 'open', limit: Number(limit ?? 100), offset: Number(offset ?? 0) }) };
    },
  );

  app.get(
    '/v1/review/appeals/:id',
    {
      schema: {
        summary: "One appeal with the uploader's statement (recorded as appeal.viewed)",
        tags: ['review'],
        params: Type.Object({ id: Uuid }),
        response: { 200: AppealDetail, ...errors(400, 401, 403, 404) },
      },
      onRequest: requireStaff('decide_appeal'),
    },
    async (request) => unwrapReview(await appealDetail(database, keys, clock, actorOf(staffOf(request)), request.params.id), NO_APPEAL),
  );

  app.post(
    '/v1/review/appeals/:id/decision',
    {
      schema: {
        summary: 'Uphold or reject an appeal, with reasons (never by the person who decided the item)',
        tags: ['review'],
        params: Type.Object({ id: Uuid }),
        body: DecisionBody,
        response: { 200: Type.Object({ appealId: Uuid, state: Type.String(), itemState: Type.String() }), ...errors(400, 401, 403, 404, 409, 413) },
      },
      bodyLimit: SMALL_BODY_BYTES,
      onRequest: [app.csrfProtection, requireStaff('decide_appeal')],
    },
    async (request) => unwrapReview(await decideAppeal(database, clock, actorOf(staffOf(request)), request.params.id, request.body), NO_APPEAL),
  );
}
