/**
 * The signal types lists carry, with the hex length of each. Names as python-threatexchange and HMA spell
 * them; StopNCII's upper-case `PDQ` and `MD5` are accepted and lower-cased.
 */
const HEX_LENGTH: Record<string, number> = { pdq: 64, md5: 32, video_md5: 32, sha256: 64 };

export const KNOWN_SIGNAL_TYPES = Object.keys(HEX_LENGTH);

/** Checks a (type, hash) pair; returns the normalised entry or the reason it is unusable. */
export function checkSignal(signalType: string, hash: string): { signalType: string; hash: string } | { reason: string } {
  const type = signalType.trim().toLowerCase();
  const length = HEX_LENGTH[type];
  if (length === undefined) {
    return { reason: `unknown signal type "${signalType.trim()}" (known: ${KNOWN_SIGNAL_TYPES.join(', ')})` };
  }
  const value = hash.trim().toLowerCase();
  if (value.length !== length || !/^[0-9a-f]+$/.test(value)) {
    return { reason: `a ${type} hash is ${length} hexadecimal characters; got "${abbreviate(hash.trim())}"` };
  }
  return { signalType: type, hash: value };
}

function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
