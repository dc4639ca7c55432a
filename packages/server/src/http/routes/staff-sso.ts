import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { OidcSignIn, ProviderUnavailableError, SignInRejectedError, type PendingSignIn } from '../../net/oidc-sign-in.ts';
import { recordRejectedSignIn, signInWithProvider } from '../../services/staff-sso.ts';
import { HttpError } from '../errors.ts';
import { errors } from '../schemas.ts';
import { SESSION_COOKIE, sessionCookieOptions } from '../staff-auth.ts';

/** The cookie that carries state, nonce and PKCE verifier to the callback: signed, short-lived, for the callback only. */
const PENDING_COOKIE = 'takedown_oidc';
const CALLBACK_PATH = '/v1/staff/oidc/callback';
// Lax, not strict: the provider sends the browser back with a top-level GET from its own site.
const pendingCookieOptions = { httpOnly: true, secure: true, sameSite: 'lax' as const, path: CALLBACK_PATH, signed: true };
const PENDING_MAX_AGE_SECONDS = 600;

/** Where the browser goes back to: the console, whose sign-in page explains a `signin` value when it did not work. */
const consoleWith = (outcome: string) => (outcome === 'ok' ? '/review' : `/review?signin=${outcome}`);

const SignInOptions = Type.Object({
  passwords: Type.Boolean({ description: 'Local accounts may sign in with a password.' }),
  provider: Type.Optional(
    Type.Object({ name: Type.String({ description: 'Shown as "Sign in with <name>".' }), startUrl: Type.String({ description: 'Open this address to sign in with the provider.' }) }),
  ),
});

function readPending(raw: unknown): PendingSignIn | undefined {
  try {
    const value = JSON.parse(Buffer.from(String(raw), 'base64url').toString('utf8')) as Partial<PendingSignIn>;
    return typeof value.state === 'string' && typeof value.nonce === 'string' && typeof value.codeVerifier === 'string'
      ? { state: value.state, nonce: value.nonce, codeVerifier: value.codeVerifier }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Staff single sign-on with an OpenID Connect provider (TAKEDOWN_OIDC_*): the console's sign-in page asks which
 * ways are open, `start` sends the browser to the provider, `callback` checks what comes back and opens a
 * session. The outcome is shown by the console's sign-in page; nothing about the person is logged.
 */
export default async function staffSsoRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { config, database, keys, clock } = app.services;
  const settings = config.staffSignIn.sso;
  const provider = settings ? new OidcSignIn(settings) : undefined;

  app.get(
    '/v1/staff/sign-in-options',
    { schema: { summary: 'How staff can sign in here', tags: ['staff'], response: { 200: SignInOptions } } },
    async () => ({
      passwords: config.staffSignIn.passwordsAllowed,
      ...(settings && { provider: { name: settings.providerName, startUrl: '/v1/staff/oidc/start' } }),
    }),
  );

  const noProvider = () => new HttpError(404, 'no_single_sign_on', 'Single sign-on is not set up on this deployment (TAKEDOWN_OIDC_ISSUER); sign in with your username and password.');

  app.get(
    '/v1/staff/oidc/start',
    {
      schema: { summary: 'Sign in with the identity provider (a redirect to it)', tags: ['staff'], response: { 302: Type.Null(), ...errors(404, 429, 503) } },
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
    },
    async (_request, reply) => {
      if (!provider) throw noProvider();
      let started: Awaited<ReturnType<OidcSignIn['start']>>;
      try {
        started = await provider.start();
      } catch (error) {
        if (error instanceof ProviderUnavailableError) {
          app.log.warn({ reason: error.message }, 'single sign-on: identity provider unavailable');
          throw new HttpError(503, 'provider_unavailable', `${provider.settings.providerName} cannot be reached just now. Try again in a minute; if it goes on, tell your administrator.`);
        }
        throw error;
      }
      const value = Buffer.from(JSON.stringify(started.pending)).toString('base64url');
      reply.setCookie(PENDING_COOKIE, value, { ...pendingCookieOptions, maxAge: PENDING_MAX_AGE_SECONDS });
      return reply.redirect(started.url.href, 302);
    },
  );

  app.get(
    CALLBACK_PATH,
    {
      schema: {
        summary: 'Where the identity provider sends the browser back (a redirect to the console)',
        tags: ['staff'],
        querystring: Type.Object({}, { additionalProperties: Type.String({ maxLength: 4096 }) }),
        response: { 303: Type.Null(), ...errors(400, 404, 429) },
      },
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      if (!provider || !settings) throw noProvider();
      const back = (outcome: string) => {
        reply.clearCookie(PENDING_COOKIE, pendingCookieOptions);
        return reply.redirect(consoleWith(outcome), 303);
      };
      const raw = request.cookies[PENDING_COOKIE];
      const unsigned = raw === undefined ? undefined : request.unsignCookie(raw);
      const pending = unsigned?.valid ? readPending(unsigned.value) : undefined;
      if (!pending) {
        await recordRejectedSignIn(database, clock, raw === undefined ? 'no sign-in was started in this browser, or it expired' : 'sign-in cookie altered');
        return back('expired');
      }
      const query = request.raw.url?.split('?')[1] ?? '';
      let identity: Awaited<ReturnType<OidcSignIn['finish']>>;
      try {
        identity = await provider.finish(query, pending);
      } catch (error) {
        if (error instanceof SignInRejectedError) {
          await recordRejectedSignIn(database, clock, error.reason);
          return back('failed');
        }
        if (error instanceof ProviderUnavailableError) {
          app.log.warn({ reason: error.message }, 'single sign-on: identity provider unavailable');
          return back('unavailable');
        }
        throw error;
      }
      const result = await signInWithProvider(database, keys, clock, identity, settings.roleMapping, config.sessionTtlMs);
      if (result.kind !== 'ok') return back('no-access');
      reply.setCookie(SESSION_COOKIE, result.token, { ...sessionCookieOptions, maxAge: Math.floor(config.sessionTtlMs / 1000) });
      return back('ok');
    },
  );
}
