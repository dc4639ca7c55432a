import { open } from 'node:fs/promises';
import { isPdqHex } from '@takedown/pdq';
import { parseThreatExchangeVpdq, parseVpdqText, type VideoHash, type VpdqTextRead } from '@takedown/vpdq';
import { VideoError } from '../media/video/index.ts';

/** Hash files are text of at most this size; anything larger is taken for a video. */
const MAX_HASH_FILE_BYTES = 50_000_000;

/**
 * Reads a saved vPDQ hash in any of the forms people hold them in, or resolves to undefined when the file is
 * none of them (then it is a video to hash):
 * - `takedown hash --json` output (an object with type "vpdq" and frames);
 * - Meta's `vpdq-hash-video` output (`frameNumber,quality,hash,timestamp` lines);
 * - python-threatexchange's vPDQ signal (a JSON list of "hash,quality,timestamp" strings).
 * A file that starts like one of them but is malformed is refused with what is wrong, rather than handed to ffmpeg.
 */
export async function readSavedVideoHash(path: string): Promise<VideoHash | undefined> {
  let text: string;
  const file = await open(path, 'r');
  try {
    // Sniff the start first: a video of gigabytes is not read into memory to find out it is not text.
    const head = Buffer.alloc(256);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    const start = head.subarray(0, bytesRead).toString('latin1').trimStart();
    if (!/^(\{|\[|\d+,\d+,[0-9a-fA-F]{64},)/.test(start)) return undefined;
    const { size } = await file.stat();
    if (size > MAX_HASH_FILE_BYTES) return undefined;
    text = (await file.readFile()).toString('utf8');
  } finally {
    await file.close();
  }
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) return readTakedownJson(path, trimmed);
  return fromText(path, trimmed.startsWith('[') ? parseThreatExchangeVpdq(trimmed) : parseVpdqText(text));
}

function fromText(path: string, read: VpdqTextRead): VideoHash {
  if (!read.ok) throw new VideoError('not_a_video', `"${path}": ${read.message}`);
  return { type: 'vpdq', frames: read.frames };
}

function readTakedownJson(path: string, text: string): VideoHash | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const hash = parsed as Partial<VideoHash>;
  if (hash.type !== 'vpdq' || !Array.isArray(hash.frames)) return undefined;
  for (const [i, f] of hash.frames.entries()) {
    if (!isPdqHex(f?.hash) || typeof f.quality !== 'number' || typeof f.timestamp !== 'number') {
      throw new VideoError('not_a_video', `"${path}": frame ${i + 1} of the saved hash is malformed (needs hash, quality, timestamp).`);
    }
  }
  return { type: 'vpdq', frames: hash.frames };
}
