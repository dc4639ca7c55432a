/** One signal in a list: its type's takedown name (`pdq`, `md5`, `vpdq`, …) and its exchanged text form. */
export interface HashEntry {
  signalType: string;
  hash: string;
}

/** An entry as read from a list, with the 1-based line it came from. */
export interface HashListRecord extends HashEntry {
  line: number;
}

/** A line that could not be used, and why. */
export interface RejectedLine {
  line: number;
  reason: string;
}

/** What an import did, line by line (DESIGN.md §8). */
export interface ImportReport {
  /** Lines in the text, blank and comment lines included. */
  linesRead: number;
  /** Entries to add (0 in strict mode when anything was rejected). */
  loaded: number;
  /** Entries to remove: StopNCII records whose case is Withdrawn or Deleted. */
  removed: number;
  /** Entries seen earlier in the same list, skipped. */
  duplicates: number;
  rejected: RejectedLine[];
  /** True when strict mode refused the whole list because some line was rejected. */
  refused: boolean;
}

export interface HashListParse {
  /** Entries to add to the bank, first occurrence of each. */
  entries: HashListRecord[];
  /** Entries the list says must leave the bank (withdrawn or deleted cases). */
  removals: HashListRecord[];
  report: ImportReport;
}

export interface ParseOptions {
  /** Load nothing if any line is rejected (`--strict`). */
  strict?: boolean;
}

/** A hash-list file format: a pure parser and writer, no I/O. One file per format in this folder. */
export interface HashListFormat {
  /** The name used on the command line (`--format plain`). */
  name: string;
  /** Other names `--format` accepts for it. */
  aliases: readonly string[];
  /** One line for help texts. */
  description: string;
  parse(text: string, options?: ParseOptions): HashListParse;
  /** Whether the format can hold signals of this type (takedown's name); `write` takes only those. */
  carries(signal: string): boolean;
  write(entries: readonly HashEntry[]): string;
}
