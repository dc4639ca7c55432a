import { digestSignal } from './digest-signal.ts';

/** MD5 of the exact bytes: what StopNCII shares for videos (`VideoMD5`), `video_md5` in python-threatexchange. */
export const md5Signal = digestSignal({ name: 'md5', label: 'MD5', hexLength: 32, threatexchange: ['video_md5', 'md5'], stopncii: ['VideoMD5'] });
