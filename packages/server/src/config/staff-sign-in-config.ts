import { isRole, parseRoleMapping, type Role } from '@takedown/core';
import type { SingleSignOnSettings } from '../net/oidc-sign-in.ts';
import type { SettingsReader } from './settings-reader.ts';

/** How staff sign in: local passwords (with a second factor) and/or an OpenID Connect provider. */
export interface StaffSignInConfig {
  /** Local accounts may sign in with a password (TAKEDOWN_STAFF_PASSWORDS). */
  passwordsAllowed: boolean;
  /** Every local account must set up a second factor before doing anything else (TAKEDOWN_STAFF_REQUIRE_SECOND_FACTOR). */
  requireSecondFactor: boolean;
  /** Single sign-on (TAKEDOWN_OIDC_*); unset: none. */
  sso?: SingleSignOnSettings;
}

export const DEFAULT_STAFF_SIGN_IN: StaffSignInConfig = { passwordsAllowed: true, requireSecondFactor: false };

const OIDC_SETTINGS = [
  'TAKEDOWN_OIDC_CLIENT_ID',
  'TAKEDOWN_OIDC_CLIENT_SECRET',
  'TAKEDOWN_OIDC_REDIRECT_URL',
  'TAKEDOWN_OIDC_PROVIDER_NAME',
  'TAKEDOWN_OIDC_SCOPES',
  'TAKEDOWN_OIDC_ROLE_CLAIM',
  'TAKEDOWN_OIDC_ROLES',
  'TAKEDOWN_OIDC_DEFAULT_ROLE',
];

const LOOPBACK = ['127.0.0.1', '[::1]', 'localhost'];

/** An https URL, or http on this machine (a development provider); undefined and a problem otherwise. */
function readAddress(read: SettingsReader, name: string, example: string): URL | undefined {
  const raw = read.text(name)?.trim();
  if (raw === undefined) {
    read.problem(name, `${name} is needed for single sign-on (e.g. ${example}); unset TAKEDOWN_OIDC_ISSUER to turn single sign-on off.`);
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    // reported below
  }
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.includes(url.hostname))) || url.hash !== '') {
    read.problem(name, `${name} must be an https address such as ${example} (plain http only on this machine, for testing); got "${raw}".`);
    return undefined;
  }
  return url;
}

/** Reads TAKEDOWN_STAFF_PASSWORDS, TAKEDOWN_STAFF_REQUIRE_SECOND_FACTOR and TAKEDOWN_OIDC_*; problems go to `read`. */
export function readStaffSignInConfig(read: SettingsReader): StaffSignInConfig {
  const passwordsAllowed = read.flag('TAKEDOWN_STAFF_PASSWORDS', DEFAULT_STAFF_SIGN_IN.passwordsAllowed);
  const requireSecondFactor = read.flag('TAKEDOWN_STAFF_REQUIRE_SECOND_FACTOR', DEFAULT_STAFF_SIGN_IN.requireSecondFactor);
  const sso = read.text('TAKEDOWN_OIDC_ISSUER') === undefined ? undefined : readSingleSignOn(read);
  if (read.text('TAKEDOWN_OIDC_ISSUER') === undefined) {
    const stray = OIDC_SETTINGS.filter((name) => read.text(name) !== undefined);
    if (stray.length > 0) read.problem(stray[0], `${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} set but TAKEDOWN_OIDC_ISSUER is not: set the provider's issuer URL to turn single sign-on on, or unset ${stray.length === 1 ? 'it' : 'them'}.`);
    if (!passwordsAllowed) read.problem('TAKEDOWN_STAFF_PASSWORDS', 'TAKEDOWN_STAFF_PASSWORDS=0 turns passwords off, but single sign-on is not set up (TAKEDOWN_OIDC_ISSUER): nobody could sign in. Set up single sign-on first, or unset TAKEDOWN_STAFF_PASSWORDS.');
  }
  return { passwordsAllowed, requireSecondFactor, ...(sso && { sso }) };
}

function readSingleSignOn(read: SettingsReader): SingleSignOnSettings | undefined {
  const issuer = readAddress(read, 'TAKEDOWN_OIDC_ISSUER', 'https://login.example.org/realms/staff');
  const redirect = readAddress(read, 'TAKEDOWN_OIDC_REDIRECT_URL', 'https://takedown.example.org/v1/staff/oidc/callback');
  if (redirect && redirect.pathname !== '/v1/staff/oidc/callback') {
    read.problem('TAKEDOWN_OIDC_REDIRECT_URL', `TAKEDOWN_OIDC_REDIRECT_URL must end in /v1/staff/oidc/callback (this server's address, as registered at the provider); got "${redirect.href}".`);
  }
  const clientId = read.text('TAKEDOWN_OIDC_CLIENT_ID')?.trim();
  if (!clientId) read.problem('TAKEDOWN_OIDC_CLIENT_ID', 'TAKEDOWN_OIDC_CLIENT_ID is needed for single sign-on: the client id this server was registered with at the provider.');
  const scopes = (read.text('TAKEDOWN_OIDC_SCOPES') ?? 'openid profile email').trim().split(/\s+/);
  if (!scopes.includes('openid')) read.problem('TAKEDOWN_OIDC_SCOPES', `TAKEDOWN_OIDC_SCOPES must include openid (e.g. "openid profile email"); got "${scopes.join(' ')}".`);
  const claim = read.text('TAKEDOWN_OIDC_ROLE_CLAIM')?.trim() ?? 'groups';
  const rolesText = read.text('TAKEDOWN_OIDC_ROLES');
  const mapping = rolesText === undefined ? { problem: 'it is not set' } : parseRoleMapping(rolesText);
  if ('problem' in mapping) {
    read.problem('TAKEDOWN_OIDC_ROLES', `TAKEDOWN_OIDC_ROLES must list claim-value=role pairs, most powerful first (e.g. takedown-admins=admin,takedown-reviewers=reviewer): ${mapping.problem}.`);
  }
  const defaultText = read.text('TAKEDOWN_OIDC_DEFAULT_ROLE')?.trim();
  let defaultRole: Role | undefined;
  if (defaultText !== undefined) {
    if (isRole(defaultText)) defaultRole = defaultText;
    else read.problem('TAKEDOWN_OIDC_DEFAULT_ROLE', `TAKEDOWN_OIDC_DEFAULT_ROLE must be reviewer, senior, admin or auditor (or unset: people with no mapped role are refused); got "${defaultText}".`);
  }
  if (!issuer || !redirect || !clientId || 'problem' in mapping) return undefined;
  const clientSecret = read.text('TAKEDOWN_OIDC_CLIENT_SECRET')?.trim();
  return {
    // As written: the provider's discovery document must name exactly this issuer.
    issuer: read.text('TAKEDOWN_OIDC_ISSUER')!.trim(),
    clientId,
    ...(clientSecret && { clientSecret }),
    redirectUrl: redirect.href,
    providerName: read.text('TAKEDOWN_OIDC_PROVIDER_NAME')?.trim() ?? issuer.host,
    scopes: scopes.join(' '),
    roleMapping: { claim, pairs: mapping.pairs, ...(defaultRole && { defaultRole }) },
  };
}
