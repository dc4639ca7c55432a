import { OidcSignIn, ProviderUnavailableError, type SingleSignOnSettings } from '../../net/oidc-sign-in.ts';
import { fail, ok, type Finding } from './finding.ts';

/**
 * With single sign-on set up, the provider's discovery document must be readable and name the configured
 * issuer: otherwise nobody signing in through it gets past the first redirect. Nothing is checked without it.
 */
export async function checkSingleSignOn(settings: SingleSignOnSettings | undefined): Promise<Finding[]> {
  if (!settings) return [];
  const check = 'single sign-on';
  try {
    const { url } = await new OidcSignIn(settings).start();
    return [ok(check, `${settings.issuer} answers; staff are sent to ${url.origin}${url.pathname} to sign in`)];
  } catch (error) {
    if (!(error instanceof ProviderUnavailableError)) throw error;
    return [fail(check, `${error.message}. Check TAKEDOWN_OIDC_ISSUER (it must be the issuer exactly as the provider's /.well-known/openid-configuration names it), DNS and the firewall.`)];
  }
}
