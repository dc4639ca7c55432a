import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { login, logout } from '../../services/staff.ts';
import { HttpError } from '../errors.ts';
import { waitBeforeGuessing } from '../guess-answers.ts';
import { errors, Uuid } from '../schemas.ts';
import { NO_BODY_BYTES, SMALL_BODY_BYTES } from '../body-limits.ts';
import { PlainText } from '../schemas/plain-text.ts';
import { requireStaff, SESSION_COOKIE, sessionCookieOptions, staffOf } from '../staff-auth.ts';

const Me = Type.Object({
  user: Type.Object({ id: Uuid, username: Type.String(), role: Type.String(), demo: Type.Boolean() }),
  csrfToken: Type.String({ description: 'Send it back in the x-csrf-token header with every staff POST.' }),
  demoData: Type.Boolean({ description: 'The server was started with demo data (takedown serve --demo): the console says so on every page.' }),
});

/** Staff sign-in: argon2id passwords, an HTTP-only secure session cookie, and a CSRF token for POSTs. */
export default async function staffRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { config, database, keys, clock } = app.services;

  app.post(
    '/v1/staff/login',
    {
      schema: {
        summary: 'Sign in as staff',
        tags: ['staff'],
        body: Type.Object({ username: PlainText({ maxLength: 64 }), password: Type.String({ maxLength: 1024 }) }, { additionalProperties: false }),
        response: { 200: Me, ...errors(400, 401, 413, 429) },
      },
      bodyLimit: SMALL_BODY_BYTES,
      config: { rateLimit: { max: 10, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const session = await login(database, keys, clock, { username, password, sessionTtlMs: config.sessionTtlMs });
      if (session.kind === 'throttled') throw waitBeforeGuessing(session.until, clock.now(), 'wrong passwords for this account');
      if (session.kind === 'wrong') throw new HttpError(401, 'wrong_credentials', 'Wrong username or password.');
      reply.setCookie(SESSION_COOKIE, session.token, { ...sessionCookieOptions, maxAge: Math.floor(config.sessionTtlMs / 1000) });
      return { user: session.user, csrfToken: reply.generateCsrf(), demoData: config.demoData };
    },
  );

  app.post(
    '/v1/staff/logout',
    {
      schema: { summary: 'Sign out', tags: ['staff'], response: { 204: Type.Null(), ...errors(401, 403, 413) } },
      bodyLimit: NO_BODY_BYTES,
      onRequest: [app.csrfProtection, requireStaff()],
    },
    async (request, reply) => {
      await logout(database, keys, clock, request.cookies[SESSION_COOKIE]!, staffOf(request));
      reply.clearCookie(SESSION_COOKIE, sessionCookieOptions);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/staff/me',
    { schema: { summary: 'Who is signed in (and a fresh CSRF token)', tags: ['staff'], response: { 200: Me, ...errors(401) } }, onRequest: requireStaff() },
    async (request, reply) => ({ user: staffOf(request), csrfToken: reply.generateCsrf(), demoData: config.demoData }),
  );
}
