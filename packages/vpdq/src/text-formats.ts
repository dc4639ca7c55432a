import type { VideoFrameHash } from './types.ts';

/**
 * The two text forms vPDQ hashes travel in:
 * - Meta's `vpdq-hash-video` output: one `frameNumber,quality,hash,timestamp` line per hashed frame, the
 *   timestamp with 3 decimals (vpdqio.cpp:73-81), no header;
 * - python-threatexchange's vPDQ signal: a JSON list of `"hash,quality,timestamp"` strings, the timestamp
 *   written with `{:.3}` (3 significant digits, so `1.23e+02` for 123.456).
 */

/** A text that could not be read as vPDQ frames, with what to fix. */
export interface VpdqTextProblem {
  ok: false;
  message: string;
}
export type VpdqTextRead = { ok: true; frames: VideoFrameHash[] } | VpdqTextProblem;

const HEX64 = /^[0-9a-f]{64}$/i;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * `x` with 3 decimals as C's `printf("%.3f")` writes it: the exact binary value rounded, halves to even.
 * `toFixed` rounds exact halves up instead; a timestamp is a float32, so `x × 2000` is exact and says
 * whether `x` sits exactly halfway between two thousandths.
 */
export function formatFixed3(x: number): string {
  const doubled = x * 2000;
  if (Number.isInteger(doubled) && Math.abs(doubled % 2) === 1) {
    const lower = (doubled - Math.sign(doubled)) / 2;
    const even = lower % 2 === 0 ? lower : lower + Math.sign(doubled);
    return (even / 1000).toFixed(3);
  }
  return x.toFixed(3);
}

/**
 * Meta's text form, byte for byte as `vpdq-hash-video` writes it (frames in the order given, which for a
 * hashed video is frame order).
 *
 * @example formatVpdqText(hash.frames) // "0,100,8f53…,0.000\n29,100,05fa…,0.968\n"
 */
export function formatVpdqText(frames: readonly VideoFrameHash[]): string {
  return frames.map((f) => `${f.index},${f.quality},${f.hash},${formatFixed3(f.timestamp)}\n`).join('');
}

/** Reads Meta's text form; blank lines are ignored, anything else that is not a frame line is refused by line number. */
export function parseVpdqText(text: string): VpdqTextRead {
  const frames: VideoFrameHash[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const fields = line.split(',');
    const problem = (what: string): VpdqTextProblem => ({
      ok: false,
      message: `Line ${i + 1} is not a vPDQ frame (frameNumber,quality,hash,timestamp): ${what}.`,
    });
    if (fields.length !== 4) return problem(`${fields.length} fields instead of 4`);
    const [frameNumber, quality, hash, timestamp] = fields;
    if (!/^\d+$/.test(frameNumber)) return problem(`the frame number "${frameNumber}" is not a whole number`);
    const read = readFrameFields(hash, quality, timestamp);
    if (typeof read === 'string') return problem(read);
    frames.push({ index: Number(frameNumber), ...read });
  }
  if (frames.length === 0) return { ok: false, message: 'The text holds no vPDQ frame line (frameNumber,quality,hash,timestamp).' };
  return { ok: true, frames };
}

/**
 * Reads python-threatexchange's signal: a JSON list of `"hash,quality,timestamp"` strings. It carries no frame
 * numbers, so frames are numbered by their position in the list.
 */
export function parseThreatExchangeVpdq(text: string): VpdqTextRead {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list) || list.length === 0) {
    return { ok: false, message: 'A python-threatexchange vPDQ signal is a non-empty JSON list of "hash,quality,timestamp" strings.' };
  }
  const frames: VideoFrameHash[] = [];
  for (const [i, entry] of list.entries()) {
    const fields = typeof entry === 'string' ? entry.split(',') : [];
    const read = fields.length === 3 ? readFrameFields(fields[0], fields[1], fields[2]) : 'it is not a "hash,quality,timestamp" string';
    if (typeof read === 'string') return { ok: false, message: `Entry ${i + 1} of the vPDQ signal is not a frame: ${read}.` };
    frames.push({ index: i, ...read });
  }
  return { ok: true, frames };
}

/** The fields both forms share; a string says what is wrong. */
function readFrameFields(hash: string, quality: string, timestamp: string): Omit<VideoFrameHash, 'index'> | string {
  if (!HEX64.test(hash)) return `the hash "${hash.slice(0, 70)}" is not 64 hexadecimal characters`;
  const q = Number(quality);
  if (!/^\d{1,3}$/.test(quality) || q > 100) return `the quality "${quality}" is not a whole number from 0 to 100`;
  const t = Number(timestamp);
  if (!NUMBER.test(timestamp) || !(t >= 0) || !Number.isFinite(t)) return `the timestamp "${timestamp}" is not a number of seconds ≥ 0`;
  return { hash: hash.toLowerCase(), quality: q, timestamp: t };
}
