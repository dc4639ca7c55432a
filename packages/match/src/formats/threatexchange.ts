import { ListCollector, splitLines, stripComment } from './collector.ts';
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
    const collector = new ListCollector();
    lines.forEach((raw, i) => {
      const line = stripComment(raw);
      if (line === '') return;
      const parts = line.split(/\s+/);
      if (parts.length !== 2) {
        collector.reject(i + 1, `expected "<signal_type> <signal>" separated by a space; got ${parts.length} fields`);
        return;
      }
      collector.signal(i + 1, parts[0], parts[1]);
    });
    return collector.finish(lines.length, options);
  },
  write(entries) {
    return entries.map((entry) => `${entry.signalType} ${entry.hash}\n`).join('');
  },
};
