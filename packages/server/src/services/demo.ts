import { randomBytes } from 'node:crypto';
import { validateRemovalRequest, type Clock, type RemovalRequestInput } from '@takedown/core';
import { createStaffUser, findStaffUser } from './staff.ts';
import type { Keys } from '../crypto/keys.ts';
import type { OpenDatabase } from '../store/database.ts';
import { submitRequest } from './intake.ts';

export const DEMO_ADMIN = 'demo-admin';

/** Fictional requests, clearly marked: names say "Demo", URLs use example.com (reserved, RFC 2606). */
function demoRequests(now: Date): RemovalRequestInput[] {
  const signedAt = now.toISOString();
  const base = (n: number, items: RemovalRequestInput['items'], jurisdiction = 'US'): RemovalRequestInput => ({
    jurisdiction,
    requester: { role: 'self', fullName: `Demo Person ${n} (demo data)` },
    contact: { email: `demo${n}@example.com` },
    goodFaith: { affirmed: true, statement: 'DEMO DATA: this case is fictional and exists to show the review console.' },
    signature: { fullName: `Demo Person ${n} (demo data)`, signedAt, statement: 'I believe in good faith that this was shared without my consent. (demo)' },
    items,
  });
  return [
    base(1, [{ url: 'https://platform.example.com/demo/photo/1001' }]),
    base(2, [{ url: 'https://platform.example.com/demo/photo/2001', hashes: { pdq: 'f'.repeat(16) + '0'.repeat(48), pdqQuality: 90, sha256: 'a'.repeat(64) } }]),
    base(3, [{ url: 'https://platform.example.com/demo/video/3001', mediaType: 'video', publicInterest: true }], 'AU'),
  ];
}

/** What demo data a start made: the demo admin's password only when the account was made now, else undefined. */
export interface DemoData {
  username: string;
  password?: string;
  casesCreated: number;
}

/**
 * Demo data, only when asked for (`takedown serve --demo`): the demo admin, made once with a random password
 * that is printed that once (never reset or shown on later starts; `takedown user reset-password demo-admin`
 * sets a new one), and three demo cases on first start. Everything is marked `demo` in the database; the
 * compliance report leaves demo cases out.
 */
export async function ensureDemoData(database: OpenDatabase, keys: Keys, clock: Clock): Promise<DemoData> {
  let password: string | undefined;
  if (!(await findStaffUser(database, DEMO_ADMIN))) {
    password = randomBytes(12).toString('base64url');
    await createStaffUser(database, clock, { username: DEMO_ADMIN, role: 'admin', password, demo: true }, 'system');
  }
  const existing = await database.transaction((tx) => tx.selectFrom('cases').select('id').where('demo', '=', true).limit(1).execute());
  let casesCreated = 0;
  if (existing.length === 0) {
    for (const input of demoRequests(clock.now())) {
      const valid = validateRemovalRequest(input, { clock });
      if (!valid.ok) throw new Error(`Demo request is invalid: ${valid.errors.map((e) => e.message).join(' ')}`);
      await submitRequest(database, keys, clock, valid.request, { demo: true });
      casesCreated += 1;
    }
  }
  return { username: DEMO_ADMIN, password, casesCreated };
}
