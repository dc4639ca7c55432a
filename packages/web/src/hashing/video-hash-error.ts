/** Why a video could not be hashed on the device, in words the person can act on. */
export class VideoHashError extends Error {
  override name = 'VideoHashError';
  readonly code: 'not_a_video' | 'video_too_long' | 'video_too_large' | 'video_timeout' | 'aborted';
  constructor(code: VideoHashError['code'], message: string) {
    super(message);
    this.code = code;
  }
}
