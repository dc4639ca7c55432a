/** Meta's reference outputs for the PDQ test vectors in ../shared/vectors/pdq (see its README). */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VECTORS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/vectors/pdq');

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
