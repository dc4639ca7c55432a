/**
 * The vPDQ hash of a video as it travels in requests and API calls: one PDQ hash per sampled frame
 * (`{ index, timestamp, hash, quality }`), as `@takedown/vpdq` makes them. Checked here so that the request
 * form, the upload check and the content index refuse the same things with the same words.
 */
export interface VpdqFrame {
  /** Position among the sampled frames (0, 1, 2 … at 1 fps), increasing; gaps are deduplicated frames. */
  index: number;
  /** Seconds from the start of the video. */
  timestamp: number;
  /** PDQ of the frame, 64 lowercase hex characters. */
  hash: string;
  /** PDQ quality, 0–100. */
  quality: number;
}

/** 4 hours at 1 frame per second: the longest video the server hashes itself. */
export const MAX_VPDQ_FRAMES = 14_400;

const PDQ_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * Returns the frames (hashes in lowercase), or a sentence saying what is wrong, naming the first bad frame.
 * @example readVpdqFrames([{ index: 0, timestamp: 0, hash: 'F8…', quality: 100 }]) // { ok: true, frames: [...] }
 */
export function readVpdqFrames(value: unknown, maxFrames: number = MAX_VPDQ_FRAMES): { ok: true; frames: VpdqFrame[] } | { ok: false; message: string } {
  if (!Array.isArray(value)) return { ok: false, message: 'vpdq is a list of frames: [{ index, timestamp, hash, quality }].' };
  if (value.length === 0) return { ok: false, message: 'vpdq has no frames; send at least one, or leave vpdq out.' };
  if (value.length > maxFrames) {
    return { ok: false, message: `vpdq has ${value.length} frames; at most ${maxFrames} are accepted (4 hours at 1 frame per second).` };
  }
  const frames: VpdqFrame[] = [];
  let previous = -1;
  for (let i = 0; i < value.length; i++) {
    const frame: unknown = value[i];
    const at = `Frame ${i + 1} of vpdq`;
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return { ok: false, message: `${at} is not an object { index, timestamp, hash, quality }.` };
    const { index, timestamp, hash, quality, ...rest } = frame as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length > 0) return { ok: false, message: `${at} has a field we do not accept: ${extra[0]}.` };
    if (typeof index !== 'number' || !Number.isInteger(index) || index <= previous) {
      return { ok: false, message: `${at}: index is a whole number, 0 or more, larger than the previous frame's.` };
    }
    if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp < 0) return { ok: false, message: `${at}: timestamp is a number of seconds, 0 or more.` };
    if (typeof hash !== 'string' || !PDQ_HEX.test(hash)) return { ok: false, message: `${at}: hash is a PDQ hash, 64 hexadecimal characters.` };
    if (typeof quality !== 'number' || !Number.isInteger(quality) || quality < 0 || quality > 100) return { ok: false, message: `${at}: quality is a whole number from 0 to 100.` };
    previous = index;
    frames.push({ index, timestamp, hash: hash.toLowerCase(), quality });
  }
  return { ok: true, frames };
}
