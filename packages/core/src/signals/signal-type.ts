import type { Match, VerifyHelperLike } from '@takedown/match';

/**
 * A signal type: one kind of hash (or other identifier) that says "this is that content" — PDQ of an image,
 * MD5 of the exact bytes, vPDQ of a video, a normalised URL. Each type is one module that declares
 * everything the rest of takedown needs to know about it (DESIGN §4; python-threatexchange's `SignalType`
 * is the model): its names here and in other systems, how a value is read, checked and written, how two
 * values are compared, the thresholds a bank keeps for it, and the in-memory index that serves it.
 * Storage, banks, upload checks, sweeps, hash lists, the API and the CLI read the registry
 * (`signal-registry.ts`) instead of naming signals, so a new type touches its own module and its
 * registration only.
 *
 * @example
 * const pdq = signalTypes.get('pdq');
 * const read = pdq.readFields({ pdq: 'F8F8…', pdqQuality: 100 }); // { ok: true, value: { hash: 'f8f8…', quality: 100 } }
 */
export interface SignalType<V = unknown, T extends object = object> {
  /** Canonical name: the key in hashes objects, bank rows and stored signals (`pdq`, `md5`, …). */
  readonly name: string;
  /** For people: `PDQ`, `SHA-256`. */
  readonly label: string;
  /** What the signal is made from: decides which items and uploads can carry it. */
  readonly media: 'image' | 'video' | 'file' | 'url';
  /**
   * Its names in other systems, the first of each list being the one takedown writes: python-threatexchange
   * signal type names (`pdq`, `video_md5`, …) and StopNCII's `signalType` values (`ImagePDQ`, …).
   */
  readonly names: { readonly threatexchange: readonly string[]; readonly stopncii: readonly string[] };
  /** Fields of a hashes object ({ pdq, pdqQuality, … }) this type reads and writes, the first being `name`. */
  readonly fields: readonly string[];
  /**
   * A JSON Schema for each of those fields, for the API's schemas and OpenAPI document (plain data: core
   * depends on no schema library). The type's `readFields` stays the judge; the schema describes.
   */
  readonly fieldSchemas: Readonly<Record<string, JsonSchema>>;
  /** Reads the value from a hashes object; undefined when its fields are absent. */
  readFields(fields: Readonly<Record<string, unknown>>): SignalRead<V> | undefined;
  /** The value back as hashes-object fields (API responses, stored JSON). */
  writeFields(value: V): Record<string, unknown>;
  /** Reads the value from its exchanged text form (a hash list line's signal). */
  parseText(text: string): SignalRead<V>;
  /** The exchanged text form: what hash lists and exports carry. */
  formatText(value: V): string;
  /** A short identity: two values with the same key are the same signal (unique index, exact lookups). */
  key(value: V): string;
  /** How trustworthy the value is, 0–100, where the type measures it (PDQ quality); undefined otherwise. */
  quality?(value: V): number | undefined;
  /** The thresholds a bank keeps for this type: defaults, and a check that names what to fix. */
  readonly thresholds: SignalThresholdsSpec<T>;
  /** An empty in-memory index of values of this type. */
  createIndex(options?: SignalIndexOptions): SignalIndex<V, T>;
}

/** A JSON Schema object (draft 7 keywords, as Fastify and OpenAPI use them). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** A value read, or what is wrong with it: the field to fix, a stable code and a sentence that says how. */
export type SignalRead<V> = { ok: true; value: V } | { ok: false; field: string; message: string; code?: string };

/**
 * A bank's thresholds for one signal type, as data. Every type keeps its own fields; the decision rule reads
 * them only through the type's index (which judges a match against them).
 */
export interface SignalThresholdsSpec<T extends object> {
  readonly defaults: Readonly<T>;
  /** Problems with proposed thresholds (after merging them over the current ones), by field. */
  check(value: Record<string, unknown>): { ok: true; value: T } | { ok: false; problems: { field: string; message: string }[] };
  /** One line for people: `block at ≤ 10 bits, review at ≤ 31 bits`. */
  describe(value: T): string;
}

/**
 * How close a match is, judged against one bank's thresholds for its signal type. `exact` is the same
 * content by the type's own rule (identical digest, PDQ distance 0, same URL). `withinBlock` says the bank
 * lets this match block an upload of a confirmed item (see core/decide-action.ts for the rule).
 */
export interface SignalMatch {
  /** Distance in the type's unit (bits for PDQ; 0 for an identical digest); what the audit log records. */
  distance: number;
  exact: boolean;
  withinBlock: boolean;
  /** The threshold that decided: for the log (DESIGN §1: every threshold used is logged). */
  threshold: number;
  /** False when the values are too uniform to identify content (PDQ quality under 50 on either side). */
  trustworthy: boolean;
  /** Type-specific detail for the log and the API (vPDQ: the shares of frames matched both ways). */
  detail?: Record<string, number>;
}

export interface SignalIndexOptions {
  /** A second thread that verifies Hamming candidates (`@takedown/match`'s helper), for indexes that use one. */
  verifyHelper?: VerifyHelperLike;
  /**
   * The index of 256-bit hashes that serves the type's values, instead of a `MatchIndex` of its own (PDQ):
   * the server gives one whose rows live in worker threads for banks larger than one index holds. Types
   * that do not search 256-bit hashes ignore it.
   */
  hashMatcher?: HashMatcher;
}

/**
 * An index of 256-bit hashes (64 hex characters) under numeric ids, searched by Hamming distance:
 * `@takedown/match`'s `MatchIndex` is one. Adds and removes apply at once; queries are synchronous.
 */
export interface HashMatcher {
  query(hash: string, options: { radius: number }): Match[];
  /** The hashes of one image's variants at once, each id at its best distance. */
  queryDihedral(hashes: readonly string[], options: { radius: number }): Match[];
  addHex(entries: readonly { id: number; hash: string }[]): void;
  /** Removes every hash under `id`; returns how many. */
  remove(id: number): number;
  /** Folds added hashes into the compact form, where the index has one (after a bulk load). */
  compact?(): void;
  /**
   * `query` answered elsewhere (a worker thread) while this thread goes on, where the matcher can: the
   * upload check's path, so that the lookup leaves the thread that serves HTTP.
   */
  queryAsync?(hash: string, options: { radius: number }): Promise<Match[]>;
  /** `queryDihedral` answered elsewhere, as `queryAsync`. */
  queryDihedralAsync?(hashes: readonly string[], options: { radius: number }): Promise<Match[]>;
}

/** An in-memory index of one signal type's values under numeric ids; add and remove apply at once. */
export interface SignalIndex<V = unknown, T extends object = object> {
  readonly size: number;
  add(id: number, value: V): void;
  /** Many at once, where the index can load them faster than one by one (a bank loading at start). */
  addMany?(entries: readonly { id: number; value: V }[]): void;
  /** Makes the index compact after a bulk load, where it has such a step; queries never need it. */
  compact?(): void;
  remove(id: number): boolean;
  /**
   * Every indexed value that may match `value` under at least one of the thresholds given (the loosest is
   * searched), each with a judge that holds the match to one bank's thresholds (undefined: not a match there).
   */
  search(value: V, within: readonly T[]): SignalHit<T>[];
  /** `search` answered without blocking this thread, where the index can (the same hits). */
  searchAsync?(value: V, within: readonly T[]): Promise<SignalHit<T>[]>;
}

export interface SignalHit<T extends object = object> {
  id: number;
  judge(thresholds: T): SignalMatch | undefined;
}
