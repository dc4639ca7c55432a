import { createHmac, hkdfSync } from 'node:crypto';

/**
 * The keys the server derives from its one secret (read at start by config/master-key.ts). Each use
 * gets its own subkey (HKDF-SHA256 with a label), so a key used for PIN hashes never encrypts data.
 */
export interface Keys {
  /** AES-256-GCM key for PII at rest. */
  pii: Buffer;
  /** HMAC key for case PINs (stored only as this keyed hash). */
  pin: Buffer;
  /** HMAC key for the notifier fingerprint (reputation without keeping the contact in clear). */
  notifier: Buffer;
  /** HMAC key for staff session tokens and cookie signatures. */
  session: Buffer;
  /** Seed of the Ed25519 key that signs this deployment's exchange feed (crypto/feed-signing.ts). */
  exchangeSigning: Buffer;
}

/** How a master key is written down; the configuration check and the key loader say the same. */
export const MASTER_KEY_FORMAT = '32 random bytes as 64 hex characters or base64 (e.g. `openssl rand -base64 32`)';

/** The 32 key bytes of a hex or base64 text, or undefined when it does not hold exactly 32 bytes. */
export function decodeMasterKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  return key.length === 32 ? key : undefined;
}

function derive(master: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `takedown ${label} v1`, 32));
}

export function deriveKeys(master: Buffer): Keys {
  return {
    pii: derive(master, 'pii'),
    pin: derive(master, 'pin'),
    notifier: derive(master, 'notifier'),
    session: derive(master, 'session'),
    exchangeSigning: derive(master, 'exchange signing'),
  };
}

/** Hex HMAC-SHA256; used for the PIN hash, the notifier fingerprint and session token hashes. */
export function hmacHex(key: Buffer, ...parts: string[]): string {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part).update('\u0000');
  return mac.digest('hex');
}
