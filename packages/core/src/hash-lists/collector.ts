import { signalTypes, type SignalRegistry } from '../signals/signal-registry.ts';
import type { HashListParse, HashListRecord, ParseOptions, RejectedLine } from './types.ts';

/**
 * Gathers what a parser reads, line by line, into the common report: duplicates counted once,
 * removals applied last (a withdrawn case never stays in the bank, whatever order the lines came in),
 * strict mode turning any rejection into "load nothing".
 */
export class ListCollector {
  /** Whose spelling of signal type names the list uses. */
  private readonly naming: 'threatexchange' | 'stopncii';
  private readonly registry: SignalRegistry;
  private readonly entries = new Map<string, HashListRecord>();
  private readonly removals = new Map<string, HashListRecord>();
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
  signal(line: number, signalType: string, hash: string, remove = false): void {
    const type = this.registry.byExternalName(this.naming, signalType);
    if (type === undefined) {
      const known = this.registry.all().flatMap((t) => t.names[this.naming]);
      this.reject(line, `unknown signal type "${signalType.trim()}" (known: ${known.join(', ')})`);
      return;
    }
    const read = type.parseText(hash.trim());
    if (!read.ok) {
      this.reject(line, `${read.message} (got "${abbreviate(hash.trim())}")`);
      return;
    }
    const checked = { signalType: type.name, hash: type.formatText(read.value) };
    const key = `${checked.signalType}:${type.key(read.value)}`;
    const target = remove ? this.removals : this.entries;
    if (target.has(key)) {
      this.duplicates++;
      return;
    }
    target.set(key, { ...checked, line });
  }

  finish(linesRead: number, options: ParseOptions = {}): HashListParse {
    for (const key of this.removals.keys()) this.entries.delete(key);
    const refused = options.strict === true && this.rejected.length > 0;
    const entries = refused ? [] : [...this.entries.values()];
    const removals = refused ? [] : [...this.removals.values()];
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
