import { plainFormat } from './plain.ts';
import { stopNciiFormat } from './stopncii.ts';
import { threatExchangeCsvFormat } from './threatexchange-csv.ts';
import { threatExchangeFormat } from './threatexchange.ts';
import type { HashListFormat } from './types.ts';

export type { HashEntry, HashListFormat, HashListParse, HashListRecord, ImportReport, ParseOptions, RejectedLine } from './types.ts';
export { externalName } from './collector.ts';
export { plainFormat, threatExchangeFormat, threatExchangeCsvFormat, stopNciiFormat };

/** Every hash-list format, by the name `--format` takes (DESIGN §8: as the other tools really write them). */
export const hashListFormats: readonly HashListFormat[] = [plainFormat, threatExchangeFormat, threatExchangeCsvFormat, stopNciiFormat];

/** The format `--format` names, by its name or one of its aliases. */
export function hashListFormat(name: string): HashListFormat | undefined {
  const wanted = name.trim().toLowerCase();
  return hashListFormats.find((format) => format.name === wanted || format.aliases.includes(wanted));
}

/**
 * Guesses a list's format from its content: JSON is StopNCII's records; a CSV header naming `signal_str` is
 * `threatexchange dataset --csv`; `<type> <signal>` lines are the file exchange; otherwise plain hex (whose
 * lines are then checked one by one, so a list of something else is reported line by line, never dropped).
 */
export function detectHashListFormat(text: string): HashListFormat {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return stopNciiFormat;
  const first = text.split(/\r?\n/).map((line) => line.trim()).find((line) => line !== '' && !line.startsWith('#'));
  if (first === undefined) return plainFormat;
  if (/^"?signal_type"?,/i.test(first) && /(^|,)"?signal_str"?(,|$)/i.test(first)) return threatExchangeCsvFormat;
  if (/^\S+ \S/.test(first)) return threatExchangeFormat;
  return plainFormat;
}
