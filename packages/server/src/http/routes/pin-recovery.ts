import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { normaliseCaseNumber, waitInWords } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { confirmPinReset, requestPinReset } from '../../services/pin-recovery.ts';
import { PIN_RESET_MINUTES } from '../../services/notifications.ts';
import { HttpError } from '../errors.ts';
import { guessFacts, waitBeforeGuessing } from '../guess-answers.ts';
import { errors } from '../schemas.ts';
import { PlainText, VisibleText } from '../schemas/plain-text.ts';
import { PIN_GUESSES } from './requests.ts';

const RecoveryRequest = Type.Object(
  {
    caseNumber: PlainText({ maxLength: 32, description: 'The case number, e.g. TD-7KQ4-M2XP.' }),
    email: VisibleText({ maxLength: 320, description: 'The email address given with the request.' }),
  },
  { additionalProperties: false },
);

const RecoveryConfirm = Type.Object(
  {
    caseNumber: PlainText({ maxLength: 32 }),
    code: PlainText({ maxLength: 32, description: 'The code from the message (spaces do not matter).' }),
  },
  { additionalProperties: false },
);

/** Said whether or not the case number and address matched. */
const SENT = `If the case number and the email address match, we have sent a code to that address. It works for ${PIN_RESET_MINUTES} minutes. It can take a few minutes to arrive; check your spam folder too.`;

const WRONG_CODE = `This code does not work for this case number. Codes work once, for ${PIN_RESET_MINUTES} minutes: you can ask for a new one.`;

/** A lost PIN, recovered through the contact address given with the request: no account, no PIN needed. */
export default async function pinRecoveryRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { database, keys, clock } = app.services;
  const ctx = { database, keys, clock };

  app.post(
    '/v1/pin-recovery',
    {
      schema: {
        summary: 'Ask for a code to set a new case PIN, sent to the email address given with the request',
        description: 'The answer is the same whether or not the case number and the address match.',
        tags: ['requests'],
        body: RecoveryRequest,
        response: {
          202: Type.Object({
            message: Type.String(),
            codeValidMinutes: Type.Integer({ minimum: 1, description: 'How long a code works, in minutes (for pages that word the answer in the reader\'s language).' }),
            triesBeforeWait: Type.Integer({ minimum: 1, description: 'Requests for a code that can still be made before one brings a wait, that one included (the same whether or not the address matched).' }),
            waitAfterTriesSeconds: Type.Integer({ minimum: 0, description: 'The wait the last of those requests brings.' }),
            retryAt: Type.Optional(Type.String({ format: 'date-time', description: 'Set when this request began a wait: no code can be asked for before this time.' })),
          }),
          ...errors(400, 429),
        },
      },
      config: { rateLimit: { max: 10, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const caseNumber = normaliseCaseNumber(request.body.caseNumber);
      // A malformed number matches no case: the same answer, after the same budget check.
      const result = await requestPinReset(ctx, { caseNumber: caseNumber ?? request.body.caseNumber.trim().toUpperCase(), email: request.body.email, client: request.ip });
      if (result.kind === 'locked') throw waitBeforeGuessing(result.until, clock.now(), 'requests for a code from this address for this case number');
      // Every request is charged before the address is compared: these facts are the same whether or not it matched.
      const warning = result.waitUntil
        ? ` To keep cases safe, the next request for a code from this address must wait until ${result.waitUntil.toISOString()}.`
        : result.triesBeforeWait === 1 && result.waitAfterTriesMs > 0
          ? ` You can ask for a code once more; after that you will have to wait ${waitInWords(result.waitAfterTriesMs)} before asking again.`
          : '';
      return reply.code(202).send({
        message: `${SENT}${warning}`,
        codeValidMinutes: PIN_RESET_MINUTES,
        triesBeforeWait: result.triesBeforeWait,
        waitAfterTriesSeconds: Math.ceil(result.waitAfterTriesMs / 1000),
        retryAt: result.waitUntil?.toISOString(),
      });
    },
  );

  app.post(
    '/v1/pin-recovery/confirm',
    {
      schema: {
        summary: 'Set a new case PIN with the code from the message; the new PIN is shown once',
        tags: ['requests'],
        body: RecoveryConfirm,
        response: { 200: Type.Object({ caseNumber: Type.String(), pin: Type.String({ description: 'Shown once, stored only as a keyed hash.' }) }), ...errors(400, 404, 429) },
      },
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
    },
    async (request) => {
      const caseNumber = normaliseCaseNumber(request.body.caseNumber);
      const code = request.body.code.replace(/[\s-]/g, '');
      if (!caseNumber || !/^\d{8}$/.test(code)) throw new HttpError(404, 'not_found', WRONG_CODE);
      const result = await confirmPinReset(ctx, { caseNumber, code, client: request.ip });
      if (result.kind === 'locked') throw waitBeforeGuessing(result.until, clock.now(), PIN_GUESSES);
      if (result.kind === 'not_found') {
        // As for a wrong PIN: a warning before a wait begins, and until when once it has.
        const warning = result.waitUntil
          ? ` To keep cases safe from guessing, the next try from this address must wait until ${result.waitUntil.toISOString()}.`
          : result.nextWaitMs > 0
            ? ` Check it carefully: one more wrong code and you will have to wait ${waitInWords(result.nextWaitMs)} before you can try again.`
            : '';
        throw new HttpError(404, 'not_found', `${WRONG_CODE}${warning}`, guessFacts(result));
      }
      return { caseNumber: result.caseNumber, pin: result.pin };
    },
  );
}
