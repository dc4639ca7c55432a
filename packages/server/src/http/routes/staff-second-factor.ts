import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { confirmTotpEnrolment, SecondFactorError, startTotpEnrolment } from '../../services/staff-second-factor.ts';
import { NO_BODY_BYTES, SMALL_BODY_BYTES } from '../body-limits.ts';
import { HttpError } from '../errors.ts';
import { errors } from '../schemas.ts';
import { requireStaffWhileEnrolling, staffOf } from '../staff-auth.ts';

/** The name authenticator apps show next to the code. */
const TOTP_ISSUER = 'takedown';

const STATUS: Record<SecondFactorError['code'], number> = { provider_account: 409, already_on: 409, not_started: 409, wrong_code: 400 };

function asHttp(error: unknown): unknown {
  return error instanceof SecondFactorError ? new HttpError(STATUS[error.code], error.code, error.message, error.code === 'wrong_code' ? { field: 'code' } : {}) : error;
}

/** A second factor for local staff accounts: an authenticator app (TOTP) and one-time recovery codes. */
export default async function staffSecondFactorRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { database, keys, clock } = app.services;

  app.post(
    '/v1/staff/second-factor/enrol',
    {
      schema: {
        summary: 'Start setting up an authenticator app',
        description: 'A new secret, not in force until confirmed with a code from the app. Starting again replaces an unconfirmed one.',
        tags: ['staff'],
        response: {
          200: Type.Object({
            uri: Type.String({ description: 'The otpauth:// address the app reads.' }),
            qrSvg: Type.String({ description: 'The same address as an SVG QR code.' }),
            secret: Type.String({ description: 'The secret in base32, for typing into an app by hand.' }),
          }),
          ...errors(401, 403, 409, 413),
        },
      },
      bodyLimit: NO_BODY_BYTES,
      onRequest: [app.csrfProtection, requireStaffWhileEnrolling()],
    },
    async (request) => {
      try {
        return await startTotpEnrolment(database, keys, staffOf(request), TOTP_ISSUER);
      } catch (error) {
        throw asHttp(error);
      }
    },
  );

  app.post(
    '/v1/staff/second-factor/confirm',
    {
      schema: {
        summary: 'Put the authenticator app in force with a code it shows',
        description: 'Answers ten one-time recovery codes, shown only this once.',
        tags: ['staff'],
        body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }), ...errors(400, 401, 403, 409, 413) },
      },
      bodyLimit: SMALL_BODY_BYTES,
      onRequest: [app.csrfProtection, requireStaffWhileEnrolling()],
      config: { rateLimit: { max: 10, timeWindow: 60_000 } },
    },
    async (request) => {
      try {
        return await confirmTotpEnrolment(database, keys, clock, staffOf(request), request.body.code);
      } catch (error) {
        throw asHttp(error);
      }
    },
  );
}
