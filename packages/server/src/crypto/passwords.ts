import { hash, verify } from '@node-rs/argon2';

/**
 * Staff passwords: argon2id (the library's default algorithm) with OWASP's minimum parameters
 * (19 MiB, 2 passes, 1 lane), in the PHC string format that carries its own salt and parameters.
 */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** Spends the same time as a real check, so a login for an unknown username is not faster than a wrong password. */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummy ??= hashPassword('not a real password, only for timing');
  await verifyPassword(await dummy, password);
  return false;
}
