import { ListCollector, csvField, csvFields, externalName, splitLines } from './collector.ts';
import type { HashListFormat } from './types.ts';

/**
 * StopNCII-style records, CSV with a header: the signal type (`PDQ` for images, `MD5` for video), the hash,
 * and the case status. A case whose status is Withdrawn or Deleted must leave the bank: those records are
 * returned as removals, never as entries, even if the same hash also appears as Active.
 * Header names accepted: signal_type | hash_type | type; hash | signal | hash_value; case_status | status.
 */
const TYPE_COLUMNS = ['signal_type', 'hash_type', 'type'];
const HASH_COLUMNS = ['hash', 'signal', 'hash_value'];
const STATUS_COLUMNS = ['case_status', 'status'];
const KEEP = new Set(['active']);
const REMOVE = new Set(['withdrawn', 'deleted']);

export const stopNciiFormat: HashListFormat = {
  name: 'stopncii',
  description: 'StopNCII-style CSV: signal_type,hash,case_status (Withdrawn/Deleted cases are removed)',
  parse(text, options) {
    const lines = splitLines(text);
    const collector = new ListCollector('stopncii');
    let columns: { type: number; hash: number; status: number } | undefined;
    lines.forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const fields = csvFields(line).map((field) => field.trim());
      if (columns === undefined) {
        const names = fields.map((field) => field.toLowerCase());
        const find = (candidates: string[]) => names.findIndex((name) => candidates.includes(name));
        columns = { type: find(TYPE_COLUMNS), hash: find(HASH_COLUMNS), status: find(STATUS_COLUMNS) };
        if (columns.type === -1 || columns.hash === -1 || columns.status === -1) {
          collector.reject(i + 1, 'the first line must be a header naming the signal_type, hash and case_status columns');
          columns = { type: -1, hash: -1, status: -1 };
        }
        return;
      }
      if (columns.type === -1) return;
      if (fields.length <= Math.max(columns.type, columns.hash, columns.status)) {
        collector.reject(i + 1, `expected ${Math.max(columns.type, columns.hash, columns.status) + 1} comma-separated fields; got ${fields.length}`);
        return;
      }
      const status = fields[columns.status].toLowerCase();
      if (!KEEP.has(status) && !REMOVE.has(status)) {
        collector.reject(i + 1, `unknown case status "${fields[columns.status]}" (expected Active, Withdrawn or Deleted)`);
        return;
      }
      collector.signal(i + 1, fields[columns.type], fields[columns.hash], REMOVE.has(status));
    });
    return collector.finish(lines.length, options);
  },
  write(entries) {
    const rows = entries.map((entry) => `${csvField(externalName('stopncii', entry.signalType))},${csvField(entry.hash)},Active\n`);
    return `signal_type,hash,case_status\n${rows.join('')}`;
  },
};
