import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { erasePersonalDataOnRequest, exportPersonalData } from '../../services/requester-data.ts';
import type { RequesterContext } from '../../services/requester-case.ts';
import { NO_BODY_BYTES } from '../body-limits.ts';
import { errors, Hashes, Timestamp } from '../schemas.ts';
import { CaseParams, PinHeaders, refusePinInUrl, requesterAnswer, requesterArgs } from './requests.ts';

const Kept = Type.Object({ what: Type.String(), why: Type.String() });
const Person = Type.Object({}, { additionalProperties: true });

const PersonalData = Type.Object({
  caseNumber: Type.String(),
  exportedAt: Timestamp,
  summary: Type.Array(Type.String(), { description: 'What we hold, why and for how long, in plain words.' }),
  case: Type.Object({
    state: Type.String(),
    jurisdiction: Type.String(),
    receivedAt: Timestamp,
    signedAt: Timestamp,
    closedAt: Type.Optional(Timestamp),
    requesterRole: Type.String(),
    shareMedia: Type.Boolean(),
    under18WhenMade: Type.Boolean(),
    language: Type.String({ description: 'The language messages to the person use.' }),
    timeZone: Type.Optional(Type.String({ description: 'The IANA time zone dates in messages are shown in.' })),
    notifyBy: Type.Array(Type.String(), { description: 'The channels the person asked to be told on (email).' }),
    personalDataDeletedAt: Type.Optional(Timestamp),
  }),
  statements: Type.Union([
    Type.Object({ requester: Person, contact: Person, goodFaith: Person, signature: Person }),
    Type.Null({ description: 'Deleted (withdrawal, a deletion request, or the retention period).' }),
  ]),
  items: Type.Array(
    Type.Object({
      position: Type.Integer(),
      state: Type.String(),
      receivedAt: Timestamp,
      deadline: Timestamp,
      url: Type.Optional(Type.String()),
      hashes: Hashes,
      removedAt: Type.Optional(Timestamp),
      declineReason: Type.Optional(Type.String()),
    }),
  ),
  history: Type.Array(Type.Object({ at: Timestamp, action: Type.String() })),
  keptAfterDeletion: Type.Array(Kept),
});

const Erased = Type.Object({
  caseNumber: Type.String(),
  deletedAt: Timestamp,
  withdrew: Type.Boolean({ description: 'True when the case was still open and was withdrawn by this deletion.' }),
  deleted: Type.Array(Type.String(), { description: 'What was deleted, in plain words.' }),
  kept: Type.Array(Kept, { description: 'What was kept, and why.' }),
});

/** The requester's own data (GDPR Art. 15 and 17): download it, or have it deleted. Case number + PIN. */
export default async function requesterDataRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { database, keys, clock, sharedCopies } = app.services;
  const ctx: RequesterContext = { database, keys, clock, sharedCopies };

  app.get(
    '/v1/cases/:caseNumber/personal-data',
    {
      schema: {
        summary: 'Download what is held about a case (GDPR Art. 15): JSON and a plain-language summary (PIN in the Takedown-Case-Pin header)',
        tags: ['requests'],
        params: CaseParams,
        headers: PinHeaders,
        response: { 200: PersonalData, ...errors(400, 404, 429) },
      },
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      onRequest: refusePinInUrl,
    },
    async (request, reply) => {
      const data = requesterAnswer(await exportPersonalData(ctx, requesterArgs(request.params, request.headers, request.ip)), clock.now());
      // A download: kept out of shared caches, saved under the case number.
      reply.header('cache-control', 'no-store');
      reply.header('content-disposition', `attachment; filename="takedown-${data.caseNumber}.json"`);
      return data;
    },
  );

  app.post(
    '/v1/cases/:caseNumber/personal-data/erase',
    {
      schema: {
        summary: 'Delete the personal data of a case now (GDPR Art. 17); an open case is withdrawn. Says what was kept and why.',
        tags: ['requests'],
        params: CaseParams,
        headers: PinHeaders,
        response: { 200: Erased, ...errors(400, 404, 413, 429) },
      },
      bodyLimit: NO_BODY_BYTES,
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      onRequest: refusePinInUrl,
    },
    async (request) => requesterAnswer(await erasePersonalDataOnRequest(ctx, requesterArgs(request.params, request.headers, request.ip)), clock.now()),
  );
}
