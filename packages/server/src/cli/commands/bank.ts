import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { detectHashListFormat, hashListFormat, signalTypes, systemClock, type BankThresholds } from '@takedown/core';
import { formatHashList, HASH_LIST_FORMAT_NAMES, parseHashList, type HashListFormat } from '../../platform/hash-list.ts';
import { addBankHashes, ensureBank, exportBankHashes, listBanks, removeBankHashes, updateBank } from '../../services/platform-banks.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { withStore } from './platform.ts';

function formatOf(value: string): HashListFormat {
  const format = hashListFormat(value);
  if (!format) throw new UsageError(`--format is one of ${HASH_LIST_FORMAT_NAMES.join(', ')}, not "${value}".`);
  return format;
}

export const bankListCommand: CliCommand = {
  help: 'Usage: takedown bank list [--json]',
  async run(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    return withStore('bank list', async ({ database }) => {
      const banks = await listBanks(database);
      if (values.json) console.log(JSON.stringify(banks, null, 2));
      else {
        for (const b of banks) {
          const settings = Object.entries(b.thresholds).map(([signal, t]) => `${signal}: ${signalTypes.get(signal)?.thresholds.describe(t) ?? JSON.stringify(t)}`);
          const origin = b.followed ? `  from the followed feed "${b.followed.source}" (trust ${b.followed.trust})` : '';
          console.log(`${b.name}  ${b.kind}${origin}  ${b.enabled ? 'enabled' : 'DISABLED'}  ${b.hashes} hashes  ${settings.join('; ')}`);
        }
      }
      return 0;
    });
  },
};

export const bankCreateCommand: CliCommand = {
  help: `Usage: takedown bank create <bank>

Makes an empty imported bank (1–63 lowercase letters, digits, dots, dashes or underscores), for lists and for
platforms that add hashes over the HMA-compatible API (POST /c/bank/<BANK>/signal, where the name may be in
HMA's upper case). A bank that exists already is left as it is. Its hashes only ever send uploads to review.`,
  async run(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length !== 1) throw new UsageError('give the bank name.');
    return withStore('bank create', async ({ database }) => {
      const bank = await ensureBank(database, systemClock, positionals[0], 'cli');
      console.log(`Bank "${bank.name}" (${bank.kind}, ${bank.enabled ? 'enabled' : 'DISABLED'}); HMA calls it ${bank.name.toUpperCase()}.`);
      return 0;
    });
  },
};

export const bankImportCommand: CliCommand = {
  help: `Usage: takedown bank import <bank> <file> [--format ${HASH_LIST_FORMAT_NAMES.join('|')}] [--strict] [--remove]

Loads signals into the bank (created if new; imported banks only review, never block). Formats, detected
from the content unless --format names one:
  plain               one PDQ hex hash per line ("#" comments allowed)
  threatexchange      python-threatexchange's file exchange: "<signal_type> <signal>" per line
  threatexchange-csv  python-threatexchange's "dataset --csv" (signal_type,signal_str,collab,category,tags)
  stopncii            StopNCII hash records (JSON, FetchHashes pages); Withdrawn and Deleted records leave
                      the bank, and a later record of the same hash replaces an earlier one
Type names as python-threatexchange writes them: ${signalTypes.all().flatMap((t) => t.names.threatexchange.slice(0, 1)).join(', ')}.
Every line not taken is reported with its number and the reason, and the good ones load, unless --strict
(then nothing loads and the exit code is 2). --remove takes the listed signals out instead (a partner
withdrew them). The running server picks the changes up within a second.`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { format: { type: 'string' }, strict: { type: 'boolean', default: false }, remove: { type: 'boolean', default: false } },
    });
    if (positionals.length !== 2) throw new UsageError('give the bank name and the file.');
    const [name, path] = positionals;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      console.error(`takedown bank import: cannot read ${path}: ${(error as Error).message}`);
      return 2;
    }
    const report = parseHashList(text, values.format === undefined ? detectHashListFormat(text) : formatOf(values.format));
    for (const r of report.rejected.slice(0, 50)) console.error(`${path}:${r.line}: ${r.reason}`);
    if (report.rejected.length > 50) console.error(`… and ${report.rejected.length - 50} more rejected lines`);
    if (values.strict && report.rejected.length > 0) {
      console.error(`takedown bank import: ${report.rejected.length} bad lines; nothing loaded (--strict).`);
      return 2;
    }
    return withStore('bank import', async ({ database }) => {
      let summary: Record<string, number>;
      if (values.remove) {
        const removed = await removeBankHashes(database, systemClock, name, report.hashes, 'cli');
        summary = { linesRead: report.linesRead, removed, notInBank: report.hashes.length - removed, duplicates: report.duplicates, rejected: report.rejected.length };
      } else {
        await ensureBank(database, systemClock, name, 'cli');
        const result = await addBankHashes(database, systemClock, name, report.hashes, 'cli');
        // StopNCII records of withdrawn or deleted cases must leave the bank, never stay in it.
        summary = { linesRead: report.linesRead, loaded: result.added, alreadyInBank: result.alreadyPresent, duplicates: report.duplicates, rejected: report.rejected.length };
        if (report.removals.length > 0) summary.removed = await removeBankHashes(database, systemClock, name, report.removals, 'cli');
      }
      console.log(JSON.stringify(summary));
      return report.rejected.length > 0 ? 2 : 0;
    });
  },
};

export const bankExportCommand: CliCommand = {
  help: `Usage: takedown bank export <bank> [--format ${HASH_LIST_FORMAT_NAMES.join('|')}] [--out FILE]

Writes the bank's live signals. threatexchange (python-threatexchange's file exchange, the default) and
threatexchange-csv (its "dataset --csv") hold every signal type; plain holds PDQ only; stopncii (JSON records)
holds PDQ, MD5 and URLs. Signals a format cannot hold are counted on standard error. Default: standard output;
for --out, the format follows the file's ending (.csv: threatexchange-csv, .json: stopncii).`,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string' }, out: { type: 'string' } } });
    if (positionals.length !== 1) throw new UsageError('give the bank name.');
    const ending = values.out?.toLowerCase() ?? '';
    const format = formatOf(values.format ?? (ending.endsWith('.csv') ? 'threatexchange-csv' : ending.endsWith('.json') ? 'stopncii' : 'threatexchange'));
    return withStore('bank export', async ({ database }) => {
      const { text, leftOut } = formatHashList(await exportBankHashes(database, positionals[0]), format);
      if (values.out) await writeFile(values.out, text);
      else process.stdout.write(text);
      for (const [signal, count] of Object.entries(leftOut)) console.error(`takedown bank export: ${count} ${signal} signal${count === 1 ? '' : 's'} left out: the ${format.name} format cannot hold them.`);
      return 0;
    });
  },
};

function settingsHelp(): string {
  return signalTypes
    .all()
    .map((t) => `  ${Object.entries(t.thresholds.defaults).map(([k, v]) => `${t.name}.${k}=${JSON.stringify(v)}`).join(' ')}  (${t.thresholds.describe(t.thresholds.defaults)})`)
    .join('\n');
}

/** `pdq.blockBits=5` → ['pdq', 'blockBits', 5]; values are whole numbers or true/false. */
function readSetting(text: string): [string, string, number | boolean] {
  const m = /^([a-z][a-z0-9_]*)\.([A-Za-z][A-Za-z0-9]*)=(-?\d+|true|false)$/.exec(text);
  if (!m) throw new UsageError(`--set takes <signal>.<setting>=<value>, for example pdq.blockBits=5; not "${text}".`);
  return [m[1], m[2], m[3] === 'true' ? true : m[3] === 'false' ? false : Number(m[3])];
}

export const bankSetCommand: CliCommand = {
  get help() {
    return `Usage: takedown bank set <bank> [--enable|--disable] [--set <signal>.<setting>=<value>]...

Changes a bank's thresholds, per signal type, or enables or disables it. Every change is audited and
applies to upload checks at once. The settings and their defaults:
${settingsHelp()}
PDQ block: 0–10 bits (-1: never blocks; 0: exact copies only); PDQ review: up to 31 bits. vPDQ: the share of
frames (1–100 %) that must match both ways for a video to go to review; a video never blocks on its frames.
See docs/decisions/004-automatic-action.md for when a match may block.`;
  },
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { enable: { type: 'boolean' }, disable: { type: 'boolean' }, set: { type: 'string', multiple: true } },
    });
    if (positionals.length !== 1) throw new UsageError('give the bank name.');
    if (values.enable && values.disable) throw new UsageError('--enable and --disable together make no sense.');
    const thresholds: BankThresholds = {};
    for (const text of values.set ?? []) {
      const [signal, setting, value] = readSetting(text);
      thresholds[signal] = { ...thresholds[signal], [setting]: value };
    }
    const enabled = values.enable ? true : values.disable ? false : undefined;
    return withStore('bank set', async ({ database }) => {
      const bank = await updateBank(database, systemClock, positionals[0], { enabled, thresholds }, 'cli');
      console.log(JSON.stringify(bank));
      return 0;
    });
  },
};
