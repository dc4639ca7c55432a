import { md5Signal } from './md5-signal.ts';
import { pdqSignal } from './pdq-signal.ts';
import { sha256Signal } from './sha256-signal.ts';
import type { JsonSchema, SignalRead, SignalType } from './signal-type.ts';
import { urlSignal } from './url-signal.ts';
import { vpdqSignal } from './vpdq-signal.ts';

/** Any registered signal type (values and thresholds are the type's own business). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySignalType = SignalType<any, any>;

/** Signal values by type name: `{ pdq: { hash, quality }, md5: 'd41d…' }`. */
export type SignalValues = Record<string, unknown>;

/** A bank's thresholds by type name: `{ pdq: { blockBits: 10, reviewBits: 31 }, md5: { block: true } }`. */
export type BankThresholds = Record<string, Record<string, unknown>>;

/**
 * The signal types this deployment knows. The built-in list is below; a deployment or a test adds its own
 * with `register` before the server starts. Everything that handles signals iterates `all()` or looks a
 * type up by its name here, in takedown's spelling or another system's.
 */
export class SignalRegistry {
  readonly #types = new Map<string, AnySignalType>();

  constructor(types: readonly AnySignalType[]) {
    for (const type of types) this.register(type);
  }

  register(type: AnySignalType): void {
    if (!/^[a-z][a-z0-9_]{0,31}$/.test(type.name)) throw new RangeError(`A signal type name is 1–32 lowercase letters, digits or underscores; got "${type.name}".`);
    if (this.#types.has(type.name)) throw new RangeError(`The signal type "${type.name}" is registered already.`);
    const fields = new Set(this.all().flatMap((t) => t.fields));
    const clash = type.fields.find((f) => fields.has(f));
    if (clash) throw new RangeError(`The signal type "${type.name}" reads the field "${clash}", which another type reads already.`);
    this.#types.set(type.name, type);
  }

  all(): AnySignalType[] {
    return [...this.#types.values()];
  }

  names(): string[] {
    return [...this.#types.keys()];
  }

  get(name: string): AnySignalType | undefined {
    return this.#types.get(name);
  }

  /** The type another system calls `name` (case-insensitive): python-threatexchange's or StopNCII's spelling. */
  byExternalName(system: 'threatexchange' | 'stopncii', name: string): AnySignalType | undefined {
    const wanted = name.trim().toLowerCase();
    return this.all().find((t) => t.names[system].some((n) => n.toLowerCase() === wanted));
  }

  /** JSON Schemas of every field any type reads (`only` as in `readAll`), for API schemas and OpenAPI. */
  fieldSchemas(only: (type: AnySignalType) => boolean = () => true): Record<string, JsonSchema> {
    return Object.assign({}, ...this.all().filter(only).map((t) => t.fieldSchemas)) as Record<string, JsonSchema>;
  }

  /** Every field any type reads from a hashes object. */
  fields(): string[] {
    return this.all().flatMap((t) => t.fields);
  }

  /**
   * Reads every registered signal from a hashes object ({ pdq, pdqQuality, md5, … }); the problems name the
   * field. `only` limits which types are read (a request's hashes carry no URL: the item has its own).
   */
  readAll(fields: Readonly<Record<string, unknown>>, only: (type: AnySignalType) => boolean = () => true): { values: SignalValues; problems: { field: string; message: string; code: string }[] } {
    const values: SignalValues = {};
    const problems: { field: string; message: string; code: string }[] = [];
    for (const type of this.all()) {
      if (!only(type)) continue;
      const read: SignalRead<unknown> | undefined = type.readFields(fields);
      if (read === undefined) continue;
      if (read.ok) values[type.name] = read.value;
      else problems.push({ field: read.field, message: read.message, code: read.code ?? 'invalid_hash' });
    }
    return { values, problems };
  }

  /** Signal values back as one hashes object, in registration order. */
  writeAll(values: SignalValues): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    for (const type of this.all()) {
      if (values[type.name] !== undefined) Object.assign(fields, type.writeFields(values[type.name]));
    }
    return fields;
  }

  /** Signal values as stored (JSON text of their fields; see `writeAll`). */
  toStored(values: SignalValues): string {
    return JSON.stringify(this.writeAll(values));
  }

  /**
   * Stored signal values back. Written by this server (checked on the way in), so anything that does not read
   * back — a type no longer registered, damaged text — is left out rather than failing the caller.
   */
  fromStored(text: string | null | undefined): SignalValues {
    if (!text) return {};
    let fields: unknown;
    try {
      fields = JSON.parse(text);
    } catch {
      return {};
    }
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return {};
    const values: SignalValues = {};
    for (const type of this.all()) {
      const read = type.readFields(fields as Record<string, unknown>);
      if (read?.ok) values[type.name] = read.value;
    }
    return values;
  }

  /**
   * A signal as one bank row: `hash` is the type's key; `value` the type's fields as JSON when the key alone
   * would lose something (vPDQ frames, whose key is a digest; a PDQ quality); `quality` where the type has one.
   */
  toBankRow(signal: string, value: unknown): { hash: string; value: string | null; quality: number | null } {
    const type = this.#require(signal);
    const fields = type.writeFields(value);
    const key = type.key(value);
    // The row's `hash` alone carries the value when it is the text form and that text reads back whole.
    const fromKey = key === type.formatText(value) ? type.parseText(key) : undefined;
    const whole = fromKey?.ok === true && JSON.stringify(type.writeFields(fromKey.value)) === JSON.stringify(fields);
    return { hash: key, value: whole ? null : JSON.stringify(fields), quality: type.quality?.(value) ?? null };
  }

  /** A bank row's value back; undefined when its type is not registered or the row does not read back. */
  fromBankRow(row: { signal: string; hash: string; value: string | null }): unknown {
    const type = this.get(row.signal);
    if (!type) return undefined;
    if (row.value === null) {
      const read = type.parseText(row.hash);
      return read.ok ? read.value : undefined;
    }
    return this.fromStored(row.value)[type.name];
  }

  #require(name: string): AnySignalType {
    const type = this.#types.get(name);
    if (!type) throw new RangeError(`There is no signal type "${name}"; known: ${this.names().join(', ')}.`);
    return type;
  }

  /** Every type's default thresholds: what a new bank starts with. */
  defaultThresholds(): BankThresholds {
    return Object.fromEntries(this.all().map((t) => [t.name, { ...t.thresholds.defaults }]));
  }

  /**
   * A bank's thresholds: stored ones over the defaults (a type registered after the bank was made gets its
   * defaults), with `change` merged in and checked. Problems name the field as `<type>.<setting>`.
   */
  mergeThresholds(stored: BankThresholds, change: BankThresholds = {}): { ok: true; value: BankThresholds } | { ok: false; problems: { field: string; message: string }[] } {
    const problems: { field: string; message: string }[] = [];
    for (const name of Object.keys(change)) if (!this.#types.has(name)) problems.push({ field: name, message: `There is no signal type "${name}"; known: ${this.names().join(', ')}.` });
    const value: BankThresholds = {};
    for (const type of this.all()) {
      const merged = { ...type.thresholds.defaults, ...stored[type.name], ...change[type.name] };
      const extra = Object.keys(merged).filter((k) => !(k in type.thresholds.defaults));
      for (const k of extra) problems.push({ field: `${type.name}.${k}`, message: `${type.name} has no setting "${k}"; its settings are ${Object.keys(type.thresholds.defaults).join(', ')}.` });
      const checked = type.thresholds.check(merged);
      if (checked.ok) value[type.name] = checked.value as Record<string, unknown>;
      else problems.push(...checked.problems);
    }
    return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
  }
}

/** The built-in signal types, in the order they are listed everywhere. */
export const BUILT_IN_SIGNAL_TYPES: readonly AnySignalType[] = [pdqSignal, md5Signal, sha256Signal, vpdqSignal, urlSignal];

/** This deployment's signal types. */
export const signalTypes = new SignalRegistry(BUILT_IN_SIGNAL_TYPES);
