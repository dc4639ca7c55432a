import { signalTypes } from '../signals/signal-registry.ts';
import { ListCollector, csvField, csvFields, externalName, splitLines } from './collector.ts';
import type { HashListFormat } from './types.ts';

const HEADER = ['signal_type', 'signal_str', 'collab', 'category', 'tags'];

/**
 * What `threatexchange dataset --csv` writes (python-threatexchange, `csv.DictWriter`): a header
 * `signal_type,signal_str,collab,category,tags`, CRLF line ends, a field quoted when it holds a comma or a
 * quote (so a vPDQ signal is quoted with its quotes doubled). The collab, category and tags columns describe
 * where a signal came from in that tool; takedown reads the type and the signal and writes the columns empty.
 */
export const threatExchangeCsvFormat: HashListFormat = {
  name: 'threatexchange-csv',
  aliases: ['dataset-csv', 'pytx-csv'],
  description: 'python-threatexchange `dataset --csv`: signal_type,signal_str,collab,category,tags',
  parse(text, options) {
    const lines = splitLines(text);
    const collector = new ListCollector('threatexchange');
    let columns: { type: number; signal: number } | undefined;
    lines.forEach((raw, i) => {
      if (raw.trim() === '') return;
      const fields = csvFields(raw);
      if (columns === undefined) {
        const names = fields.map((f) => f.trim().toLowerCase());
        columns = { type: names.indexOf('signal_type'), signal: names.indexOf('signal_str') };
        if (columns.type === -1 || columns.signal === -1) collector.reject(i + 1, 'the first line must be the header naming the signal_type and signal_str columns');
        return;
      }
      if (columns.type === -1 || columns.signal === -1) {
        collector.reject(i + 1, 'not read: the list has no usable header');
        return;
      }
      if (fields.length <= Math.max(columns.type, columns.signal)) {
        collector.reject(i + 1, `expected at least ${Math.max(columns.type, columns.signal) + 1} comma-separated fields; got ${fields.length}`);
        return;
      }
      collector.signal(i + 1, fields[columns.type], fields[columns.signal]);
    });
    return collector.finish(lines.length, options);
  },
  carries: (signal) => (signalTypes.get(signal)?.names.threatexchange.length ?? 0) > 0,
  write(entries) {
    const rows = entries.map((entry) => `${csvField(externalName('threatexchange', entry.signalType))},${csvField(entry.hash)},,,\r\n`);
    return `${HEADER.join(',')}\r\n${rows.join('')}`;
  },
};
