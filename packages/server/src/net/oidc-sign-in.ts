import * as client from 'openid-client';
import type { RoleMapping } from '@takedown/core';

/** How this deployment signs staff in through an OpenID Connect provider (TAKEDOWN_OIDC_*). */
export interface SingleSignOnSettings {
  /** The issuer URL; its `/.well-known/openid-configuration` is read at the first sign-in. */
  issuer: string;
  clientId: string;
  /** Unset: a public client (PKCE only). */
  clientSecret?: string;
  /** This server's `/v1/staff/oidc/callback`, exactly as registered at the provider. */
  redirectUrl: string;
  /** Shown on the sign-in button: "Sign in with <providerName>". */
  providerName: string;
  scopes: string;
  roleMapping: RoleMapping;
}

/** What the browser keeps (in a signed cookie) between leaving for the provider and coming back. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Who the provider says signed in: its issuer and subject (the identity), a name to show, and the claims. */
export interface ProviderIdentity {
  issuer: string;
  subject: string;
  preferredUsername?: string;
  claims: Record<string, unknown>;
}

/** The provider cannot be reached or its discovery document is unusable: try again later. */
export class ProviderUnavailableError extends Error {}

/** The answer coming back is not one this server asked for (state, nonce, PKCE, signature) or the provider refused. */
export class SignInRejectedError extends Error {
  /** A short reason without personal data, for the audit log. */
  readonly reason: string;
  constructor(reason: string) {
    super(`single sign-on refused: ${reason}`);
    this.reason = reason;
  }
}

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
}

/**
 * The authorization code flow with PKCE (S256), state and nonce, on openid-client. Discovery happens at the
 * first use and is kept; when it fails the next sign-in tries again. Plain HTTP is allowed for a provider on
 * this machine only (a test or development provider); configuration refuses it elsewhere.
 */
export class OidcSignIn {
  readonly settings: SingleSignOnSettings;
  #discovered?: Promise<client.Configuration>;

  constructor(settings: SingleSignOnSettings) {
    this.settings = settings;
  }

  #configuration(): Promise<client.Configuration> {
    if (!this.#discovered) {
      const issuer = new URL(this.settings.issuer);
      const auth = this.settings.clientSecret ? client.ClientSecretBasic(this.settings.clientSecret) : client.None();
      this.#discovered = client
        .discovery(issuer, this.settings.clientId, undefined, auth, isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined)
        .catch((error: unknown) => {
          this.#discovered = undefined;
          throw new ProviderUnavailableError(`the identity provider's discovery document could not be read (${(error as Error).message})`);
        });
    }
    return this.#discovered;
  }

  /** Where to send the browser, and what to keep until it comes back. */
  async start(): Promise<{ url: URL; pending: PendingSignIn }> {
    const configuration = await this.#configuration();
    const pending: PendingSignIn = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings.redirectUrl,
      scope: this.settings.scopes,
      response_type: 'code',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, pending };
  }

  /**
   * Checks the provider's answer (the callback's query string) against what was kept, exchanges the code, checks
   * the ID token, and reads the claims: the ID token's, completed from the userinfo endpoint when the role claim
   * is not in the token (Keycloak and others put groups there only).
   */
  async finish(callbackQuery: string, pending: PendingSignIn): Promise<ProviderIdentity> {
    const configuration = await this.#configuration();
    const callback = new URL(this.settings.redirectUrl);
    callback.search = callbackQuery;
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(configuration, callback, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw rejection(error);
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw new SignInRejectedError('no ID token');
    let claims: Record<string, unknown> = { ...idClaims };
    const roleClaim = this.settings.roleMapping.claim;
    if (!(roleClaim in claims) && configuration.serverMetadata().userinfo_endpoint) {
      try {
        claims = { ...(await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub)), ...claims };
      } catch (error) {
        throw rejection(error);
      }
    }
    // Google gives no preferred_username; its e-mail address is the name staff know each other by.
    const preferred = claims.preferred_username ?? claims.email;
    return { issuer: idClaims.iss, subject: idClaims.sub, preferredUsername: typeof preferred === 'string' ? preferred : undefined, claims };
  }
}

/** A refusal (state, nonce, PKCE, signature, the provider's own error) or, for network trouble, unavailability. */
function rejection(error: unknown): Error {
  if (error instanceof client.AuthorizationResponseError) return new SignInRejectedError(`the provider answered ${error.error}`);
  // fetch fails with a TypeError when the provider cannot be reached; openid-client's own checks throw its errors.
  if (error instanceof TypeError && !(error instanceof client.ClientError)) return new ProviderUnavailableError(`the identity provider could not be reached (${error.message})`);
  return new SignInRejectedError((error as Error).message);
}
