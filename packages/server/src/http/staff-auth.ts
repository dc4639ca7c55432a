import { can, type Action } from '@takedown/core';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { sessionUser, staffActor, type SignedInStaff, type StaffUser } from '../services/staff.ts';
import { HttpError } from './errors.ts';

export const SESSION_COOKIE = 'takedown_session';

declare module 'fastify' {
  interface FastifyRequest {
    staff?: SignedInStaff;
  }
}

/** Cookie settings for the staff session: not readable by scripts, HTTPS only, never sent cross-site. */
export const sessionCookieOptions = { httpOnly: true, secure: true, sameSite: 'strict' as const, path: '/' };

/** The signed-in staff member, or 401. */
export function staffOf(request: FastifyRequest): SignedInStaff {
  if (!request.staff) throw new HttpError(401, 'not_signed_in', 'Sign in as staff first (POST /v1/staff/login).');
  return request.staff;
}

/**
 * An onRequest hook that requires a staff session and, when actions are given, a role allowed at least one of
 * them (core's permission table decides). It runs before the body is read, so nobody without a session can
 * make the server read or parse one. A session that must first set up a second factor may do nothing else.
 */
export function requireStaff(...actions: Action[]): onRequestAsyncHookHandler {
  return staffHook(actions, false);
}

/** Like requireStaff() with no action, for the few calls a session may make before its required second factor is set up. */
export function requireStaffWhileEnrolling(): onRequestAsyncHookHandler {
  return staffHook([], true);
}

function staffHook(actions: Action[], whileEnrolling: boolean): onRequestAsyncHookHandler {
  return async function (this: unknown, request: FastifyRequest) {
    const token = request.cookies[SESSION_COOKIE];
    const { database, keys, clock } = request.server.services;
    const user = token ? await sessionUser(database, keys, clock.now(), token) : undefined;
    if (!user) throw new HttpError(401, 'not_signed_in', 'Sign in as staff first (POST /v1/staff/login); your session may have expired.');
    if (user.enrolmentOnly && !whileEnrolling) {
      throw new HttpError(403, 'second_factor_required', 'Set up your second factor first (POST /v1/staff/second-factor/enrol): this deployment requires one.');
    }
    if (actions.length > 0 && !actions.some((action) => can(user.role, action))) {
      throw new HttpError(403, 'forbidden', `Your role (${user.role}) may not do this.`);
    }
    request.staff = user;
  };
}

export function actorOf(user: StaffUser): { userId: string; actor: string; seesSenior: boolean } {
  return { userId: user.id, actor: staffActor(user), seesSenior: can(user.role, 'view_senior_queue') };
}
