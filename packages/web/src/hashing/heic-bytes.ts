/**
 * A HEIC/HEIF photo told by its bytes, whatever its name or the type the browser reports: a photo renamed
 * `.jpg` keeps its HEIC bytes, and would otherwise get the generic "cannot read" message instead of the HEIC
 * how-to. AVIF (HEIF holding AV1) is not HEIC: browsers and the server decode it.
 */
import { FILE_TYPE_BOX_BYTES, heifKindOf } from '@takedown/core';

/** Reads only the file-type box at the start of the file. A file that cannot be read is not called HEIC. */
export async function isHeicByBytes(file: Blob): Promise<boolean> {
  try {
    return heifKindOf(new Uint8Array(await file.slice(0, FILE_TYPE_BOX_BYTES).arrayBuffer())) === 'heic';
  } catch {
    return false;
  }
}
