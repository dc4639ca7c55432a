/**
 * A HEIC/HEIF or AVIF picture told by its bytes, whatever its name or the type the browser reports: a photo
 * renamed `.jpg` keeps its bytes, and would otherwise get the generic "cannot read" message instead of the
 * how-to for its format. This page hashes neither (the server reads AVIF, but pictures never leave the device).
 */
import { FILE_TYPE_BOX_BYTES, heifKindOf } from '@takedown/core';

/** Reads only the file-type box at the start of the file. A file that cannot be read is neither. */
export async function heifKindByBytes(file: Blob): Promise<'heic' | 'avif' | undefined> {
  try {
    return heifKindOf(new Uint8Array(await file.slice(0, FILE_TYPE_BOX_BYTES).arrayBuffer()));
  } catch {
    return undefined;
  }
}
