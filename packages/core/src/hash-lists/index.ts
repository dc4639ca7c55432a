import { hmaCsvFormat } from './hma-csv.ts';
import { plainFormat } from './plain.ts';
import { stopNciiFormat } from './stopncii.ts';
import { threatExchangeFormat } from './threatexchange.ts';
import type { HashListFormat } from './types.ts';

export type { HashEntry, HashListFormat, HashListParse, HashListRecord, ImportReport, ParseOptions, RejectedLine } from './types.ts';
export { externalName } from './collector.ts';
export { plainFormat, hmaCsvFormat, threatExchangeFormat, stopNciiFormat };

/** Every hash-list format, by the name `--format` takes. */
export const hashListFormats: readonly HashListFormat[] = [plainFormat, hmaCsvFormat, threatExchangeFormat, stopNciiFormat];

export function hashListFormat(name: string): HashListFormat | undefined {
  return hashListFormats.find((format) => format.name === name);
}

/**
 * Guesses a list's format from its first line that is not blank or a comment: a bare 64-hex hash is
 * `plain`; a CSV header with a status column is `stopncii`; other comma-separated lines are `hma-csv`;
 * `<type> <hash>` is `threatexchange`. Empty lists are `plain`.
 */
export function detectHashListFormat(text: string): HashListFormat {
  const first = text.split(/\r?\n/).map((line) => line.trim()).find((line) => line !== '' && !line.startsWith('#'));
  if (first === undefined) return plainFormat;
  const lower = first.toLowerCase();
  if (lower.includes(',')) {
    return /(^|,)\s*"?(case_status|status)"?\s*(,|$)/.test(lower) ? stopNciiFormat : hmaCsvFormat;
  }
  if (/^\S+\s+\S+/.test(lower)) return threatExchangeFormat;
  return plainFormat;
}
