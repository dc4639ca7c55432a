/** Why a video could not be hashed; each code maps to one HTTP status and CLI exit code 2. */
export type VideoErrorCode =
  | 'ffmpeg_missing'
  | 'file_unreadable'
  | 'not_a_video'
  | 'video_too_long'
  | 'video_too_large'
  | 'video_decode_failed'
  | 'video_timeout';

/**
 * A video that cannot be hashed, with a stable `code` and a message that names the file and says what to do.
 * `ffmpeg_missing` is the server's problem (HTTP 503); the others are the input's (4xx).
 */
export class VideoError extends Error {
  override name = 'VideoError';
  readonly code: VideoErrorCode;
  readonly field: string | undefined;

  constructor(code: VideoErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }

  /** The HTTP status a route should answer with. */
  get httpStatus(): number {
    switch (this.code) {
      case 'ffmpeg_missing':
        return 503;
      case 'video_too_large':
      case 'video_too_long':
        return 413;
      case 'video_timeout':
        return 422;
      default:
        return 422;
    }
  }

  /** The body of an HTTP error answer: `{ error: { code, message, field? } }`. */
  toJSON(): { error: { code: string; message: string; field?: string } } {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}
