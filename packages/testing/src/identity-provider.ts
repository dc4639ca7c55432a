import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

/** A client registered at the test provider (the server under test). */
export interface TestClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/**
 * A real OpenID Connect provider (the `oidc-provider` package, certified by the OpenID Foundation) on
 * 127.0.0.1, for tests of single sign-on. Listening starts first so the issuer is known before the server under
 * test is configured; `register` then adds that server as a client. People sign in on its development login
 * form with any password; their claims come from `accounts` (change them between sign-ins to test role changes).
 * Consent is given without asking, as a provider does for a first-party client.
 */
export class TestIdentityProvider {
  readonly issuer: string;
  /** Login name → claims (besides `sub`, which is the login name). Unknown names cannot sign in. */
  readonly accounts = new Map<string, Record<string, unknown>>();
  readonly #server: Server;
  #provider?: Provider;

  private constructor(server: Server, issuer: string) {
    this.#server = server;
    this.issuer = issuer;
  }

  static async listen(): Promise<TestIdentityProvider> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const idp = new TestIdentityProvider(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (request, response) => {
      if (!idp.#provider) {
        response.writeHead(503).end('no client registered yet');
        return;
      }
      void idp.#provider.callback()(request, response);
    });
    return idp;
  }

  /** Starts answering, for this one client. */
  register(client: TestClient): void {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const accounts = this.accounts;
    const configuration: Configuration = {
      clients: [
        {
          client_id: client.clientId,
          client_secret: client.clientSecret,
          redirect_uris: [client.redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      claims: { openid: ['sub'], profile: ['preferred_username', 'name', 'groups'], email: ['email'] },
      jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' }] as never },
      cookies: { keys: ['a test provider cookie key'] },
      ttl: { Session: 3600, Interaction: 600, Grant: 3600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
      features: { devInteractions: { enabled: true } },
      pkce: { required: () => true },
      findAccount: (_ctx, id) => {
        const claims = accounts.get(id);
        return claims ? { accountId: id, claims: () => ({ sub: id, ...claims }) } : undefined;
      },
      loadExistingGrant: async (ctx) => {
        const accountId = ctx.oidc.session?.accountId;
        if (!accountId || !ctx.oidc.client) return undefined;
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId });
        grant.addOIDCScope('openid profile email');
        await grant.save();
        return grant;
      },
    };
    this.#provider = new Provider(this.issuer, configuration);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
