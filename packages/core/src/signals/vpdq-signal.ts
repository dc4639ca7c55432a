import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { DEFAULT_VIDEO_MATCH_THRESHOLDS, VideoBank } from '@takedown/vpdq';
import { MAX_VPDQ_FRAMES, readVpdqFrames, type VpdqFrame } from '../vpdq-frames.ts';
import type { SignalHit, SignalIndex, SignalRead, SignalType } from './signal-type.ts';

/**
 * A bank's vPDQ setting: the share of frames (%) that must match both ways — the upload's frames found in
 * the banked video and the banked video's in the upload — for a video match to go to a person. A video never
 * blocks on its frames (a clip, a compilation or a still shares frames with other videos): only identical
 * bytes (MD5 / SHA-256) of a confirmed video block without a person.
 */
export interface VpdqThresholds {
  matchPercent: number;
}

/** vPDQ's match options for a share of frames, the same both ways (the query's and the banked video's). */
export function vpdqShareBothWays(percent: number): { queryMatchThresholdPercent: number; comparedMatchThresholdPercent: number } {
  return { queryMatchThresholdPercent: percent, comparedMatchThresholdPercent: percent };
}

/** One frame as python-threatexchange writes it: hash, quality, timestamp (`{:.3}`: `0.968`, `1.23e+02`). */
const FRAME_TEXT = /^([0-9a-fA-F]{64}),(\d{1,3}),(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)$/;

/**
 * vPDQ (videos): one PDQ hash per sampled frame. Its exchanged text is python-threatexchange's: a JSON list of
 * `"hex,quality,timestamp"` strings. Its key is the SHA-256 of its frames as JSON, short enough for an index.
 */
export const vpdqSignal: SignalType<VpdqFrame[], VpdqThresholds> = {
  name: 'vpdq',
  label: 'vPDQ',
  media: 'video',
  names: { threatexchange: ['vpdq'], stopncii: [] },
  fields: ['vpdq'],
  fieldSchemas: {
    vpdq: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_VPDQ_FRAMES,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['index', 'timestamp', 'hash', 'quality'],
        properties: {
          index: { type: 'integer', minimum: 0 },
          timestamp: { type: 'number', minimum: 0 },
          hash: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
          quality: { type: 'integer', minimum: 0, maximum: 100 },
        },
      },
      description: "A video's vPDQ: one PDQ hash per sampled frame, as takedown hash prints it.",
    },
  },
  readFields(fields) {
    const raw = fields.vpdq;
    if (raw === undefined || raw === null) return undefined;
    const read = readVpdqFrames(raw);
    return read.ok ? { ok: true, value: read.frames } : { ok: false, field: 'vpdq', code: 'invalid_vpdq', message: read.message };
  },
  writeFields: (frames) => ({ vpdq: frames }),
  parseText(text): SignalRead<VpdqFrame[]> {
    let list: unknown;
    try {
      list = JSON.parse(text);
    } catch {
      return { ok: false, field: 'vpdq', message: 'A vPDQ signal is a JSON list of "hash,quality,timestamp" strings.' };
    }
    if (!Array.isArray(list)) return { ok: false, field: 'vpdq', message: 'A vPDQ signal is a JSON list of "hash,quality,timestamp" strings.' };
    const frames: unknown[] = [];
    for (const [index, entry] of list.entries()) {
      const m = typeof entry === 'string' ? FRAME_TEXT.exec(entry.trim()) : null;
      if (!m) return { ok: false, field: 'vpdq', message: `Frame ${index + 1} of the vPDQ signal is not "hash,quality,timestamp".` };
      frames.push({ index, hash: m[1], quality: Number(m[2]), timestamp: Number(m[3]) });
    }
    const read = readVpdqFrames(frames);
    return read.ok ? { ok: true, value: read.frames } : { ok: false, field: 'vpdq', message: read.message };
  },
  // Timestamps at full precision (python-threatexchange rounds to three significant digits; it reads either).
  // Frame numbers are not part of the exchanged signal: read back, frames are numbered in order.
  formatText: (frames) => JSON.stringify(frames.map((f) => `${f.hash},${f.quality},${f.timestamp}`)),
  key: (frames) => bytesToHex(sha256(utf8ToBytes(JSON.stringify(frames)))),
  thresholds: {
    defaults: { matchPercent: 80 },
    check(value) {
      const p = value.matchPercent;
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 100) {
        return { ok: false, problems: [{ field: 'vpdq.matchPercent', message: 'The vPDQ threshold is a whole percentage of frames from 1 to 100 (80 by default).' }] };
      }
      return { ok: true, value: { matchPercent: p } };
    },
    describe: (t) => `review at ≥ ${t.matchPercent} % of frames both ways; never blocks`,
  },
  createIndex: () => new VpdqIndex(),
};

/** Every frame of every indexed video in one `@takedown/vpdq` bank. */
class VpdqIndex implements SignalIndex<VpdqFrame[], VpdqThresholds> {
  readonly #videos = new VideoBank();

  get size(): number {
    return this.#videos.size;
  }

  add(id: number, frames: VpdqFrame[]): void {
    this.#videos.add(id, { type: 'vpdq', frames });
  }

  remove(id: number): boolean {
    return this.#videos.remove(id);
  }

  search(frames: VpdqFrame[], within: readonly VpdqThresholds[]): SignalHit<VpdqThresholds>[] {
    if (this.#videos.size === 0 || within.length === 0) return [];
    // Asked at the lowest share of the banks given, then held to each bank's own.
    const lowest = Math.min(...within.map((t) => t.matchPercent));
    return this.#videos.query({ type: 'vpdq', frames }, { onlyMatches: true, ...vpdqShareBothWays(lowest) }).map((m) => ({
      id: m.videoId,
      judge: (t: VpdqThresholds) =>
        m.queryMatchPercent >= t.matchPercent && m.comparedMatchPercent >= t.matchPercent
          ? {
              distance: DEFAULT_VIDEO_MATCH_THRESHOLDS.distanceThresholdBits,
              exact: false,
              withinBlock: false,
              threshold: t.matchPercent,
              trustworthy: true,
              detail: { queryMatchPercent: m.queryMatchPercent, comparedMatchPercent: m.comparedMatchPercent },
            }
          : undefined,
    }));
  }
}
