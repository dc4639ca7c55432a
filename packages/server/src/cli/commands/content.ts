import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { readContentEntry } from '../../platform/content-entry.ts';
import { listPlatforms } from '../../services/platform-accounts.ts';
import { upsertContent, type ContentInput } from '../../services/platform-content.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { withStore } from './platform.ts';

const CHUNK = 2000;

/** A one-line progress bar on standard error (redrawn in place on a terminal, every 10 % otherwise). */
export class ProgressBar {
  readonly #total: number;
  readonly #tty: boolean;
  #lastShown = -1;
  constructor(totalBytes: number, tty = Boolean(process.stderr.isTTY)) {
    this.#total = Math.max(1, totalBytes);
    this.#tty = tty;
  }
  /** Draws the bar when the percentage moved (on a terminal) or crossed a tenth; always when `final`. */
  render(doneBytes: number, entries: number, final = false): void {
    const fraction = Math.min(1, doneBytes / this.#total);
    const percent = Math.floor(fraction * 100);
    if (!final && !this.#tty && Math.floor(percent / 10) === Math.floor(this.#lastShown / 10)) return;
    if (!final && percent === this.#lastShown) return;
    this.#lastShown = percent;
    const width = 30;
    const filled = Math.round(fraction * width);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}%  ${entries.toLocaleString('en')} entries`;
    process.stderr.write(this.#tty ? `\r${line}` : `${line}\n`);
  }
  finish(): void {
    if (this.#tty) process.stderr.write('\n');
  }
}

export const contentImportCommand: CliCommand = {
  help: `Usage: takedown content import <file.jsonl> --platform <name>

One JSON object per line: {"contentId": "...", "url": "https://...", "pdq": "<64 hex>", "pdqQuality": 87,
"md5": "...", "sha256": "..."} (at least one hash). Idempotent on contentId: an interrupted import can be run
again. Bad lines are reported with their numbers and skipped (exit code 2 at the end); the others load.
Uses the server's database (DATABASE_URL or ./data); with the embedded database, stop the server first, or
send the file to POST /v1/content/batch instead.`,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { platform: { type: 'string' } } });
    if (positionals.length !== 1) throw new UsageError('give exactly one JSONL file.');
    if (!values.platform) throw new UsageError('--platform <name> is required (see takedown platform list).');
    const path = positionals[0];
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (error) {
      console.error(`takedown content import: cannot read ${path}: ${(error as Error).message}`);
      return 2;
    }
    return withStore('content import', async ({ database }) => {
      const platform = (await listPlatforms(database)).find((p) => p.name === values.platform);
      if (!platform) {
        console.error(`takedown content import: no platform named "${values.platform}" (takedown platform add ${values.platform}).`);
        return 2;
      }
      const input = createReadStream(path);
      const lines = createInterface({ input, crlfDelay: Infinity });
      const bar = new ProgressBar(size);
      // Bytes of the lines handled so far (the read stream itself runs ahead by a buffer).
      let doneBytes = 0;
      const totals = { lines: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
      let pending: ContentInput[] = [];
      const flush = async () => {
        if (pending.length === 0) return;
        const s = await upsertContent(database, platform.id, pending, new Date());
        totals.inserted += s.inserted;
        totals.updated += s.updated;
        totals.unchanged += s.unchanged;
        pending = [];
      };
      for await (const text of lines) {
        totals.lines += 1;
        doneBytes += Buffer.byteLength(text) + 1;
        if (text.trim() !== '') {
          let value: unknown;
          let problem: string | undefined;
          try {
            value = JSON.parse(text);
            const read = readContentEntry(value);
            if (read.entry) pending.push(read.entry);
            else problem = `${read.problems[0].field}: ${read.problems[0].message}`;
          } catch {
            problem = 'not valid JSON';
          }
          if (problem) {
            totals.rejected += 1;
            if (totals.rejected <= 50) process.stderr.write(`${process.stderr.isTTY ? '\n' : ''}${path}:${totals.lines}: ${problem}\n`);
          }
          if (pending.length >= CHUNK) await flush();
        }
        bar.render(doneBytes, totals.inserted + totals.updated + totals.unchanged + pending.length);
      }
      await flush();
      bar.render(size, totals.inserted + totals.updated + totals.unchanged, true);
      bar.finish();
      console.log(JSON.stringify(totals));
      return totals.rejected > 0 ? 2 : 0;
    });
  },
};
