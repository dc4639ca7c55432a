import { randomBytes } from 'node:crypto';
import { validateRemovalRequest, type Clock, type RemovalRequestInput } from '@takedown/core';

/** Distinctive PII, so a search of a database dump finds it if it were stored in clear. */
export const PII = {
  name: 'Zelda Quintessa Marchetti',
  email: 'zelda.marchetti.pii@example.org',
  phone: '+14155550123',
  statement: 'UNMISTAKABLE-STATEMENT shared without my consent by a former partner',
  representativeName: 'Octavia Brightwater',
};

/** A valid request body as a browser would send it. */
export function requestBody(overrides: Partial<RemovalRequestInput> = {}, signedAt = new Date()): RemovalRequestInput {
  return {
    requester: { role: 'self', fullName: PII.name },
    contact: { email: PII.email, phone: PII.phone },
    goodFaith: { affirmed: true, statement: PII.statement },
    signature: { fullName: PII.name, signedAt: signedAt.toISOString(), statement: 'I believe in good faith that this depiction was published without my consent.' },
    items: [{ url: 'https://platform.example.com/p/123', hashes: { md5: randomBytes(16).toString('hex'), sha256: randomBytes(32).toString('hex') } }],
    ...overrides,
  };
}

/** The same, validated by core (as the HTTP route does) for calling the store directly. */
export function validRequest(clock: Clock, overrides: Partial<RemovalRequestInput> = {}): RemovalRequestInput {
  const result = validateRemovalRequest(requestBody(overrides, clock.now()), { clock });
  if (!result.ok) throw new Error(`fixture invalid: ${JSON.stringify(result.errors)}`);
  return result.request;
}
