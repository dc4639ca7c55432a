import { keyIdOf } from '../crypto/key-ring.ts';
import { hashKeysIdOf, hashKeysOf, type KeySet } from '../crypto/keys.ts';
import type { BackupManifest } from './manifest.ts';

/**
 * Why these keys cannot open this backup, or undefined when they can: every master key its values and copies
 * were encrypted with must be held, and the keyed-hash keys must be the same (else no PIN would open its case).
 */
export function keyMismatch(manifest: Pick<BackupManifest, 'keys'>, set: KeySet): string | undefined {
  const held = set.masters.map(keyIdOf);
  const missing = manifest.keys.needed.filter((id) => id !== 'legacy' && !held.includes(id));
  const hashKeys = hashKeysIdOf(hashKeysOf(set));
  if (missing.length === 0 && hashKeys === manifest.keys.hashKeys) return undefined;
  return (
    `the backup needs key${missing.length === 1 ? '' : 's'} ${manifest.keys.needed.join(', ')} (hash keys ${manifest.keys.hashKeys}); ` +
    `the key given holds ${held.join(', ')} (hash keys ${hashKeys}). Give the key file or TAKEDOWN_SECRET_KEY that was in use when the backup was made`
  );
}
