import { can, type Action } from '@takedown/core';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { sessionUser, staffActor, type StaffUser } from '../services/staff.ts';
import { HttpError } from './errors.ts';

export const SESSION_COOKIE = 'takedown_session';

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffUser;
  }
}

/** Cookie settings for the staff session: not readable by scripts, HTTPS only, never sent cross-site. */
export const sessionCookieOptions = { httpOnly: true, secure: true, sameSite: 'strict' as const, path: '/' };

/** The signed-in staff member, or 401. */
export function staffOf(request: FastifyRequest): StaffUser {
  if (!request.staff) throw new HttpError(401, 'not_signed_in', 'Sign in as staff first (POST /v1/staff/login).');
  return request.staff;
}

/**
 * An onRequest hook that requires a staff session and, when actions are given, a role allowed at least one of
 * them (core's permission table decides). It runs before the body is read, so nobody without a session can
 * make the server read or parse one.
 */
export function requireStaff(...actions: Action[]): onRequestAsyncHookHandler {
  return async function (this: unknown, request: FastifyRequest) {
    const token = request.cookies[SESSION_COOKIE];
    const { database, keys, clock } = request.server.services;
    const user = token ? await sessionUser(database, keys, clock.now(), token) : undefined;
    if (!user) throw new HttpError(401, 'not_signed_in', 'Sign in as staff first (POST /v1/staff/login); your session may have expired.');
    if (actions.length > 0 && !actions.some((action) => can(user.role, action))) {
      throw new HttpError(403, 'forbidden', `Your role (${user.role}) may not do this.`);
    }
    request.staff = user;
  };
}

export function actorOf(user: StaffUser): { userId: string; actor: string; seesSenior: boolean } {
  return { userId: user.id, actor: staffActor(user), seesSenior: can(user.role, 'view_senior_queue') };
}
