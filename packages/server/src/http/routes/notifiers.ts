import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { normaliseCaseNumber } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { liftStanding, markUnfounded, notifierOfCase } from '../../services/notifier-safeguards.ts';
import { SMALL_BODY_BYTES } from '../body-limits.ts';
import { HttpError } from '../errors.ts';
import { errors, Timestamp } from '../schemas.ts';
import { FreeText, PlainText } from '../schemas/plain-text.ts';
import { actorOf, requireStaff, staffOf } from '../staff-auth.ts';
import { unwrapReview } from './review.ts';

const Params = Type.Object({ caseNumber: PlainText({ maxLength: 32 }) });
const ReasonBody = Type.Object({ reason: FreeText({ minLength: 1, maxLength: 2000, description: 'Required: why (kept in the audit log).' }) }, { additionalProperties: false });
const Notifier = Type.Object({
  unfoundedNotices: Type.Integer({ description: 'Manifestly unfounded notices from this notifier that count now (within the window, since any lift).' }),
  thisNoticeUnfounded: Type.Boolean(),
  warnedAt: Type.Optional(Timestamp),
  suspendedUntil: Type.Optional(Timestamp),
  step: Type.Optional(Type.String({ description: 'After marking: recorded, warning or suspension.' })),
  contest: Type.Optional(Type.Object({ at: Timestamp, statement: Type.Union([Type.String(), Type.Null()]) }, { description: "The notifier's open request for another look, in their words." })),
});

const NO_CASE = 'There is no case with this number.';

function caseNumberOf(raw: string): string {
  const caseNumber = normaliseCaseNumber(raw);
  if (!caseNumber) throw new HttpError(404, 'not_found', NO_CASE);
  return caseNumber;
}

function reasonOf(raw: string): string {
  const reason = raw.trim();
  if (reason === '') throw new HttpError(400, 'invalid_request', 'Please write why.', { field: 'reason', fields: [{ field: 'reason', code: 'required', message: 'Please write why.' }] });
  return reason;
}

/**
 * Notifier safeguards (DSA Art. 23) for senior staff: see the standing of the notifier behind a case, mark a
 * declined notice manifestly unfounded (which may warn, then suspend, the notifier), and lift a warning or a
 * suspension when the notifier contests it.
 */
export default async function notifierRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { database, keys, clock, config } = app.services;
  const safeguards = config.safeguards.notifiers;

  app.get(
    '/v1/review/cases/:caseNumber/notifier',
    {
      schema: { summary: 'The standing of the notifier behind a case (counts and dates only)', tags: ['review'], params: Params, response: { 200: Notifier, ...errors(400, 401, 403, 404) } },
      onRequest: requireStaff('judge_notifiers'),
    },
    async (request) => unwrapReview(await notifierOfCase(database, keys, clock, caseNumberOf(request.params.caseNumber), safeguards)),
  );

  app.post(
    '/v1/review/cases/:caseNumber/unfounded',
    {
      schema: { summary: 'Mark a declined notice manifestly unfounded (may warn, then suspend, its notifier)', tags: ['review'], params: Params, body: ReasonBody, response: { 200: Notifier, ...errors(400, 401, 403, 404, 409, 413) } },
      bodyLimit: SMALL_BODY_BYTES,
      onRequest: [app.csrfProtection, requireStaff('judge_notifiers')],
    },
    async (request) => unwrapReview(await markUnfounded(database, clock, actorOf(staffOf(request)), caseNumberOf(request.params.caseNumber), reasonOf(request.body.reason), safeguards)),
  );

  app.post(
    '/v1/review/cases/:caseNumber/notifier/lift',
    {
      schema: { summary: "Lift the warning or suspension of the notifier behind a case (the notifier's appeal)", tags: ['review'], params: Params, body: ReasonBody, response: { 200: Notifier, ...errors(400, 401, 403, 404, 409, 413) } },
      bodyLimit: SMALL_BODY_BYTES,
      onRequest: [app.csrfProtection, requireStaff('judge_notifiers')],
    },
    async (request) => unwrapReview(await liftStanding(database, clock, actorOf(staffOf(request)), caseNumberOf(request.params.caseNumber), reasonOf(request.body.reason)), NO_CASE),
  );
}
