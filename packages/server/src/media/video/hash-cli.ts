import { availableParallelism } from 'node:os';
import { formatVpdqText } from '@takedown/vpdq';
import { detectMediaKind } from './media-kind.ts';
import { hashVideoFile, type HashVideoOptions, type VideoFileHash } from './hash-video.ts';
import { VideoError } from './video-error.ts';

/** What `takedown hash` prints for one video: the text to write, or why it could not be hashed. */
export type VideoCliOutcome = { ok: true; video: true; text: string } | { ok: false; reason: string };

/**
 * Plain form: exactly the file Meta's `vpdq-hash-video` writes, one `frameNumber,quality,hash,timestamp`
 * line per hashed frame (timestamp with 3 decimals, no header), so it can be handed to Meta's tools as is.
 * When several files are hashed at once, each video's lines follow a `# <path>` line saying whose they are.
 */
export function formatVideoHashPlain(path: string, hash: VideoFileHash, named = false): string {
  return `${named ? `# ${path}\n` : ''}${formatVpdqText(hash.frames)}`;
}

/** JSON form: one object per file, on one line. */
export function formatVideoHashJson(path: string, hash: VideoFileHash): string {
  const { type, frames, ...rest } = hash;
  return `${JSON.stringify({ type, path, ...rest, frames })}\n`;
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
  options: HashVideoOptions & { json?: boolean; named?: boolean } = {},
): Promise<VideoCliOutcome | undefined> {
  if ((await detectMediaKind(path, options)) !== 'video') return undefined;
  try {
    const hash = await limited(() => hashVideoFile(path, { ...options, displayName: path }));
    return { ok: true, video: true, text: options.json ? formatVideoHashJson(path, hash) : formatVideoHashPlain(path, hash, options.named) };
  } catch (error) {
    if (error instanceof VideoError) return { ok: false, reason: error.message };
    throw error;
  }
}
