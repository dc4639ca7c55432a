import { signalTypes } from '../signals/signal-registry.ts';
import { ListCollector, externalName, splitLines } from './collector.ts';
import type { HashListFormat } from './types.ts';

/**
 * python-threatexchange's file exchange (`local_file`): `<signal_type> <signal>` per line, with its type names
 * (`pdq`, `video_md5`, `video_sha256`, `vpdq`, `url`, …). As its reader does, each line is trimmed and split at
 * the first space only (a vPDQ signal is JSON with spaces in it), and there are no comments. Blank lines
 * carry nothing; every other line that is not taken is reported with its number.
 */
export const threatExchangeFormat: HashListFormat = {
  name: 'threatexchange',
  aliases: ['file-exchange', 'te'],
  description: '"<signal_type> <signal>" per line, e.g. "pdq f8f8…" (python-threatexchange file exchange)',
  parse(text, options) {
    const lines = splitLines(text);
    const collector = new ListCollector('threatexchange');
    lines.forEach((raw, i) => {
      const line = raw.trim();
      if (line === '') return;
      const space = line.indexOf(' ');
      if (space === -1) {
        collector.reject(i + 1, 'expected "<signal_type> <signal>" separated by a space; got 1 field');
        return;
      }
      collector.signal(i + 1, line.slice(0, space), line.slice(space + 1));
    });
    return collector.finish(lines.length, options);
  },
  carries: (signal) => (signalTypes.get(signal)?.names.threatexchange.length ?? 0) > 0,
  write(entries) {
    return entries.map((entry) => `${externalName('threatexchange', entry.signalType)} ${entry.hash}\n`).join('');
  },
};
