import { availableParallelism } from 'node:os';
import { detectMediaKind } from './media-kind.ts';
import { hashVideoFile, type HashVideoOptions, type VideoFileHash } from './hash-video.ts';
import { VideoError } from './video-error.ts';

/** What `takedown hash` prints for one video: the text to write, or why it could not be hashed. */
export type VideoCliOutcome = { ok: true; video: true; text: string } | { ok: false; reason: string };

/**
 * Plain form: `path,frames,seconds`, then one line per kept frame, `index,hash,quality,timestamp` (the
 * column order of Meta's vpdq-hash-video output).
 */
export function formatVideoHashPlain(path: string, hash: VideoFileHash): string {
  const lines = [`${path},${hash.frames.length},${round3(hash.durationSeconds)}`];
  for (const f of hash.frames) lines.push(`${f.index},${f.hash},${f.quality},${round3(f.timestamp)}`);
  return `${lines.join('\n')}\n`;
}

/** JSON form: one object per file, on one line. */
export function formatVideoHashJson(path: string, hash: VideoFileHash): string {
  const { type, frames, ...rest } = hash;
  return `${JSON.stringify({ type, path, ...rest, frames })}\n`;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

// Each ffmpeg decode uses its own threads: hashing a folder of videos runs a few at a time, not one per file.
let running = 0;
const waiting: (() => void)[] = [];
const maxConcurrentVideos = Math.max(1, Math.floor(availableParallelism() / 2));

async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (running >= maxConcurrentVideos) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * For `takedown hash`: when the file is a video (decided by probing its content), hashes it and returns the
 * text to print; resolves to undefined for anything else, which the image hasher then handles.
 *
 * @example
 * const video = await hashIfVideo(path, { json: true });
 * if (video) print(video); else hashAsImage(path);
 */
export async function hashIfVideo(
  path: string,
  options: HashVideoOptions & { json?: boolean } = {},
): Promise<VideoCliOutcome | undefined> {
  if ((await detectMediaKind(path, options)) !== 'video') return undefined;
  try {
    const hash = await limited(() => hashVideoFile(path, { ...options, displayName: path }));
    return { ok: true, video: true, text: options.json ? formatVideoHashJson(path, hash) : formatVideoHashPlain(path, hash) };
  } catch (error) {
    if (error instanceof VideoError) return { ok: false, reason: error.message };
    throw error;
  }
}
