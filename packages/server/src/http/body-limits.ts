import type { FastifyRequest } from 'fastify';

/**
 * How large a body each route reads, sized for what it takes: a route declares `bodyLimit` with one of these
 * (or a limit from the configuration: removal requests, pictures, a JSON check or content entry), and a body
 * announced or sent larger is a 413 that says the limit, before any of it is parsed. Routes that name none get
 * the server's fallback, TAKEDOWN_BODY_LIMIT_BYTES.
 */

/** A call that takes no body (sign out, withdraw, unblur): room for an empty JSON object and nothing more. */
export const NO_BODY_BYTES = 1024;

/**
 * A few short fields: sign-in (a 1 024-character password), a decision with its 2 000-character note, bank
 * settings, a webhook address, a removal time. Four bytes a character, the most UTF-8 takes, and room to spare.
 */
export const SMALL_BODY_BYTES = 16 * 1024;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a route says instead of the plain 413, for the people who read it, given the limit in words. */
    bodyTooLarge?: (limit: string) => string;
  }
}

/** A byte count as people read it: "16 KB", "4 MB", "20 MB". */
export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** The 413 message for a body over the route's limit: the route's own words, or the plain ones, with the limit. */
export function bodyTooLargeMessage(request: FastifyRequest): string {
  const limit = describeBytes(request.routeOptions.bodyLimit ?? 0);
  const own = request.routeOptions.config?.bodyTooLarge;
  return own ? own(limit) : `The request body is larger than ${limit}, the most this address takes. Send fewer or shorter fields.`;
}
