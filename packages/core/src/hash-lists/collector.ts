import { signalTypes, type SignalRegistry } from '../signals/signal-registry.ts';
import type { HashListParse, HashListRecord, ParseOptions, RejectedLine } from './types.ts';

/**
 * Gathers what a parser reads, line by line, into the common report: a signal seen again in the same state
 * is a duplicate; a later line about the same signal replaces the earlier one (StopNCII: a case withdrawn
 * after it was active leaves the bank, and one made active again comes back); strict mode turns any
 * rejection into "load nothing".
 */
export class ListCollector {
  /** Whose spelling of signal type names the list uses. */
  private readonly naming: 'threatexchange' | 'stopncii';
  private readonly registry: SignalRegistry;
  private readonly latest = new Map<string, { record: HashListRecord; remove: boolean }>();
  private readonly rejected: RejectedLine[] = [];
  private duplicates = 0;

  constructor(naming: 'threatexchange' | 'stopncii', registry: SignalRegistry = signalTypes) {
    this.naming = naming;
    this.registry = registry;
  }

  reject(line: number, reason: string): void {
    this.rejected.push({ line, reason });
  }

  /** Adds (or, with `remove`, marks for removal) a signal read on `line`; rejects it if malformed. */
  signal(line: number, signalType: string, text: string, remove = false): void {
    const type = this.registry.byExternalName(this.naming, signalType);
    if (type === undefined) {
      const known = this.registry.all().flatMap((t) => t.names[this.naming]);
      this.reject(line, `unknown signal type "${abbreviate(signalType.trim())}" (known: ${known.join(', ')})`);
      return;
    }
    const read = type.parseText(text.trim());
    if (!read.ok) {
      this.reject(line, `${read.message} (got "${abbreviate(text.trim())}")`);
      return;
    }
    const key = `${type.name}:${type.key(read.value)}`;
    const known = this.latest.get(key);
    if (known && known.remove === remove) {
      this.duplicates++;
      return;
    }
    this.latest.set(key, { record: { signalType: type.name, hash: type.formatText(read.value), line }, remove });
  }

  finish(linesRead: number, options: ParseOptions = {}): HashListParse {
    const refused = options.strict === true && this.rejected.length > 0;
    const all = refused ? [] : [...this.latest.values()];
    const entries = all.filter((e) => !e.remove).map((e) => e.record);
    const removals = all.filter((e) => e.remove).map((e) => e.record);
    return {
      entries,
      removals,
      report: {
        linesRead,
        loaded: entries.length,
        removed: removals.length,
        duplicates: this.duplicates,
        rejected: this.rejected,
        refused,
      },
    };
  }
}

/** Splits text into lines (LF or CRLF); a final newline does not make an extra line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Drops a `#` comment and surrounding blanks. */
export function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return (hash === -1 ? line : line.slice(0, hash)).trim();
}

/** Splits one CSV line into fields (RFC 4180 quoting: "a,b" and "" for a quote). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/** Quotes a CSV field when it needs it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The name a list in `naming`'s spelling gives a signal type (the first of its names there). */
export function externalName(naming: 'threatexchange' | 'stopncii', signal: string, registry: SignalRegistry = signalTypes): string {
  const name = registry.get(signal)?.names[naming][0];
  if (name === undefined) throw new RangeError(`the signal type "${signal}" has no ${naming} name`);
  return name;
}
