import { MINUTE_MS } from './clock.ts';

/**
 * Size limits for a removal request. Generous enough for any real request, small enough that one request
 * cannot fill the database or a reviewer's screen. The HTTP layer can use the same numbers in its schema.
 */
export interface RequestLimits {
  /** Items in one request, and in one case after additions. */
  maxItems: number;
  /** Names: the requester, the person depicted, the signer, a relationship. */
  maxNameLength: number;
  /** Free text: the good-faith statement, the signed statement. */
  maxStatementLength: number;
  maxUrlLength: number;
  /** RFC 5321's limit on a forward path. */
  maxEmailLength: number;
  /** How far in the future a signature time may be before we call it wrong (device clocks drift). */
  signatureFutureSkewMs: number;
}

export const DEFAULT_REQUEST_LIMITS: Readonly<RequestLimits> = Object.freeze({
  maxItems: 100,
  maxNameLength: 200,
  maxStatementLength: 5000,
  maxUrlLength: 2048,
  maxEmailLength: 254,
  signatureFutureSkewMs: 5 * MINUTE_MS,
});
