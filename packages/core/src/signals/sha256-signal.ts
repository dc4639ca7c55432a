import { digestSignal } from './digest-signal.ts';

/** SHA-256 of the exact bytes: `video_sha256` in python-threatexchange (StopNCII has no SHA-256 type). */
export const sha256Signal = digestSignal({ name: 'sha256', label: 'SHA-256', hexLength: 64, threatexchange: ['video_sha256', 'sha256'], stopncii: [] });
