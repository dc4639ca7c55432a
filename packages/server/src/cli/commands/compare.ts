import { parseArgs } from 'node:util';
import {
  compareVideoHashes,
  DEFAULT_DEDUPE_DISTANCE_BITS,
  DEFAULT_VIDEO_MATCH_THRESHOLDS as DEFAULTS,
  type VideoComparison,
  type VideoHash,
} from '@takedown/vpdq';
import { readMediaTools } from '../../config/config.ts';
import { SettingsReader } from '../../config/settings-reader.ts';
import { hashVideoFile, VideoError } from '../../media/video/index.ts';
import { type CliCommand, UsageError } from '../command.ts';
import { joinNegativeValues } from '../negative-values.ts';
import { readSavedVideoHash } from '../read-video-hash.ts';

const help = `Usage: takedown compare [options] <query> <compared>

Compares two videos with vPDQ and prints how much of each matches the other, and the verdict:
  query     <path>: <n> frames, <percent> % matched
  compared  <path>: <n> frames, <percent> % matched
  verdict   match | no match
A frame matches when some frame of the other video is within the distance threshold and both have at
least the quality threshold; the videos match when both percentages reach their thresholds. Matching
stretches of each video are listed with their times (a short clip inside a long video shows where it is).

Each argument is a video file (hashed as Meta's vpdq-hash-video does), or a saved vPDQ hash: the output of
\`takedown hash\` or Meta's vpdq-hash-video (frameNumber,quality,hash,timestamp lines), \`takedown hash --json\`,
or python-threatexchange's vPDQ signal (a JSON list of "hash,quality,timestamp" strings). Percentages are
python-threatexchange's: each side deduplicated on the exact hash, frames below the quality dropped.

Options:
  --json                     print one JSON object: both percentages, the verdict, the segments, the thresholds
  --distance <bits>          frame match threshold (default ${DEFAULTS.distanceThresholdBits})
  --quality <0-100>          frames below this quality are not compared (default ${DEFAULTS.qualityThreshold})
  --query-percent <0-100>    share of the query's frames that must match (default ${DEFAULTS.queryMatchThresholdPercent})
  --compared-percent <0-100> share of the compared video's frames that must match (default ${DEFAULTS.comparedMatchThresholdPercent})
  --fps <n>                  hashes per second when hashing a video: every int(frame rate / n)-th frame (default 1)
  --dedupe <bits>            drop consecutive frames within this distance (default ${DEFAULT_DEDUPE_DISTANCE_BITS}: -1 keeps all, as Meta's tools)
  -h, --help                 show this help

Exit codes: 0 compared (match or not), 1 usage error, 2 a file could not be read or hashed.`;

function numberOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${name} needs a number from ${min} to ${max}; got "${value}".`);
  return n;
}

function describe(label: string, path: string, hash: VideoHash, percent: number): string {
  return `${label.padEnd(9)} ${path}: ${hash.frames.length} frames, ${percent.toFixed(2)} % matched`;
}

function segments(result: VideoComparison['comparedSegments']): string {
  return result.map((s) => (s.startSeconds === s.endSeconds ? `${s.startSeconds} s` : `${s.startSeconds}–${s.endSeconds} s`)).join(', ');
}

export const compareCommand: CliCommand = {
  help,
  async run(args) {
    const { values, positionals } = parseArgs({
      args: joinNegativeValues(args, ['--distance', '--quality', '--query-percent', '--compared-percent', '--fps', '--dedupe']),
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        distance: { type: 'string' },
        quality: { type: 'string' },
        'query-percent': { type: 'string' },
        'compared-percent': { type: 'string' },
        fps: { type: 'string' },
        dedupe: { type: 'string' },
      },
    });
    if (positionals.length !== 2) throw new UsageError(`name exactly two videos; got ${positionals.length}.`);
    const distance = numberOption(values.distance, '--distance', 0, 256);
    if (distance !== undefined && !Number.isInteger(distance)) throw new UsageError('--distance needs a whole number of bits.');
    const thresholds = {
      distanceThresholdBits: distance,
      qualityThreshold: numberOption(values.quality, '--quality', 0, 100),
      queryMatchThresholdPercent: numberOption(values['query-percent'], '--query-percent', 0, 100),
      comparedMatchThresholdPercent: numberOption(values['compared-percent'], '--compared-percent', 0, 100),
    };
    const framesPerSecond = numberOption(values.fps, '--fps', 0.001, 120);
    const dedupeDistanceBits = numberOption(values.dedupe, '--dedupe', -1, 256);

    // Read here, at the edge: where ffmpeg and ffprobe are (TAKEDOWN_FFMPEG, TAKEDOWN_FFPROBE).
    const tools = readMediaTools(new SettingsReader(process.env));
    const load = async (path: string): Promise<VideoHash> => {
      const saved = await readSavedVideoHash(path).catch((error: unknown) => {
        if (error instanceof VideoError) throw error;
        return undefined; // unreadable here: hashVideoFile names the problem
      });
      return saved ?? hashVideoFile(path, { framesPerSecond, dedupeDistanceBits, displayName: path, ...tools });
    };
    const [queryPath, comparedPath] = positionals;
    let query: VideoHash;
    let compared: VideoHash;
    try {
      [query, compared] = await Promise.all([load(queryPath), load(comparedPath)]);
    } catch (error) {
      if (!(error instanceof VideoError)) throw error;
      process.stderr.write(`takedown compare: ${error.message}\n`);
      return 2;
    }
    const result = compareVideoHashes(query, compared, thresholds);
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify({
          query: { path: queryPath, frames: query.frames.length },
          compared: { path: comparedPath, frames: compared.frames.length },
          ...result,
        })}\n`,
      );
      return 0;
    }
    const t = result.thresholds;
    const lines = [
      describe('query', queryPath, query, result.queryMatchPercent),
      describe('compared', comparedPath, compared, result.comparedMatchPercent),
      `${'verdict'.padEnd(9)} ${result.isMatch ? 'match' : 'no match'} (needs ≥ ${t.queryMatchThresholdPercent} % of the query and ≥ ${t.comparedMatchThresholdPercent} % of the compared video; frames within ${t.distanceThresholdBits} bits, quality ≥ ${t.qualityThreshold})`,
    ];
    if (result.querySegments.length > 0) lines.push(`matching in the query:    ${segments(result.querySegments)}`);
    if (result.comparedSegments.length > 0) lines.push(`matching in the compared: ${segments(result.comparedSegments)}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
