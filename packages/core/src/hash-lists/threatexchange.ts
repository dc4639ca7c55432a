import { ListCollector, externalName, splitLines, stripComment } from './collector.ts';
import type { HashListFormat } from './types.ts';

/**
 * ThreatExchange / HMA local file: `<signal_type> <signal>` per line, space separated (python-threatexchange's
 * file exchange reads and appends this form), e.g. `pdq f8f8f0ce…`, `video_md5 0a21c8f8…`.
 */
export const threatExchangeFormat: HashListFormat = {
  name: 'threatexchange',
  description: '"<signal_type> <signal>" per line, e.g. "pdq f8f8…" (ThreatExchange / HMA local file)',
  parse(text, options) {
    const lines = splitLines(text);
    const collector = new ListCollector('threatexchange');
    lines.forEach((raw, i) => {
      const line = stripComment(raw);
      if (line === '') return;
      // Split at the first space only, as python-threatexchange does: a vPDQ signal is JSON with spaces in it.
      const space = line.search(/\s/);
      if (space === -1) {
        collector.reject(i + 1, 'expected "<signal_type> <signal>" separated by a space; got 1 field');
        return;
      }
      collector.signal(i + 1, line.slice(0, space), line.slice(space + 1));
    });
    return collector.finish(lines.length, options);
  },
  write(entries) {
    return entries.map((entry) => `${externalName('threatexchange', entry.signalType)} ${entry.hash}\n`).join('');
  },
};
