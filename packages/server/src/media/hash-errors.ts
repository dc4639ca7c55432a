import { ImageDecodeError } from './decode-image.ts';

/** A reason a file could not be hashed, as one line a person can act on. */
export function describeHashError(error: unknown): string {
  if (error instanceof ImageDecodeError) return error.message;
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'No such file.';
  if (code === 'EACCES' || code === 'EPERM') return 'Permission denied: the file cannot be read.';
  if (code === 'EISDIR') return 'This is a folder; add -r to hash the files inside it.';
  return error instanceof Error ? error.message : String(error);
}
