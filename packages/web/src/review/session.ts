/**
 * The staff session in the console: who is signed in, their role, and the CSRF token every state-changing call
 * carries (the session itself is an HTTP-only cookie the page never sees).
 */
import { can, type Role } from '@takedown/core';
import { api, type ApiOptions } from '../shared/api.ts';

export type StaffRole = Role;

export interface StaffSession {
  user: { username: string; role: StaffRole; demo?: boolean };
  csrfToken: string;
  /** The server runs with demo data (`takedown serve --demo`): every console page says so. */
  demoData?: boolean;
  /** on / off: a local account's authenticator app; provider: the identity provider signs this account in. */
  secondFactor?: 'on' | 'off' | 'provider';
  /** The deployment requires a second factor and this account has none yet: the console shows only its set-up. */
  mustSetUpSecondFactor?: boolean;
}

/** The ways staff can sign in here (local passwords, an identity provider). */
export interface SignInOptions {
  passwords: boolean;
  provider?: { name: string; startUrl: string };
}

export function signInOptions(): Promise<SignInOptions> {
  return api<SignInOptions>('/v1/staff/sign-in-options');
}

/** What each role may do. The server enforces it; the console only hides what a role cannot use. */
export function permissionsOf(role: StaffRole) {
  return {
    review: can(role, 'view_standard_queue') && can(role, 'view_case'),
    decide: can(role, 'decide_item'),
    decideEscalated: can(role, 'decide_escalated_item'),
    unblur: can(role, 'unblur_media'),
    seniorQueue: can(role, 'view_senior_queue'),
    appeals: can(role, 'decide_appeal'),
    judgeNotifiers: can(role, 'judge_notifiers'),
    notices: can(role, 'enter_regulator_notice'),
    audit: can(role, 'read_audit'),
    compliance: can(role, 'read_reports'),
    exports: can(role, 'create_export'),
  };
}
export type Permissions = ReturnType<typeof permissionsOf>;

let csrfToken = '';

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** A call as the signed-in staff member: adds the CSRF header to anything that is not a GET. */
export function staffApi<T>(path: string, options: ApiOptions = {}): Promise<T> {
  const method = options.method ?? (options.body !== undefined ? 'POST' : 'GET');
  const headers = method === 'GET' ? options.headers : { ...options.headers, 'x-csrf-token': csrfToken };
  return api<T>(path, { ...options, method, headers });
}

export async function currentSession(): Promise<StaffSession | undefined> {
  try {
    const session = await api<StaffSession>('/v1/staff/me');
    setCsrfToken(session.csrfToken);
    return session;
  } catch {
    return undefined;
  }
}

/** Signs in with a password and, for an account with a second factor, the app's code or a recovery code. */
export async function signIn(username: string, password: string, code?: string): Promise<StaffSession> {
  const session = await api<StaffSession>('/v1/staff/login', { method: 'POST', body: { username, password, ...(code !== undefined && { code }) } });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function signOut(): Promise<void> {
  await staffApi('/v1/staff/logout', { method: 'POST', body: {} }).catch(() => undefined);
  setCsrfToken('');
}

/** The CSRF token of the current session, for calls made outside staffApi (byte downloads). */
export function csrfTokenNow(): string {
  return csrfToken;
}
