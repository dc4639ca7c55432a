/** Meta's vpdq-hash-video outputs for the clips in ../shared/vectors/vpdq (see its README). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The vectors live beside the repository (../shared/vectors/vpdq from its root), or beside the PDQ vectors
 * that TAKEDOWN_VECTORS_DIR points to. Missing vectors fail the tests loudly: they are the proof of exactness.
 */
export const VPDQ_VECTORS_DIR = process.env.TAKEDOWN_VECTORS_DIR
  ? resolve(process.env.TAKEDOWN_VECTORS_DIR, '../vpdq')
  : resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/vectors/vpdq');
if (!existsSync(join(VPDQ_VECTORS_DIR, 'expected.json'))) {
  throw new Error(
    `The vPDQ test vectors are missing: no expected.json in ${VPDQ_VECTORS_DIR}. ` +
      'Put the shared vectors beside the repository (../shared/vectors/vpdq) or set TAKEDOWN_VECTORS_DIR.',
  );
}

export interface VpdqVectorFrame {
  frameNumber: number;
  quality: number;
  hash: string;
  timestamp: number;
}

export interface VpdqVectorVideo {
  file: string;
  reference_output: string;
  codec: string;
  width: number;
  height: number;
  rotation: number | null;
  avg_frame_rate: string;
  decoded_frames: number;
  stride: number;
  reference_frame_count: number;
  frames: VpdqVectorFrame[];
}

export interface VpdqVectorPair {
  query: string;
  compared: string;
  python_threatexchange: { query_match_percent: number; compared_match_percent: number };
  match: boolean;
}

export const VPDQ_VECTORS = JSON.parse(readFileSync(join(VPDQ_VECTORS_DIR, 'expected.json'), 'utf8')) as {
  videos: VpdqVectorVideo[];
  pairs: VpdqVectorPair[];
};

/** The file the reference wrote for a clip, byte for byte. */
export function referenceText(video: VpdqVectorVideo): string {
  return readFileSync(join(VPDQ_VECTORS_DIR, video.reference_output), 'utf8');
}

export function vectorPath(file: string): string {
  return join(VPDQ_VECTORS_DIR, file);
}
