import { ExactIndex } from './exact-index.ts';
import type { SignalRead, SignalType } from './signal-type.ts';

/** A digest's bank setting: whether an identical digest of a confirmed item blocks an upload (else review). */
export interface DigestThresholds {
  block: boolean;
}

/**
 * A cryptographic digest of the exact bytes (MD5, SHA-256): hex text, lowercase, equal or not. Identical
 * bytes are the strongest evidence there is, so an identical digest is an exact match.
 */
export function digestSignal(spec: {
  name: string;
  label: string;
  hexLength: number;
  threatexchange: readonly string[];
  stopncii: readonly string[];
}): SignalType<string, DigestThresholds> {
  const pattern = new RegExp(`^[0-9a-f]{${spec.hexLength}}$`);
  const parse = (text: string, field: string): SignalRead<string> => {
    const value = text.trim().toLowerCase();
    if (!/^[0-9a-f]*$/.test(value)) return { ok: false, field, message: `A ${spec.label} hash uses only the characters 0–9 and a–f. Check that it was copied exactly.` };
    if (!pattern.test(value)) {
      return { ok: false, field, message: `A ${spec.label} hash has ${spec.hexLength} characters; this one has ${value.length}. Check that it was copied whole.` };
    }
    return { ok: true, value };
  };
  const exact = { distance: 0, exact: true, threshold: 0, trustworthy: true } as const;
  return {
    name: spec.name,
    label: spec.label,
    media: 'file',
    names: { threatexchange: spec.threatexchange, stopncii: spec.stopncii },
    fields: [spec.name],
    fieldSchemas: { [spec.name]: { type: 'string', pattern: `^[0-9a-fA-F]{${spec.hexLength}}$`, description: `${spec.label} of the file's bytes, ${spec.hexLength} hex characters.` } },
    readFields(fields) {
      const raw = fields[spec.name];
      if (raw === undefined || raw === null || raw === '') return undefined;
      if (typeof raw !== 'string') return { ok: false, field: spec.name, message: `${spec.name} is a ${spec.label} hash written as ${spec.hexLength} hexadecimal characters.` };
      return parse(raw, spec.name);
    },
    writeFields: (value) => ({ [spec.name]: value }),
    parseText: (text) => parse(text, spec.name),
    formatText: (value) => value,
    key: (value) => value,
    thresholds: {
      defaults: { block: true },
      check(value) {
        if (typeof value.block !== 'boolean') return { ok: false, problems: [{ field: `${spec.name}.block`, message: `${spec.name}.block is true (an identical ${spec.label} of a confirmed item blocks) or false (it goes to review).` }] };
        return { ok: true, value: { block: value.block } };
      },
      describe: (t) => (t.block ? 'an identical digest of a confirmed item blocks' : 'an identical digest goes to review'),
    },
    createIndex: () => new ExactIndex<string, DigestThresholds>((value) => value, (t) => ({ ...exact, withinBlock: t.block })),
  };
}
