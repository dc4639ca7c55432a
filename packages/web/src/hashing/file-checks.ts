/**
 * Checks made on a chosen file BEFORE it is read or hashed, so a wrong or huge file is turned away at once with
 * a message that says what to do. Pure: no I/O.
 */

/** Larger files are refused before hashing: reading them could freeze a phone. */
export const MAX_FILE_BYTES = 200 * 1024 * 1024;

/** The picture formats browsers decode the same way the server does. */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/bmp'];
/** Video formats browsers can play (and so sample frames from for vPDQ). */
export const VIDEO_TYPES = ['video/mp4', 'video/webm', 'video/ogg', 'video/quicktime'];

export interface FileFacts {
  name: string;
  size: number;
  /** The MIME type the browser reports; may be empty when it does not know. */
  type: string;
}

export type FileProblem =
  | { code: 'file_too_large'; message: string; size: number }
  | { code: 'not_an_image'; message: string }
  | { code: 'empty_file'; message: string }
  | { code: 'heic'; message: string }
  | { code: 'avif'; message: string };

const IMAGE_EXTENSIONS = /\.(jpe?g|png|webp|gif|bmp)$/i;
const VIDEO_EXTENSIONS = /\.(mp4|m4v|webm|ogv|mov)$/i;
const HEIF_TYPES = ['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence'];
const HEIF_EXTENSIONS = /\.(heic|heif|hif)$/i;
const AVIF_TYPES = ['image/avif', 'image/avif-sequence'];
const AVIF_EXTENSIONS = /\.avifs?$/i;

/**
 * An iPhone's HEIC/HEIF photo: not read here. The server's libvips (sharp's build) has no HEVC decoder, so a
 * fingerprint made from it could not be checked against the server's; the person is told how to get a JPEG
 * instead (docs/decisions/024-request-journey-that-forgives.md).
 */
export function isHeif(file: FileFacts): boolean {
  return HEIF_TYPES.includes(file.type.toLowerCase()) || HEIF_EXTENSIONS.test(file.name);
}

export const HEIF_HELP =
  'On an iPhone, share the photo as a JPEG (Share → Options → Most Compatible, or send it by email), or set Settings → Camera → Formats → Most Compatible for new photos.';

/**
 * An AVIF picture (AV1 in HEIF: often what a browser saves from a web page): not read here. This page decodes
 * pictures the way the server does (docs/decisions/005-browser-image-decoding.md) and has no AV1 decoder; the
 * person is told how to make a JPEG copy.
 */
export function isAvif(file: FileFacts): boolean {
  return AVIF_TYPES.includes(file.type.toLowerCase()) || AVIF_EXTENSIONS.test(file.name);
}

export const AVIF_HELP = 'Make a JPEG copy: on a Mac, open it in Preview and choose File, Export, JPEG; on Windows, open it in Paint and choose File, Save as, JPEG.';

/** Whether a file will be hashed as a picture or as a video. */
export function mediaKindOf(file: FileFacts): 'image' | 'video' | undefined {
  if (file.type ? IMAGE_TYPES.includes(file.type) : IMAGE_EXTENSIONS.test(file.name)) return 'image';
  if (file.type ? VIDEO_TYPES.includes(file.type) : VIDEO_EXTENSIONS.test(file.name)) return 'video';
  return undefined;
}

export const NOT_MEDIA_HELP = 'Choose a picture (JPEG, PNG, WebP, GIF or BMP) or a video (MP4 or WebM).';

export function formatMegabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/** Returns why this file cannot be hashed, or null when it may be. */
export function checkFileBeforeHashing(file: FileFacts): FileProblem | null {
  if (file.size > MAX_FILE_BYTES) {
    return {
      code: 'file_too_large',
      size: file.size,
      message:
        `"${file.name}" is ${formatMegabytes(file.size)}. The limit is ${formatMegabytes(MAX_FILE_BYTES)}. ` +
        'Choose a smaller copy, or leave it out and give the link instead.',
    };
  }
  if (file.size === 0) {
    return { code: 'empty_file', message: `"${file.name}" is empty. Choose the file again.` };
  }
  if (isHeif(file)) {
    return { code: 'heic', message: `"${file.name}" is an iPhone photo (HEIC) we cannot read here. ${HEIF_HELP}` };
  }
  if (isAvif(file)) {
    return { code: 'avif', message: `"${file.name}" is an AVIF picture we cannot read here. ${AVIF_HELP}` };
  }
  if (!mediaKindOf(file)) {
    return { code: 'not_an_image', message: `"${file.name}" is not a picture or video we can read. ${NOT_MEDIA_HELP}` };
  }
  return null;
}
