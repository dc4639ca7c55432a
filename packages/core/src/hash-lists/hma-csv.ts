import { ListCollector, csvField, csvFields, externalName, splitLines } from './collector.ts';
import type { HashListFormat } from './types.ts';

/**
 * HMA bank CSV: `signal_type,signal,...` — a header line naming the columns is optional; further columns
 * (HMA's metadata) are allowed and ignored.
 */
export const hmaCsvFormat: HashListFormat = {
  name: 'hma-csv',
  description: 'HMA bank CSV: signal_type,signal[,...] with an optional header line',
  parse(text, options) {
    const lines = splitLines(text);
    const collector = new ListCollector('threatexchange');
    let typeColumn = 0;
    let signalColumn = 1;
    lines.forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const fields = csvFields(line).map((field) => field.trim());
      if (i === firstContentLine(lines) && fields.some((field) => field.toLowerCase() === 'signal_type')) {
        const names = fields.map((field) => field.toLowerCase());
        typeColumn = names.indexOf('signal_type');
        signalColumn = names.findIndex((name) => name === 'signal' || name === 'signal_value' || name === 'hash');
        if (signalColumn === -1) collector.reject(i + 1, 'the header names no "signal" column');
        return;
      }
      if (signalColumn === -1) return;
      if (fields.length <= Math.max(typeColumn, signalColumn)) {
        collector.reject(i + 1, `expected at least ${Math.max(typeColumn, signalColumn) + 1} comma-separated fields; got ${fields.length}`);
        return;
      }
      collector.signal(i + 1, fields[typeColumn], fields[signalColumn]);
    });
    return collector.finish(lines.length, options);
  },
  write(entries) {
    const rows = entries.map((entry) => `${csvField(externalName('threatexchange', entry.signalType))},${csvField(entry.hash)}\n`);
    return `signal_type,signal\n${rows.join('')}`;
  },
};

function firstContentLine(lines: string[]): number {
  return lines.findIndex((line) => line.trim() !== '' && !line.trim().startsWith('#'));
}
