/**
 * `takedown doctor` with single sign-on set up: the provider's discovery document is read (a real oidc-provider
 * on 127.0.0.1), and a provider that cannot be reached is named with what to check.
 */
import { randomBytes } from 'node:crypto';
import { TestIdentityProvider } from '@takedown/testing/identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../helpers/backends.ts';
import { runCli } from '../helpers/run-cli.ts';

const CLI_TIMEOUT_MS = 180_000;

describe('takedown doctor with single sign-on (PGlite)', () => {
  let db: TestDatabase;
  let idp: TestIdentityProvider;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    idp = await TestIdentityProvider.listen();
    idp.register({ clientId: 'takedown', clientSecret: 'a client secret for the test provider only', redirectUri: 'http://127.0.0.1:3000/v1/staff/oidc/callback' });
    db = await backends[0].create();
    await db.database.close();
    env = {
      TAKEDOWN_DATA_DIR: db.dataDir,
      TAKEDOWN_SECRET_KEY: randomBytes(32).toString('base64'),
      TAKEDOWN_OIDC_ISSUER: idp.issuer,
      TAKEDOWN_OIDC_CLIENT_ID: 'takedown',
      TAKEDOWN_OIDC_REDIRECT_URL: 'http://127.0.0.1:3000/v1/staff/oidc/callback',
      TAKEDOWN_OIDC_ROLES: 'takedown-admins=admin',
    };
  });
  afterAll(async () => {
    await idp?.close();
    await db?.drop();
  });

  it('reads the provider\'s discovery document, and names a provider that does not answer', async () => {
    const good = await runCli(['doctor'], { env });
    expect(good.stdout).toContain(`ok    single sign-on: ${idp.issuer} answers; staff are sent to ${idp.issuer}/auth to sign in`);
    const bad = await runCli(['doctor'], { env: { ...env, TAKEDOWN_OIDC_ISSUER: 'http://127.0.0.1:9' } });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL {2}single sign-on: the identity provider's discovery document could not be read \(.+\)\. Check TAKEDOWN_OIDC_ISSUER/m);
  }, CLI_TIMEOUT_MS);
});
