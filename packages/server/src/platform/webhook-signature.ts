import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures (DESIGN.md §7): `Takedown-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
 * t + "." + body)>`. The timestamp is signed with the body, so a receiver can refuse replays of old events.
 */
export const SIGNATURE_HEADER = 'takedown-signature';
/** Receivers should refuse signatures older (or further in the future) than this. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signatureHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The header value for `body` sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${signatureHex(secret, timestamp, body)}`;
}

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; code: 'missing' | 'malformed' | 'expired' | 'mismatch'; message: string };

/**
 * Checks a signature header against the raw body. Several `v1=` values are accepted (one per secret while a
 * secret is being rotated); any one matching is enough.
 */
export function verifyWebhookSignature(
  header: string | undefined,
  secret: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): SignatureCheck {
  if (!header) return { ok: false, code: 'missing', message: 'No Takedown-Signature header.' };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && /^\d{1,12}$/.test(value ?? '')) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value ?? '')) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) {
    return { ok: false, code: 'malformed', message: 'The signature header needs t=<unix seconds> and v1=<64 hex>.' };
  }
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    return { ok: false, code: 'expired', message: `The signature is ${nowSeconds - timestamp} s old; more than ${toleranceSeconds} s is refused (replay).` };
  }
  const expected = Buffer.from(signatureHex(secret, timestamp, body), 'hex');
  const matches = signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
  return matches ? { ok: true, timestamp } : { ok: false, code: 'mismatch', message: 'The signature does not match the body.' };
}
