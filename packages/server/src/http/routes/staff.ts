import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { login, logout } from '../../services/staff.ts';
import { secondFactorState } from '../../services/staff-second-factor.ts';
import { HttpError } from '../errors.ts';
import { waitBeforeGuessing } from '../guess-answers.ts';
import { errors, Uuid } from '../schemas.ts';
import { NO_BODY_BYTES, SMALL_BODY_BYTES } from '../body-limits.ts';
import { PlainText } from '../schemas/plain-text.ts';
import { requireStaffWhileEnrolling, SESSION_COOKIE, sessionCookieOptions, staffOf } from '../staff-auth.ts';

const Me = Type.Object({
  user: Type.Object({ id: Uuid, username: Type.String(), role: Type.String(), demo: Type.Boolean() }),
  csrfToken: Type.String({ description: 'Send it back in the x-csrf-token header with every staff POST.' }),
  demoData: Type.Boolean({ description: 'The server was started with demo data (takedown serve --demo): the console says so on every page.' }),
  secondFactor: Type.Union([Type.Literal('on'), Type.Literal('off'), Type.Literal('provider')], {
    description: 'on: an authenticator app is set up; off: none; provider: the account signs in through the identity provider, which asks for it.',
  }),
  mustSetUpSecondFactor: Type.Boolean({ description: 'This deployment requires a second factor and this account has none yet: the session may only set it up.' }),
});

/** Staff sign-in: argon2id passwords, an HTTP-only secure session cookie, and a CSRF token for POSTs. */
export default async function staffRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { config, database, keys, clock } = app.services;
  const { passwordsAllowed, requireSecondFactor } = config.staffSignIn;
  const me = async (user: { id: string; username: string; role: string; demo: boolean }, enrolmentOnly: boolean, csrfToken: string) => ({
    user,
    csrfToken,
    demoData: config.demoData,
    secondFactor: await secondFactorState(database, user.id),
    mustSetUpSecondFactor: enrolmentOnly,
  });

  app.post(
    '/v1/staff/login',
    {
      schema: {
        summary: 'Sign in as staff',
        tags: ['staff'],
        body: Type.Object(
          {
            username: PlainText({ maxLength: 64 }),
            password: Type.String({ maxLength: 1024 }),
            code: Type.Optional(Type.String({ maxLength: 32, description: 'The six digits of the authenticator app, or a recovery code, for an account with a second factor.' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Me, ...errors(400, 401, 403, 413, 429) },
      },
      bodyLimit: SMALL_BODY_BYTES,
      config: { rateLimit: { max: 10, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const { username, password, code } = request.body;
      const session = await login(database, keys, clock, { username, password, code, sessionTtlMs: config.sessionTtlMs, passwordsAllowed, requireSecondFactor });
      switch (session.kind) {
        case 'throttled':
          throw waitBeforeGuessing(session.until, clock.now(), 'wrong passwords or codes for this account');
        case 'wrong':
          throw new HttpError(401, 'wrong_credentials', 'Wrong username or password.');
        case 'second_factor_needed':
          throw new HttpError(401, 'second_factor_needed', 'Type the code your authenticator app shows, or one of your recovery codes.', { field: 'code' });
        case 'wrong_second_factor':
          throw new HttpError(401, 'wrong_second_factor', 'That code is not right, or was used already. Type the code your app shows now, or an unused recovery code.', { field: 'code' });
        case 'passwords_off':
          throw new HttpError(403, 'passwords_off', `Staff sign in with ${config.staffSignIn.sso?.providerName ?? 'the identity provider'} here (GET /v1/staff/oidc/start), not with a password.`);
      }
      reply.setCookie(SESSION_COOKIE, session.token, { ...sessionCookieOptions, maxAge: Math.floor(config.sessionTtlMs / 1000) });
      return me(session.user, session.enrolmentOnly, reply.generateCsrf());
    },
  );

  app.post(
    '/v1/staff/logout',
    {
      schema: { summary: 'Sign out', tags: ['staff'], response: { 204: Type.Null(), ...errors(401, 403, 413) } },
      bodyLimit: NO_BODY_BYTES,
      onRequest: [app.csrfProtection, requireStaffWhileEnrolling()],
    },
    async (request, reply) => {
      await logout(database, keys, clock, request.cookies[SESSION_COOKIE]!, staffOf(request));
      reply.clearCookie(SESSION_COOKIE, sessionCookieOptions);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/staff/me',
    { schema: { summary: 'Who is signed in (and a fresh CSRF token)', tags: ['staff'], response: { 200: Me, ...errors(401) } }, onRequest: requireStaffWhileEnrolling() },
    async (request, reply) => {
      const user = staffOf(request);
      return me(user, user.enrolmentOnly, reply.generateCsrf());
    },
  );
}
