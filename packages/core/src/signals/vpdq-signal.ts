import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { DEFAULT_VIDEO_MATCH_THRESHOLDS, VideoBank } from '@takedown/vpdq';
import { MAX_VPDQ_FRAMES, readVpdqFrames, type VpdqFrame } from '../vpdq-frames.ts';
import type { SignalHit, SignalIndex, SignalRead, SignalType } from './signal-type.ts';

/**
 * A bank's vPDQ settings: the shares of frames (%) a video match needs to go to a person — `queryPercent` of
 * the upload's frames found in the banked video, and `comparedPercent` of the banked video's frames found in
 * the upload — computed as python-threatexchange does (unique frames of quality ≥ 50, within 31 bits).
 * Defaults 80 / 0, as python-threatexchange and HMA: a short clip cut from a confirmed video must reach a
 * person, however small a share of that video it is. A video never blocks on its frames (a clip, a
 * compilation or a still shares frames with other videos): only identical bytes of a confirmed video do.
 */
export interface VpdqThresholds {
  queryPercent: number;
  comparedPercent: number;
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
    defaults: { queryPercent: 80, comparedPercent: 0 },
    check(value) {
      const percent = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 100;
      const problems: { field: string; message: string }[] = [];
      if (!percent(value.queryPercent, 1)) problems.push({ field: 'vpdq.queryPercent', message: "The share of the upload's frames that must be found is a whole percentage from 1 to 100 (80 by default)." });
      if (!percent(value.comparedPercent, 0)) problems.push({ field: 'vpdq.comparedPercent', message: "The share of the banked video's frames that must be found is a whole percentage from 0 to 100 (0 by default)." });
      if (problems.length > 0) return { ok: false, problems };
      return { ok: true, value: { queryPercent: value.queryPercent as number, comparedPercent: value.comparedPercent as number } };
    },
    describe: (t) => `review at ≥ ${t.queryPercent} % of the upload's frames${t.comparedPercent > 0 ? ` and ≥ ${t.comparedPercent} % of the banked video's` : ''}; never blocks`,
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
    // Asked at the lowest shares of the banks given, then held to each bank's own.
    const options = {
      onlyMatches: true,
      queryMatchThresholdPercent: Math.min(...within.map((t) => t.queryPercent)),
      comparedMatchThresholdPercent: Math.min(...within.map((t) => t.comparedPercent)),
    };
    return this.#videos.query({ type: 'vpdq', frames }, options).map((m) => ({
      id: m.videoId,
      judge: (t: VpdqThresholds) =>
        m.queryMatchPercent >= t.queryPercent && m.comparedMatchPercent >= t.comparedPercent
          ? {
              distance: DEFAULT_VIDEO_MATCH_THRESHOLDS.distanceThresholdBits,
              exact: false,
              withinBlock: false,
              threshold: t.queryPercent,
              trustworthy: true,
              detail: { queryMatchPercent: m.queryMatchPercent, comparedMatchPercent: m.comparedMatchPercent },
            }
          : undefined,
    }));
  }
}
