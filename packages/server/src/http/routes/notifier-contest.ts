import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { contestStanding } from '../../services/notifier-contest.ts';
import { SMALL_BODY_BYTES } from '../body-limits.ts';
import { HttpError } from '../errors.ts';
import { errors, Timestamp } from '../schemas.ts';
import { FreeText } from '../schemas/plain-text.ts';
import { CaseParams, PinHeaders, refusePinInUrl, requesterArgs, requesterAnswer } from './requests.ts';

const ContestBody = Type.Object(
  { statement: FreeText({ minLength: 1, maxLength: 5000, description: 'Why the warning or suspension is wrong, in your own words. Only a senior reviewer reads it.' }) },
  { additionalProperties: false },
);

/**
 * A warned or suspended notifier asks for another look (DSA Art. 23), with the case number and PIN of one of
 * their requests. A senior reviewer reads it beside the notifier's standing and can lift it.
 */
export default async function notifierContestRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { database, keys, clock, sharedCopies } = app.services;
  app.post(
    '/v1/cases/:caseNumber/contest',
    {
      schema: {
        summary: 'Ask for another look at a warning or suspension for unfounded requests (PIN in the Takedown-Case-Pin header)',
        tags: ['requests'],
        params: CaseParams,
        headers: PinHeaders,
        body: ContestBody,
        response: { 200: Type.Object({ contestedAt: Timestamp }), ...errors(400, 404, 409, 413, 429) },
      },
      bodyLimit: SMALL_BODY_BYTES,
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      onRequest: refusePinInUrl,
    },
    async (request) => {
      const statement = request.body.statement.trim();
      if (statement === '') throw new HttpError(400, 'invalid_request', 'Please tell us, in a few words, why you think this is wrong.', { field: 'statement', fields: [{ field: 'statement', code: 'required', message: 'Please tell us, in a few words, why you think this is wrong.' }] });
      const result = await contestStanding({ database, keys, clock, sharedCopies }, requesterArgs(request.params, request.headers, request.ip), statement);
      if (result.kind === 'nothing_to_contest') throw new HttpError(409, 'nothing_to_contest', 'There is no warning or suspension on your requests, so there is nothing to look at again.');
      if (result.kind === 'already_contested') throw new HttpError(409, 'already_contested', 'You already asked us to look again. A senior reviewer will look at it; you do not need to ask twice.');
      return requesterAnswer(result, clock.now());
    },
  );
}
