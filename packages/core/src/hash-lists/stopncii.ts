import { signalTypes } from '../signals/signal-registry.ts';
import { ListCollector, externalName } from './collector.ts';
import type { HashListFormat } from './types.ts';

/** StopNCII hash statuses that mean "should be deleted by the client". */
const REMOVE = new Set(['withdrawn', 'deleted']);

/**
 * StopNCII hash records, as its API returns them (python-threatexchange's client: `FetchHashes`): a JSON page
 * `{ "hashRecords": [{ "signalType": "ImagePDQ", "hashValue": "…", "hashStatus": "Active", "caseNumbers": {…},
 * "lastModtimestamp": … }], "nextPageToken": …, "hasMoreRecords": … }`, or a list of such records. Records
 * whose status is Withdrawn or Deleted are removals; a later record for the same signal replaces an earlier one.
 * A record's "line" in the report is its position in `hashRecords`, from 1.
 */
export const stopNciiFormat: HashListFormat = {
  name: 'stopncii',
  aliases: ['stopncii-json'],
  description: 'StopNCII hash records (JSON, FetchHashes pages): Withdrawn and Deleted records leave the bank',
  parse(text, options) {
    const collector = new ListCollector('stopncii');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      collector.reject(1, `not JSON: ${(error as Error).message}`);
      return collector.finish(1, options);
    }
    const records = Array.isArray(parsed) ? parsed : (parsed as { hashRecords?: unknown } | null)?.hashRecords;
    if (!Array.isArray(records)) {
      collector.reject(1, 'expected a FetchHashes page ({ "hashRecords": [...] }) or a list of hash records');
      return collector.finish(1, options);
    }
    // Later records win: in the order the API lists them, by their modification time.
    const ordered = records.map((record: unknown, i) => ({ record, at: i + 1 })).sort((a, b) => modifiedAt(a.record) - modifiedAt(b.record) || a.at - b.at);
    for (const { record, at } of ordered) {
      if (typeof record !== 'object' || record === null) {
        collector.reject(at, 'a hash record is a JSON object');
        continue;
      }
      const { signalType, hashValue, hashStatus } = record as Record<string, unknown>;
      if (typeof signalType !== 'string' || typeof hashValue !== 'string' || typeof hashStatus !== 'string') {
        collector.reject(at, 'a hash record needs signalType, hashValue and hashStatus as text');
        continue;
      }
      collector.signal(at, signalType, hashValue, REMOVE.has(hashStatus.toLowerCase()));
    }
    return collector.finish(records.length, options);
  },
  carries: (signal) => (signalTypes.get(signal)?.names.stopncii.length ?? 0) > 0,
  write(entries) {
    const hashRecords = entries.map((entry) => ({
      signalType: externalName('stopncii', entry.signalType),
      hashValue: entry.hash,
      hashStatus: 'Active',
      caseNumbers: {},
    }));
    return `${JSON.stringify({ count: hashRecords.length, hasMoreRecords: false, hashRecords }, null, 2)}\n`;
  },
};

function modifiedAt(record: unknown): number {
  const value = (record as { lastModtimestamp?: unknown } | null)?.lastModtimestamp;
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
