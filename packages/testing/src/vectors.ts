/** Meta's reference outputs for the PDQ test vectors in ../shared/vectors/pdq (see its README). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The vectors live beside the repository (../shared/vectors/pdq from its root), or where
 * TAKEDOWN_VECTORS_DIR points. Missing vectors fail the tests loudly: they are the proof of exactness.
 */
export const VECTORS_DIR = process.env.TAKEDOWN_VECTORS_DIR
  ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/vectors/pdq');
if (!existsSync(join(VECTORS_DIR, 'expected.json'))) {
  throw new Error(
    `The PDQ test vectors are missing: no expected.json in ${VECTORS_DIR}. ` +
      'Put the shared vectors beside the repository (../shared/vectors/pdq) or set TAKEDOWN_VECTORS_DIR.',
  );
}

export interface VectorEntry {
  file: string;
  decoded: string | null;
  decoder: string;
  width: number;
  height: number;
  hash: string;
  quality: number;
  dihedral: Record<string, string>;
  note?: string;
}

export function loadVectors(): VectorEntry[] {
  return JSON.parse(readFileSync(join(VECTORS_DIR, 'expected.json'), 'utf8')) as VectorEntry[];
}

/** A real photograph from the shared PDQ vectors (rotations of real photos stay within a few bits). */
export function vectorPhoto(name = 'images/misc-images/c.png'): Buffer {
  return readFileSync(join(VECTORS_DIR, name));
}
