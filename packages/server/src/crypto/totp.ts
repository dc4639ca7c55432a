import { randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { hmacHex } from './keys.ts';

/**
 * Time-based one-time passwords (RFC 6238, as authenticator apps use them: SHA-1, 6 digits, 30 seconds) for local
 * staff accounts, and the one-time recovery codes that stand in for a lost phone. The otpauth library computes
 * the codes; this module only fixes the settings and keeps a used time step from being used again.
 */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
/** One step either side: a phone clock a little off, or a code typed as it changes. */
const WINDOW_STEPS = 1;

function totpOf(secretBase32: string, label: string, issuer: string): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: DIGITS, period: PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });
}

/** A new random secret (160 bits, as RFC 4226 recommends), in base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** What an authenticator app scans: the otpauth:// address and the same as an SVG QR code. */
export async function totpEnrolment(secretBase32: string, label: string, issuer: string): Promise<{ uri: string; qrSvg: string }> {
  const uri = totpOf(secretBase32, label, issuer).toString();
  return { uri, qrSvg: await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) };
}

/**
 * The time step a code belongs to, when it is right now (within one step) and newer than `lastStep`; undefined
 * otherwise (wrong, too old, or used already). Store the step returned so the same code is refused next time.
 */
export function acceptedTotpStep(secretBase32: string, code: string, now: Date, lastStep: number | undefined): number | undefined {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const totp = totpOf(secretBase32, 'staff', 'takedown');
  const delta = totp.validate({ token, timestamp: now.getTime(), window: WINDOW_STEPS });
  if (delta === null) return undefined;
  const step = totp.counter({ timestamp: now.getTime() }) + delta;
  return lastStep !== undefined && step <= lastStep ? undefined : step;
}

/** How many recovery codes an enrolment gives. */
export const RECOVERY_CODE_COUNT = 10;

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten new recovery codes, `xxxxx-xxxxx` from an alphabet without look-alikes (about 49 bits each). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** Whether text looks like a recovery code (not a TOTP code), however it was typed. */
export function looksLikeRecoveryCode(text: string): boolean {
  return normaliseRecoveryCode(text).length === 10;
}

function normaliseRecoveryCode(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The keyed hash a recovery code is kept as (bound to its account). */
export function recoveryCodeHash(sessionKey: Buffer, userId: string, code: string): string {
  return hmacHex(sessionKey, 'staff recovery code', userId, normaliseRecoveryCode(code));
}
