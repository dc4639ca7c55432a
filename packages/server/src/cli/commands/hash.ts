import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { DIHEDRAL_NAMES } from '@takedown/pdq';
import { DEFAULT_MAX_PIXELS } from '../../media/decode-image.ts';
import { HashPool, type HashOutcome } from '../../media/hash-pool.ts';
import { readMediaTools } from '../../config/config.ts';
import { SettingsReader } from '../../config/settings-reader.ts';
import { hashIfVideo, type VideoCliOutcome } from '../../media/video/index.ts';
import { type CliCommand, UsageError } from '../command.ts';
import { listFiles, type ListedPath } from '../list-files.ts';

// One thread hashing already keeps about 1.6 cores busy, because libvips decodes the next images on its own
// threads meanwhile; each worker thread adds its own start-up and warm-up. Measured on 2 cores with 200
// one-megapixel JPEGs: 102 images/s with one thread, 80 with two workers (bench:pdq). So leave a core to libvips.
const DEFAULT_JOBS = Math.max(1, availableParallelism() - 1);

const help = `Usage: takedown hash [options] <file|folder>...

Prints the PDQ hash of each image, one line per file, as Meta's pdq-photo-hasher does:
  <hash>,<quality>,<path>
Quality is 0-100; below 50 the image is too uniform to match on reliably.

Options:
  --json              one JSON object per line: pdq, quality, md5, sha256, width, height, path
  --dihedral          add the 8 rotations and mirror images (original, rotate90, rotate180, rotate270,
                      flipX, flipY, flipPlus1, flipMinus1); plain output then prints the 8 hashes in that
                      order, then quality and path
  -r, --recursive     hash the files inside folders, and their folders
  --max-pixels <n>    refuse images larger than this many pixels (default ${DEFAULT_MAX_PIXELS}, 100 megapixels)
  --jobs <n>          threads hashing at once (default: one fewer than the cores, ${DEFAULT_JOBS} here;
                      with one, images are still decoded on libvips' own threads while PDQ runs)
  -h, --help          show this help

Images are hashed at full resolution with embedded colour profiles ignored and alpha dropped, as the
reference does. EXIF orientation is NOT applied (the reference does not apply it either), so a photo
and its rotated copy hash differently; --dihedral covers rotations.

Videos (recognised by their content) are hashed with vPDQ exactly as Meta's vpdq-hash-video (-r 1): every
int(frame rate)-th decoded frame, as stored (a rotation flag is not applied). Plain output is the file
vpdq-hash-video writes, one \`<frameNumber>,<quality>,<hash>,<timestamp>\` line per frame (timestamp with 3
decimals); with several files, each video's lines follow a \`# <path>\` line. --json prints one object per
video (type "vpdq", frames, md5, sha256, frame rate, stride, duration, size). Video needs ffmpeg.

Files that cannot be hashed (not an image, cut short, too large, unreadable) get a line on stderr naming
the file and the reason; the other files are still hashed and the exit code is 2.`;

function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${name} needs a whole number of at least 1; got "${value}".`);
  return n;
}

async function* followedBy<T>(first: T[], rest: AsyncGenerator<T>): AsyncGenerator<T> {
  yield* first;
  yield* rest;
}

export const hashCommand: CliCommand = {
  help,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        dihedral: { type: 'boolean', default: false },
        recursive: { type: 'boolean', short: 'r', default: false },
        'max-pixels': { type: 'string' },
        jobs: { type: 'string' },
      },
    });
    if (positionals.length === 0) throw new UsageError('name at least one image file or folder.');
    const maxPixels = positiveInteger(values['max-pixels'], '--max-pixels', DEFAULT_MAX_PIXELS);
    const jobs = positiveInteger(values.jobs, '--jobs', DEFAULT_JOBS);

    // Worker threads take a moment to start: look ahead, and hash a lone file on this thread.
    // (next() by hand: leaving a for-await loop early would close the listing.)
    const listing = listFiles(positionals, values.recursive);
    const lookahead: ListedPath[] = [];
    while (lookahead.filter((l) => l.ok).length < 2) {
      const next = await listing.next();
      if (next.done) break;
      lookahead.push(next.value);
    }
    const several = lookahead.filter((l) => l.ok).length > 1;
    const pool = new HashPool({ workers: several ? jobs : 1, maxPixels, dihedral: values.dihedral });
    let failures = 0;
    const fail = (path: string, reason: string) => {
      failures++;
      process.stderr.write(`takedown hash: ${path}: ${reason}\n`);
    };
    const print = (path: string, outcome: HashOutcome | VideoCliOutcome) => {
      if (!outcome.ok) return fail(path, outcome.reason);
      if ('video' in outcome) return void process.stdout.write(outcome.text);
      const h = outcome.hashes;
      if (values.json) {
        const record: Record<string, unknown> = {
          pdq: h.pdq, quality: h.quality, md5: h.md5, sha256: h.sha256, width: h.width, height: h.height, path,
        };
        if (h.dihedral) record.dihedral = h.dihedral;
        process.stdout.write(`${JSON.stringify(record)}\n`);
      } else if (h.dihedral) {
        process.stdout.write(`${DIHEDRAL_NAMES.map((name) => h.dihedral![name]).join(',')},${h.quality},${path}\n`);
      } else {
        process.stdout.write(`${h.pdq},${h.quality},${path}\n`);
      }
    };

    // Read here, at the edge: where ffmpeg and ffprobe are (TAKEDOWN_FFMPEG, TAKEDOWN_FFPROBE).
    const tools = readMediaTools(new SettingsReader(process.env));
    // Results print in the order the files were named, while up to a few files per thread are in flight.
    const window: { path: string; outcome: Promise<HashOutcome | VideoCliOutcome> }[] = [];
    const inFlight = pool.size * 4;
    try {
      for await (const listed of followedBy(lookahead, listing)) {
        if (!listed.ok) {
          window.push({ path: listed.path, outcome: Promise.resolve({ ok: false, reason: listed.reason }) });
        } else {
          const path = listed.path;
          window.push({ path, outcome: hashIfVideo(path, { json: values.json, named: several, ...tools }).then((video): Promise<HashOutcome | VideoCliOutcome> | VideoCliOutcome => video ?? pool.hash(path)) });
        }
        while (window.length >= inFlight) {
          const next = window.shift()!;
          print(next.path, await next.outcome);
        }
      }
      for (const next of window) print(next.path, await next.outcome);
    } finally {
      await pool.close();
    }
    return failures > 0 ? 2 : 0;
  },
};
