import { ListCollector, splitLines, stripComment } from './collector.ts';
import type { HashEntry, HashListFormat } from './types.ts';

/** One 64-hex PDQ hash per line; `#` starts a comment; blank lines are ignored. */
export const plainFormat: HashListFormat = {
  name: 'plain',
  aliases: ['hex'],
  description: 'one PDQ hash (64 hex characters) per line, # comments',
  parse(text, options) {
    const lines = splitLines(text);
    const collector = new ListCollector('threatexchange');
    lines.forEach((raw, i) => {
      const line = stripComment(raw);
      if (line !== '') collector.signal(i + 1, 'pdq', line);
    });
    return collector.finish(lines.length, options);
  },
  carries: (signal) => signal === 'pdq',
  write(entries: readonly HashEntry[]) {
    return entries.map((entry) => {
      if (entry.signalType !== 'pdq') throw new RangeError(`the plain format holds PDQ hashes only; got ${entry.signalType}`);
      return `${entry.hash}\n`;
    }).join('');
  },
};
